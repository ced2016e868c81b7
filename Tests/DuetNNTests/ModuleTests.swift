import DuetNN
import DuetRandom
import DuetTensor
import DuetTestSupport
import DuetWeights
import Foundation
import Testing

@Suite("Modules, checkpoints and InfoNCE")
struct ModuleTests {
    private func smallEncoder(
        seed: UInt64, dropout: Float = 0, normFirst: Bool = false, activation: TransformerActivation = .relu
    ) -> TransformerEncoder {
        var generator = SeededGenerator(seed: seed)
        return TransformerEncoder(depth: 2, width: 8, heads: 2, feedForwardWidth: 16, dropout: dropout, activation: activation,
                                  normFirst: normFirst, finalNorm: normFirst, randomSource: RandomSource(seed: seed), using: &generator)
    }

    @Test func parameterNamesFollowPyTorch() {
        let names = smallEncoder(seed: 1).namedParameters().map(\.name)
        #expect(names.contains("layers.1.self_attn.in_proj_weight"))
        #expect(names.contains("layers.0.self_attn.out_proj.bias"))
        #expect(names.contains("layers.1.linear2.weight") && names.contains("layers.0.norm2.bias"))
        #expect(names.count == 2 * 12)
        #expect(smallEncoder(seed: 1, normFirst: true).namedParameters().map(\.name).suffix(2) == ["norm.weight", "norm.bias"])
    }

    @Test func groupNormMatchesItsDefinitionAndPassesTheGradientCheck() {
        let norm = GroupNorm(groups: 2, channels: 4)
        norm.weight.assign([1.5, -0.5, 2, 0.25])
        norm.bias.assign([0.1, 0.2, -0.3, 0.4])
        var generator = SeededGenerator(seed: 21)
        let input = Tensor.randomNormal([2, 4, 3, 2], using: &generator, requiresGradient: true)
        let output = withoutGradient { norm(input) }
        // Group g of item b holds channels 2g, 2g+1 at all 6 positions: 12 contiguous values.
        let x = input.storage
        for item in 0..<2 {
            for group in 0..<2 {
                let start = item * 24 + group * 12
                let values = x[start..<(start + 12)]
                let mean = values.reduce(0, +) / 12
                let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 12
                for offset in 0..<12 {
                    let channel = group * 2 + offset / 6
                    let expected = (x[start + offset] - mean) / (variance + 1e-5).squareRoot() * norm.weight.storage[channel] + norm.bias.storage[channel]
                    #expect(abs(output.storage[start + offset] - expected) < 1e-5)
                }
            }
        }
        let report = checkGradients(of: [input, norm.weight, norm.bias]) { tensors in norm(tensors[0]) }
        #expect(report.passed, "\(report)")
    }

    @Test func trainAndEvalModeControlDropout() {
        let encoder = smallEncoder(seed: 2, dropout: 0.5)
        var generator = SeededGenerator(seed: 3)
        let input = Tensor.randomNormal([2, 3, 8], using: &generator)
        encoder.eval()
        #expect(!encoder.layers[1].dropout.isTraining)
        let first = withoutGradient { encoder(input).storage }
        let second = withoutGradient { encoder(input).storage }
        #expect(first == second, "evaluation is deterministic")
        encoder.train()
        let training = withoutGradient { encoder(input).storage }
        #expect(training != first, "dropout is active in training mode")
    }

    @Test func blockGradientsPassFiniteDifferenceChecks() {
        // Whole layers composed of checked ops, in Float32: looser tolerance for the deeper graph;
        // GELU because finite differences across ReLU's kink are meaningless.
        for normFirst in [false, true] {
            let encoder = smallEncoder(seed: 4, normFirst: normFirst, activation: .gelu)
            var generator = SeededGenerator(seed: 5)
            let input = Tensor.randomNormal([2, 3, 8], using: &generator, requiresGradient: true)
            let padded = [false, false, true, false, false, false]
            let parameters = [input, encoder.layers[0].selfAttention.inProjectionWeight, encoder.layers[1].linear1.bias!]
            let report = checkGradients(of: parameters, step: 1e-2, absoluteTolerance: 4e-3, relativeTolerance: 3e-2) { _ in
                encoder(input, keyPadding: padded)
            }
            #expect(report.passed, "normFirst=\(normFirst): \(report)")
        }
    }

