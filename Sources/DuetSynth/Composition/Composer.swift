import DuetRandom
import Foundation

/// Composes a clip from its tags: a pure function of (tags, seed, duration) to an `Arrangement`.
///
/// Genre sets the groove (drum pattern, swing, bass line, comping figure, tempo range) from the
/// primary genre and the harmony from the second genre when there is one; moods set mode, tempo
/// position inside the genre's range, dynamics, register, articulation, density and contour;
/// every tagged instrument gets a part and no other instrument plays.
public struct Composer {
    var tags: ClipTags
    var generator: SeededGenerator
    var style: GenreStyle
    var harmonyStyle: GenreStyle
    var mood: MoodProfile
    var tempo: Double
    var beatsPerBar: Int
    var tonic: Int
    var mode: Mode
    var swing: Double
    var duration: Double
    var progression: Progression
    var totalBeats: Double

    /// Composes the arrangement of one clip.
    /// - Parameters:
    ///   - tags: the clip's tags (1-2 genres, 1-3 moods, 2-6 instruments).
    ///   - seed: the clip's seed; the same tags and seed always give the same arrangement.
    ///   - duration: clip length in seconds.
    public static func compose(_ tags: ClipTags, seed: UInt64, duration: Double) -> Arrangement {
        precondition(!tags.genres.isEmpty && !tags.moods.isEmpty && !tags.instruments.isEmpty,
                     "tags need at least one genre, mood and instrument, got \(tags)")
        var composer = Composer(tags: tags, seed: seed, duration: duration)
        return composer.arrange()
    }

    init(tags: ClipTags, seed: UInt64, duration: Double) {
        self.tags = tags
        self.duration = duration
        generator = SeededGenerator(seed: seed)
        let primaryStyle = tags.genres[0].style
        let secondaryStyle = tags.genres.count > 1 ? tags.genres[1].style : primaryStyle
        let moodProfile = MoodProfile.combined(tags.moods)
        style = primaryStyle
        harmonyStyle = secondaryStyle
        mood = moodProfile
        var generator = SeededGenerator(seed: seed)
        let chosenMode = moodProfile.mode ?? (generator.chance(secondaryStyle.majorProbability) ? Mode.major : Mode.minor)
        mode = chosenMode
        let range = TagSampler.tempoRange(of: tags.genres) ?? primaryStyle.tempoRange
        let position = min(1, max(0, 0.5 + 0.35 * moodProfile.tempoBias + generator.double(in: -0.15...0.15)))
        let chosenTempo = (range.lowerBound + position * (range.upperBound - range.lowerBound)).rounded()
        tempo = chosenTempo
        beatsPerBar = generator.chance(primaryStyle.waltzProbability) ? 3 : 4
        tonic = generator.integer(in: 0...11)
        swing = generator.double(in: primaryStyle.swing)
        var chosen = Progression(generator.pick(chosenMode == .major ? secondaryStyle.majorProgressions : secondaryStyle.minorProgressions))
        if moodProfile.dissonant, tags.genres[0] != .metal, generator.chance(0.5), var last = chosen.bars.last {
            // A leading-tone diminished seventh in place of the final dominant: the tense/dark colour.
            last[last.count - 1] = ChordSymbol(root: 11, quality: .diminishedSeventh)
            chosen.bars[chosen.bars.count - 1] = last
        }
        progression = chosen
        totalBeats = (duration * chosenTempo / 60).rounded(.up) + 1
        self.generator = generator
    }

