import Foundation

/// A Standard MIDI File (format 0) of an arrangement, for listening in any MIDI player and for
/// benchmarking against the `fluidsynth` command-line renderer.
///
/// Timing: 1000 ticks per quarter note at a fixed 60 BPM tempo, so one tick is one millisecond
/// and note times are the arrangement's seconds rounded to the millisecond.
public enum MidiFile {
    public static func encode(_ arrangement: Arrangement) -> Data {
        var track = Data()
        func variableLength(_ value: Int) {
            var buffer = [UInt8(value & 0x7F)]
            var rest = value >> 7
            while rest > 0 {
                buffer.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
                rest >>= 7
            }
            track.append(contentsOf: buffer)
        }
        func event(_ delta: Int, _ bytes: [UInt8]) {
            variableLength(delta)
            track.append(contentsOf: bytes)
        }
        event(0, [0xFF, 0x51, 0x03, 0x0F, 0x42, 0x40])
        for part in arrangement.tracks {
            let channel = UInt8(part.channel & 0x0F)
            if !part.isPercussion {
                event(0, [0xB0 | channel, 0, UInt8(min(127, part.bank))])
            }
            event(0, [0xC0 | channel, UInt8(part.program & 0x7F)])
            event(0, [0xB0 | channel, 7, UInt8(part.volume & 0x7F)])
            event(0, [0xB0 | channel, 10, UInt8(part.pan & 0x7F)])
            event(0, [0xB0 | channel, 91, UInt8(part.reverbSend & 0x7F)])
            event(0, [0xB0 | channel, 93, 0])
        }
        let milliseconds = Int((arrangement.duration * 1000).rounded())
        var messages: [(tick: Int, isNoteOn: Bool, channel: Int, key: Int, velocity: Int)] = []
        for part in arrangement.tracks {
            for note in part.notes {
                let on = Int((note.start * 1000).rounded())
                guard on < milliseconds else { continue }
                let off = min(milliseconds, max(on + 1, Int((note.end * 1000).rounded())))
                messages.append((on, true, part.channel, note.key, note.velocity))
                messages.append((off, false, part.channel, note.key, 0))
            }
        }
        messages.sort { ($0.tick, $0.isNoteOn ? 1 : 0, $0.channel, $0.key) < ($1.tick, $1.isNoteOn ? 1 : 0, $1.channel, $1.key) }
        var now = 0
        for message in messages {
            let status: UInt8 = (message.isNoteOn ? 0x90 : 0x80) | UInt8(message.channel & 0x0F)
            event(message.tick - now, [status, UInt8(message.key & 0x7F), UInt8(message.velocity & 0x7F)])
            now = message.tick
        }
        event(max(0, milliseconds - now), [0xFF, 0x2F, 0x00])
        var file = Data("MThd".utf8)
        file.append(contentsOf: [0, 0, 0, 6, 0, 0, 0, 1, 0x03, 0xE8])
        file.append(contentsOf: Array("MTrk".utf8))
        let length = UInt32(track.count).bigEndian
        withUnsafeBytes(of: length) { file.append(contentsOf: $0) }
        file.append(track)
        return file
    }
}
