import DuetRandom
import DuetTensor
import DuetTestSupport
import Testing

@Suite("Panel-packed weight products")
struct PanelPackedWeightTests {
    /// `input · weightᵀ` in Double, the exact value the float32 sums are compared with.
    private func exactProduct(_ input: [Float], _ weight: [Float], rows: Int, outputs: Int, inputs: Int) -> [Float] {
        (0..<(rows * outputs)).map { index in
            let row = index / outputs, column = index % outputs
            var sum = 0.0
            for position in 0..<inputs { sum += Double(input[row * inputs + position]) * Double(weight[column * inputs + position]) }
            return Float(sum)
        }
    }

    @Test(arguments: [(1, 1, 1), (1, 384, 1152), (5, 7, 17), (6, 16, 16), (13, 384, 40), (16, 1536, 384), (70, 33, 31)])
    func productEqualsTheExactSumWithinFloat32Rounding(rows: Int, inputs: Int, outputs: Int) {
        var generator = SeededGenerator(seed: UInt64(rows * 1_000_003 + inputs * 101 + outputs))
        let input = Tensor.randomNormal([rows, inputs], using: &generator).storage
        let weight = Tensor.randomNormal([outputs, inputs], using: &generator).storage
        let packed = PanelPackedWeight(weight, outputs: outputs, inputs: inputs)
        let expected = exactProduct(input, weight, rows: rows, outputs: outputs, inputs: inputs)
        // One float32 sum of `inputs` terms per output, against the exact value.
        let tolerance = Tolerance.reordered(
            terms: inputs, magnitude: Tolerance.dotProductMagnitude(terms: inputs, input, weight))
        for portable in [false, true] {
            var output = [Float](repeating: .nan, count: rows * outputs)
            input.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { output in
                    packed.product(input.baseAddress!, rows: rows, into: output.baseAddress!, portable: portable)
                }
            }
            expectClose(output, expected, tolerance, "\(rows)×\(inputs)·\(inputs)×\(outputs), portable \(portable)")
        }
    }

    @Test func accumulatingAddsToTheOutputAndLeavesOtherMemoryAlone() {
        let rows = 3, inputs = 5, outputs = 18
        var generator = SeededGenerator(seed: 77)
        let input = Tensor.randomNormal([rows, inputs], using: &generator).storage
        let weight = Tensor.randomNormal([outputs, inputs], using: &generator).storage
        let start = (0..<(rows * outputs)).map { Float($0) }
        let packed = PanelPackedWeight(weight, outputs: outputs, inputs: inputs)
        let product = exactProduct(input, weight, rows: rows, outputs: outputs, inputs: inputs)
        let expected = zip(start, product).map { $0 + $1 }
        let tolerance = Tolerance.reordered(
            terms: inputs + 1, magnitude: Tolerance.dotProductMagnitude(terms: inputs, input, weight) + Float(rows * outputs))
        for portable in [false, true] {
            // A guard value after the output: the padded last panel must not write past the matrix.
            var output = start + [42]
            input.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { output in
                    packed.product(input.baseAddress!, rows: rows, into: output.baseAddress!, accumulating: true, portable: portable)
                }
            }
            #expect(output.last == 42, "portable \(portable)")
            expectClose(Array(output.dropLast()), expected, tolerance, "accumulating, portable \(portable)")
        }
    }

    @Test func panelsAreChosenForFewRowsOnly() {
        // Not an assertion about the machine: both paths are checked above; this records which one
        // the products of this run took, for the test log.
        print("panel-packed products use the \(PanelPackedWeight.usesVectorKernel ? "AVX2 + FMA tile" : "portable loop")")
        #expect(PanelPackedWeight.prefersPanels(rows: 1) && !PanelPackedWeight.prefersPanels(rows: PanelPackedWeight.panelRowLimit + 1))
    }
}
