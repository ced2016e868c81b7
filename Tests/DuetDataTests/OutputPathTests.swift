import DuetData
import Foundation
import Testing

/// Output paths are refused before any work: an input, an existing file without --force, a folder,
/// a missing or read-only folder.
@Suite struct OutputPathTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func file(_ name: String, _ text: String = "x") throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func anInputIsNeverOverwrittenEvenWithForce() throws {
        let source = try file("s.csv")
        let sameFile = folder.appendingPathComponent("sub/../s.csv").path
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        #expect(throws: OutputPathError.overwritesInput(option: "-o", path: sameFile, target: "s.csv", input: source.path)) {
            try OutputPath.check(sameFile, option: "-o", inputs: [source.path], replacingExisting: true)
        }
        let link = folder.appendingPathComponent("link.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: source)
        #expect(throws: OutputPathError.self) { try OutputPath.check(link.path, option: "-o", inputs: [source.path]) }
    }

    @Test func aCompanionFileCountsAsOutput() throws {
        let manifest = try file("manifest.json")
        let report = folder.appendingPathComponent("manifest.md")
        #expect(throws: OutputPathError.self) {
            try OutputPath.check(report.path, option: "--out", inputs: [manifest.path], companions: [manifest])
        }
    }

    @Test func anExistingFileNeedsForce() throws {
        let existing = try file("manifest.jsonl")
        #expect(throws: OutputPathError.exists(option: "--output", path: existing.path)) {
            try OutputPath.check(existing.path, option: "--output", replacingExisting: false)
        }
        try OutputPath.check(existing.path, option: "--output", replacingExisting: true)
        try OutputPath.check(folder.appendingPathComponent("new.jsonl").path, option: "--output", replacingExisting: false)
    }

    @Test func foldersAndMissingFoldersAreRefused() throws {
        #expect(throws: OutputPathError.isFolder(option: "--db", path: folder.path)) {
            try OutputPath.check(folder.path, option: "--db")
        }
        let missing = folder.appendingPathComponent("no/such/file.sqlite").path
        #expect(throws: OutputPathError.self) { try OutputPath.check(missing, option: "--db") }
    }

    @Test func theMessageNamesTheInputAndTheWayOut() {
        let error = OutputPathError.overwritesInput(option: "-o", path: "s.csv", target: "s.csv", input: "s.csv")
        #expect(error.localizedDescription.contains("would overwrite the input s.csv"))
        #expect(OutputPathError.exists(option: "-o", path: "m").localizedDescription.contains("--force"))
    }
}
