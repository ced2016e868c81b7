import DuetModel
import Foundation

/// A sentence embedding asked of a text encoder that gives token states only.
public enum SentenceEmbeddingError: LocalizedError, Equatable {
    /// MiniLM and e5-small give sentence embeddings; the towers read from a folder give token states only.
    case tokenStatesOnly(kind: TextEncoderKind)

    public var errorDescription: String? {
        switch self {
        case .tokenStatesOnly(let kind):
            "\(kind.rawValue) gives DuET-MC token states, not sentence embeddings; use minilm or e5-small here"
        }
    }
}
