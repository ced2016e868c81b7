import ArgumentParser
import DuetEncoders
import DuetText
import DuetWeights
import Foundation

/// Embeds captions with the locked all-MiniLM-L6-v2 text encoder, or shows how they tokenise.
struct EmbedText: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed-text",
        abstract: "Print the all-MiniLM-L6-v2 sentence embedding (384 values, L2-normalised) of each text.",
        discussion: "Mean pooling over the tokens, then L2 normalisation, as sentence-transformers computes it; texts are truncated to 256 tokens.")

    @Argument(help: "One or more texts, e.g. \"a mellow jazz trio\".") var texts: [String]
    @Flag(help: "Print JSON (one object per text, in an array).") var json = false
    @Flag(help: "Show the tokenisation (tokens and ids) instead of the embedding.") var tokens = false
    @Option(help: "Maximum tokens per text, [CLS] and [SEP] included.") var maximumLength = WordPieceTokenizer.defaultMaximumLength

    func validate() throws {
        guard !texts.isEmpty else { throw ValidationError("give at least one text") }
        guard (2...512).contains(maximumLength) else { throw ValidationError("--maximum-length must be between 2 and 512") }
    }

    func run() throws {
        let directory = try ModelCache.require(BertSentenceEncoder.miniLMPath)
        if tokens {
            let tokenizer = try WordPieceTokenizer(directory: directory, maximumLength: maximumLength)
            let encodings = texts.map(tokenizer.encode)
            if json {
                try printJSON(zip(texts, encodings).map { ["text": $0, "tokens": $1.tokens, "ids": $1.ids.map(Int.init)] as [String: Any] })
            } else {
                for (text, encoding) in zip(texts, encodings) {
                    print("\(text.debugDescription): \(encoding.count) tokens")
                    print(zip(encoding.tokens, encoding.ids).map { "\($0)(\($1))" }.joined(separator: " "))
                }
            }
            return
        }
        let encoder = try BertSentenceEncoder(directory: directory, maximumLength: maximumLength)
        let embeddings = try encoder.embed(texts)
        if json {
            try printJSON(zip(texts, embeddings).map { ["text": $0, "dimension": $1.count, "embedding": $1.map(Double.init)] as [String: Any] })
        } else {
            for embedding in embeddings {
                print(embedding.map { String(format: "%.6f", $0) }.joined(separator: " "))
            }
        }
    }

    private func printJSON(_ value: [[String: Any]]) throws {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
