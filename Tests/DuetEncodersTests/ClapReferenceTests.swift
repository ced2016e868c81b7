@testable import DuetEncoders
import DuetTensor
import DuetTestSupport
import DuetWeights
import Foundation
import Testing

/// Parity of ``ClapModel`` with laion_clap 1.1.7's `CLAP` (non-fusion, HTS-AT + RoBERTa) on the tiny random
/// checkpoint `Scripts/reference/clap_reference.py` wrote (`Resources/clap-tiny`): the 16-bit round trip and
/// repeat-padding of waveforms shorter, equal to and longer than a clip, HTS-AT's clip embedding, the audio
/// projection and the normalised embedding; RoBERTa's tokens at 77, `pooler_output`, the text projection and
/// the normalised embedding, each within a tolerance derived from the float32 error of the computation; and
/// strict loading by laion_clap's key names.
@Suite struct ClapReferenceTests {
    static let name = "clap-tiny"

    static func folder() throws -> URL { try TinyEncoderFixture.folder(name) }
    static func model() throws -> ClapModel { try ClapModel(directory: try folder()) }

    /// `reference.json` and `reference.safetensors`.
    struct Reference: Decodable {
        let waveforms: [String]
        let texts: [String]
        let ids: [[Int32]]
        let audioLargestReductionMagnitude: Float
        let textLargestReductionMagnitude: Float

        enum CodingKeys: String, CodingKey {
            case waveforms, texts, ids
            case audioLargestReductionMagnitude = "audio_largest_reduction_magnitude"
            case textLargestReductionMagnitude = "text_largest_reduction_magnitude"
        }