    mutating func arrange() -> Arrangement {
        let roles = assignRoles()
        var tracks: [Track] = []
        var nextChannel = 0
        var panSide = 0
        for (instrument, role) in roles {
            let channel: Int
            if instrument.isPercussionKit {
                channel = 9
            } else {
                if nextChannel == 9 { nextChannel += 1 }
                channel = nextChannel
                nextChannel += 1
            }
            let bank = instrument.isPercussionKit ? 128 : 0
            let program = instrument.isPercussionKit
                ? generator.pick(drumKits(for: instrument))
                : generator.pick(instrument.programs(in: tags.genres[0]))
            var notes: [NoteEvent]
            switch role {
            case .rhythm: notes = drumPart()
            case .bass: notes = bassPart(for: instrument)
            case .lead: notes = melodyPart(for: instrument, alsoComping: roles.filter { $0.1 == .comping || $0.1 == .pad }.isEmpty && !instrument.isMelodic)
            case .counterLine: notes = counterPart(for: instrument, leadInstrument: roles.first { $0.1 == .lead }?.0)
            case .comping: notes = compingPart(for: instrument)
            case .pad: notes = padPart(for: instrument)
            }
            notes = Composer.finished(notes, duration: duration)
            let pan: Int
            switch role {
            case .rhythm, .bass, .lead: pan = 64
            default:
                pan = panSide % 2 == 0 ? 40 : 88
                panSide += 1
            }
            tracks.append(Track(
                instrument: instrument, role: role, channel: channel, bank: bank, program: program,
                volume: volume(for: role, instrument: instrument), pan: pan, reverbSend: reverbSend(for: role),
                notes: notes))
        }
        return Arrangement(
            tags: tags, tempo: tempo, beatsPerBar: beatsPerBar, tonic: tonic, mode: mode, swing: swing,
            dynamics: mood.dynamics, duration: duration, progression: progression, tracks: tracks)
    }

    /// Decides which part each tagged instrument plays.
    func assignRoles() -> [(Instrument, Track.Role)] {
        let instruments = tags.instruments.sorted()
        let pitched = instruments.filter { !$0.isPercussionKit && $0 != .bass }
        let melodicOrder: [Instrument] = [
            .saxophone, .trumpet, .flute, .violin, .clarinet, .synthLead, .sitar, .shakuhachi, .tinWhistle, .bagpipe,
            .harmonica, .oboe, .panFlute, .recorder, .piccolo, .shamisen, .frenchHorn, .trombone, .viola, .bassoon, .cello,
        ]
        let chordalLeadOrder: [Instrument] = [
            .steelDrums, .koto, .banjo, .marimba, .xylophone, .kalimba, .musicBox, .celesta, .glockenspiel, .vibraphone,
            .harpsichord, .accordion, .clavinet, .electricGuitar, .piano, .electricPiano, .distortedGuitar, .harp,
            .acousticGuitar, .pizzicatoStrings, .tubularBells, .organ, .brassSection, .strings, .choir, .synthPad,
            .synthEffects, .orchestraHit, .timpani, .taikoDrums, .tuba, .oceanWaves, .birdsong,
        ]
        var lead = melodicOrder.first { pitched.contains($0) }
        // Cello with no bass player takes the bass line when something else can sing the tune.
        let celloIsBass = !instruments.contains(.bass) && pitched.contains(.cello)
            && pitched.contains { $0 != .cello && ($0.isMelodic || chordalLeadOrder.contains($0)) }
        if lead == .cello && celloIsBass { lead = melodicOrder.first { pitched.contains($0) && $0 != .cello } }
        // A tuba plays the bass line of a band without a bass player (oom-pah), and never leads then.
        let tubaIsBass = !instruments.contains(.bass) && !celloIsBass && pitched.contains(.tuba) && pitched.count > 1
        if lead == nil {
            lead = chordalLeadOrder.first { pitched.contains($0) && !(celloIsBass && $0 == .cello) && !(tubaIsBass && $0 == .tuba) }
        }
        return instruments.map { instrument in
            if instrument.isPercussionKit { return (instrument, .rhythm) }
            if instrument == .bass || (celloIsBass && instrument == .cello) || (tubaIsBass && instrument == .tuba) {
                return (instrument, .bass)
            }
            if instrument == lead { return (instrument, .lead) }
            if instrument.isMelodic { return (instrument, .counterLine) }
            if instrument.padsWhenAccompanying { return (instrument, .pad) }
            return (instrument, .comping)
        }
    }

    /// Bank-128 kits: the drum machine's electronic and TR-808 kits, else the genre's acoustic kits.
    func drumKits(for instrument: Instrument) -> [Int] {
        if instrument == .drumMachine { return [24, 25] }
        let kits = (style.drumStyle != nil ? style.drumKits : harmonyStyle.drumKits).filter { $0 != 24 && $0 != 25 }
        return kits.isEmpty ? [0, 8] : kits
    }

