import Foundation

/// A problem reading a Standard MIDI File, naming the file and the byte offset.
public enum MidiFileError: Error, LocalizedError, Equatable {
    case unreadable(path: String, reason: String)
    case malformed(path: String, offset: Int, reason: String)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let path, let reason):
            "Cannot read the MIDI file \(path): \(reason)."
        case .malformed(let path, let offset, let reason):
            "The MIDI file \(path) is malformed at byte \(offset): \(reason). Reinstall it (e.g. Debian openttd-openmsx) or remove it."
        }
    }
}

/// The notes, programs, tempo and key of a Standard MIDI File (format 0 or 1), read by Duet's
/// own parser: `MThd` header, `MTrk` chunks of delta-timed events with running status, channel
/// messages, meta events (tempo `0x51`, key signature `0x59`, time signature `0x58`, track name
/// `0x03`) and SysEx. Ticks become seconds through the merged tempo map.
public struct StandardMidiFile: Sendable {
    /// One sounding note, in seconds from the start.
    public struct Note: Sendable, Equatable {
        public var channel: Int
        public var key: Int
        public var velocity: Int
        public var start: Double
        public var end: Double
        /// The channel's program when the note started (0 before any program change).
        public var program: Int
    }

    public var notes: [Note]
    /// Quarter-note tempo at the start, in beats per minute (120 when the file sets none).
    public var initialTempo: Double
    /// Key signature (sharps positive, flats negative) and mode from the first `0x59` event, if any.
    public var keySignature: (sharps: Int, minor: Bool)?
    /// Beats per bar from the first time signature (4 when none).
    public var beatsPerBar: Int
    /// Track names in file order.
    public var trackNames: [String]
    /// Length in seconds (end of the last note).
    public var duration: Double { notes.map(\.end).max() ?? 0 }

