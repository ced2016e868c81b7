import DuetNN
import DuetRandom
import DuetTensor
import DuetTestSupport
import Foundation
import Testing

@Suite("Text geometry anchor")
struct TextGeometryAnchorTests {
    @Test func targetsAreEachTextsSoftmaxOverTheOthers() {
        // Three unit references: 0 and 1 at cosine 0.6, 2 orthogonal to both.
        let reference = Tensor([1, 0, 0, 0.6, 0.8, 0, 0, 0, 1], shape: [3, 3])
        let anchor = TextGeometryAnchor(temperature: 0.5)
        let targets = anchor.targets(reference: reference)
        for row in 0..<3 {
            #expect(targets[row * 3 + row] == 0)
            let total: Float = targets[(row * 3)..<(row * 3 + 3)].reduce(0, +)
            #expect(abs(total - 1) < 1e-6)
        }
        // Row 0 over texts 1 (cosine 0.6) and 2 (cosine 0): exp(1.2) / (exp(1.2) + 1).
        let expected = Float(exp(1.2) / (exp(1.2) + 1))
        #expect(abs(targets[1] - expected) < 1e-6 && abs(targets[2] - (1 - expected)) < 1e-6)
    }

    @Test func lossIsLowestWhenTheBranchKeepsTheReferenceGeometry() {
        var generator = SeededGenerator(seed: 21)
        let reference = Tensor.randomNormal([6, 5], using: &generator)
        let anchor = TextGeometryAnchor(temperature: 0.2)
        // The same vectors as the branch's embeddings: Q = P, the cross-entropy is P's entropy, its minimum.
        let matched = anchor(text: reference, reference: reference).scalar
        let targets = anchor.targets(reference: reference)
        let entropy: Float = -targets.filter { $0 > 0 }.map { $0 * log($0) }.reduce(0, +) / 6
        // Logits up to 1/τ = 5 pass a dot product, a log-softmax (or softmax and log) and a sum of 36 products.
        let magnitude: Float = 1 / 0.2
        expectClose(matched, entropy, .reordered(terms: 36, magnitude: magnitude, layers: 3), "matched geometry vs P's entropy")
        let other = Tensor.randomNormal([6, 5], using: &generator)
        #expect(anchor(text: other, reference: reference).scalar > matched)
    }

    @Test func gradientsPassTheFiniteDifferenceCheck() {
        var generator = SeededGenerator(seed: 22)
        let text = Tensor.randomNormal([5, 4], using: &generator, requiresGradient: true)
        let reference = Tensor.randomNormal([5, 7], using: &generator)
        let anchor = TextGeometryAnchor(temperature: 0.5)
        let report = checkGradients(of: [text]) { anchor(text: $0[0], reference: reference) }
        #expect(report.passed, "\(report)")
    }
}
