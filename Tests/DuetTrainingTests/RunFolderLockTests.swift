import DuetTraining
import Foundation
import Testing

@Suite("Run folder lock")
struct RunFolderLockTests {
    @Test func secondWriterIsRefusedUntilTheFirstLetsGo() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var first: RunFolderLock? = try RunFolderLock(folder: folder)
        #expect(throws: TrainingError.runFolderBusy(path: folder.path)) { try RunFolderLock(folder: folder) }
        withExtendedLifetime(first) {}
        first = nil
        _ = try RunFolderLock(folder: folder)
        #expect(!RunFolderLock.holdsRun(folder))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("best"), withIntermediateDirectories: true)
        #expect(RunFolderLock.holdsRun(folder))
    }
}
