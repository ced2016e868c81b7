import Foundation

/// The `Content-Type` of an audio file, from its extension (the formats the indexer decodes).
enum AudioContentType {
    static func of(_ file: URL) -> String {
        switch file.pathExtension.lowercased() {
        case "wav", "wave": "audio/wav"
        case "flac": "audio/flac"
        case "ogg", "oga": "audio/ogg"
        // Opus files live in an Ogg container; browsers play them as audio/ogg.
        case "opus": "audio/ogg; codecs=opus"
        case "mp3": "audio/mpeg"
        case "m4a", "mp4": "audio/mp4"
        case "aif", "aiff": "audio/aiff"
        default: "application/octet-stream"
        }
    }
}
