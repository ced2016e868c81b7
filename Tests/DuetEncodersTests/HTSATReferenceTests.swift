@testable import DuetEncoders
import DuetAudio
import DuetTensor
import DuetTestSupport
import DuetWeights
import Foundation
import Testing

/// Parity of ``HTSATModel`` with laion_clap 1.1.7's `HTSAT_Swin_Transformer` on the tiny random
/// checkpoint `Scripts/reference/htsat_reference.py` wrote (`Resources/htsat-tiny`): the torchlibrosa
/// log-mel (at the fixture's and at CLAP's own settings), the image after `bn0`, stretch and fold, the
/// patch embedding, every stage's output, the final tokens, `embedding`, `fine_grained_embedding`,
/// `framewise_output` and `clipwise_output`, each within a tolerance derived from the float32 error of
/// the computation; and strict loading by laion_clap's key names.
@Suite struct HTSATReferenceTests {
    static let name = "htsat-tiny"

    static func folder() throws -> URL { try TinyEncoderFixture.folder(name) }

    static func model() throws -> HTSATModel {
        let folder = try folder()
        return try HTSATModel(
            configurationFile: folder.appendingPathComponent("config.json"), weightsFile: folder.appendingPathComponent("model.safetensors"))
    }

    /// The reference's tensors (`reference.safetensors`) and its largest reduction magnitude (`reference.json`).
    struct Reference {
        let file: SafetensorsFile
        let largestReductionMagnitude: Float

