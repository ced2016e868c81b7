/// A note-on or note-off at a sample frame, the renderer's view of a track's notes.
struct RenderEvent: Equatable {
    var frame: Int
    var isNoteOn: Bool
    var channel: Int
    var key: Int
    var velocity: Int

    /// All events of the arrangement in rendering order: by frame, note-offs before note-ons at
    /// the same frame (so a repeated key is released before it is struck again), then channel and key.
    static func schedule(_ arrangement: Arrangement, sampleRate: Int, frameCount: Int) -> [RenderEvent] {
        var events: [RenderEvent] = []
        for track in arrangement.tracks {
            for note in track.notes {
                let on = Int((note.start * Double(sampleRate)).rounded())
                guard on < frameCount else { continue }
                let off = min(frameCount, max(on + 1, Int((note.end * Double(sampleRate)).rounded())))
                events.append(RenderEvent(frame: on, isNoteOn: true, channel: track.channel, key: note.key, velocity: note.velocity))
                events.append(RenderEvent(frame: off, isNoteOn: false, channel: track.channel, key: note.key, velocity: 0))
            }
        }
        events.sort { lhs, rhs in
            (lhs.frame, lhs.isNoteOn ? 1 : 0, lhs.channel, lhs.key) < (rhs.frame, rhs.isNoteOn ? 1 : 0, rhs.channel, rhs.key)
        }
        return events
    }
}
