import DuetAudio
@testable import DuetEncoders
import DuetTestSupport
import DuetWeights
import Foundation
import Testing

/// musicnn against the original TensorFlow graph on FluidSynth clips (needs `make setup` weights).
@Suite("musicnn parity with TensorFlow", .enabled(if: EncoderFixtures.weightsEnabled))
struct MusiCNNParityTests {
    static func load(_ model: MusiCNNModel) throws -> MusiCNN {
        do {
            return try MusiCNN(model)
        } catch {
            Issue.record("DUET_TEST_WEIGHTS=1 but the musicnn weights cannot be loaded: \(error.localizedDescription)")
            throw error
        }
    }

    /// The longest reduction in musicnn: the mid-end's 7-frame convolution over 561 front-end channels.
    static let longestReduction = 7 * 561

    /// Two evaluations of musicnn's sums in different orders (TensorFlow's kernels or another sgemm
    /// shape), compared on values of the size of `values`. `Σ|w x|` of a layer is taken as four times
    /// its largest output (pre-activation sums in these trained layers cancel only partly), and errors
    /// of up to `depth` successive layers add (front end, three mid-end layers, two dense layers).
    static func reordered(_ values: [Float], depth: Int) -> Tolerance {
        let largest = values.map(abs).max() ?? 0
        return Tolerance.reordered(terms: longestReduction, magnitude: 4 * max(largest, 1), layers: depth)
    }

    /// Outputs at the end of the network (tags, pools, frame features) against TensorFlow's.
    static func againstTensorFlow(_ values: [Float]) -> Tolerance { reordered(values, depth: 6) }

    @Test(arguments: EncoderFixtures.clips)
    func magnaTagATuneMatchesEveryLayer(clip: String) throws {
        let model = try Self.load(.magnaTagATune)
        let reference = try EncoderFixtures.reference(clip, model: "MTT_musicnn")
        let outputs = model(try EncoderFixtures.inputPatches(clip))
        #expect(outputs.count == reference.patches.count)
        for (index, (actual, expected)) in zip(outputs, reference.patches).enumerated() {
            let checks: [(String, [Float], [Float])] = [
                ("tags", actual.tagProbabilities, expected.tags),
                ("penultimate", actual.penultimate, expected.penultimate),
                ("max_pool", actual.maxPool, expected.max_pool ?? []),
                ("mean_pool", actual.meanPool, expected.mean_pool ?? []),
                ("frame features", (expected.frames ?? []).flatMap { actual.concatenatedFrame($0) }, expected.frame_features ?? []),
            ]
            for (name, values, reference) in checks {
                expectClose(values, reference, Self.againstTensorFlow(reference), "\(clip) patch \(index) \(name)")
            }
        }
    }

    @Test(arguments: EncoderFixtures.clips)
    func millionSongDatasetMatchesTagsAndPenultimate(clip: String) throws {
        let model = try Self.load(.millionSongDataset)
        let reference = try EncoderFixtures.reference(clip, model: "MSD_musicnn")
        let outputs = model(try EncoderFixtures.inputPatches(clip))
        for (index, (actual, expected)) in zip(outputs, reference.patches).enumerated() {
            expectClose(actual.tagProbabilities, expected.tags, Self.againstTensorFlow(expected.tags), "\(clip) patch \(index) tags")
            expectClose(actual.penultimate, expected.penultimate, Self.againstTensorFlow(expected.penultimate),
                        "\(clip) patch \(index) penultimate")
        }
    }

    @Test(arguments: EncoderFixtures.clips)
    func audioFileToTagsMatchesTheOriginalPipeline(clip: String) throws {
        let model = try Self.load(.magnaTagATune)
        let samples = try AudioLoader.load(EncoderFixtures.url("\(clip).wav"))
        let patches = LogMelPatcher.patches(of: LogMelSpectrogram(samples: samples))
        let expectedPatches = try EncoderFixtures.inputPatches(clip)
        #expect(patches.count == expectedPatches.count)
        // float16 rounding of the mel can flip by one half-precision step where kissfft and numpy differ in the
        // last float32 bit; such a flip moves log10(10000 x + 1) by at most about 4e-4 times its value.
        for (actual, expected) in zip(patches, expectedPatches) {
            let difference = zip(actual, expected).reduce(Float(0)) { max($0, abs($1.0 - $1.1) / max(1, abs($1.1))) }
            #expect(difference <= 1e-3, "\(clip): front end differs from librosa+float16 by \(difference) (relative)")
        }
        let reference = try EncoderFixtures.reference(clip, model: "MTT_musicnn")
        // The patches here went through Duet's front end, not librosa's: each input may differ by the
        // float16 rounding above, 2⁻¹¹ relative, on top of the network's own reordering error.
        let inputTolerance = Tolerance(absolute: Tolerance.float16Roundoff)
        for (actual, expected) in zip(model(patches), reference.patches) {
            expectClose(actual.tagProbabilities, expected.tags, Self.againstTensorFlow(expected.tags) + inputTolerance,
                        "\(clip): end-to-end tags")
        }
    }

    /// One patch runs with threaded BLAS, several run patch-parallel with single-threaded BLAS: same numbers.
    @Test func singleAndBatchedPatchesAgree() throws {
        let model = try Self.load(.magnaTagATune)
        let patches = try EncoderFixtures.inputPatches("violin")
        let batched = model(patches)
        // Another sgemm shape and thread split: the same sums in another order, so a reordering bound.
        for (index, patch) in patches.enumerated() {
            let single = model([patch])[0]
            expectClose(single.frontEnd, batched[index].frontEnd, Self.reordered(batched[index].frontEnd, depth: 1),
                        "patch \(index) front end, single vs batched")
            expectClose(single.tagProbabilities, batched[index].tagProbabilities, Self.againstTensorFlow(batched[index].tagProbabilities),
                        "patch \(index) tags, single vs batched")
        }
    }

    @Test func topTagsMakeMusicalSense() throws {
        let model = try Self.load(.magnaTagATune)
        func top(_ clip: String, _ count: Int) throws -> [String] {
            let outputs = model(try EncoderFixtures.inputPatches(clip))
            let mean = (0..<50).map { tag in outputs.reduce(Float(0)) { $0 + $1.tagProbabilities[tag] } / Float(outputs.count) }
            return mean.indices.sorted { mean[$0] > mean[$1] }.prefix(count).map { model.tags[$0] }
        }
        let violin = try top("violin", 3)
        #expect(violin.contains("violin") && violin.contains("strings") || violin.contains("classical"), "violin: \(violin)")
        let piano = try top("piano", 5)
        #expect(piano.prefix(2).contains("piano"), "piano: \(piano)")
        let drums = try top("drums_bass", 5)
        #expect(drums.contains("drums") && (drums.contains("beat") || drums.contains("rock")), "drums+bass: \(drums)")
        #expect(!drums.contains("violin") && !drums.contains("piano"), "drums+bass: \(drums)")
    }

    @Test func strictMappingNamesTheBadKey() throws {
        var configuration = MusiCNNConfiguration()
        configuration.midEndFilterCount = 32
        let directory = ModelCache.directory.appendingPathComponent("musicnn/MTT_musicnn")
        let checkpoint = try TensorFlowCheckpoint(directory: directory)
        #expect(throws: WeightsError.shapeMismatch(name: "batch_normalization_6/beta", expected: [32], found: [64], path: checkpoint.prefix + ".index")) {
            try MusiCNNWeights(checkpoint: checkpoint, configuration: configuration)
        }
    }
}