        static func load() throws -> (Reference, SafetensorsFile) {
            let folder = try ClapReferenceTests.folder()
            let document = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: folder.appendingPathComponent("reference.json")))
            return (document, try SafetensorsFile(url: folder.appendingPathComponent("reference.safetensors")))
        }
    }

    /// The rows of a `[batch, width]` reference tensor.
    static func rows(_ file: SafetensorsFile, _ name: String) throws -> [[Float]] {
        let shape = try #require(file.shape(of: name)), values = try file.tensor(named: name).storage
        return (0..<shape[0]).map { Array(values[($0 * shape[1])..<(($0 + 1) * shape[1])]) }
    }

    /// The normalised rows' bound from the projected rows' bound `projected` (per element): for `x̂ = x / ‖x‖`,
    /// `‖x̂ − ŷ‖ ≤ 2 ‖x − y‖ / ‖x‖ ≤ 2 √n a / ‖x‖`, plus the division's and the norm's own roundings.
    static func normalisedTolerance(projected: Tolerance, expectedProjected: [[Float]]) -> Tolerance {
        let width = expectedProjected.first?.count ?? 1
        let smallestNorm = expectedProjected.map { $0.reduce(0) { $0 + $1 * $1 }.squareRoot() }.min() ?? 1
        return Tolerance(absolute: 2 * Float(width).squareRoot() * projected.absolute / smallestNorm + 4 * Tolerance.gamma(width))
    }

    /// One branch's tower output (`<branch>.<tower>`), projection (`.projected`, two more reductions) and
    /// normalised embedding (`.embedding`) against the reference; returns the comparisons, for the log.
    static func compare(
        _ output: ClapModel.Embeddings, _ file: SafetensorsFile, branch: String, tower: String, towerStages: Int, tolerance: (Int) -> Tolerance
    ) throws -> String {
        let towerComparison = expectClose(
            output.towerOutput.storage, try file.tensor(named: "\(branch).\(tower)").storage, tolerance(towerStages), "\(branch) \(tower)")
        let projectedTolerance = tolerance(towerStages + 2)
        let expectedProjected = try rows(file, "\(branch).projected")
        let projected = expectClose(output.projected.storage, expectedProjected.flatMap { $0 }, projectedTolerance, "\(branch) projection")
        let embedding = expectClose(
            output.embedding.storage, try file.tensor(named: "\(branch).embedding").storage,
            normalisedTolerance(projected: projectedTolerance, expectedProjected: expectedProjected), "\(branch) embedding")
        return "\(tower) \(towerComparison); projected \(projected); embedding \(embedding)"
    }

    @Test func configurationReadsLaionCLAPsFiles() throws {
        let configuration = try Self.model().configuration
        #expect(configuration.audioWidth == 32 && configuration.jointWidth == 16 && configuration.projectionActivation == .relu)
        #expect(configuration.contextLength == 77 && configuration.textLength == 77)
        #expect(configuration.audio.clipSamples == 4000 && configuration.text.hiddenSize == 32)
        // laion_clap's own HTSAT-tiny.json: no CLAP-level keys beyond embed_dim, so the defaults apply.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-clap-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tiny = #"{"embed_dim": 768, "audio_cfg": {"audio_length": 1024, "clip_samples": 480000, "mel_bins": 64, "sample_rate": 48000, "window_size": 1024, "hop_size": 480, "fmin": 50, "fmax": 14000, "class_num": 527, "model_type": "HTSAT", "model_name": "tiny"}, "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 512, "heads": 8, "layers": 12}}"#
        try Data(tiny.utf8).write(to: folder.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(
            at: try Self.folder().appendingPathComponent("text_config.json"), to: folder.appendingPathComponent("text_config.json"))
        let released = try ClapConfiguration(directory: folder)
        #expect(released.jointWidth == 512 && released.audioWidth == 768 && released.audio == HTSATConfiguration())
        try Data(tiny.replacingOccurrences(of: "\"embed_dim\": 768", with: "\"embed_dim\": 512").utf8).write(to: folder.appendingPathComponent("config.json"))
        #expect(throws: EncoderError.self) { try ClapConfiguration(directory: folder) }
        try Data(tiny.replacingOccurrences(of: "\"embed_dim\": 768", with: "\"embed_dim\": 768, \"mlp_act\": \"tanh\"").utf8)
            .write(to: folder.appendingPathComponent("config.json"))
        #expect(throws: EncoderError.self) { try ClapConfiguration(directory: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("text_config.json"))
        #expect(throws: EncoderError.self) { try ClapConfiguration(directory: folder) }
    }

    /// The 16-bit round trip and `repeatpad` are exact in both: the same float32 products, truncations and
    /// correctly rounded quotients, then copies.
    @Test func clipsMatchLaionCLAPsQuantisationAndRepeatPadding() throws {
        let (reference, file) = try Reference.load()
        let model = try Self.model()
        let expected = try Self.rows(file, "audio.clip")
        for (index, name) in reference.waveforms.enumerated() {
            let waveform = try file.tensor(named: "audio.waveform.\(index)").storage
            let clip = try ClapModel.preparedClip(ClapModel.quantized(waveform), clipSamples: model.configuration.audio.clipSamples)
            #expect(clip == expected[index], "clip of the \(name) waveform (\(waveform.count) samples)")
        }
        #expect(ClapModel.quantized([2, -3, 0.5, -0.5, 1e-6]) == [1, -1, Float(16383.0 / 32767), -Float(16383.0 / 32767), 0])
        #expect(throws: EncoderError.self) { try ClapModel.preparedClip([], clipSamples: 10) }
    }

    @Test func audioEmbeddingsMatchLaionCLAP() throws {
        let (reference, file) = try Reference.load()
        let model = try Self.model()
        let waveforms = try reference.waveforms.indices.map { try file.tensor(named: "audio.waveform.\($0)").storage }
        let output = try model.audioEmbeddings(waveforms: waveforms)
        let audio = model.configuration.audio
        // HTS-AT from the waveform as HTSATReferenceTests.waveformToEmbeddingMatchesLaionCLAP counts it, then the
        // projection's two products.
        let towerStages = HTSATReferenceTests.stages(throughStage: audio.stageCount - 1, configuration: audio) + 4
        let terms = max(HTSATReferenceTests.terms(audio), audio.fftSize, model.configuration.jointWidth, model.configuration.audioWidth)
        func tolerance(_ stages: Int) -> Tolerance {
            Tolerance.reordered(terms: terms, magnitude: reference.audioLargestReductionMagnitude, layers: stages)
        }
        let report = try Self.compare(output, file, branch: "audio", tower: "tower", towerStages: towerStages, tolerance: tolerance)
        #expect(output.embedding.shape == [4, 16] && output.towerOutput.shape == [4, 32])
        print("CLAP audio vs laion_clap: \(report)")
    }

    @Test func tokenizerMatchesRobertaTokenizerAtLaionCLAPsContextLength() throws {
        let (reference, _) = try Reference.load()
        let model = try Self.model()
        for (text, ids) in zip(reference.texts, reference.ids) {
            #expect(model.tokenizer.encode(text).ids == ids, "\(text)")
        }
        #expect(reference.ids.map(\.count).max() == 77, "one text is cut at 77 tokens")
    }

    @Test func textEmbeddingsMatchLaionCLAP() throws {
        let (reference, file) = try Reference.load()
        let model = try Self.model()
        let output = try model.textEmbeddings(reference.texts)
        let text = model.configuration.text
        // RoBERTa's stages (RobertaReferenceTests), the pooler, then the projection's two products.
        let towerStages = RobertaReferenceTests.stages(throughLayer: text.layerCount) + 1
        let terms = max(text.intermediateSize, text.hiddenSize, text.maximumPositions, model.configuration.jointWidth)
        func tolerance(_ stages: Int) -> Tolerance {
            Tolerance.reordered(terms: terms, magnitude: reference.textLargestReductionMagnitude, layers: stages)
        }
        let report = try Self.compare(output, file, branch: "text", tower: "pooled", towerStages: towerStages, tolerance: tolerance)
        #expect(output.embedding.shape == [5, 16])
        print("CLAP text vs laion_clap: \(report)")
    }

    // MARK: Loading

    func load(_ tensors: [String: Tensor]) throws {
        let configuration = try Self.model().configuration
        do {
            _ = try ClapWeights(file: try TemporarySafetensors.write(tensors), configuration: configuration)
        } catch let error as WeightsError {
            throw error.withoutPath
        }
    }

    @Test func strictLoadingNamesMissingMisShapedAndUnexpectedKeys() throws {
        for name in ["text_projection.2.bias", "audio_branch.layers.1.blocks.0.attn.qkv.weight", "text_branch.encoder.layer.1.output.dense.bias", "logit_scale_t", "audio_transform.sequential.3.weight"] {
            var tensors = try TinyEncoderFixture.tensors(Self.name)
            #expect(tensors.removeValue(forKey: name) != nil)
            #expect(throws: WeightsError.missingKey(name: name, path: "")) { try load(tensors) }
        }
        var tensors = try TinyEncoderFixture.tensors(Self.name)
        tensors["text_branch.pooler.dense.weight"] = nil
        tensors["text_branch.pooler.dense.bias"] = nil
        #expect(throws: WeightsError.missingKey(name: "text_branch.pooler.dense.weight", path: ""), "CLAP projects pooler_output") { try load(tensors) }
        tensors = try TinyEncoderFixture.tensors(Self.name)
        tensors["audio_projection.0.weight"] = Tensor.zeros([16, 768])
        #expect(throws: WeightsError.shapeMismatch(name: "audio_projection.0.weight", expected: [16, 32], found: [16, 768], path: "")) { try load(tensors) }
        tensors = try TinyEncoderFixture.tensors(Self.name)
        tensors["text_projection.4.weight"] = Tensor.zeros([16, 16])
        tensors["visual.proj"] = Tensor.zeros([2])
        #expect(throws: WeightsError.unexpectedKeys(names: ["text_projection.4.weight", "visual.proj"], path: "")) { try load(tensors) }
        tensors = try TinyEncoderFixture.tensors(Self.name)
        tensors["text_branch.lm_head.bias"] = Tensor.zeros([3])
        #expect(throws: WeightsError.unexpectedKeys(names: ["text_branch.lm_head.bias"], path: "")) { try load(tensors) }
    }

    /// A checkpoint saved from DistributedDataParallel (`module.` before every name) loads the same weights.
    @Test func distributedCheckpointPrefixLoads() throws {
        let reference = try Self.model()
        var tensors: [String: Tensor] = [:]
        for (name, tensor) in try TinyEncoderFixture.tensors(Self.name) { tensors["module." + name] = tensor }
        let file = try TemporarySafetensors.write(tensors)
        #expect(ClapWeights.checkpointPrefix(in: file) == "module.")
        let loaded = try ClapWeights(file: file, configuration: reference.configuration)
        #expect(loaded.textProjection.secondWeight == reference.weights.textProjection.secondWeight)
        #expect(loaded.audio.finalNormScale == reference.weights.audio.finalNormScale)
        #expect(loaded.text.pooler?.weight == reference.weights.text.pooler?.weight)
        #expect(abs(loaded.audioLogitScale - Float(log(1 / 0.07))) < 1e-6)
    }

    /// The user's path: a laion_clap `.pt` (`{"epoch", "state_dict": {"module.…"}}`) through the converter with
    /// `--key state_dict --strip-prefix module.`, then the folder completed with `text_config.json`, loads the
    /// same weights and gives the same embeddings as the fixture's safetensors.
    @Test func convertedTorchCheckpointLoads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-clap-converted-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fixture = try Self.folder()
        let summary = try CheckpointConversion.convert(
            source: fixture.appendingPathComponent("checkpoint.pt"), outputFolder: folder, key: "state_dict", stripPrefixes: ["module."])
        #expect(summary.strippedCount == summary.tensorCount)
        #expect(Set(summary.copiedFiles).isSuperset(of: ["config.json", "vocab.json", "merges.txt"]))
        try FileManager.default.copyItem(
            at: fixture.appendingPathComponent(ClapConfiguration.textConfigurationFileName),
            to: folder.appendingPathComponent(ClapConfiguration.textConfigurationFileName))
        let converted = try ClapModel(directory: folder), reference = try Self.model()
        #expect(converted.weights.audioProjection.firstWeight == reference.weights.audioProjection.firstWeight)
        #expect(converted.weights.text.layers[1].outputWeight == reference.weights.text.layers[1].outputWeight)
        let texts = ["a calm piano piece", "loud drums"]
        #expect(try converted.textEmbeddings(texts).embedding.storage == reference.textEmbeddings(texts).embedding.storage)
    }

    @Test func folderWithoutItsFilesIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-clap-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try ClapModel(directory: folder)
            Issue.record("an empty folder must not load")
        } catch let error as EncoderError {
            #expect(error.localizedDescription.contains("config.json") && error.localizedDescription.contains("merges.txt"))
        }
    }
}
