import HTTPTypes

/// Every route of the study server (`duet serve --study`), with its method. Audio is served by clip id only.
public enum StudyRoute: String, CaseIterable, Sendable {
    case page = "/"
    case script = "/study.js"
    case style = "/study.css"
    case health = "/healthz"
    /// The study's size (no system names).
    case info = "/api/study"
    /// POST: registers a new anonymous participant.
    case participants = "/api/study/participants"
    /// The participant's progress and next comparison.
    case next = "/api/study/participants/{participant}/next"
    /// POST `{"trial": id, "choice": "left" | "right" | "tie"}`: stores one answer, returns the next comparison.
    case answers = "/api/study/participants/{participant}/answers"
    case audio = "/api/study/clips/{id}/audio"

    var method: HTTPRequest.Method {
        switch self {
        case .participants, .answers: .post
        default: .get
        }
    }

    /// The raw paths served without a token: the page, its assets and the health check.
    static let publicPaths: Set<String> = [
        StudyRoute.page.rawValue, StudyRoute.script.rawValue, StudyRoute.style.rawValue, StudyRoute.health.rawValue,
    ]

    /// True for `/api/study/clips/<digits>/audio` exactly.
    static func isAudioPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 6 && parts[0].isEmpty && parts[1] == "api" && parts[2] == "study" && parts[3] == "clips"
            && !parts[4].isEmpty && parts[4].allSatisfy(\.isASCII) && parts[4].allSatisfy(\.isNumber) && parts[5] == "audio"
    }

    /// The path of a clip's audio, with a media fragment (`#t=start,end`) when the clip is a segment of its file.
    static func audioPath(clip: Int, start: Double?, end: Double?) -> String {
        let path = "/api/study/clips/\(clip)/audio"
        guard start != nil || end != nil else { return path }
        return path + "#t=\(start.map { String($0) } ?? "0")" + (end.map { ",\($0)" } ?? "")
    }
}
