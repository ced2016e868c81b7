import DuetData
import Dispatch
import DuetRandom
import DuetTensor  // Parallelism only: the one thread knob of the process
import Foundation

/// Writes a synthetic corpus: `audio/<id>.wav` clips, `manifest.jsonl` and `vocabulary.json`.
public enum CorpusWriter {
    public struct Options: Sendable {
        public var count: Int
        public var seed: UInt64
        public var seconds: Double
        public var sampleRate: Int
        public var directory: URL
        /// The soundfonts a clip's renderer is chosen from (seeded per clip).
        public var soundFonts: [URL]
        /// Whether clips get the seeded `AudioAugmentation` after rendering.
        public var augments: Bool
        /// Also write `midi/<id>.mid` (Standard MIDI File of each clip's events).
        public var writesMIDI: Bool
        /// Human-written tunes (`TuneLibrary`) that `tuneShare` of the clips play instead of composed music.
        public var tunes: [NotatedTune]
        public var tuneShare: Double
        /// nil: valid and test clips get the corpus's own held-out captions. Set: they get
        /// `OutOfWorldCaptioner`'s captions of their facts in that wording instead (English only), a
        /// diagnostic of new words on music a model knows; clips and training texts are unchanged.
        public var heldOutWording: OutOfWorldCaptioner.Wording?

        public init(count: Int, seed: UInt64, seconds: Double = 10, sampleRate: Int = 16000, directory: URL,
                    soundFonts: [URL] = SoundFonts.training, augments: Bool = true, writesMIDI: Bool = false,
                    tunes: [NotatedTune] = [], tuneShare: Double = 0, heldOutWording: OutOfWorldCaptioner.Wording? = nil) {
            self.heldOutWording = heldOutWording
            self.writesMIDI = writesMIDI
            self.tunes = tunes
            self.tuneShare = tuneShare
            self.count = count
            self.seed = seed
            self.seconds = seconds
            self.sampleRate = sampleRate
            self.directory = directory
            self.soundFonts = soundFonts
            self.augments = augments
        }
    }

    /// What was written.
    public struct Summary: Sendable {
        public var entries: [ManifestEntry]
        public var manifest: URL
        public var vocabulary: URL
        public var renderSeconds: Double
    }

    /// The manifest entries of a plan, without rendering. Valid and test items get held-out
    /// captions: English ones in `captions` and as many in each `CaptionLanguage` in
    /// `captions_by_language`.
    /// Arrangements are composed and dropped (render workers compose them again, which costs
    /// about 2 ms a clip), so memory does not grow with the corpus.
    /// With `heldOutWording`, valid and test items get `OutOfWorldCaptioner`'s English captions of
    /// their facts in that wording and no other languages.
    public static func entries(
        for plan: CorpusPlan, seconds: Double, soundFonts: [URL] = SoundFonts.training, heldOutWording: OutOfWorldCaptioner.Wording? = nil
    ) -> [ManifestEntry] {
        var entries: [ManifestEntry] = []
        for item in plan.items {
            let arrangement = CorpusWriter.arrangement(for: item, seconds: seconds)
            var captions: [String]?
            var captionsByLanguage: [String: [String]]?
            if item.split != .train, let heldOutWording {
                var generator = SeededGenerator(seed: item.captionSeed)
                captions = OutOfWorldCaptioner.captions(for: .init(arrangement), wording: heldOutWording, using: &generator)
            } else if item.split != .train {
                var generator = SeededGenerator(seed: item.captionSeed)
                let english = HumanCaptioner.captions(for: arrangement, using: &generator)
                captions = english
                // Tune clips have no mood, which every phrase-book frame names: English captions only.
                if item.tune == nil {
                    captionsByLanguage = MultilingualCaptioner.captionsByLanguage(
                        for: arrangement, count: english.count, seed: item.captionSeed)
                }
            }
            let soundFont = soundFonts[soundFontIndex(item, count: soundFonts.count)].lastPathComponent
            if let tune = item.tune {
                entries.append(ManifestEntry(
                    id: item.id, audio: "audio/\(item.id).wav", tags: tune.manifestTags(arrangement), captions: captions,
                    split: item.split, metadata: tune.manifestMetadata(arrangement, soundFont: soundFont)))
                continue
            }
            let meter = "\(arrangement.beatsPerBar)/4"
            var tags = item.tags.manifestTags
            tags[SynthVocabulary.tempoCategory] = [SynthVocabulary.tempoTag(arrangement.tempo)]
            entries.append(ManifestEntry(
                id: item.id, audio: "audio/\(item.id).wav", tags: tags, captions: captions,
                captionsByLanguage: captionsByLanguage, split: item.split,
                metadata: ["tempo": String(Int(arrangement.tempo)), "key": HumanCaptioner.keyName(arrangement), "meter": meter,
                           "source": "duet-synth", "soundfont": soundFont]))
        }
        return entries
    }

    /// The arrangement of an item: its tune arranged (`TuneArranger`) or music composed from its tags (`Composer`).
    public static func arrangement(for item: CorpusPlan.Item, seconds: Double) -> Arrangement {
        if let tune = item.tune { return TuneArranger.arrange(tune, seed: item.compositionSeed, duration: seconds) }
        return Composer.compose(item.tags, seed: item.compositionSeed, duration: seconds)
    }

