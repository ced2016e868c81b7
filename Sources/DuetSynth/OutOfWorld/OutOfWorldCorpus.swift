import DuetData
import Dispatch
import DuetRandom
import DuetTensor  // Parallelism only: the one thread knob of the process
import Foundation

/// The out-of-world test split: human-written music the training corpus never uses (the MIDI
/// files of Debian's openttd-openmsx, GPL-2), rendered only with the held-out OPL-3 FM soundfont,
/// captioned with `OutOfWorldCaptioner`'s separate phrase book. `Options` can render with another
/// soundfont and caption in the training vocabulary's words instead: diagnostic variants that
/// separate what the split tests (new music, new timbres, new words), never the split itself.
///
/// Tags come from the files' own metadata: instruments from their program changes (mapped to
/// the nearest tag by `Instrument.nearest`), tempo from the tempo event, key and meter from the
/// signatures. Clips are `seconds` long, cut from up to `clipsPerFile` evenly spaced windows of
/// each file (from 4 s on; windows with fewer than 8 notes are skipped). Every entry is in the
/// `test` split; nothing here is read by training.
public enum OutOfWorldCorpus {
    public static var defaultMusicFolder: URL { URL(fileURLWithPath: "/usr/share/games/openttd/baseset/openmsx", isDirectory: true) }

    public struct Options: Sendable {
        public var directory: URL
        public var musicFolder: URL
        public var seconds: Double
        public var sampleRate: Int
        public var clipsPerFile: Int
        public var seed: UInt64
        public var soundFont: URL
        /// The phrase book (the split itself) or the training vocabulary's words (a diagnostic).
        public var wording: OutOfWorldCaptioner.Wording

        public init(directory: URL, musicFolder: URL = OutOfWorldCorpus.defaultMusicFolder, seconds: Double = 10,
                    sampleRate: Int = 16000, clipsPerFile: Int = 7, seed: UInt64 = 0, soundFont: URL = SoundFonts.heldOut,
                    wording: OutOfWorldCaptioner.Wording = .phraseBook) {
            self.directory = directory
            self.musicFolder = musicFolder
            self.seconds = seconds
            self.sampleRate = sampleRate
            self.clipsPerFile = clipsPerFile
            self.seed = seed
            self.soundFont = soundFont
            self.wording = wording
        }
    }

    /// One planned clip: its entry and what to render.
    public struct Clip: Sendable {
        public var entry: ManifestEntry
        public var arrangement: Arrangement
    }

