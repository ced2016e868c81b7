import DuetNN
import DuetRandom
import DuetTensor
import DuetTestSupport
import Testing

@Suite("InfoNCE with a hard-negative mask")
struct InfoNCEMaskTests {
    @Test func zeroMaskEqualsTheUnmaskedLoss() {
        var generator = SeededGenerator(seed: 11)
        let audio = Tensor.randomNormal([4, 8], using: &generator)
        let text = Tensor.randomNormal([6, 8], using: &generator)
        let loss = InfoNCELoss(temperature: 0.1)
        let plain = loss(audio: audio, text: text).scalar
        let masked = loss(audio: audio, text: text, audioToTextMask: [Float](repeating: 0, count: 24)).scalar
        // Adding a zero mask changes nothing but the order of nothing: the same operations.
        let logitMagnitude = Tolerance.dotProductMagnitude(terms: 8, audio.storage, text.storage) / 0.1
        expectClose(masked, plain, .reordered(terms: 8, magnitude: logitMagnitude, layers: 2), "zero mask vs none")
    }

    @Test func maskedColumnsDropOutOfTheSoftmax() {
        var generator = SeededGenerator(seed: 12)
        let audio = Tensor.randomNormal([3, 5], using: &generator)
        let text = Tensor.randomNormal([4, 5], using: &generator)
        let loss = InfoNCELoss(temperature: 0.5)
        // Masking column 3 for every row equals dropping text row 3.
        var mask = [Float](repeating: 0, count: 12)
        for row in 0..<3 { mask[row * 4 + 3] = -.infinity }
        let masked = loss(audio: audio, text: text, audioToTextMask: mask).scalar
        let dropped = loss(audio: audio, text: text.sliced(axis: 0, 0..<3)).scalar
        // The softmax sums over four columns instead of three: another order, a reordering bound.
        let logitMagnitude = Tolerance.dotProductMagnitude(terms: 5, audio.storage, text.storage) / 0.5
        expectClose(masked, dropped, .reordered(terms: 5, magnitude: logitMagnitude, layers: 2), "masked column vs dropped row")
    }

    @Test func gradientsPassTheFiniteDifferenceCheck() {
        var generator = SeededGenerator(seed: 13)
        let audio = Tensor.randomNormal([3, 4], using: &generator, requiresGradient: true)
        let text = Tensor.randomNormal([5, 4], using: &generator, requiresGradient: true)
        var mask = [Float](repeating: 0, count: 15)
        mask[0 * 5 + 4] = -.infinity  // row 0 does not see hard negative 4 (it belongs to row 1)
        mask[1 * 5 + 2] = -.infinity  // row 1's hard negative replaces in-batch negative 2
        mask[2 * 5 + 3] = -.infinity
        mask[2 * 5 + 4] = -.infinity
        let loss = InfoNCELoss(temperature: 0.5)
        let report = checkGradients(of: [audio, text]) { loss(audio: $0[0], text: $0[1], audioToTextMask: mask) }
        #expect(report.passed, "\(report)")
    }
}