    @Test func classTokenIsPrependedAndLearnsFromEveryItem() {
        var generator = SeededGenerator(seed: 6)
        let token = ClassToken(width: 4, using: &generator)
        let input = Tensor.randomNormal([3, 2, 4], using: &generator, requiresGradient: true)
        let report = checkGradients(of: [token.token, input]) { _ in token(input) }
        #expect(report.passed, "\(report)")
        let output = withoutGradient { token(input) }
        #expect(output.shape == [3, 3, 4] && Array(output.storage[12..<16]) == token.token.storage)
        #expect(ClassToken.extendedKeyPadding([false, true, false, false], batch: 2) == [false, false, true, false, false, false])
    }

    @Test func infoNCEWithHardNegativesMatchesDirectFormula() {
        var generator = SeededGenerator(seed: 7)
        let audio = Tensor.randomNormal([3, 5], using: &generator, requiresGradient: true)
        let text = Tensor.randomNormal([5, 5], using: &generator, requiresGradient: true)
        let loss = InfoNCELoss(temperature: 0.1)
        let value = withoutGradient { loss(audio: audio, text: text).scalar }
        // Direct formula in Float64.
        func normalised(_ tensor: Tensor) -> [[Double]] {
            (0..<tensor.shape[0]).map { row in
                let values = (0..<5).map { Double(tensor.storage[row * 5 + $0]) }
                let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
                return values.map { $0 / norm }
            }
        }
        let a = normalised(audio), t = normalised(text)
        let logits = a.map { row in t.map { column in zip(row, column).reduce(0) { $0 + $1.0 * $1.1 } / 0.1 } }
        func crossEntropy(_ rows: [[Double]]) -> Double {
            rows.enumerated().map { index, row in
                let maximum = row.max()!
                return maximum + Foundation.log(row.map { Foundation.exp($0 - maximum) }.reduce(0, +)) - row[index]
            }.reduce(0, +) / Double(rows.count)
        }
        let textToAudio = (0..<3).map { textRow in (0..<3).map { logits[$0][textRow] } }
        let expected = 0.5 * (crossEntropy(logits) + crossEntropy(textToAudio))
        #expect(abs(Double(value) - expected) < 1e-5, "InfoNCE \(value) vs direct \(expected)")
        let report = checkGradients(of: [audio, text]) { loss(audio: $0[0], text: $0[1]) }
        #expect(report.passed, "\(report)")
    }

    @Test func checkpointRoundTripAndStrictLoading() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-nn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = smallEncoder(seed: 8)
        let target = smallEncoder(seed: 9)
        let url = folder.appendingPathComponent("encoder.safetensors")
        try source.saveParameters(to: url)
        try target.loadParameters(from: url)
        for (left, right) in zip(source.parameters(), target.parameters()) { #expect(left.storage == right.storage) }

        var state = source.stateDictionary()
        state.removeValue(forKey: "layers.1.norm1.weight")
        try Safetensors.write(state, to: url)
        #expect(throws: WeightsError.missingKey(name: "layers.1.norm1.weight", path: url.path)) { try target.loadParameters(from: url) }

        state = source.stateDictionary()
        state["layers.0.extra"] = Tensor.zeros([2])
        try Safetensors.write(state, to: url)
        #expect(throws: WeightsError.unexpectedKeys(names: ["layers.0.extra"], path: url.path)) { try target.loadParameters(from: url) }

        state = source.stateDictionary()
        state["layers.0.linear1.bias"] = Tensor.zeros([15])
        try Safetensors.write(state, to: url)
        #expect(throws: WeightsError.shapeMismatch(name: "layers.0.linear1.bias", expected: [16], found: [15], path: url.path)) {
            try target.loadParameters(from: url)
        }
    }
}