        init() throws {
            let folder = try HTSATReferenceTests.folder()
            file = try SafetensorsFile(url: folder.appendingPathComponent("reference.safetensors"))
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("reference.json"))) as? [String: Any]
            largestReductionMagnitude = try #require((document?["largest_reduction_magnitude"] as? NSNumber)?.floatValue)
        }

        func values(_ name: String) throws -> [Float] { try file.tensor(named: name).storage }
        func shape(_ name: String) throws -> [Int] { try #require(file.shape(of: name)) }

        /// The rows of a `[batch, samples]` tensor.
        func rows(_ name: String) throws -> [[Float]] {
            let shape = try shape(name), values = try values(name)
            return (0..<shape[0]).map { Array(values[($0 * shape[1])..<(($0 + 1) * shape[1])]) }
        }
    }

    /// Successive float32 reductions up to each compared tensor (the first-order model of
    /// `TinyEncoderFixture.tolerance`: each adds its error once, carried unamplified): the patch
    /// embedding's product and norm (2); per Swin block the two norms, the query-key-value product, the
    /// logits, the context, the output projection and the two MLP products (8); per merge a norm and a
    /// product (2); the final norm (1); then the mean over tokens or frequency, or the head's convolution (1).
    static func stages(throughStage stage: Int, configuration: HTSATConfiguration) -> Int {
        2 + (0...stage).reduce(0) { $0 + 8 * configuration.depths[$1] + ($1 < configuration.stageCount - 1 ? 2 : 0) }
    }

    /// The longest reduction of the body: the widest MLP product, a merge's `4C` inputs, or the head's
    /// `features · bins · 3` taps.
    static func terms(_ configuration: HTSATConfiguration) -> Int {
        max(configuration.mlpWidth(ofStage: configuration.stageCount - 1), 4 * configuration.width(ofStage: max(0, configuration.stageCount - 2)),
            3 * configuration.featureCount * configuration.finalFrequencyBins, configuration.patchSize * configuration.patchSize)
    }

    static func bodyTolerance(_ reference: Reference, stages: Int, configuration: HTSATConfiguration) -> Tolerance {
        Tolerance.reordered(terms: terms(configuration), magnitude: reference.largestReductionMagnitude, layers: stages)
    }

    /// The log-mel's error in decibels from the float32 error of the two STFTs (torchlibrosa's DFT as a
    /// convolution, Duet's kissfft) and of the mel sums. Per frame, each DFT sum is within
    /// `γ̃(N) S` of the exact one, `S = Σ|x_n w_n|`; two evaluations and two parts (real, imaginary)
    /// give `ε = 4 γ̃(N)` on `|X_k|`, so `|X_k|²` moves by `2 |X_k| ε S + ε² S²`, and band `m` (weights
    /// `W_mk`, total `w_m`) by `2 ε S √(w_m P_m) + ε² S² w_m` (Cauchy-Schwarz) plus `2 γ(bins) P_m` for its
    /// own sum. In decibels that is `10 / ln 10 · δP / P`, plus the log's rounding. The tolerance is the
    /// largest of these bounds over the compared values.
    static func logMelTolerance(waveform: [Float], expected: [Float], configuration: HTSATConfiguration) -> Tolerance {
        let size = configuration.fftSize, hop = configuration.hopLength, half = size / 2, bands = configuration.melBinCount
        let bank = MelFilterBank(
            sampleRate: configuration.sampleRate, fftSize: size, bandCount: bands,
            minimumFrequency: configuration.minimumFrequency, maximumFrequency: configuration.maximumFrequency)
        let bandWeights = (0..<bands).map { band in bank.weights[(band * bank.binCount)..<((band + 1) * bank.binCount)].reduce(0, +) }
        let window = (0..<size).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(size))) }
        func sample(_ index: Int) -> Float {
            // numpy/torch reflect padding (the waveform is longer than half a window).
            let reflected = index < 0 ? -index : (index >= waveform.count ? 2 * (waveform.count - 1) - index : index)
            return waveform[reflected]
        }
        let epsilon = 4 * Tolerance.probabilisticGamma(size)
        var largest: Float = 0
        for frame in 0..<(expected.count / bands) {
            var sum: Float = 0
            for offset in 0..<size { sum += abs(sample(frame * hop + offset - half) * window[offset]) }
            for band in 0..<bands {
                let decibels = expected[frame * bands + band]
                let power = max(Float(pow(10, Double(decibels) / 10)), 1e-10)
                let change = 2 * epsilon * sum * (bandWeights[band] * power).squareRoot() + epsilon * epsilon * sum * sum * bandWeights[band]
                    + 2 * Tolerance.gamma(bank.binCount) * power
                largest = max(largest, 10 / Float(M_LN10) * change / power + 8 * Tolerance.float32Roundoff * abs(decibels))
            }
        }
        return Tolerance(absolute: largest)
    }

    @Test func logMelMatchesTorchlibrosaAtTheFixtureAndAtCLAPSettings() throws {
        let reference = try Reference()
        let model = try Self.model()
        let expected = try reference.values("logmel")
        let waveforms = try reference.rows("waveform")
        let actual = waveforms.flatMap { model.logMel(of: $0).values }
        let perWaveform = expected.count / waveforms.count
        for (index, waveform) in waveforms.enumerated() {
            let slice = Array(expected[(index * perWaveform)..<((index + 1) * perWaveform)])
            let tolerance = Self.logMelTolerance(waveform: waveform, expected: slice, configuration: model.configuration)
            let comparison = expectClose(Array(actual[(index * perWaveform)..<((index + 1) * perWaveform)]), slice, tolerance, "log-mel of waveform \(index)")
            print("HTS-AT log-mel (8 kHz fixture) waveform \(index): \(comparison)")
        }
        // CLAP's own front end: 48 kHz, n_fft 1024, hop 480, 64 bins from 50 Hz to 14 kHz.
        let clap = HTSATConfiguration()
        let clapExpected = try reference.values("clap.logmel")
        let clapWaveforms = try reference.rows("clap.waveform")
        let clapFrames = clapExpected.count / clapWaveforms.count
        for (index, waveform) in clapWaveforms.enumerated() {
            let actual = LogMelSpectrogram(samples: waveform, configuration: clap.logMelConfiguration).values
            let slice = Array(clapExpected[(index * clapFrames)..<((index + 1) * clapFrames)])
            let comparison = expectClose(actual, slice, Self.logMelTolerance(waveform: waveform, expected: slice, configuration: clap), "CLAP log-mel \(index)")
            print("HTS-AT log-mel (CLAP 48 kHz) waveform \(index): \(comparison)")
        }
    }

    /// From the reference's own log-mel, so only `bn0`, the bicubic stretch and the fold are compared:
    /// each pixel is `Σ_i w_i (x_i α + β)` over four taps, a handful of roundings of terms no larger than
    /// `max|x α| + |β|` times the weights' total (at most 1.25 for Keys' kernel with A = −0.75).
    @Test func imageMatchesReshapeWav2img() throws {
        let reference = try Reference()
        let model = try Self.model()
        let logMel = try reference.values("logmel"), shape = try reference.shape("logmel")
        let expected = try reference.values("image")
        var actual: [Float] = []
        let block = shape[1] * shape[2]
        for item in 0..<shape[0] {
            let spectrogram = LogMelSpectrogram(frameCount: shape[1], bandCount: shape[2], values: Array(logMel[(item * block)..<((item + 1) * block)]))
            actual += model.image(spectrogram)
        }
        let largestInput = Tolerance.largestMagnitude(logMel)
        let magnitude = zip(model.image.scale, model.image.shift).reduce(Float(0)) { max($0, largestInput * abs($1.0) + abs($1.1)) }
        let comparison = expectClose(actual, expected, Tolerance(absolute: 16 * Tolerance.float32Roundoff * 1.25 * magnitude), "image")
        print("HTS-AT image from the reference log-mel: \(comparison)")
    }

    /// The Swin body and heads from the reference's image: every stage's output and the final outputs.
    @Test func everyStageMatchesLaionCLAP() throws {
        let reference = try Reference()
        let model = try Self.model()
        let configuration = model.configuration
        let batch = try reference.shape("image")[0]
        let output = model.body(images: try reference.values("image"), batch: batch)
        var report: [String] = []
        func check(_ actual: Tensor, _ name: String, stages: Int) throws {
            #expect(actual.shape == (try reference.shape(name)), "\(name) shape")
            let comparison = expectClose(
                actual.storage, try reference.values(name), Self.bodyTolerance(reference, stages: stages, configuration: configuration), name)
            report.append("\(name) \(comparison.largestDifference) (atol \(comparison.tolerance.absolute))")
        }
        try check(output.patchEmbedding, "patch_embedding", stages: 2)
        for stage in 0..<configuration.stageCount {
            try check(output.stageOutputs[stage], "stage.\(stage)", stages: Self.stages(throughStage: stage, configuration: configuration))
        }
        let final = Self.stages(throughStage: configuration.stageCount - 1, configuration: configuration) + 1
        try check(output.tokenStates, "tokens", stages: final)
        try check(output.embedding, "embedding", stages: final + 1)
        try check(output.frameStates, "fine_grained_embedding", stages: final + 1)
        // The sigmoid's slope is at most 1/4, so the logits' bound carries over.
        try check(output.frameProbabilities, "framewise_output", stages: final + 1)
        try check(output.clipProbabilities, "clipwise_output", stages: final + 2)
        print("HTS-AT vs laion_clap, largest difference per output: " + report.joined(separator: "; "))
    }

    /// From the waveforms through Duet's own front end: the STFT and the mel sums count as two more
    /// reductions of the same first-order model.
    @Test func waveformToEmbeddingMatchesLaionCLAP() throws {
        let reference = try Reference()
        let model = try Self.model()
        let configuration = model.configuration
        let output = try model(try reference.rows("waveform"))
        let final = Self.stages(throughStage: configuration.stageCount - 1, configuration: configuration) + 2
        let tolerance = Tolerance.reordered(
            terms: max(Self.terms(configuration), configuration.fftSize), magnitude: reference.largestReductionMagnitude, layers: final + 2)
        let embedding = expectClose(output.embedding.storage, try reference.values("embedding"), tolerance, "embedding from the waveform")
        expectClose(output.clipProbabilities.storage, try reference.values("clipwise_output"), tolerance, "clipwise_output from the waveform")
        expectClose(output.frameStates.storage, try reference.values("fine_grained_embedding"), tolerance, "fine_grained_embedding from the waveform")
        print("HTS-AT end to end: embedding \(embedding)")
        #expect(output.logMel.shape == [2, 63, 32] && output.image.shape == [2, 128, 128] && output.tokenStates.shape == [2, 64, 32])
        #expect(output.frameStates.shape == [2, 32, 32] && output.frameProbabilities.shape == [2, 32, 5])
    }

    // MARK: Loading

    func load(_ tensors: [String: Tensor], prefix: String = "", ignoringOtherBranches: Bool = false) throws {
        let configuration = try Self.model().configuration
        do {
            _ = try HTSATWeights(
                file: try TemporarySafetensors.write(tensors), configuration: configuration, prefix: prefix,
                ignoringOtherBranches: ignoringOtherBranches)
        } catch let error as WeightsError {
            throw error.withoutPath
        } catch let error as EncoderError {
            throw error.withoutPath
        }
    }

    @Test func strictLoadingNamesMissingMisShapedAndUnexpectedKeys() throws {
        var tensors = try TinyEncoderFixture.tensors(Self.name)
        #expect(tensors.removeValue(forKey: "layers.1.blocks.1.attn.qkv.bias") != nil)
        #expect(throws: WeightsError.missingKey(name: "layers.1.blocks.1.attn.qkv.bias", path: "")) { try load(tensors) }
        tensors = try TinyEncoderFixture.tensors(Self.name)
        tensors["layers.0.downsample.reduction.weight"] = Tensor.zeros([16, 16])
        #expect(throws: WeightsError.shapeMismatch(name: "layers.0.downsample.reduction.weight", expected: [16, 32], found: [16, 16], path: "")) {
            try load(tensors)
        }
        tensors = try TinyEncoderFixture.tensors(Self.name)
        tensors["absolute_pos_embed"] = Tensor.zeros([1, 1024, 8])
        #expect(throws: WeightsError.unexpectedKeys(names: ["absolute_pos_embed"], path: "")) { try load(tensors) }
    }

    @Test func buffersAreCheckedAgainstTheComputedLayout() throws {
        var tensors = try TinyEncoderFixture.tensors(Self.name)
        var mask = try #require(tensors["layers.0.blocks.1.attn_mask"]).storage
        mask[17] = mask[17] == 0 ? -100 : 0
        tensors["layers.0.blocks.1.attn_mask"] = Tensor(mask, shape: [64, 16, 16])
        #expect(throws: EncoderError.self) { try load(tensors) }
        tensors = try TinyEncoderFixture.tensors(Self.name)
        var index = try #require(tensors["layers.2.blocks.0.attn.relative_position_index"]).storage
        index.swapAt(1, 16)
        tensors["layers.2.blocks.0.attn.relative_position_index"] = Tensor(index, shape: [16, 16])
        #expect(throws: EncoderError.self) { try load(tensors) }
        tensors = try TinyEncoderFixture.tensors(Self.name)
        var mel = try #require(tensors["logmel_extractor.melW"]).storage
        let largestWeight = try #require(mel.indices.max { mel[$0] < mel[$1] })
        mel[largestWeight] *= 1.001
        tensors["logmel_extractor.melW"] = Tensor(mel, shape: [65, 32])
        #expect(throws: EncoderError.self) { try load(tensors) }
    }

    /// A whole CLAP checkpoint: the tower under `audio_branch.`, the text branch and projections beside it.
    @Test func clapCheckpointLoadsTheAudioBranchByPrefix() throws {
        var tensors: [String: Tensor] = [:]
        for (name, tensor) in try TinyEncoderFixture.tensors(Self.name) { tensors["audio_branch." + name] = tensor }
        tensors["text_branch.embeddings.word_embeddings.weight"] = Tensor.zeros([3, 4])
        tensors["audio_projection.0.weight"] = Tensor.zeros([4, 32])
        tensors["logit_scale_a"] = Tensor.zeros([1])
        let file = try TemporarySafetensors.write(tensors)
        #expect(HTSATWeights.checkpointPrefix(in: file) == "audio_branch.")
        let reference = try Self.model()
        let loaded = try HTSATWeights(file: file, configuration: reference.configuration, prefix: "audio_branch.", ignoringOtherBranches: true)
        #expect(loaded.stages[2].blocks[1].layer.outputWeight == reference.weights.stages[2].blocks[1].layer.outputWeight)
        #expect(throws: WeightsError.self) { try HTSATWeights(file: file, configuration: reference.configuration, prefix: "audio_branch.") }
        tensors["audio_branch.fusion_model.local_att.0.weight"] = Tensor.zeros([1])
        #expect(throws: EncoderError.self) {
            try load(tensors, prefix: "audio_branch.", ignoringOtherBranches: true)
        }
    }

    // MARK: Configuration

    @Test func laionCLAPModelConfigurationsDecodeToTheirBodies() throws {
        let tiny = #"{"embed_dim": 768, "audio_cfg": {"audio_length": 1024, "clip_samples": 480000, "mel_bins": 64, "sample_rate": 48000, "window_size": 1024, "hop_size": 480, "fmin": 50, "fmax": 14000, "class_num": 527, "model_type": "HTSAT", "model_name": "tiny"}, "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 512, "heads": 8, "layers": 12}}"#
        let configuration = try JSONDecoder().decode(HTSATConfiguration.self, from: Data(tiny.utf8))
        #expect(configuration == HTSATConfiguration())
        try configuration.validate(path: "HTSAT-tiny.json")
        #expect(configuration.featureCount == 768 && configuration.frequencyRatio == 4 && configuration.targetFrameCount == 1024)
        #expect(configuration.finalResolution == 8 && configuration.finalFrequencyBins == 2 && configuration.finalTimeSteps == 32)
        #expect((0..<4).map { configuration.windowSize(ofStage: $0) } == [8, 8, 8, 8])
        #expect((0..<4).map { configuration.shift(ofStage: $0, block: 1) } == [4, 4, 4, 0], "the last stage's 8 × 8 grid is one window: no shift")
        let base = try JSONDecoder().decode(HTSATConfiguration.self, from: Data(tiny.replacingOccurrences(of: "\"tiny\"", with: "\"base\"").utf8))
        #expect(base.embeddingSize == 128 && base.depths == [2, 2, 12, 2] && base.featureCount == 1024)
        let misspelt = tiny.replacingOccurrences(of: "\"fmax\"", with: "\"f_max\"")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(HTSATConfiguration.self, from: Data(misspelt.utf8)) }
        let pann = tiny.replacingOccurrences(of: "\"HTSAT\"", with: "\"PANN\"")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(HTSATConfiguration.self, from: Data(pann.utf8)) }
    }

    @Test func rejectsWaveformsTheImageCannotHold() throws {
        let model = try Self.model()
        #expect(throws: EncoderError.self) { try model([[Float](repeating: 0.1, count: 40)]) }
        #expect(throws: EncoderError.self) { try model([[Float](repeating: 0.1, count: 64 * 512)]) }
        #expect(throws: EncoderError.self) { try model([[Float](repeating: 0.1, count: 4000), [Float](repeating: 0.1, count: 3000)]) }
    }
}

extension EncoderError {
    /// The same error with an empty path, for comparing errors from temporary files.
    var withoutPath: EncoderError {
        switch self {
        case let .unreadableConfiguration(model, _, reason): .unreadableConfiguration(model: model, path: "", reason: reason)
        case let .unsupportedConfiguration(model, _, reason): .unsupportedConfiguration(model: model, path: "", reason: reason)
        case let .unexpectedBuffer(name, _, reason): .unexpectedBuffer(name: name, path: "", reason: reason)
        case .invalidInput: self
        }
    }
}
