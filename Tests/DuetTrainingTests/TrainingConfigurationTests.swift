import DuetModel
import DuetTraining
import Foundation
import Testing

@Suite("Training configuration")
struct TrainingConfigurationTests {
    func write(_ json: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("duet-config-\(UUID().uuidString).json")
        try json.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func defaultsAreThePapersValues() {
        let configuration = TrainingConfiguration()
        #expect(configuration.temperature == 0.03)
        #expect(configuration.peakLearningRate == 1e-3)
        #expect(configuration.weightDecay == 0.05)
        #expect(configuration.warmupEpochs == 5)
        #expect(configuration.viewCount == 10)
        #expect(configuration.textSwapMaximumProbability == 0.15)
        #expect(configuration.textSwapRampEpochs == 20)
    }

    @Test func partialFilesOverrideOnlyTheirKeys() throws {
        let url = try write(#"{"batchSize": 64, "seed": 7, "gradientClipNorm": null}"#)
        let configuration = try TrainingConfiguration.load(from: url)
        #expect(configuration.batchSize == 64)
        #expect(configuration.seed == 7)
        #expect(configuration.gradientClipNorm == nil)
        #expect(configuration.temperature == 0.03)
    }

    @Test func audioEncoderSelectsTheFromScratchModel() throws {
        let configuration = try TrainingConfiguration.load(from: try write(#"{"audioEncoder": "scratch", "convolutionChannels": [8, 16]}"#))
        let model = configuration.modelConfiguration()
        #expect(model.audioEncoderKind == .scratch && model.audioEncoder == .logMel && model.convolutionChannels == [8, 16])
        #expect(TrainingConfiguration().modelConfiguration().audioEncoderKind == .musicnn)
        let tooDeep = try write(#"{"audioEncoder": "scratch", "convolutionChannels": [1, 1, 1, 1, 1, 1, 1]}"#)
        #expect { try TrainingConfiguration.load(from: tooDeep) } throws: { error in
            (error as? LocalizedError)?.errorDescription?.contains("convolutionChannels") == true
        }
        let unknown = try write(#"{"audioEncoder": "clap"}"#)
        #expect { try TrainingConfiguration.load(from: unknown) } throws: { error in
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            return message.contains("audioEncoder") && message.contains("musicnn, scratch, mert, htsat")
        }
    }

    /// MERT and HTS-AT: `audioEncoder` names the kind, `audioEncoderWeights` the folder (required by those two,
    /// refused by musicnn and from scratch); the model records both and the fingerprint's identity.
    @Test func audioEncoderWeightsNameTheFolderOfMertAndHTSAT() throws {
        for kind in ["mert", "htsat"] {
            let configuration = try TrainingConfiguration.load(
                from: try write(#"{"audioEncoder": "\#(kind)", "audioEncoderWeights": "models/\#(kind)"}"#))
            #expect(configuration.audioEncoder.rawValue == kind && configuration.audioEncoderWeights == "models/\(kind)")
            let model = configuration.modelConfiguration()
            #expect(model.audioEncoderKind.rawValue == kind && model.audioEncoderWeights == "models/\(kind)")
            let missing = try write(#"{"audioEncoder": "\#(kind)"}"#)
            #expect { try TrainingConfiguration.load(from: missing) } throws: { error in
                let message = (error as? LocalizedError)?.errorDescription ?? ""
                return message.contains("audioEncoderWeights") && message.contains(kind)
            }
        }
        let misplaced = try write(#"{"audioEncoder": "scratch", "audioEncoderWeights": "models/mert"}"#)
        #expect { try TrainingConfiguration.load(from: misplaced) } throws: { error in
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            return message.contains("audioEncoderWeights") && message.contains("'scratch'")
        }
        var pinned = TrainingConfiguration()
        pinned.audioEncoder = .mert
        pinned.audioEncoderWeights = "/weights/MERT-v1-330M"
        pinned.audioEncoderWeightsFingerprint = "00112233aabbccdd"
        let decoded = try JSONDecoder().decode(TrainingConfiguration.self, from: JSONEncoder().encode(pinned))
        #expect(decoded == pinned && decoded.modelConfiguration().audioEncoder.version == "00112233aabbccdd")
        let plain = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainingConfiguration())) as? [String: Any])
        #expect(plain["audioEncoderWeights"] == nil && plain["audioEncoderWeightsFingerprint"] == nil)
    }

    @Test func textEncoderSelectsTheTowerAndCheckpointsRecordIt() throws {
        let configuration = try TrainingConfiguration.load(from: try write(#"{"textEncoder": "e5-small"}"#))
        #expect(configuration.textEncoder == .e5Small)
        let model = configuration.modelConfiguration()
        #expect(model.textEncoderKind == .e5Small && model.textEncoder == .e5Small)
        #expect(TrainingConfiguration().modelConfiguration().textEncoderKind == .miniLM)
        // A checkpoint's configuration round-trips the choice.
        let decoded = try JSONDecoder().decode(ModelConfiguration.self, from: JSONEncoder().encode(model))
        #expect(decoded.textEncoderKind == .e5Small)
        // Checkpoints written before the key existed load as MiniLM.
        var object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(ModelConfiguration())) as? [String: Any])
        object.removeValue(forKey: "textEncoderKind")
        let old = try JSONDecoder().decode(ModelConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.textEncoderKind == .miniLM && old.textEncoder == .miniLM)
        let unknown = try write(#"{"textEncoder": "gpt-2"}"#)
        #expect { try TrainingConfiguration.load(from: unknown) } throws: { error in
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            return message.contains("textEncoder") && message.contains("minilm, e5-small, clip-text, roberta, t5, mt5")
        }
    }

    /// The paper's towers: `textEncoder` names the kind, `textEncoderWeights` the folder (required by those
    /// kinds, refused by MiniLM and e5), and the fingerprint Duet records round-trips with the identity.
    @Test func folderTextEncodersNeedTheirWeightsFolder() throws {
        for kind in ["clip-text", "roberta", "t5", "mt5"] {
            let configuration = try TrainingConfiguration.load(
                from: try write(#"{"textEncoder": "\#(kind)", "textEncoderWeights": "models/\#(kind)"}"#))
            #expect(configuration.textEncoder.rawValue == kind && configuration.textEncoder.readsWeightsFolder)
            #expect(configuration.textEncoderWeights == "models/\(kind)" && configuration.textEncoderWeightsFingerprint == nil)
            let model = configuration.modelConfiguration()
            #expect(model.textEncoderKind.rawValue == kind && model.textEncoderWeights == "models/\(kind)")
            let missing = try write(#"{"textEncoder": "\#(kind)"}"#)
            #expect { try TrainingConfiguration.load(from: missing) } throws: { error in
                let message = (error as? LocalizedError)?.errorDescription ?? ""
                return message.contains(missing.path) && message.contains("textEncoderWeights") && message.contains(kind)
            }
        }
        let misplaced = try write(#"{"textEncoder": "minilm", "textEncoderWeights": "models/roberta-base"}"#)
        #expect { try TrainingConfiguration.load(from: misplaced) } throws: { error in
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            return message.contains("textEncoderWeights") && message.contains("'minilm'")
        }

        // Saved with its fingerprint (as training states and checkpoints are): the identity carries it.
        var configuration = TrainingConfiguration()
        configuration.textEncoder = .roberta
        configuration.textEncoderWeights = "/weights/roberta-base"
        configuration.textEncoderWeightsFingerprint = "00112233aabbccdd"
        let model = configuration.modelConfiguration()
        #expect(model.textEncoder.name == "RoBERTa" && model.textEncoder.version == "00112233aabbccdd")
        #expect(model.textEncoderSelection == TextEncoderSelection(kind: .roberta, weightsFolder: "/weights/roberta-base", weightsFingerprint: "00112233aabbccdd"))
        let decoded = try JSONDecoder().decode(TrainingConfiguration.self, from: JSONEncoder().encode(configuration))
        #expect(decoded == configuration)
        let decodedModel = try JSONDecoder().decode(ModelConfiguration.self, from: JSONEncoder().encode(model))
        #expect(decodedModel == model)

        // MiniLM configurations are written without the new keys, as before.
        let plain = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainingConfiguration())) as? [String: Any])
        #expect(plain["textEncoderWeights"] == nil && plain["textEncoderWeightsFingerprint"] == nil)
        let plainModel = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(ModelConfiguration())) as? [String: Any])
        #expect(plainModel["textEncoderWeights"] == nil && plainModel["textEncoderWeightsFingerprint"] == nil)
    }

