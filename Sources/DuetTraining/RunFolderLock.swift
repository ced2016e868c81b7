import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a run folder while a process writes it, so that two trainings into one
/// folder cannot interleave their checkpoints.
///
/// The lock is `flock(2)` on `<run>/.lock`: the kernel releases it when the process exits, however it
/// exits (`kill -9` included), so a crashed run never leaves a stale lock behind.
public final class RunFolderLock {
    public let folder: URL
    private let descriptor: Int32

    /// Takes the lock, creating the folder when needed.
    /// - Throws: `TrainingError.runFolderBusy` when another process holds it.
    public init(folder: URL) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(".lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw TrainingError.runFolderBusy(path: folder.path)
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Whether `folder` already holds a run's checkpoints.
    public static func holdsRun(_ folder: URL) -> Bool {
        ["best", "last"].contains { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
    }
}