@Suite("Embedding and Linear layers")
struct LayerTests {
    @Test func embeddingLooksUpRowsAndLinearMatchesPyTorchLayout() {
        var generator = SeededGenerator(seed: 10)
        let embedding = Embedding(count: 5, width: 3, using: &generator)
        #expect(embedding.namedParameters().map(\.name) == ["weight"])
        let rows = embedding([2, 0, 2, 4], shape: [2, 2])
        #expect(rows.shape == [2, 2, 3])
        #expect(Array(rows.storage[0..<3]) == Array(embedding.weight.storage[6..<9]))
        rows.sum().backward()
        #expect(embedding.weight.gradient! == [1, 1, 1, 0, 0, 0, 2, 2, 2, 0, 0, 0, 1, 1, 1])

        let linear = Linear(2, 3, using: &generator)
        #expect(linear.weight.shape == [3, 2] && linear.bias!.shape == [3])
        #expect(linear.weight.storage.allSatisfy { abs($0) <= 1 / Float(2).squareRoot() })
        let input = Tensor([1, 2], shape: [1, 2])
        let output = withoutGradient { linear(input) }
        let w = linear.weight.storage, b = linear.bias!.storage
        var expected: [Float] = []
        for row in 0..<3 { expected.append(w[row * 2] + 2 * w[row * 2 + 1] + b[row]) }
        #expect(largestDifference(output.storage, expected) < 1e-6)
    }
}

@Suite("Computing only the [CLS] output of the last layer")
struct OutputPositionTests {
    /// Restricting the last layer to the first position must equal slicing the full output, in
    /// values and in gradients (post- and pre-norm, with padding).
    @Test(arguments: [false, true])
    func firstPositionEqualsSlicedFullOutput(normFirst: Bool) {
        var generator = SeededGenerator(seed: 11)
        let encoder = TransformerEncoder(depth: 2, width: 8, heads: 2, feedForwardWidth: 16, dropout: 0, activation: .gelu,
                                         normFirst: normFirst, finalNorm: normFirst, randomSource: RandomSource(seed: 1), using: &generator)
        let input = Tensor.randomNormal([3, 5, 8], using: &generator, requiresGradient: true)
        let padded = [false, false, false, true, true, false, false, false, false, false, false, true, true, true, true]
        let weights = Tensor.randomNormal([3, 1, 8], using: &generator)
        let full = encoder(input, keyPadding: padded).sliced(axis: 1, 0..<1)
        (full * weights).sum().backward()
        let fullGradients = [input.gradient!] + encoder.parameters().map { $0.gradient! }
        input.zeroGradient()
        encoder.zeroGradients()
        let first = encoder(input, keyPadding: padded, outputPositions: 1)
        (first * weights).sum().backward()
        let firstGradients = [input.gradient!] + encoder.parameters().map { $0.gradient! }
        #expect(first.shape == [3, 1, 8])
        // Computing only the first position changes sgemm shapes, so the sums run in another order.
        // Layer-normed activations are at most √8 in size and the default initialisation keeps
        // Σ|w x| ≤ √n · max|x| ≤ 6 · 2.9 for the 32-wide feed-forward layer: magnitude 20, and
        // two layers of four successive reductions.
        let tolerance = Tolerance.reordered(terms: 32, magnitude: 20, layers: 8)
        expectClose(first.storage, full.storage, tolerance, "first position vs full output")
        for (index, (left, right)) in zip(firstGradients, fullGradients).enumerated() {
            expectClose(left, right, tolerance + Tolerance(relative: tolerance.absolute), "gradient \(index)")
        }
    }
}
