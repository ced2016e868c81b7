import Foundation

/// The few-shot prompt for language-model captions (paper, section 4.1), kept in an editable JSON
/// file: a system message, a user template where `{tags}` becomes the item's tags, and example
/// tag sets with their captions, sent as alternating user/assistant turns before the real request.
///
/// The default is `Sources/DuetData/Resources/caption-prompt.json`; pass another file to change
/// the wording or the examples without rebuilding.
public struct CaptionPrompt: Codable, Sendable, Equatable {
    public struct Example: Codable, Sendable, Equatable {
        public var tags: [String: [String]]
        public var caption: String
    }

    public var system: String
    public var user: String
    public var examples: [Example]

    public static func load(from url: URL) throws -> CaptionPrompt {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataFileError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        let prompt: CaptionPrompt
        do { prompt = try JSONDecoder().decode(CaptionPrompt.self, from: data) } catch {
            throw DataFileError.malformed(path: url.path, line: nil, reason: "expected {system, user, examples: [{tags, caption}]}: \(error)")
        }
        guard prompt.user.contains("{tags}") else {
            throw DataFileError.malformed(path: url.path, line: nil, reason: "the user template must contain {tags}")
        }
        return prompt
    }

    public static func bundled() throws -> CaptionPrompt {
        guard let url = Bundle.module.url(forResource: "caption-prompt", withExtension: "json", subdirectory: "Resources") else {
            throw DataFileError.unreadable(path: "caption-prompt.json", reason: "the DuetData resource bundle is missing; rebuild the package")
        }
        return try load(from: url)
    }

    /// Tags written for the prompt: "genre: jazz; mood: calm; instrument: piano, cello".
    public static func describe(_ tags: [String: [String]]) -> String {
        CaptionGenerator.categoryOrder(tags).map { "\($0): " + (tags[$0] ?? []).joined(separator: ", ") }.joined(separator: "; ")
    }

    /// The chat messages (`role`, `content`) for one tag set.
    public func messages(for tags: [String: [String]]) -> [ChatMessage] {
        var messages = [ChatMessage(role: "system", content: system)]
        for example in examples {
            messages.append(ChatMessage(role: "user", content: user.replacingOccurrences(of: "{tags}", with: Self.describe(example.tags))))
            messages.append(ChatMessage(role: "assistant", content: example.caption))
        }
        messages.append(ChatMessage(role: "user", content: user.replacingOccurrences(of: "{tags}", with: Self.describe(tags))))
        return messages
    }
}

/// One message of an OpenAI-style chat.
public struct ChatMessage: Codable, Sendable, Equatable, Hashable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}
