import DuetEncoders
import DuetTensor
import DuetTestSupport
import DuetWeights
import Foundation
import Testing

/// Parity of ``MertModel`` with `transformers`' `HubertModel` (which MERT-v1 checkpoints load into) on
/// the tiny random checkpoints `Scripts/reference/mert_reference.py` wrote: `mert-tiny` (as
/// MERT-v1-95M: group norm, post-norm), `mert-tiny-stable` (as MERT-v1-330M: group norm, pre-norm
/// with a final norm) and `mert-tiny-layer` (layer-normed convolutions with biases). Every hidden
/// state of two clips (37 frames, and 6 frames: fewer than the positional kernel) within tolerances
/// derived from the reductions' float32 error; the feature extractor's normalisation; strict loading
/// by name, with the weight norm stored either way.
@Suite struct MertReferenceTests {
    static let fixtures = ["mert-tiny", "mert-tiny-stable", "mert-tiny-layer"]

    /// `Resources/mert-clips.json`: the clips every fixture ran, raw and as the feature extractor normalised them.
    struct Clips: Decodable {
        struct Clip: Decodable {
            let samples: [Float]
            let inputValues: [Float]
            enum CodingKeys: String, CodingKey { case samples, inputValues = "input_values" }
        }
        let sampleRate: Int
        let clips: [Clip]
        enum CodingKeys: String, CodingKey { case sampleRate = "sample_rate", clips }

        static func load() throws -> Clips {
            let url = try #require(Bundle.module.url(forResource: "mert-clips", withExtension: "json", subdirectory: "Resources"))
            return try JSONDecoder().decode(Clips.self, from: Data(contentsOf: url))
        }
    }

    /// A fixture's `reference.json`: per clip of ``Clips``, its frame count and every hidden state.
    struct Fixture: Decodable {
        struct Case: Decodable {
            let frames: Int
            /// The embedding output, then each layer's, `[frames, hidden]` each; the last is `last_hidden_state`.
            let hiddenStates: [[Float]]
            enum CodingKeys: String, CodingKey { case frames, hiddenStates = "hidden_states" }
        }
        let transformers: String
        let largestReductionMagnitude: Float
        /// The group norm's `|scale| · max|x| / σ` (0 without one): its reduction runs over the first
        /// convolution's frames, far longer than any other, so it gets a term of its own.
        let groupNormMagnitude: Float
        let cases: [Case]
        enum CodingKeys: String, CodingKey {
            case transformers, largestReductionMagnitude = "largest_reduction_magnitude", groupNormMagnitude = "group_norm_magnitude", cases
        }

        /// `hidden_states[layer]`'s tolerance for a clip of `samples` samples: every reduction of at most
        /// ``MertReferenceTests/terms(configuration:frames:)`` terms and the largest magnitude, one after
        /// another, plus the group norm's reduction over the first convolution's frames with its own magnitude.
        func tolerance(layer: Int, configuration: MertConfiguration, samples: Int) -> Tolerance {
            let frames = configuration.frameCount(samples: samples)
            var tolerance = Tolerance.reordered(
                terms: MertReferenceTests.terms(configuration: configuration, frames: frames), magnitude: largestReductionMagnitude,
                layers: MertReferenceTests.stages(throughLayer: layer, configuration: configuration))
            if configuration.featureEncoderNorm == .group {
                let firstFrames = (samples - configuration.convolutionKernels[0]) / configuration.convolutionStrides[0] + 1
                tolerance = tolerance + Tolerance.reordered(terms: firstFrames, magnitude: groupNormMagnitude)
            }
            return tolerance
        }

