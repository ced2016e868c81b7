import DuetAudio
import DuetModel
@testable import DuetSearch
import DuetTensor
import DuetTestSupport
import Foundation
import Testing

/// Whole-track embeddings from a tiny randomly initialised checkpoint (no weights needed).
@Suite("whole-track embeddings", .serialized)
struct TrackEmbeddingTests {
    @Test func sameFileSameBitsAndCloseAcrossThreadCounts() throws {
        let folder = try SearchFixtures.temporaryFolder("embed")
        let model = try SearchModel(checkpoint: SearchFixtures.tinyCheckpoint(in: folder), segmentCount: 3)
        let file = try SearchFixtures.writeMusic(folder.appendingPathComponent("song.wav"), seconds: 40, seed: 11)
        let original = Parallelism.threadCount
        defer { Parallelism.setThreadCount(original) }
        Parallelism.setThreadCount(2)
        let first = try model.embedAudio(file: file)
        let second = try model.embedAudio(file: file)
        #expect(first.vector.map(\.bitPattern) == second.vector.map(\.bitPattern), "two runs at the same thread count")
        #expect(first.segmentStarts == [5, 15, 25], "(40 − 10)·(2i + 1)/6")
        #expect(first.duration == 40)
        Parallelism.setThreadCount(1)
        let serial = try model.embedAudio(file: file)
        // Thread counts change only the summation order of sgemm and the log-mel reductions. A
        // float32 sum of n terms of magnitude ≤ 1 is off by ≤ n·2⁻²⁴; n ≤ 1024 bounds every
        // reduction of this model (the 512-point FFT, the 96-band mel, the convolutions), so
        // 1024·2⁻²⁴ ≈ 6.1e-5, which the unit vector's entries inherit through the normalisation.
        expectClose(serial.vector, first.vector, Tolerance(absolute: Tolerance.gamma(1024)), "1 vs 2 threads")
        let norm = first.vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-5)
    }

    @Test func shortAndBadFilesFailWithTheirReason() throws {
        let folder = try SearchFixtures.temporaryFolder("embed-bad")
        let model = try SearchModel(checkpoint: SearchFixtures.tinyCheckpoint(in: folder), segmentCount: 2)
        let bad = try SearchFixtures.badFiles(in: folder)
        #expect(throws: TrackTooShortError.self) { try model.embedAudio(file: bad["too short"]!) }
        #expect(throws: AudioError.self) { try model.embedAudio(file: bad["silent"]!) }
        #expect(throws: AudioError.self) { try model.embedAudio(file: bad["corrupt"]!) }
        let short = try SearchFixtures.writeMusic(folder.appendingPathComponent("six.wav"), seconds: 6, seed: 2)
        let embedding = try model.embedAudio(file: short)
        #expect(embedding.segmentStarts == [0], "a track shorter than a segment is one segment, the whole track")
    }

    @Test func segmentCountIsRangeChecked() throws {
        let folder = try SearchFixtures.temporaryFolder("embed-range")
        let checkpoint = try SearchFixtures.tinyCheckpoint(in: folder)
        #expect(throws: SearchError.invalidSegmentCount(0, allowed: SearchModel.segmentCountRange)) {
            try SearchModel(checkpoint: checkpoint, segmentCount: 0)
        }
        #expect(throws: SearchError.invalidSegmentCount(65, allowed: SearchModel.segmentCountRange)) {
            try SearchModel(checkpoint: checkpoint, segmentCount: 65)
        }
    }

    @Test func identityFollowsWeightsAndSegments() throws {
        let folder = try SearchFixtures.temporaryFolder("embed-identity")
        let a = try SearchModel(checkpoint: SearchFixtures.tinyCheckpoint(in: folder, seed: 1))
        let b = try SearchModel(checkpoint: SearchFixtures.tinyCheckpoint(in: folder, seed: 2))
        let c = try SearchModel(checkpoint: SearchFixtures.tinyCheckpoint(in: folder, seed: 1), segmentCount: 3)
        #expect(!a.identity.matches(b.identity))
        #expect(!a.identity.matches(c.identity))
        #expect(a.identity.digest == c.identity.digest)
    }
}

/// The trained text branch and the musicnn path need the locked encoders' weights (`make setup`).
@Suite("embeddings through the locked encoders", .enabled(if: ProcessInfo.processInfo.environment["DUET_TEST_WEIGHTS"] == "1"))
struct LockedEncoderEmbeddingTests {
    static func musicnnCheckpoint(in folder: URL) throws -> URL {
        var configuration = ModelConfiguration()
        configuration.embeddingWidth = 32
        configuration.layerCount = 1
        configuration.feedForwardWidth = 64
        let checkpoint = folder.appendingPathComponent("musicnn-tiny", isDirectory: true)
        try ModelCheckpoint.write(MusicTextModel(configuration: configuration, seed: 3),
                                            details: ModelCheckpoint.Ignored?.none, to: checkpoint)
        return checkpoint
    }

    @Test func textQueriesAreUnitVectorsAndBatchMatchesSingle() throws {
        let folder = try SearchFixtures.temporaryFolder("text")
        let model = try SearchModel(checkpoint: Self.musicnnCheckpoint(in: folder))
        let texts = ["slow melancholic piano", "a fiddle tune for a barn dance"]
        let batch = try model.embedTexts(texts)
        for (text, row) in zip(texts, batch) {
            let single = try model.embedText(text)
            #expect(single.count == 32)
            // Padding is masked; the padded batch changes only the summation length of the
            // attention products (≤ 384-wide reductions): ≤ 384 · 2⁻²⁴ ≈ 2.3e-5.
            expectClose(row, single, Tolerance(absolute: Tolerance.gamma(384)), "padded batch vs single query")
            #expect(abs(single.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
        }
        #expect(throws: SearchError.emptyQuery) { try model.embedText("   ") }
    }

    @Test func musicnnTracksAreDeterministicAndTagged() throws {
        let folder = try SearchFixtures.temporaryFolder("musicnn")
        let model = try SearchModel(checkpoint: Self.musicnnCheckpoint(in: folder), segmentCount: 2)
        let file = try SearchFixtures.writeMusic(folder.appendingPathComponent("song.wav"), seconds: 25, seed: 4)
        let original = Parallelism.threadCount
        defer { Parallelism.setThreadCount(original) }
        let first = try model.embedAudio(file: file)
        let second = try model.embedAudio(file: file)
        #expect(first.vector.map(\.bitPattern) == second.vector.map(\.bitPattern))
        #expect(first.tags.count == SearchModel.storedTagCount)
        Parallelism.setThreadCount(1)
        let serial = try model.embedAudio(file: file)
        // musicnn's deepest reductions are the 561·7-long mid-end products (≈ 3927 terms): n·2⁻²⁴ ≈ 2.3e-4.
        expectClose(serial.vector, first.vector, Tolerance(absolute: Tolerance.gamma(3927)), "1 vs 2 threads")
    }
}
