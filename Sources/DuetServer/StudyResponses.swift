/// The study's size: enough for the page's introduction, and nothing that names a system.
struct StudyInfoResponse: Codable, Equatable {
    var prompts: Int
    var comparisonsPerParticipant: Int
}

/// A participant's progress and next comparison (nil when every comparison is answered).
struct StudyNextResponse: Codable, Equatable {
    struct Comparison: Codable, Equatable {
        var trial: Int
        var prompt: String
        /// Audio URLs of the two clips as this participant sees them.
        var left: String
        var right: String
    }

    var participant: String
    var answered: Int
    var total: Int
    var comparison: Comparison?

    enum CodingKeys: String, CodingKey { case participant, answered, total, comparison }

    /// `comparison` is written as `null` when every comparison is answered, not left out.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(participant, forKey: .participant)
        try container.encode(answered, forKey: .answered)
        try container.encode(total, forKey: .total)
        try container.encode(comparison, forKey: .comparison)
    }
}

/// The body of an answer.
struct StudyAnswerRequest: Codable {
    var trial: Int
    var choice: String
}
