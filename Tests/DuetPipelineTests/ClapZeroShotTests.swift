import DuetEncoders
import DuetFeatures
import DuetPipeline
import DuetRetrieval
import DuetSynth
import DuetTestSupport
import Foundation
import Testing

/// The CLAP zero-shot row end to end on a small rendered corpus with the tiny random CLAP checkpoint of
/// `DuetEncodersTests/Resources/clap-tiny` (Scripts/reference/clap_reference.py): audio embeddings computed
/// once into the feature cache under the folder's fingerprint, texts embedded, clips ranked; and the same row
/// from `duet eval --clap-weights`. No downloaded weights: musicnn is never needed for this row.
@Suite("CLAP zero-shot end to end")
struct ClapZeroShotTests {
    static let clapFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DuetEncodersTests/Resources/clap-tiny")

    struct NotLoaded: Error {}

    @Test func clapRowRanksTheSplitAndCachesItsAudio() throws {
        let root = try SearchFixtures.temporaryFolder("clap-zero-shot")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("corpus")
        _ = try CorpusWriter.write(.init(count: 24, seed: 11, seconds: 1.5, directory: data)) { _, _ in }
        let manifestURL = data.appendingPathComponent("manifest.jsonl")

        let encoders = Encoders(audio: { throw NotLoaded() })
        let kind = try encoders.clapFeatureKind(folder: Self.clapFolder.path)
        guard case .clap(let folder, let fingerprint, let width) = kind else { Issue.record("not a CLAP kind: \(kind)"); return }
        #expect(folder == Self.clapFolder.standardizedFileURL.path && width == 16 && fingerprint.count == 16)
        let dataset = try PreparedDataset.load(
            manifestURL: manifestURL, splits: [.test], audioFeatures: [kind], encoders: encoders, showsProgress: false, addsMusicnnTags: false)
        #expect(!dataset.entries.isEmpty && dataset.failures.isEmpty)
        #expect(dataset.cache.clap.count == dataset.entries.count && dataset.cache.audio.count == 0)

        // The cached embedding is the model's, stored in half precision as every cached feature (each value
        // within 2⁻¹¹ relative, so its norm is 1 within 2⁻¹¹).
        let entry = dataset.entries[0]
        let cached = try dataset.audioFeatures(of: entry, kind: kind)
        let direct = try AudioFeatureExtractor.clapEmbedding(
            of: dataset.manifest.audioURL(for: entry), segment: nil, clap: try encoders.clap(folder: folder))
        #expect(cached == direct.map { Float(Float16($0)) })
        #expect(abs(cached.reduce(0) { $0 + $1 * $1 }.squareRoot() - 1) <= 0x1p-11)

        var evaluation = RetrievalEvaluation()
        evaluation.showsProgress = false
        let summary = try evaluation.clapZeroShot(dataset: dataset, kind: kind, encoders: encoders)
        #expect(summary.subsetCount == 1 && summary.queryCount >= dataset.entries.count)
        #expect((0...100).contains(summary.mean.recallAt10) && summary.mean.medianRank >= 1)

        // A second preparation reads every embedding from the cache: its CLAP loader is never called.
        let cachedOnly = Encoders(audio: { throw NotLoaded() }, clap: { _ in throw NotLoaded() })
        let again = try PreparedDataset.load(
            manifestURL: manifestURL, splits: [.test], audioFeatures: [kind], encoders: cachedOnly, showsProgress: false, addsMusicnnTags: false)
        #expect(again.entries.count == dataset.entries.count && again.cache.clap.count == dataset.cache.clap.count)

        // The command line prints the row; plain --zero-shot is not asked for, so musicnn is not needed.
        let run = try DuetCommand.run(["eval", "--manifest", manifestURL.path, "--clap-weights", Self.clapFolder.path, "--subset-size", "10"])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains(RetrievalEvaluation.clapZeroShotLabel), "\(run.output)")
        let none = try DuetCommand.run(["eval", "--manifest", manifestURL.path])
        #expect(none.status != 0 && none.error.contains("--clap-weights"), "\(none.error)")
        // Several splits evaluate together; an unknown or repeated one is refused before any work.
        let both = try DuetCommand.run(["eval", "--manifest", manifestURL.path, "--clap-weights", Self.clapFolder.path, "--subset-size", "10", "--split", "valid,test"])
        #expect(both.status == 0, "\(both.error)")
        for wrong in ["test,dev", "test,test", ""] {
            let refused = try DuetCommand.run(["eval", "--manifest", manifestURL.path, "--clap-weights", Self.clapFolder.path, "--split", wrong])
            #expect(refused.status != 0 && refused.error.contains("--split must be"), "\(wrong): \(refused.error)")
        }
    }
}