    @Test func theModelIsHeldAndTheFlatFileStillReadsAndWrites() throws {
        // Every key, flat, as the configuration was encoded into checkpoints and training states
        // before it held a `ModelConfiguration`.
        let saved = #"""
        {"temperature": 0.05, "peakLearningRate": 0.0005, "weightDecay": 0.01, "warmupEpochs": 2,
         "maximumEpochs": 12, "batchSize": 32, "gradientClipNorm": 2, "earlyStoppingPatience": 3,
         "dropout": 0.2, "captionProbability": 0.25, "viewCount": 4, "useViews": false, "useCaptions": true,
         "useTextSwap": false, "textSwapWarmupEpochs": 1, "textSwapRampEpochs": 6,
         "textSwapMaximumProbability": 0.1, "audioEncoder": "scratch", "textEncoder": "e5-small",
         "convolutionChannels": [8, 16, 32], "embeddingWidth": 64, "layerCount": 3, "headCount": 4,
         "feedForwardWidth": 128, "audioTokenCount": 20, "seed": 11}
        """#
        let configuration = try TrainingConfiguration.load(from: try write(saved))
        #expect(configuration.model.embeddingWidth == 64 && configuration.model.layerCount == 3)
        #expect(configuration.model.headCount == 4 && configuration.model.feedForwardWidth == 128)
        #expect(configuration.model.dropout == 0.2 && configuration.model.audioTokenCount == 20)
        #expect(configuration.model.audioEncoderKind == .scratch && configuration.model.audioEncoder == .logMel)
        #expect(configuration.model.textEncoderKind == .e5Small && configuration.model.textEncoder == .e5Small)
        #expect(configuration.model.convolutionChannels == [8, 16, 32])
        #expect(configuration.batchSize == 32 && configuration.gradientClipNorm == 2 && configuration.seed == 11)

        // Keys added since (the text standardisation, the checkpoint selection) keep their defaults.
        #expect(!configuration.standardizeTextStates && configuration.checkpointSelection == .validLoss)

        // Written back flat, with the same keys plus the newer one, and read back equal.
        let encoded = try JSONEncoder().encode(configuration)
        let object = try #require(JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        let original = try #require(JSONSerialization.jsonObject(with: Data(saved.utf8)) as? [String: Any])
        #expect(Set(object.keys) == Set(original.keys).union(["standardizeTextStates", "checkpointSelection"]))
        #expect(try JSONDecoder().decode(TrainingConfiguration.self, from: encoded) == configuration)

        // Clipping switched off stays off through a round trip.
        var unclipped = TrainingConfiguration()
        unclipped.gradientClipNorm = nil
        #expect(try JSONDecoder().decode(TrainingConfiguration.self, from: JSONEncoder().encode(unclipped)).gradientClipNorm == nil)
    }

    @Test func checkpointSelectionReadsAndRejectsUnknownValues() throws {
        #expect(try TrainingConfiguration.load(from: try write(#"{"checkpointSelection": "validRecall"}"#)).checkpointSelection == .validRecall)
        let unknown = try write(#"{"checkpointSelection": "testRecall"}"#)
        #expect { try TrainingConfiguration.load(from: unknown) } throws: { error in
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            return message.contains("checkpointSelection") && message.contains("validLoss, validRecall")
        }
    }

    @Test func checkpointSelectionComparesTheChosenNumber() {
        // A lower loss with a lower R@10: better by loss, worse by recall.
        #expect(CheckpointSelection.validLoss.improves(loss: 1.0, recall: 50, bestLoss: 1.2, bestRecall: 60))
        #expect(!CheckpointSelection.validRecall.improves(loss: 1.0, recall: 50, bestLoss: 1.2, bestRecall: 60))
        #expect(CheckpointSelection.validRecall.improves(loss: 1.5, recall: 61, bestLoss: 1.2, bestRecall: 60))
        // Equal R@10: the lower loss wins; the first epoch beats the unset best.
        #expect(CheckpointSelection.validRecall.improves(loss: 1.1, recall: 60, bestLoss: 1.2, bestRecall: 60))
        #expect(!CheckpointSelection.validRecall.improves(loss: 1.3, recall: 60, bestLoss: 1.2, bestRecall: 60))
        #expect(CheckpointSelection.validRecall.improves(loss: 9, recall: 0, bestLoss: .infinity, bestRecall: -1))
    }

    @Test func theModelConfigurationTakesOnlyTheFeatureWidthsFromTheBase() {
        var configuration = TrainingConfiguration()
        configuration.embeddingWidth = 128
        var base = ModelConfiguration()
        base.textWidth = 512
        base.audioLayerWidths = [10, 2]
        base.embeddingWidth = 999
        let model = configuration.modelConfiguration(base: base)
        #expect(model.textWidth == 512 && model.audioLayerWidths == [10, 2])
        #expect(model.embeddingWidth == 128)
        #expect(model == { var expected = configuration.model; expected.textWidth = 512; expected.audioLayerWidths = [10, 2]; return expected }())
    }

    @Test func unknownKeysAndBadValuesNameTheProblem() throws {
        let typo = try write(#"{"learningRate": 0.01}"#)
        #expect { try TrainingConfiguration.load(from: typo) } throws: { error in
            (error as? LocalizedError)?.errorDescription?.contains("unknown key 'learningRate'") == true
        }
        let bad = try write(#"{"batchSize": 1}"#)
        #expect { try TrainingConfiguration.load(from: bad) } throws: { error in
            (error as? LocalizedError)?.errorDescription?.contains("batchSize") == true
        }
        let wrongType = try write(#"{"batchSize": "large"}"#)
        #expect { try TrainingConfiguration.load(from: wrongType) } throws: { error in
            (error as? LocalizedError)?.errorDescription?.contains("batchSize") == true
        }
    }
}
