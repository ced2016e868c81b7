/// The parts of a Hugging Face `tokenizer.json` that a BERT WordPiece pipeline reads.
/// The vocabulary itself is read from `vocab.txt` when present (see ``WordPieceTokenizer``).
struct TokenizerFile: Decodable {
    struct AddedToken: Decodable {
        let id: Int32
        let content: String
        let special: Bool
        let normalized: Bool
    }

    struct Normalizer: Decodable {
        let type: String
        let cleanText: Bool?
        let handleChineseChars: Bool?
        let stripAccents: Bool?
        let lowercase: Bool?

        enum CodingKeys: String, CodingKey {
            case type, lowercase
            case cleanText = "clean_text", handleChineseChars = "handle_chinese_chars", stripAccents = "strip_accents"
        }
    }

    struct Stage: Decodable {
        let type: String
    }

    struct Model: Decodable {
        let type: String
        let unkToken: String?
        let continuingSubwordPrefix: String?
        let maxInputCharsPerWord: Int?

        enum CodingKeys: String, CodingKey {
            case type
            case unkToken = "unk_token", continuingSubwordPrefix = "continuing_subword_prefix"
            case maxInputCharsPerWord = "max_input_chars_per_word"
        }
    }

    let addedTokens: [AddedToken]?
    let normalizer: Normalizer?
    let preTokenizer: Stage?
    let postProcessor: Stage?
    let model: Model

    enum CodingKeys: String, CodingKey {
        case model
        case addedTokens = "added_tokens", normalizer
        case preTokenizer = "pre_tokenizer", postProcessor = "post_processor"
    }
}

/// The vocabulary inside `tokenizer.json`, decoded only when no `vocab.txt` sits beside it.
struct TokenizerFileVocabulary: Decodable {
    struct Model: Decodable { let vocab: [String: Int] }
    let model: Model
}