    /// Composes, renders in parallel on `Parallelism.threadCount` workers (one FluidSynth each),
    /// and writes the corpus. `progress(done, total)` is called from worker threads, serialised.
    public static func write(_ options: Options, progress: @escaping @Sendable (Int, Int) -> Void) throws -> Summary {
        guard options.count > 0 else { throw SynthError.invalidOption("--count must be positive, got \(options.count)") }
        guard options.seconds > 0.5, options.seconds <= 120 else { throw SynthError.invalidOption("--seconds must be in 0.5...120, got \(options.seconds)") }
        guard (8000...96000).contains(options.sampleRate) else { throw SynthError.invalidOption("--sample-rate must be in 8000...96000, got \(options.sampleRate)") }
        guard !options.soundFonts.isEmpty else { throw SynthError.invalidOption("at least one soundfont is needed") }
        try SoundFonts.requireFiles(options.soundFonts)
        let audioDirectory = options.directory.appendingPathComponent("audio", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: audioDirectory, withIntermediateDirectories: true)
        } catch {
            throw SynthError.writeFailed(path: audioDirectory.path, reason: error.localizedDescription)
        }
        let vocabularyFile: Data
        do {
            vocabularyFile = try SynthVocabulary.forCorpus().encoded()
        } catch let error as WordNetError {
            throw error
        } catch {
            throw SynthError.writeFailed(path: options.directory.path, reason: error.localizedDescription)
        }
        guard (0...1).contains(options.tuneShare) else { throw SynthError.invalidOption("--tune-share must be in 0...1, got \(options.tuneShare)") }
        let plan = CorpusPlan(count: options.count, seed: options.seed, tunes: options.tunes, tuneShare: options.tuneShare)
        let entries = entries(for: plan, seconds: options.seconds, soundFonts: options.soundFonts, heldOutWording: options.heldOutWording)
        func arrangement(_ index: Int) -> Arrangement {
            CorpusWriter.arrangement(for: plan.items[index], seconds: options.seconds)
        }
        if options.writesMIDI {
            let midiDirectory = options.directory.appendingPathComponent("midi", isDirectory: true)
            do {
                try FileManager.default.createDirectory(at: midiDirectory, withIntermediateDirectories: true)
                for (index, entry) in entries.enumerated() {
                    try MidiFile.encode(arrangement(index)).write(to: midiDirectory.appendingPathComponent("\(entry.id).mid"), options: .atomic)
                }
            } catch {
                throw SynthError.writeFailed(path: midiDirectory.path, reason: error.localizedDescription)
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        try renderAll(plan, entries: entries, options: options, audioDirectory: audioDirectory, progress: progress)
        let elapsed = clock.now - start
        let renderSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

        let manifest = options.directory.appendingPathComponent("manifest.jsonl")
        let vocabulary = options.directory.appendingPathComponent("vocabulary.json")
        do {
            var text = ""
            for entry in entries { text += try entry.encodedLine() + "\n" }
            try Data(text.utf8).write(to: manifest, options: .atomic)
            try vocabularyFile.write(to: vocabulary, options: .atomic)
        } catch {
            throw SynthError.writeFailed(path: manifest.path, reason: error.localizedDescription)
        }
        return Summary(entries: entries, manifest: manifest, vocabulary: vocabulary, renderSeconds: renderSeconds)
    }

    private static func renderAll(
        _ plan: CorpusPlan, entries: [ManifestEntry], options: Options, audioDirectory: URL,
        progress: @escaping @Sendable (Int, Int) -> Void
    ) throws {
        let workers = max(1, min(Parallelism.threadCount, plan.items.count))
        let queue = WorkQueue(total: plan.items.count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            // Each worker loads every soundfont once (MuseScore General takes a few seconds).
            let renderers: [FluidRenderer]
            do {
                renderers = try options.soundFonts.map { try FluidRenderer(soundFont: $0, sampleRate: options.sampleRate) }
            } catch {
                queue.fail(error)
                return
            }
            while let index = queue.next() {
                do {
                    let item = plan.items[index]
                    let arrangement = CorpusWriter.arrangement(for: item, seconds: options.seconds)
                    let renderer = renderers[soundFontIndex(item, count: renderers.count)]
                    let samples = try renderer.render(arrangement, augmentation: augmentation(item, enabled: options.augments))
                    let url = audioDirectory.appendingPathComponent("\(entries[index].id).wav")
                    try WaveFile.write(samples, sampleRate: options.sampleRate, to: url)
                    queue.finished(progress)
                } catch {
                    queue.fail(error)
                    return
                }
            }
        }
        if let error = queue.firstError { throw error }
    }
}

extension CorpusWriter {
    /// The soundfont of a clip: the first draw of its render seed.
    static func soundFontIndex(_ item: CorpusPlan.Item, count: Int) -> Int {
        var generator = SeededGenerator(seed: item.renderSeed)
        return Int(generator.next() % UInt64(max(1, count)))
    }

    /// The augmentation of a clip: drawn after the soundfont choice from its render seed.
    static func augmentation(_ item: CorpusPlan.Item, enabled: Bool) -> AudioAugmentation {
        guard enabled else { return .identity }
        var generator = SeededGenerator(seed: item.renderSeed)
        _ = generator.next()
        return AudioAugmentation.random(using: &generator)
    }
}

/// Hands out clip indices to render workers and collects the first failure.
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private var nextIndex = 0
    private var done = 0
    private(set) var firstError: Error?

    init(total: Int) { self.total = total }

    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard firstError == nil, nextIndex < total else { return nil }
        defer { nextIndex += 1 }
        return nextIndex
    }

    func finished(_ progress: (Int, Int) -> Void) {
        lock.lock(); defer { lock.unlock() }
        done += 1
        progress(done, total)
    }

    func fail(_ error: Error) {
        lock.lock(); defer { lock.unlock() }
        if firstError == nil { firstError = error }
    }
}