    /// Channel volume: a level per role plus a trim for patches that FluidR3 voices softly
    /// (measured: without it a comping piano sat 13 dB under the mix on average).
    func volume(for role: Track.Role, instrument: Instrument) -> Int {
        let base: Int
        switch role {
        case .rhythm: base = 96
        case .bass: base = 104
        case .lead: base = 112
        case .counterLine: base = 96
        case .comping: base = instrument == .distortedGuitar ? 88 : 100
        case .pad: base = 92
        }
        let trim: Int
        switch instrument {
        case .piano, .electricPiano: trim = 16
        case .electricGuitar, .violin: trim = 10
        case .synthLead, .harp: trim = 6
        default: trim = 0
        }
        return min(127, base + trim)
    }

    func reverbSend(for role: Track.Role) -> Int {
        let base: Int
        switch tags.genres[0].family {
        case .ambient, .classical: base = 90
        case .jazz, .folk, .latin, .country, .blues: base = 50
        case .pop, .electronic, .reggae: base = 45
        default: base = 30
        }
        return role == .pad ? min(127, base + 20) : role == .bass ? base / 3 : base
    }

    // MARK: - Time and note helpers

    /// Clip time in seconds of a beat position, with the swing applied to off-beat eighths
    /// (or sixteenths when the genre swings sixteenths).
    func seconds(atBeat beat: Double) -> Double {
        let unit = style.swingsSixteenths ? 0.5 : 1.0
        let pair = (beat / unit).rounded(.down)
        let fraction = beat / unit - pair
        let warped = fraction < 0.5 ? fraction * swing / 0.5 : swing + (fraction - 0.5) * (1 - swing) / 0.5
        return (pair + warped) * unit * 60 / tempo
    }

    /// The velocity for a relative level (0...1.2) under the clip's dynamics, with human jitter.
    mutating func velocity(_ level: Double) -> Int {
        let base = 38 + 72 * mood.dynamics
        let jitter = style.humanized ? generator.double(in: -6...6) : 0
        return Int(min(127, max(1, (base * level + jitter).rounded())))
    }

    /// A note at `beat` lasting `length` beats; onsets get a few milliseconds of human timing.
    mutating func note(atBeat beat: Double, length: Double, key: Int, level: Double) -> NoteEvent {
        let start = seconds(atBeat: beat)
        let end = seconds(atBeat: beat + length)
        let offset = style.humanized ? generator.double(in: -0.006...0.006) : 0
        return NoteEvent(
            start: max(0, start + offset), duration: max(0.03, end - start), key: min(127, max(0, key)),
            velocity: velocity(level))
    }

    /// The chord at a beat.
    func chord(atBeat beat: Double) -> ChordSymbol {
        progression.chord(atBeat: beat, beatsPerBar: beatsPerBar)
    }

    /// MIDI key of pitch class `relative` (above the tonic) nearest to `target`.
    func key(pitchClass relative: Int, near target: Int) -> Int {
        let pitchClass = (tonic + relative) % 12
        var key = target - ((target - pitchClass) % 12 + 12) % 12
        if target - key > 6 { key += 12 }
        return key
    }

    /// Clips notes to the clip, drops late ones, sorts, merges strikes of one key less than
    /// 20 ms apart, and shortens any note that would overlap a later note of the same key (the
    /// renderer's note-off would cut the later note otherwise).
    static func finished(_ notes: [NoteEvent], duration: Double) -> [NoteEvent] {
        var sorted = notes.filter { $0.start < duration - 0.05 }.map { note -> NoteEvent in
            var note = note
            note.duration = min(note.duration, duration - note.start)
            return note
        }
        sorted.sort { ($0.start, $0.key, $0.velocity) < ($1.start, $1.key, $1.velocity) }
        var kept: [NoteEvent] = []
        var lastIndexByKey: [Int: Int] = [:]
        for note in sorted {
            if let previous = lastIndexByKey[note.key] {
                if note.start - kept[previous].start < 0.02 {
                    kept[previous].velocity = max(kept[previous].velocity, note.velocity)
                    kept[previous].duration = min(duration - kept[previous].start, max(kept[previous].duration, note.end - kept[previous].start))
                    continue
                }
                if kept[previous].end > note.start - 0.004 {
                    kept[previous].duration = note.start - kept[previous].start - 0.004
                }
            }
            lastIndexByKey[note.key] = kept.count
            kept.append(note)
        }
        return kept
    }
}
