import Foundation
import Testing
@testable import DuetTraining

/// Progress in a log (not a terminal) is plain lines, one per tenth, never carriage returns.
@Suite struct ProgressBarTests {
    final class Capture: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func append(_ piece: String) { lock.withLock { text += piece } }
        var value: String { lock.withLock { text } }
    }

    @Test func aLogGetsOneLinePerTenthWithoutCarriageReturns() {
        let capture = Capture()
        let bar = ProgressBar(label: "synth: rendering", total: 200, interactive: false, output: capture.append)
        for done in 1...200 { bar.update(completed: done) }
        bar.finish()
        let lines = capture.value.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(!capture.value.contains("\r"))
        #expect(lines.count == 11, "\(lines)")  // 0%, 10%, ..., 100%: once each
        #expect(lines.allSatisfy { $0.hasPrefix("synth: rendering [") })
        #expect(lines.last?.contains("200/200") == true)
    }

    @Test func aTerminalIsRedrawnInPlace() {
        let capture = Capture()
        let bar = ProgressBar(label: "indexing", total: 3, interactive: true, output: capture.append)
        bar.advance()
        bar.finish()
        #expect(capture.value.hasPrefix("\r\u{1B}[K"))
        #expect(capture.value.hasSuffix("\n"))
    }
}
