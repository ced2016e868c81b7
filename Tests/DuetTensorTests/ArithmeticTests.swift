import DuetRandom
import DuetTensor
import DuetTestSupport
import Testing

@Suite("Arithmetic and matrix products")
struct ArithmeticTests {
    @Test func broadcastAddMatchesHandComputedValues() {
        let matrix = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let row = Tensor([10, 20, 30], shape: [3])
        let column = Tensor([100, 200], shape: [2, 1])
        #expect((matrix + row).storage == [11, 22, 33, 14, 25, 36])
        #expect((matrix + column).storage == [101, 102, 103, 204, 205, 206])
        #expect((matrix * 2).storage == [2, 4, 6, 8, 10, 12])
    }

    @Test(arguments: [([2, 3], [3]), ([2, 3], [2, 1]), ([2, 1, 3], [4, 1]), ([3], [2, 3])])
    func broadcastingGradients(lhsShape: [Int], rhsShape: [Int]) {
        var generator = SeededGenerator(seed: 1)
        let lhs = Tensor.randomNormal(lhsShape, using: &generator, requiresGradient: true)
        let rhs = Tensor.randomUniform(rhsShape, lower: 0.5, upper: 1.5, using: &generator, requiresGradient: true)
        for operation in [{ (a: Tensor, b: Tensor) in a + b }, { $0 - $1 }, { $0 * $1 }, { $0 / $1 }] {
            let report = checkGradients(of: [lhs, rhs]) { operation($0[0], $0[1]) }
            #expect(report.passed, "\(report)")
        }
    }

    @Test func matmulMatchesNaiveProduct() {
        var generator = SeededGenerator(seed: 2)
        let a = Tensor.randomNormal([3, 4], using: &generator)
        let b = Tensor.randomNormal([4, 5], using: &generator)
        let product = Tensor.matmul(a, b)
        var expected = [Float](repeating: 0, count: 15)
        for i in 0..<3 { for j in 0..<5 { for p in 0..<4 { expected[i * 5 + j] += a.storage[i * 4 + p] * b.storage[p * 5 + j] } } }
        #expect(largestDifference(product.storage, expected) < 1e-5)
    }

    @Test(arguments: [false, true])
    func matmulGradients(transposeRight: Bool) {
        var generator = SeededGenerator(seed: 3)
        let shared = Tensor.randomNormal(transposeRight ? [5, 4] : [4, 5], using: &generator, requiresGradient: true)
        let rows = Tensor.randomNormal([2, 3, 4], using: &generator, requiresGradient: true)
        let sharedReport = checkGradients(of: [rows, shared]) { Tensor.matmul($0[0], $0[1], transposeRight: transposeRight) }
        #expect(sharedReport.passed, "\(sharedReport)")
        let batchedRight = Tensor.randomNormal(transposeRight ? [2, 5, 4] : [2, 4, 5], using: &generator, requiresGradient: true)
        let batchedReport = checkGradients(of: [rows, batchedRight]) { Tensor.matmul($0[0], $0[1], transposeRight: transposeRight) }
        #expect(batchedReport.passed, "\(batchedReport)")
    }

    @Test func noGradientScopeRecordsNothing() {
        let parameter = Tensor([1, 2], shape: [2], requiresGradient: true)
        let result = withoutGradient { (parameter * 3).sum() }
        #expect(!result.requiresGradient)
        let recorded = (parameter * 3).sum()
        recorded.backward()
        recorded.backward()
        #expect(parameter.gradient == [6, 6], "gradients accumulate across backward calls")
    }

    @Test func seededGeneratorIsReproducible() {
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        #expect((0..<10).map { _ in first.next() } == (0..<10).map { _ in second.next() })
        let normals = (0..<20000).map { _ in first.nextNormal() }
        let mean = normals.reduce(0, +) / Float(normals.count)
        #expect(abs(mean) < 0.03)
    }
}
