/// One note of a track, timed in seconds from the start of the clip.
public struct NoteEvent: Sendable, Equatable, Hashable, Codable {
    /// Onset in seconds.
    public var start: Double
    /// Sounding length in seconds (the note-off is sent at `start + duration`).
    public var duration: Double
    /// MIDI key number, 0...127 (on the drum channel: the GM percussion key).
    public var key: Int
    /// MIDI velocity, 1...127.
    public var velocity: Int

    public init(start: Double, duration: Double, key: Int, velocity: Int) {
        self.start = start
        self.duration = duration
        self.key = key
        self.velocity = velocity
    }

    public var end: Double { start + duration }
}
