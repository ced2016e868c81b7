import ArgumentParser
import DuetEncoders
import DuetSearch
import DuetText
import DuetWeights
import Foundation

/// Embeds captions with the locked all-MiniLM-L6-v2 text encoder (or a trained model's text
/// branch with `--model`), or shows how they tokenise.
struct EmbedText: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed-text",
        abstract: "Print the sentence embedding (L2-normalised) of each text: all-MiniLM-L6-v2 (384 values) or, with --model, a trained model's (256).",
        discussion: """
        Without --model: mean pooling over the tokens, then L2 normalisation, as sentence-transformers computes it; texts \
        are truncated to 256 tokens. With --model RUN/best: MiniLM's token states through the trained text branch, \
        the query embedding `duet search` uses. --from FILE reads one text per line (`-` reads standard input).
        """)

    @Argument(help: "One or more texts, e.g. \"a mellow jazz trio\".") var arguments: [String] = []
    @Option(name: .customLong("from"), help: "Read texts from this file, one per line (`-`: standard input).") var source: String?
    @Option(name: .customLong("model"), help: "Trained checkpoint folder (RUN/best): print its 256-d text embedding.") var modelPath: String?
    @Flag(help: "Print JSON (one object per text, in an array).") var json = false
    @Flag(help: "Show the tokenisation (tokens and ids) instead of the embedding.") var tokens = false
    @Option(help: "Maximum tokens per text, [CLS] and [SEP] included.") var maximumLength = WordPieceTokenizer.defaultMaximumLength

    func validate() throws {
        guard !arguments.isEmpty || source != nil else { throw ValidationError("give at least one text, or --from FILE") }
        guard (2...512).contains(maximumLength) else { throw ValidationError("--maximum-length must be between 2 and 512") }
        if let source, source != "-", !FileManager.default.isReadableFile(atPath: source) {
            throw ValidationError("--from \(source): no readable file there")
        }
        if modelPath != nil && tokens { throw ValidationError("--tokens shows MiniLM's tokenisation; drop --model") }
    }

    /// The texts of the arguments, then the non-empty lines of `--from`.
    func readTexts() throws -> [String] {
        guard let source else { return arguments }
        let data = source == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: source))
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let texts = arguments + lines
        guard !texts.isEmpty else { throw ValidationError("--from \(source) holds no text") }
        return texts
    }

    func run() throws {
        let texts = try readTexts()
        if let modelPath {
            let model = try SearchModel(checkpoint: URL(fileURLWithPath: modelPath, isDirectory: true))
            try output(texts: texts, embeddings: try model.embedTexts(texts))
            return
        }
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
        try output(texts: texts, embeddings: try encoder.embed(texts))
    }

    private func output(texts: [String], embeddings: [[Float]]) throws {
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
