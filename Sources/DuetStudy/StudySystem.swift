import Foundation

/// One system of a listening study: a trained checkpoint whose top track per prompt is played, or the
/// ground truth (the clip the prompt's caption was written for).
public struct StudySystem: Codable, Sendable, Equatable, Hashable {
    /// The name in reports (never shown to participants).
    public var name: String
    /// The checkpoint folder; nil for the ground truth.
    public var checkpoint: String?

    public init(name: String, checkpoint: String?) {
        self.name = name
        self.checkpoint = checkpoint
    }

    /// The ground truth's reserved name.
    public static let truthName = "truth"

    public static let truth = StudySystem(name: truthName, checkpoint: nil)

    public var isTruth: Bool { checkpoint == nil }

    /// Parses a `--system` value: `NAME=CHECKPOINT` or `truth`.
    /// - Throws: ``StudyError/invalidSystemSpecification(_:)`` or ``StudyError/reservedSystemName(_:)``.
    public static func parse(_ specification: String) throws(StudyError) -> StudySystem {
        if specification == truthName { return .truth }
        let parts = specification.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, isValidName(String(parts[0])) else {
            throw .invalidSystemSpecification(specification)
        }
        let name = String(parts[0])
        guard name != truthName else { throw .reservedSystemName(name) }
        return StudySystem(name: name, checkpoint: String(parts[1]))
    }

    /// 1 to 32 characters from letters, digits, `-`, `_` and `.`.
    public static func isValidName(_ name: String) -> Bool {
        (1...32).contains(name.count)
            && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
    }

    /// Checks a list of systems: at least two, names unique.
    public static func validate(_ systems: [StudySystem]) throws(StudyError) {
        var seen: Set<String> = []
        for system in systems {
            guard seen.insert(system.name).inserted else { throw .duplicateSystemName(system.name) }
        }
        guard systems.count >= 2 else { throw .tooFewSystems(count: systems.count) }
    }
}
