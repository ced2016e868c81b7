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
}

/// The body of an answer.
struct StudyAnswerRequest: Codable {
    var trial: Int
    var choice: String
}
