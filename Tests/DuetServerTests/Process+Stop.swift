import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Process {
    /// SIGTERM, then SIGKILL once `grace` has passed; returns when the process is gone (or 5 s after the kill).
    func stop(grace: Duration) {
        guard isRunning else { return }
        terminate()
        let deadline = ContinuousClock.now + grace
        while isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if isRunning { kill(processIdentifier, SIGKILL) }
        let killDeadline = ContinuousClock.now + .seconds(5)
        while isRunning, ContinuousClock.now < killDeadline { Thread.sleep(forTimeInterval: 0.05) }
    }
}