    /// The clips of every `.mid` file in the music folder, in file-name order.
    public static func plan(_ options: Options) throws -> [Clip] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: options.musicFolder.path)
                .filter { $0.lowercased().hasSuffix(".mid") }.sorted()
        } catch {
            throw SynthError.writeFailed(
                path: options.musicFolder.path,
                reason: "no MIDI folder (\(error.localizedDescription)); run `make setup` to install Debian openttd-openmsx")
        }
        guard !names.isEmpty else {
            throw SynthError.invalidOption("no .mid files in \(options.musicFolder.path); run `make setup` (Debian openttd-openmsx)")
        }
        var clips: [Clip] = []
        let root = SeededGenerator(seed: options.seed)
        for name in names {
            let song = try StandardMidiFile.read(from: options.musicFolder.appendingPathComponent(name))
            let last = song.duration - options.seconds - 1
            guard last >= 4 else { continue }
            let candidates = Array(stride(from: 4.0, through: last, by: options.seconds))
            let step = max(1, candidates.count / max(1, options.clipsPerFile))
            for start in candidates.enumerated().filter({ $0.offset % step == 0 }).prefix(options.clipsPerFile).map(\.element) {
                guard let arrangement = window(of: song, from: start, seconds: options.seconds) else { continue }
                let index = clips.count
                let id = "w" + CorpusPlan.identifier(index)
                var generator = root.derived(stream: UInt64(index))
                let facts = OutOfWorldCaptioner.Facts(
                    instruments: arrangement.instrumentsByProminence, tempo: song.initialTempo,
                    minor: song.keySignature?.minor, beatsPerBar: song.beatsPerBar)
                var metadata = [
                    "source": "openttd-openmsx", "title": String(name.dropLast(4)), "window": String(format: "%.0f", start),
                    "tempo": String(Int(song.initialTempo.rounded())), "meter": "\(song.beatsPerBar)/4",
                    "soundfont": options.soundFont.lastPathComponent, "licence": "GPL-2.0 (OpenMSX)",
                ]
                if let minor = song.keySignature?.minor { metadata["mode"] = minor ? "minor" : "major" }
                let entry = ManifestEntry(
                    id: id, audio: "audio/\(id).wav",
                    tags: [TagCategory.instrument: arrangement.tags.instruments.map(\.rawValue)],
                    captions: OutOfWorldCaptioner.captions(for: facts, wording: options.wording, using: &generator), split: .test, metadata: metadata)
                clips.append(Clip(entry: entry, arrangement: arrangement))
            }
        }
        return clips
    }

    /// The notes of `song` inside `[start, start + seconds)` as an arrangement: one track per
    /// MIDI channel with at least 3 notes there, voiced by the channel's program.
    static func window(of song: StandardMidiFile, from start: Double, seconds: Double) -> Arrangement? {
        let end = start + seconds
        let inside = song.notes.filter { $0.start < end - 0.05 && $0.end > start }
        guard inside.count >= 8 else { return nil }
        var tracks: [Track] = []
        for channel in 0..<16 {
            let notes = inside.filter { $0.channel == channel }
            guard notes.count >= 3, let program = notes.first?.program else { continue }
            let percussion = channel == 9
            let events = notes.map { note in
                let onset = max(0, note.start - start)
                return NoteEvent(start: onset, duration: max(0.03, min(end, note.end) - start - onset), key: note.key,
                                 velocity: max(1, min(127, note.velocity)))
            }
            tracks.append(Track(
                instrument: Instrument.nearest(program: program, percussion: percussion), role: percussion ? .rhythm : .comping,
                channel: channel, bank: percussion ? 128 : 0, program: percussion ? 0 : program, volume: 100, pan: 64,
                reverbSend: 40, notes: Composer.finished(events, duration: seconds)))
        }
        let instruments = Array(Set(tracks.map(\.instrument))).sorted()
        guard !instruments.isEmpty else { return nil }
        return Arrangement(
            tags: ClipTags(genres: [], moods: [], instruments: instruments), tempo: song.initialTempo,
            beatsPerBar: song.beatsPerBar, tonic: 0, mode: song.keySignature?.minor == true ? .minor : .major, swing: 0.5,
            dynamics: 0.6, duration: seconds, progression: Progression("I"), tracks: tracks)
    }

    /// Plans, renders with the held-out soundfont on `Parallelism.threadCount` workers, and writes
    /// `audio/`, `manifest.jsonl` and `vocabulary.json` (the synth vocabulary) into the directory.
    public static func write(_ options: Options, progress: @escaping @Sendable (Int, Int) -> Void) throws -> [ManifestEntry] {
        try SoundFonts.requireFiles([options.soundFont])
        let clips = try plan(options)
        let audioDirectory = options.directory.appendingPathComponent("audio", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: audioDirectory, withIntermediateDirectories: true)
        } catch {
            throw SynthError.writeFailed(path: audioDirectory.path, reason: error.localizedDescription)
        }
        let workers = max(1, min(Parallelism.threadCount, clips.count))
        let queue = WorkQueue(total: clips.count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let renderer: FluidRenderer
            do {
                renderer = try FluidRenderer(soundFont: options.soundFont, sampleRate: options.sampleRate)
            } catch {
                queue.fail(error)
                return
            }
            while let index = queue.next() {
                do {
                    let samples = try renderer.render(clips[index].arrangement)
                    try WaveFile.write(samples, sampleRate: options.sampleRate, to: options.directory.appendingPathComponent(clips[index].entry.audio))
                    queue.finished(progress)
                } catch {
                    queue.fail(error)
                    return
                }
            }
        }
        if let error = queue.firstError { throw error }
        let manifest = options.directory.appendingPathComponent("manifest.jsonl")
        do {
            var text = ""
            for clip in clips { text += try clip.entry.encodedLine() + "\n" }
            try Data(text.utf8).write(to: manifest, options: .atomic)
            try SynthVocabulary.standard.encoded().write(to: options.directory.appendingPathComponent("vocabulary.json"), options: .atomic)
        } catch {
            throw SynthError.writeFailed(path: manifest.path, reason: error.localizedDescription)
        }
        return clips.map(\.entry)
    }
}