        static func load(_ name: String) throws -> Fixture {
            try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: TinyEncoderFixture.folder(name).appendingPathComponent("reference.json")))
        }
    }

    static func model(_ name: String) throws -> MertModel { try MertModel(directory: try TinyEncoderFixture.folder(name)) }

    /// Reductions up to `hidden_states[l]`: each convolution (and its layer norm in "layer" mode, the
    /// first one's group norm in "group" mode), the projection's norm and product, the positional
    /// convolution, the embeddings' norm (post-norm), then per layer the query-key-value, score,
    /// context, output and two feed-forward products and two norms; the pre-norm model's final norm.
    static func stages(throughLayer layer: Int, configuration: MertConfiguration) -> Int {
        let convolutions = configuration.convolutionChannels.count
        let featureNorms = configuration.featureEncoderNorm == .layer ? convolutions : 1
        let embedding = convolutions + featureNorms + 3 + (configuration.preNorm ? 0 : 1)
        let final = configuration.preNorm && layer == configuration.layerCount ? 1 : 0
        return embedding + 8 * layer + final
    }

    /// The longest reduction but the group norm's: a convolution's `in · kernel`, the positional
    /// convolution's `kernel · groupSize`, a product's inner size, attention's over the frames.
    static func terms(configuration: MertConfiguration, frames: Int) -> Int {
        let convolution = zip([1] + configuration.convolutionChannels.dropLast(), configuration.convolutionKernels).map { $0 * $1 }.max()!
        return max(
            convolution, configuration.positionKernel * configuration.positionGroupSize, configuration.intermediateSize,
            configuration.hiddenSize, configuration.convolutionChannels.last!, frames)
    }

    @Test func configurationsReadTheStructure() throws {
        let small = try Self.model("mert-tiny").configuration
        #expect(small.featureEncoderNorm == .group && !small.preNorm && !small.convolutionBias && small.layerCount == 2)
        #expect(small.convolutionKernels == [10, 3, 3, 3, 3, 2, 2] && small.convolutionStrides == [5, 2, 2, 2, 2, 2, 2])
        #expect(small.positionKernel == 12 && small.positionGroups == 4 && small.stateCount == 3)
        #expect(small.minimumSampleCount == 400 && small.frameCount(samples: 12000) == 37 && small.frameCount(samples: 399) == 0)
        #expect(try Self.model("mert-tiny-stable").configuration.preNorm)
        let layer = try Self.model("mert-tiny-layer").configuration
        #expect(layer.featureEncoderNorm == .layer && layer.convolutionBias)
        #expect(MertConfiguration.mert95M.stateCount == 13 && MertConfiguration.mert330M.stateCount == 25)
        #expect(MertConfiguration.mert95M.frameCount(samples: 240_000) == 749)
    }

    @Test(arguments: fixtures)
    func everyHiddenStateMatchesTransformers(fixtureName: String) throws {
        let model = try Self.model(fixtureName)
        let fixture = try Fixture.load(fixtureName)
        let clips = try Clips.load().clips
        let configuration = model.configuration
        let hidden = configuration.hiddenSize
        var largest = [Float](repeating: 0, count: configuration.stateCount)
        var finalTolerance = Tolerance()
        #expect(fixture.cases.count == clips.count)
        for (item, clip) in zip(fixture.cases, clips) {
            let states = try model.hiddenStates(inputValues: clip.inputValues)
            #expect(states.shape == [configuration.stateCount, item.frames, hidden])
            #expect(configuration.frameCount(samples: clip.samples.count) == item.frames)
            for (layer, expected) in item.hiddenStates.enumerated() {
                let tolerance = fixture.tolerance(layer: layer, configuration: configuration, samples: clip.samples.count)
                let actual = Array(states.storage[(layer * item.frames * hidden)..<((layer + 1) * item.frames * hidden)])
                let comparison = expectClose(actual, expected, tolerance, "\(fixtureName) hidden_states[\(layer)] of \(item.frames) frames")
                largest[layer] = max(largest[layer], comparison.largestDifference)
                if layer == configuration.layerCount { finalTolerance = tolerance }
            }
        }
        print("\(fixtureName) vs transformers \(fixture.transformers): largest difference per hidden state \(largest) (last state's tolerance \(finalTolerance))")
    }

    /// The comparisons of every hidden state of every clip with the fixture, each with its tolerance.
    static func comparisons(_ model: MertModel, fixtureName: String) throws -> [Comparison] {
        let fixture = try Fixture.load(fixtureName)
        let configuration = model.configuration, hidden = configuration.hiddenSize
        var comparisons: [Comparison] = []
        for (item, clip) in zip(fixture.cases, try Clips.load().clips) {
            let states = try model.hiddenStates(inputValues: clip.inputValues)
            for (layer, expected) in item.hiddenStates.enumerated() {
                let tolerance = fixture.tolerance(layer: layer, configuration: configuration, samples: clip.samples.count)
                comparisons.append(compare(Array(states.storage[(layer * item.frames * hidden)..<((layer + 1) * item.frames * hidden)]), expected, tolerance))
            }
        }
        return comparisons
    }

    /// Break-it checks: the comparison catches a positional convolution shifted by one frame (its
    /// padding off by one) and a weight norm left unfolded, by far more than the tolerance.
    @Test(arguments: ["mert-tiny", "mert-tiny-stable"])
    func parityCatchesPositionAndWeightNormMistakes(fixtureName: String) throws {
        let model = try Self.model(fixtureName)
        let configuration = model.configuration
        let kernel = configuration.positionKernel, groupSize = configuration.positionGroupSize
        // Tap j reads what tap j + 1 read: the window moves one frame later, as with one frame less of left padding.
        var shifted = model.weights
        for row in 0..<configuration.hiddenSize {
            let base = row * kernel * groupSize
            for tap in 0..<kernel {
                for input in 0..<groupSize {
                    shifted.positionWeight[base + tap * groupSize + input] =
                        tap + 1 < kernel ? model.weights.positionWeight[base + (tap + 1) * groupSize + input] : 0
                }
            }
        }
        let shiftedComparisons = try Self.comparisons(MertModel(configuration: configuration, weights: shifted), fixtureName: fixtureName)
        #expect(!shiftedComparisons[0].passed, "a shifted positional window must fail the embedding output's comparison")
        #expect(shiftedComparisons[0].largestDifference > 100 * shiftedComparisons[0].tolerance.absolute)

        // The direction v used as the kernel without g / ‖v‖.
        let tensors = try TinyEncoderFixture.tensors(fixtureName)
        let direction = try #require(tensors[MertWeights.positionWeightNames[1].1])
        var unfoldedTensors = tensors
        unfoldedTensors[MertWeights.positionWeightNames[1].0] = nil
        unfoldedTensors[MertWeights.positionWeightNames[1].1] = nil
        unfoldedTensors[MertWeights.foldedPositionWeightName] = direction
        let unfolded = try MertWeights(file: try TemporarySafetensors.write(unfoldedTensors), configuration: configuration)
        let unfoldedComparisons = try Self.comparisons(MertModel(configuration: configuration, weights: unfolded), fixtureName: fixtureName)
        #expect(!unfoldedComparisons[0].passed, "an unfolded weight norm must fail the embedding output's comparison")

        // And the unaltered model passes every comparison.
        #expect(try Self.comparisons(model, fixtureName: fixtureName).allSatisfy(\.passed))
    }

    /// `Wav2Vec2FeatureExtractor`'s `do_normalize`: each value within a few float32 roundings of numpy's.
    @Test func inputNormalisationMatchesTheFeatureExtractor() throws {
        let clips = try Clips.load()
        let preprocessing = MertPreprocessing(sampleRate: clips.sampleRate)
        for clip in clips.clips {
            // numpy's float32 mean and variance carry a relative error of γ(n) at worst; the quotient adds a few roundings.
            let values = preprocessing.inputValues(clip.samples)
            let scale = Tolerance.largestMagnitude(clip.inputValues)
            expectClose(values, clip.inputValues, Tolerance(absolute: 2 * Tolerance.gamma(clip.samples.count) * scale + 8 * Tolerance.float32Roundoff * scale))
        }
        #expect(MertPreprocessing(normalizes: false, sampleRate: 24000).inputValues([1, 2]) == [1, 2])
    }

    @Test func rawSamplesAreNormalisedBeforeTheNetwork() throws {
        let model = try Self.model("mert-tiny")
        let clip = try Clips.load().clips[1]
        let fromSamples = try model.hiddenStates(samples: clip.samples)
        let fromInput = try model.hiddenStates(inputValues: model.preprocessing.inputValues(clip.samples))
        #expect(fromSamples.storage == fromInput.storage)
    }

    @Test func rejectsClipsShorterThanOneFrame() throws {
        let model = try Self.model("mert-tiny")
        #expect(throws: EncoderError.self) { try model.hiddenStates(inputValues: [Float](repeating: 0.5, count: 399)) }
        #expect(throws: EncoderError.self) { try model.hiddenStates(inputValues: [Float](repeating: .nan, count: 400)) }
        #expect(try model.hiddenStates(inputValues: (0..<400).map { Float($0 % 7) }).shape == [3, 1, 32])
    }

    @Test func strictLoadingNamesTheKey() throws {
        let configuration = try Self.model("mert-tiny").configuration
        func load(_ tensors: [String: Tensor]) throws -> MertWeights {
            do { return try MertWeights(file: try TemporarySafetensors.write(tensors), configuration: configuration) } catch let error as WeightsError {
                throw error.withoutPath
            }
        }
        let original = try TinyEncoderFixture.tensors("mert-tiny")
        var tensors = original
        #expect(tensors.removeValue(forKey: "encoder.layers.1.feed_forward.output_dense.bias") != nil)
        #expect(throws: WeightsError.missingKey(name: "encoder.layers.1.feed_forward.output_dense.bias", path: "")) { try load(tensors) }
        tensors = original
        tensors["feature_extractor.conv_layers.2.conv.weight"] = Tensor.zeros([16, 16, 2])
        #expect(throws: WeightsError.shapeMismatch(name: "feature_extractor.conv_layers.2.conv.weight", expected: [16, 16, 3], found: [16, 16, 2], path: "")) {
            try load(tensors)
        }
        tensors = original
        tensors["feature_extractor.conv_layers.1.layer_norm.weight"] = Tensor.zeros([16])
        #expect(throws: WeightsError.unexpectedKeys(names: ["feature_extractor.conv_layers.1.layer_norm.weight"], path: "")) { try load(tensors) }
        // The pre-training mask vector is accepted and dropped.
        tensors = original
        tensors["masked_spec_embed"] = Tensor.zeros([32])
        _ = try load(tensors)
    }

    /// The released checkpoints store the weight norm as `weight_g` / `weight_v` (transformers 4); the
    /// fixture as `parametrizations.weight.original0/1` (transformers 5); a folded weight also loads. All
    /// three give the same kernel; two forms at once are refused.
    @Test func positionWeightNormLoadsInEveryForm() throws {
        let configuration = try Self.model("mert-tiny").configuration
        let original = try TinyEncoderFixture.tensors("mert-tiny")
        let (newMagnitude, newDirection) = MertWeights.positionWeightNames[1]
        let (oldMagnitude, oldDirection) = MertWeights.positionWeightNames[0]
        let magnitude = try #require(original[newMagnitude]), direction = try #require(original[newDirection])
        let reference = try MertWeights(file: try TemporarySafetensors.write(original), configuration: configuration)

        var renamed = original
        renamed[newMagnitude] = nil
        renamed[newDirection] = nil
        renamed[oldMagnitude] = magnitude
        renamed[oldDirection] = direction
        let old = try MertWeights(file: try TemporarySafetensors.write(renamed), configuration: configuration)
        #expect(old.positionWeight == reference.positionWeight)

        // Fold by hand: w[o, i, k] = g[k] v[o, i, k] / ‖v[:, :, k]‖.
        let kernel = configuration.positionKernel
        var norms = [Double](repeating: 0, count: kernel)
        for (index, value) in direction.storage.enumerated() { norms[index % kernel] += Double(value) * Double(value) }
        let folded = direction.storage.enumerated().map { index, value in
            Float(Double(value) * (Double(magnitude.storage[index % kernel]) / norms[index % kernel].squareRoot()))
        }
        var foldedTensors = original
        foldedTensors[newMagnitude] = nil
        foldedTensors[newDirection] = nil
        foldedTensors[MertWeights.foldedPositionWeightName] = Tensor(folded, shape: direction.shape)
        let plain = try MertWeights(file: try TemporarySafetensors.write(foldedTensors), configuration: configuration)
        #expect(plain.positionWeight == reference.positionWeight)

        var both = original
        both[oldMagnitude] = magnitude
        both[oldDirection] = direction
        #expect(throws: WeightsError.self) { try MertWeights(file: try TemporarySafetensors.write(both), configuration: configuration) }
    }

    @Test func configurationRefusesMertOptionsItDoesNotImplement() throws {
        for option in ["feature_extractor_cqt", "deepnorm", "conv_pos_batch_norm"] {
            let json = #"{"model_type": "mert_model", "\#(option)": true}"#
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(MertConfiguration.self, from: Data(json.utf8)) }
        }
        let released = #"{"model_type": "mert_model", "feature_extractor_cqt": false, "deepnorm": false, "attention_relax": 32.0, "do_stable_layer_norm": true, "hidden_size": 1024, "num_hidden_layers": 24, "num_attention_heads": 16, "intermediate_size": 4096}"#
        let configuration = try JSONDecoder().decode(MertConfiguration.self, from: Data(released.utf8))
        #expect(configuration == MertConfiguration.mert330M)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MertConfiguration.self, from: Data(#"{"model_type": "wav2vec2"}"#.utf8)) }
    }
}
