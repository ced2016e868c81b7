import Foundation

/// What a participant answers: the left clip fits the prompt better, the right one, or both equally well.
public enum StudyChoice: String, Codable, Sendable, CaseIterable {
    case left, right, tie
}

/// One stored answer, with the systems as the participant saw them (sides already resolved).
public struct StudyAnswer: Codable, Sendable, Equatable {
    public var participant: String
    public var trial: Int
    public var choice: StudyChoice
    public var leftSystem: String
    public var rightSystem: String
    /// Seconds since 1970.
    public var answered: Double

    public init(participant: String, trial: Int, choice: StudyChoice, leftSystem: String, rightSystem: String, answered: Double) {
        self.participant = participant
        self.trial = trial
        self.choice = choice
        self.leftSystem = leftSystem
        self.rightSystem = rightSystem
        self.answered = answered
    }

    /// The preferred system; nil for a tie.
    public var winner: String? {
        switch choice {
        case .left: leftSystem
        case .right: rightSystem
        case .tie: nil
        }
    }
}

/// A participant: an anonymous random id (kept by their browser) and their arrival number, which fixes
/// their schedule (``StudyPlan/schedule(participant:)``).
public struct StudyParticipant: Codable, Sendable, Equatable {
    public var id: String
    public var number: Int

    public init(id: String, number: Int) {
        self.id = id
        self.number = number
    }
}
