import Foundation

/// A problem found in a data file, located by line (1-based).
public struct LineProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// A manifest that did not validate: every problem found, each with its line.
public struct ManifestError: Error, LocalizedError, Equatable {
    public var path: String
    public var problems: [LineProblem]
    /// Whether some problems are missing audio files (then `--skip-missing-audio` may help).
    public var hasMissingAudio: Bool

    public var errorDescription: String? {
        let shown = problems.prefix(50).map { "\(path):\($0.line): \($0.message)" }
        var text = "\(path): \(problems.count) problem\(problems.count == 1 ? "" : "s") in the manifest:\n"
            + shown.joined(separator: "\n")
        if problems.count > shown.count { text += "\n... and \(problems.count - shown.count) more" }
        if hasMissingAudio { text += "\nFix the audio paths, or skip those items with --skip-missing-audio." }
        return text
    }
}

/// How strictly a manifest is loaded.
public struct ManifestLoadOptions: Sendable {
    /// Check that every audio file exists.
    public var checkAudio = true
    /// Drop items whose audio is missing (they are listed in `Manifest.skipped`) instead of failing.
    public var skipMissingAudio = false
    /// When set, a tag of a category the vocabulary defines must be one of its tags or synonyms.
    public var vocabulary: TagVocabulary?

    public init(checkAudio: Bool = true, skipMissingAudio: Bool = false, vocabulary: TagVocabulary? = nil) {
        self.checkAudio = checkAudio
        self.skipMissingAudio = skipMissingAudio
        self.vocabulary = vocabulary
    }
}

/// A loaded, validated manifest: the JSONL file of ``ManifestEntry`` lines (see `Docs/manifest.md`).
public struct Manifest: Sendable {
    public var url: URL
    public var entries: [ManifestEntry]
    /// Items dropped because their audio file is missing (only with `skipMissingAudio`).
    public var skipped: [ManifestEntry]

    public init(url: URL, entries: [ManifestEntry], skipped: [ManifestEntry] = []) {
        self.url = url
        self.entries = entries
        self.skipped = skipped
    }

    static let knownKeys: Set<String> = ["id", "audio", "start", "end", "tags", "captions", "captions_by_language", "split", "metadata"]

    /// The absolute location of an entry's audio: relative paths are resolved against the manifest's folder.
    public func audioURL(for entry: ManifestEntry) -> URL {
        Self.audioURL(entry.audio, manifest: url)
    }

    static func audioURL(_ audio: String, manifest: URL) -> URL {
        if audio.hasPrefix("/") { return URL(fileURLWithPath: audio) }
        return manifest.deletingLastPathComponent().appendingPathComponent(audio)
    }

    /// Reads and validates a manifest, collecting every problem before failing.
    /// - Throws: ``ManifestError`` listing each problem with its line; ``DataFileError`` when unreadable.
    public static func load(from url: URL, options: ManifestLoadOptions = ManifestLoadOptions()) throws -> Manifest {
        let text = try TextFile.read(url)
        var (entries, problems) = parse(text, vocabulary: options.vocabulary)
        var skipped: [ManifestEntry] = []
        var missingAudio = false
        if options.checkAudio {
            var kept: [(line: Int, entry: ManifestEntry)] = []
            for (line, entry) in entries {
                if FileManager.default.fileExists(atPath: audioURL(entry.audio, manifest: url).path) {
                    kept.append((line, entry))
                } else if options.skipMissingAudio {
                    skipped.append(entry)
                } else {
                    missingAudio = true
                    problems.append(LineProblem(line: line, message: "audio file not found: \(entry.audio)"))
                }
            }
            entries = kept
        }
        if !problems.isEmpty {
            throw ManifestError(path: url.path, problems: problems.sorted { $0.line < $1.line }, hasMissingAudio: missingAudio)
        }
        return Manifest(url: url, entries: entries.map(\.entry), skipped: skipped)
    }

    /// Parses manifest text, returning the valid entries with their lines and every problem.
    public static func parse(
        _ text: String, vocabulary: TagVocabulary? = nil
    ) -> (entries: [(line: Int, entry: ManifestEntry)], problems: [LineProblem]) {
        var entries: [(line: Int, entry: ManifestEntry)] = []
        var problems: [LineProblem] = []
        var firstLineOfId: [String: Int] = [:]
        var lineNumber = 0
        for line in TextFile.lines(of: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            var lineProblems: [String] = []
            if let entry = validate(line: String(line), vocabulary: vocabulary, problems: &lineProblems) {
                if let first = firstLineOfId[entry.id] {
                    lineProblems.append("duplicate id '\(entry.id)' (first used on line \(first))")
                } else {
                    firstLineOfId[entry.id] = lineNumber
                }
                if lineProblems.isEmpty { entries.append((lineNumber, entry)) }
            }
            problems += lineProblems.map { LineProblem(line: lineNumber, message: $0) }
        }
        return (entries, problems)
    }