    /// Reads and parses the file at `url`.
    public static func read(from url: URL) throws(MidiFileError) -> StandardMidiFile {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .unreadable(path: url.path, reason: error.localizedDescription) }
        return try parse([UInt8](data), path: url.path)
    }

    private struct TimedEvent {
        var tick: Int
        var order: Int
        var status: UInt8
        var first: UInt8
        var second: UInt8
    }

    /// Parses the bytes of a file (`path` only names it in errors).
    public static func parse(_ bytes: [UInt8], path: String) throws(MidiFileError) -> StandardMidiFile {
        var offset = 0
        func fail(_ reason: String) -> MidiFileError { .malformed(path: path, offset: offset, reason: reason) }
        func byte() throws(MidiFileError) -> UInt8 {
            guard offset < bytes.count else { throw fail("unexpected end of file") }
            defer { offset += 1 }
            return bytes[offset]
        }
        func integer(_ count: Int) throws(MidiFileError) -> Int {
            var value = 0
            for _ in 0..<count { value = value << 8 | Int(try byte()) }
            return value
        }
        func variableLength() throws(MidiFileError) -> Int {
            var value = 0
            for _ in 0..<4 {
                let next = try byte()
                value = value << 7 | Int(next & 0x7F)
                if next & 0x80 == 0 { return value }
            }
            throw fail("a variable-length number longer than 4 bytes")
        }
        func chunkType() throws(MidiFileError) -> String {
            var text = ""
            for _ in 0..<4 { text.append(Character(UnicodeScalar(try byte()))) }
            return text
        }
        guard try chunkType() == "MThd" else { offset = 0; throw fail("no MThd header (not a Standard MIDI File)") }
        let headerLength = try integer(4)
        guard headerLength >= 6 else { throw fail("header length \(headerLength) < 6") }
        let format = try integer(2)
        let trackCount = try integer(2)
        let division = try integer(2)
        offset += headerLength - 6
        guard format <= 1 else { throw fail("format \(format) files are not supported (only 0 and 1)") }
        guard division & 0x8000 == 0, division > 0 else { throw fail("SMPTE time division is not supported") }

        var events: [TimedEvent] = []
        var tempos: [(tick: Int, microseconds: Int)] = []
        var keySignature: (sharps: Int, minor: Bool)?
        var beatsPerBar: Int?
        var trackNames: [String] = []
        for _ in 0..<trackCount {
            guard offset + 8 <= bytes.count else { break }
            let type = try chunkType()
            let length = try integer(4)
            let end = offset + length
            guard end <= bytes.count else { throw fail("chunk '\(type)' of \(length) bytes runs past the end of the file") }
            guard type == "MTrk" else { offset = end; continue }
            var tick = 0
            var running: UInt8 = 0
            while offset < end {
                tick += try variableLength()
                var status = try byte()
                if status < 0x80 {
                    guard running != 0 else { throw fail("data byte without a running status") }
                    status = running
                    offset -= 1
                }
                switch status {
                case 0xFF:
                    let type = try byte()
                    let length = try variableLength()
                    guard offset + length <= end else { throw fail("meta event of \(length) bytes runs past its track") }
                    let payload = Array(bytes[offset..<(offset + length)])
                    offset += length
                    switch type {
                    case 0x51 where length == 3:
                        tempos.append((tick, Int(payload[0]) << 16 | Int(payload[1]) << 8 | Int(payload[2])))
                    case 0x59 where length == 2 && keySignature == nil:
                        keySignature = (Int(Int8(bitPattern: payload[0])), payload[1] == 1)
                    case 0x58 where length >= 1 && beatsPerBar == nil:
                        beatsPerBar = Int(payload[0])
                    case 0x03:
                        trackNames.append(String(decoding: payload, as: UTF8.self))
                    default: break
                    }
                case 0xF0, 0xF7:
                    let length = try variableLength()
                    offset += length
                    guard offset <= end else { throw fail("SysEx of \(length) bytes runs past its track") }
                default:
                    guard status >= 0x80, status < 0xF0 else { throw fail(String(format: "unknown status byte 0x%02X", status)) }
                    running = status
                    let kind = status & 0xF0
                    let first = try byte()
                    let second: UInt8 = kind == 0xC0 || kind == 0xD0 ? 0 : try byte()
                    events.append(TimedEvent(tick: tick, order: events.count, status: status, first: first, second: second))
                }
            }
            offset = end
        }
        tempos.sort { $0.tick < $1.tick }
        if tempos.first?.tick != 0 { tempos.insert((0, 500_000), at: 0) }
        func seconds(_ tick: Int) -> Double {
            var total = 0.0
            for (index, tempo) in tempos.enumerated() where tempo.tick < tick {
                let next = index + 1 < tempos.count ? min(tick, tempos[index + 1].tick) : tick
                total += Double(next - tempo.tick) * Double(tempo.microseconds) / 1e6 / Double(division)
            }
            return total
        }
        events.sort { ($0.tick, $0.order) < ($1.tick, $1.order) }
        var programs = [Int](repeating: 0, count: 16)
        var open: [Int: [(start: Double, velocity: Int, program: Int)]] = [:]
        var notes: [Note] = []
        for event in events {
            let channel = Int(event.status & 0x0F)
            switch event.status & 0xF0 {
            case 0xC0: programs[channel] = Int(event.first)
            case 0x90 where event.second > 0:
                open[channel << 8 | Int(event.first), default: []].append((seconds(event.tick), Int(event.second), programs[channel]))
            case 0x80, 0x90:
                let slot = channel << 8 | Int(event.first)
                guard var stack = open[slot], !stack.isEmpty else { continue }
                let started = stack.removeFirst()
                open[slot] = stack
                notes.append(Note(channel: channel, key: Int(event.first), velocity: started.velocity, start: started.start,
                                  end: max(started.start + 0.02, seconds(event.tick)), program: started.program))
            default: break
            }
        }
        notes.sort { ($0.start, $0.channel, $0.key) < ($1.start, $1.channel, $1.key) }
        return StandardMidiFile(
            notes: notes, initialTempo: 60_000_000 / Double(tempos[0].microseconds), keySignature: keySignature,
            beatsPerBar: beatsPerBar ?? 4, trackNames: trackNames)
    }
}
