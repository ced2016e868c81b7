/// The part one tagged instrument plays: its General MIDI patch, mixer settings and notes.
public struct Track: Sendable, Equatable, Codable {
    /// What the part does in the arrangement.
    public enum Role: String, Sendable, Codable {
        case rhythm, bass, comping, pad, lead, counterLine
    }

    public var instrument: Instrument
    public var role: Role
    /// MIDI channel, 0-based; 9 is the percussion channel.
    public var channel: Int
    /// Soundfont bank (128 for drum kits) and program number (0-based GM program).
    public var bank: Int
    public var program: Int
    /// Channel volume (CC 7), pan (CC 10) and reverb send (CC 91), 0...127.
    public var volume: Int
    public var pan: Int
    public var reverbSend: Int
    public var notes: [NoteEvent]

    public init(
        instrument: Instrument, role: Role, channel: Int, bank: Int, program: Int, volume: Int, pan: Int,
        reverbSend: Int, notes: [NoteEvent]
    ) {
        self.instrument = instrument
        self.role = role
        self.channel = channel
        self.bank = bank
        self.program = program
        self.volume = volume
        self.pan = pan
        self.reverbSend = reverbSend
        self.notes = notes
    }

    public var isPercussion: Bool { channel == 9 }
}