    /// Checks one line field by field, appending a message for each problem.
    static func validate(line: String, vocabulary: TagVocabulary?, problems: inout [String]) -> ManifestEntry? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            problems.append("not a JSON object")
            return nil
        }
        for key in object.keys.sorted() where !knownKeys.contains(key) {
            problems.append("unknown field '\(key)' (allowed: \(knownKeys.sorted().joined(separator: ", ")))")
        }
        func string(_ key: String, required: Bool) -> String? {
            guard let value = object[key] else {
                if required { problems.append("missing field '\(key)'") }
                return nil
            }
            guard let text = value as? String, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                problems.append("'\(key)' must be a non-empty string")
                return nil
            }
            return text
        }
        func seconds(_ key: String) -> Double? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let number = value as? NSNumber, !(value is Bool), number.doubleValue.isFinite, number.doubleValue >= 0 else {
                problems.append("'\(key)' must be a non-negative number of seconds")
                return nil
            }
            return number.doubleValue
        }
        let id = string("id", required: true)
        let audio = string("audio", required: true)
        let start = seconds("start")
        let end = seconds("end")
        if let start, let end, end <= start { problems.append("'end' (\(end)) must be after 'start' (\(start))") }
        if start == nil, let end, end == 0 { problems.append("'end' must be after the start of the file (0 s)") }
        var split: Split?
        if let name = string("split", required: true) {
            split = Split(rawValue: name)
            if split == nil { problems.append("'split' must be train, valid or test, not '\(name)'") }
        }
        var tags: [String: [String]] = [:]
        if let value = object["tags"] {
            if let categories = value as? [String: Any] {
                for (category, list) in categories.sorted(by: { $0.key < $1.key }) {
                    if category.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("empty tag category name") }
                    guard let names = list as? [Any], names.allSatisfy({ ($0 as? String).map { !$0.isEmpty } ?? false }) else {
                        problems.append("tags of '\(category)' must be a list of non-empty strings")
                        continue
                    }
                    let strings = names.compactMap { $0 as? String }
                    let duplicates = Dictionary(grouping: strings, by: TagVocabulary.normalisedKey).filter { $0.value.count > 1 }
                    for key in duplicates.keys.sorted() { problems.append("tag '\(key)' repeated in '\(category)'") }
                    if let vocabulary, vocabulary.categories[category] != nil {
                        for tag in strings where vocabulary.canonical(tag, in: category) == nil {
                            problems.append("unknown \(category) tag '\(tag)' (not in vocabulary '\(vocabulary.name)')")
                        }
                    }
                    tags[category] = strings
                }
            } else {
                problems.append("'tags' must be an object of category → list of tags")
            }
        } else {
            problems.append("missing field 'tags' (use {} for an item without tags)")
        }
        var captions: [String]?
        if let value = object["captions"], !(value is NSNull) {
            if let list = value as? [Any], list.allSatisfy({ ($0 as? String).map { !$0.isEmpty } ?? false }) {
                captions = list.compactMap { $0 as? String }
            } else {
                problems.append("'captions' must be a list of non-empty strings")
            }
        }
        let captionsByLanguage = validatedCaptionsByLanguage(object["captions_by_language"], problems: &problems)
        var metadata: [String: String]?
        if let value = object["metadata"], !(value is NSNull) {
            if let map = value as? [String: Any], map.values.allSatisfy({ $0 is String }) {
                metadata = map.compactMapValues { $0 as? String }
            } else {
                problems.append("'metadata' must be an object of string values")
            }
        }
        guard let id, let audio, let split, problems.isEmpty else { return nil }
        return ManifestEntry(id: id, audio: audio, start: start, end: end, tags: tags, captions: captions,
            captionsByLanguage: captionsByLanguage, split: split, metadata: metadata)
    }

    /// `captions_by_language`: an object of ISO 639-1 code (two lowercase letters, not `en`,
    /// whose captions are `captions`) → list of non-empty strings.
    static func validatedCaptionsByLanguage(_ value: Any?, problems: inout [String]) -> [String: [String]]? {
        guard let value, !(value is NSNull) else { return nil }
        guard let languages = value as? [String: Any] else {
            problems.append("'captions_by_language' must be an object of language code → list of captions")
            return nil
        }
        var result: [String: [String]] = [:]
        for (code, list) in languages.sorted(by: { $0.key < $1.key }) {
            guard code.count == 2, code.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }) else {
                problems.append("'captions_by_language' key '\(code)' must be a two-letter lowercase ISO 639-1 code such as 'de'")
                continue
            }
            guard code != ManifestEntry.captionLanguage else {
                problems.append("'captions_by_language' must not have 'en': English captions go in 'captions'")
                continue
            }
            guard let texts = list as? [Any], texts.allSatisfy({ ($0 as? String).map { !$0.isEmpty } ?? false }) else {
                problems.append("'captions_by_language' of '\(code)' must be a list of non-empty strings")
                continue
            }
            result[code] = texts.compactMap { $0 as? String }
        }
        return result
    }

    /// Writes entries as JSONL (one sorted-key line each), atomically.
    public static func write(_ entries: [ManifestEntry], to url: URL) throws {
        var text = ""
        for entry in entries { text += try entry.encodedLine() + "\n" }
        do { try Data(text.utf8).write(to: url, options: .atomic) } catch {
            throw DataFileError.unreadable(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
