import ArgumentParser
import DuetSynth
import DuetTraining
import DuetWeights
import Foundation

/// `duet synth`: writes the embedded default corpus (procedural, soundfont-rendered, tagged music).
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Compose and render a tagged corpus of instrumental clips with FluidSynth.",
        discussion: """
            Writes DIR/audio/<id>.wav (mono 16-bit), DIR/manifest.jsonl and DIR/vocabulary.json.
            With --stats and no --out, prints label statistics of the planned corpus without rendering.
            """)

    @Option(help: "Number of clips.") var count = 1000
    @Option(help: "Corpus seed; the same seed gives byte-identical output.") var seed: UInt64 = 0
    @Option(help: "Output folder.") var out: String?
    @Option(help: "Clip length in seconds.") var seconds = 10.0
    @Option(help: "Sample rate in Hz.") var sampleRate = 16000
    @Flag(help: "Print tag counts and co-occurrence statistics.") var stats = false
    @Flag(help: "Print the summary as JSON.") var json = false
    @Flag(help: "Also write DIR/midi/<id>.mid with each clip's events.") var midi = false
    @Flag(help: "Write the out-of-world test split to --out instead (OpenMSX MIDI files, held-out OPL-3 soundfont, own phrase book).")
    var outOfWorld = false
    @Flag(help: "Replace a corpus already in --out (its clips, manifest and vocabulary are removed first).") var force = false
    @Option(help: "Share of the clips that play human-written tunes from the music21 tune books (make setup), e.g. 0.15; 0 (the default) for none.")
    var tuneShare = 0.0
    @Option(help: ArgumentHelp(
        "With --out-of-world: render with this soundfont instead of the held-out OPL-3 one (a diagnostic variant, not the split).",
        valueName: "FILE"))
    var soundfont: String?
    @Option(help: ArgumentHelp(
        "Give the valid and test clips the out-of-world captioner's captions of their facts (the instruments that play most, tempo, mode, meter) in its phrase book or in the training vocabulary's tag names, instead of the corpus's own; clips and training texts stay the same for the same seed (a diagnostic of new words on known music).",
        valueName: "phrase-book|training-words"))
    var heldOutWords: HeldOutWords?
    @Flag(help: "With --out-of-world: caption the same facts in the training vocabulary's tag names instead of the split's own phrase book (a diagnostic variant, not the split).")
    var trainingWords = false

    func validate() throws {
        if out == nil && !stats { throw ValidationError("give --out DIR (or --stats to only print label statistics)") }
        if count <= 0 { throw ValidationError("--count must be positive") }
        if !(0...1).contains(tuneShare) { throw ValidationError("--tune-share must be in 0...1, got \(tuneShare)") }
        if !outOfWorld, soundfont != nil || trainingWords {
            throw ValidationError("--soundfont and --training-words only change --out-of-world (the training corpus takes DUET_SOUNDFONT)")
        }
        if let soundfont, !FileManager.default.fileExists(atPath: soundfont) { throw ValidationError("no soundfont at \(soundfont)") }
        if outOfWorld, heldOutWords != nil { throw ValidationError("--held-out-words re-captions the corpus's own clips; with --out-of-world use --training-words") }
        if let out, !force, CorpusFolder.holdsCorpus(URL(fileURLWithPath: out, isDirectory: true)) {
            throw ValidationError("\(out) already holds a corpus (\(CorpusFolder.manifest(in: URL(fileURLWithPath: out)).path)); pass --force to replace it, or choose another --out")
        }
    }

    /// The music21 tune books from the model cache, when a share of the clips plays them.
    func loadTunes() throws -> [NotatedTune] {
        guard tuneShare > 0, !outOfWorld else { return [] }
        let library = try TuneLibrary.load(from: TuneLibrary.corpusFolder(inModels: ModelCache.directory))
        FileHandle.standardError.write(Data("synth: music21 tune books: \(library.summary)\n".utf8))
        return library.tunes
    }

    func run() throws {
        let tunes = try loadTunes()
        guard let out else {
            let plan = CorpusPlan(count: count, seed: seed, tunes: tunes, tuneShare: tuneShare)
            print(CorpusStatistics(plan.items.map(\.tags)).report())
            return
        }
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        if force {
            let removed = try CorpusFolder.removeCorpus(in: folder)
            if removed > 0 { FileHandle.standardError.write(Data("synth: removed the previous corpus in \(out) (\(removed) files)\n".utf8)) }
        }
        if outOfWorld {
            let options = OutOfWorldCorpus.Options(
                directory: folder, seconds: seconds, sampleRate: sampleRate, seed: seed,
                soundFont: soundfont.map { URL(fileURLWithPath: $0) } ?? SoundFonts.heldOut,
                wording: trainingWords ? .trainingWords : .phraseBook)
            let entries = try OutOfWorldCorpus.write(options) { _, _ in }
            print("synth: wrote the out-of-world test split, \(entries.count) clips with \(entries.map { $0.captions?.count ?? 0 }.reduce(0, +)) captions, to \(out)")
            return
        }
        let options = CorpusWriter.Options(
            count: count, seed: seed, seconds: seconds, sampleRate: sampleRate,
            directory: folder, writesMIDI: midi, tunes: tunes, tuneShare: tuneShare, heldOutWording: heldOutWords?.wording)
        let progress = ProgressBar(label: "synth: rendering", total: count)
        let summary = try CorpusWriter.write(options) { done, _ in progress.update(completed: done) }
        progress.finish()
        let splits = Dictionary(grouping: summary.entries, by: \.split).mapValues(\.count)
        if json {
            let object: [String: Any] = [
                "clips": summary.entries.count, "manifest": summary.manifest.path,
                "vocabulary": summary.vocabulary.path, "render_seconds": summary.renderSeconds,
                "train": splits[.train] ?? 0, "valid": splits[.valid] ?? 0, "test": splits[.test] ?? 0,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("synth: wrote \(summary.entries.count) clips (train \(splits[.train] ?? 0), valid \(splits[.valid] ?? 0), test \(splits[.test] ?? 0)) to \(out)")
            print("synth: rendering took \(String(format: "%.1f", summary.renderSeconds)) s on \(ProcessInfo.processInfo.environment["DUET_THREADS"] ?? "all") threads; manifest \(summary.manifest.path)")
        }
        if stats {
            let tags = summary.entries.map { entry in
                ClipTags(
                    genres: (entry.tags["genre"] ?? []).compactMap(Genre.init(rawValue:)),
                    moods: (entry.tags["mood"] ?? []).compactMap(Mood.init(rawValue:)),
                    instruments: (entry.tags["instrument"] ?? []).compactMap(Instrument.init(rawValue:)))
            }
            print(CorpusStatistics(tags).report())
        }
    }
}

/// `--held-out-words`: whose words the corpus's valid and test captions use.
enum HeldOutWords: String, ExpressibleByArgument, CaseIterable {
    case phraseBook = "phrase-book"
    case trainingWords = "training-words"

    var wording: OutOfWorldCaptioner.Wording {
        switch self {
        case .phraseBook: .phraseBook
        case .trainingWords: .trainingWords
        }
    }
}
