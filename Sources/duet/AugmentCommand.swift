import ArgumentParser
import DuetData
import Dispatch
import Foundation

/// `duet augment MANIFEST`: Augmented View Dropout views (captions of balanced tag subsets) per item.
struct AugmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "augment",
        abstract: "Write the Augmented View Dropout views of every item (resumable, idempotent for a seed).",
        discussion: """
            Output: JSONL, one line per item, {"id", "seed", "views": [{"caption", "source", "tags"}]} (Docs/augment.md).
            Each view keeps a random non-empty subset of every tagged category and is captioned offline; with --llm
            the caption is asked of an OpenAI-compatible endpoint (--llm-url/DUET_LLM_URL, --llm-model/DUET_LLM_MODEL,
            DUET_LLM_API_KEY), checked against the tags, and replaced by the offline caption when rejected.
            Rerunning skips the items already written; answers are cached next to the output.
            """)

    @Argument(help: "The manifest (JSONL).") var manifest: String
    @Option(name: .shortAndLong, help: "The views file to write or resume (default: MANIFEST with .views.jsonl).") var output: String?
    @Option(help: "Views per item.") var views = 10
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Tag vocabulary (JSON) whose synonyms the captions may use.") var vocabulary: String?
    @Option(help: "Swap dictionary (JSON) of known descriptors (default: the bundled one).") var dictionary: String?
    @Flag(help: "Ask a language model for the captions.") var llm = false
    @Option(help: "Chat-completions endpoint or base URL (default: DUET_LLM_URL).") var llmURL: String?
    @Option(help: "Model name (default: DUET_LLM_MODEL).") var llmModel: String?
    @Option(help: "Few-shot prompt file (default: the bundled caption-prompt.json).") var prompt: String?
    @Option(help: "Answer cache (default: OUTPUT with .llm-cache.jsonl).") var cache: String?
    @Option(help: "Language-model requests in flight at once.") var concurrency = 4
    @Option(help: "Seconds before a request times out.") var timeout = 60.0
    @Flag(help: "Print the report as JSON.") var json = false

    func run() throws {
        let manifestURL = URL(fileURLWithPath: manifest)
        let entries = try Manifest.load(from: manifestURL, options: ManifestLoadOptions(checkAudio: false)).entries
        let vocabulary = try self.vocabulary.map { try TagVocabulary.load(from: URL(fileURLWithPath: $0)) }
        let dictionary = try self.dictionary.map { try SwapDictionary.load(from: URL(fileURLWithPath: $0)) } ?? SwapDictionary.bundled()
        let captioner = CaptionGenerator(vocabulary: vocabulary, dictionary: dictionary)
        guard views > 0 else { throw ValidationError("--views must be positive") }
        let outputURL = URL(fileURLWithPath: output ?? manifestURL.deletingPathExtension().path + ".views.jsonl")
        var languageModel: LanguageModelCaptioner?
        if llm {
            var configuration = try LanguageModelConfiguration.fromEnvironment(url: llmURL, model: llmModel)
            configuration.concurrency = concurrency
            configuration.timeout = timeout
            let promptFile = try prompt.map { try CaptionPrompt.load(from: URL(fileURLWithPath: $0)) } ?? CaptionPrompt.bundled()
            let cacheURL = URL(fileURLWithPath: cache ?? outputURL.deletingPathExtension().path + ".llm-cache.jsonl")
            languageModel = LanguageModelCaptioner(
                client: ChatCompletionClient(configuration: configuration), prompt: promptFile,
                cache: try CaptionCache(url: cacheURL), lexicon: captioner.lexicon, vocabulary: vocabulary)
        }
        let augmenter = ViewAugmenter(dropout: ViewDropout(viewCount: views, captioner: captioner), seed: seed, languageModel: languageModel)
        let report = try runBlocking {
            try await augmenter.run(entries: entries, output: outputURL) { done, total in
                FileHandle.standardError.write(Data("\raugment: \(done)/\(total) items".utf8))
            }
        }
        FileHandle.standardError.write(Data("\n".utf8))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            var line = "wrote \(report.written) items to \(outputURL.path) (\(report.alreadyDone) already there)"
            if let model = report.languageModel {
                line += "; language model: \(model.accepted) accepted, \(model.rejected) rejected, \(model.failed) failed (both fell back to templates), \(model.cached) from cache"
            }
            print(line)
        }
    }
}

/// Runs async work from a synchronous command and returns its result.
func runBlocking<Result: Sendable>(_ work: @escaping @Sendable () async throws -> Result) throws -> Result {
    let box = ResultBox<Result>()
    let semaphore = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
        semaphore.signal()
    }
    semaphore.wait()
    return try box.result!.get()
}

/// Carries a result from a task back to the waiting thread (written once, read after the signal).
private final class ResultBox<Value>: @unchecked Sendable {
    var result: Result<Value, Error>?
}
