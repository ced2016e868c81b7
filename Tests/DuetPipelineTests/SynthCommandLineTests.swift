import DuetData
import DuetTestSupport
import Foundation
import Testing

/// `duet synth`'s diagnostic options: each refused where it does not apply, before any rendering,
/// and the out-of-world variant written with training words and another soundfont.
@Suite struct SynthCommandLineTests {
    @Test func diagnosticOptionsAreRefusedWhereTheyDoNotApply() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-synth-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let refusals: [([String], String)] = [
            (["--training-words"], "only change --out-of-world"),
            (["--soundfont", "/usr/share/sounds/sf2/FluidR3_GM.sf2"], "only change --out-of-world"),
            (["--out-of-world", "--held-out-words", "phrase-book"], "--held-out-words re-captions the corpus's own clips"),
            (["--out-of-world", "--soundfont", "/nonexistent/font.sf2"], "no soundfont at /nonexistent/font.sf2"),
            (["--held-out-words", "plain"], "plain"),
        ]
        for (arguments, message) in refusals {
            let run = try DuetCommand.run(["synth", "--count", "4", "--out", folder.path] + arguments)
            #expect(run.status != 0 && run.error.contains(message), "\(arguments): \(run.error)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("manifest.jsonl").path), "\(arguments) wrote a corpus")
        }
    }

    @Test func outOfWorldVariantInTrainingWordsAndAnotherFont() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-synth-oow-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let font = "/usr/share/sounds/sf2/FluidR3_GM.sf2"
        let run = try DuetCommand.run(["synth", "--out-of-world", "--training-words", "--soundfont", font, "--seconds", "2", "--out", folder.path])
        #expect(run.status == 0, "\(run.error)")
        let manifest = try Manifest.load(from: folder.appendingPathComponent("manifest.jsonl"))
        #expect(manifest.entries.count > 100)
        #expect(manifest.entries.allSatisfy { $0.metadata?["soundfont"] == "FluidR3_GM.sf2" })
        // Tag names only: every caption names its clip's leading instrument as the tags spell it.
        #expect(manifest.entries.allSatisfy { entry in
            (entry.captions ?? []).allSatisfy { caption in (entry.tags["instrument"] ?? []).contains { caption.lowercased().contains($0) } }
        })
    }
}
