import DuetServer
import DuetSynth
import Foundation

/// A small music library on disk for the server tests: short generated WAV files (a sine per track) in a
/// temporary folder, and an ``InMemorySearchService`` over them. Remove it with ``remove()``.
struct TestLibrary: Sendable {
    let folder: URL
    let service: InMemorySearchService
    /// The bytes of track 1's file, for range checks.
    let firstFileBytes: Data

    static let records: [TrackRecord] = [
        TrackRecord(
            id: 1, title: "Slow Piano Evening", artist: "Ada Keys", album: "Nocturnes", genres: ["classical"], year: 2019,
            duration: 1.0, tags: ["piano", "slow", "melancholic"]),
        TrackRecord(
            id: 2, title: "Barn Dance Reel", artist: "The Fiddlers", album: "Reels", genres: ["folk"], year: 2021,
            duration: 0.75, tags: ["fiddle", "fast", "dance"]),
        TrackRecord(
            id: 3, title: "Rainy Piano Study", artist: "Ada Keys", album: "Nocturnes", genres: ["classical"], year: 2020,
            duration: 0.5, tags: ["piano", "soft"]),
        TrackRecord(
            id: 4, title: "Night Drive", artist: "Neon Road", album: "Highway", genres: ["electronic"], year: 2018,
            duration: 1.25, tags: ["synth", "drums", "fast"]),
        TrackRecord(
            id: 5, title: "Piano and Fiddle", artist: "The Fiddlers", album: "Crossroads", genres: ["folk"], year: nil,
            duration: 0.6, tags: ["piano", "fiddle", "slow"]),
    ]

    /// - Parameter missingFileForTrack: a track whose file is not written (to test a catalogue gone stale).
    init(missingFileForTrack: TrackID? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-server-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var entries: [InMemorySearchService.Entry] = []
        var first = Data()
        for record in Self.records {
            let sampleRate = 8000
            let frequency = Float(220 * record.id)
            let samples = (0..<Int(record.duration * Double(sampleRate))).map { index in
                0.3 * sin(2 * Float.pi * frequency * Float(index) / Float(sampleRate))
            }
            let data = WaveFile.encode(samples, sampleRate: sampleRate)
            let file = folder.appendingPathComponent("track-\(record.id).wav")
            if record.id != missingFileForTrack { try data.write(to: file) }
            if record.id == 1 { first = data }
            let subfolder = record.genres.first ?? "other"
            entries.append(.init(record: record, path: "/music/\(subfolder)/track-\(record.id).wav", audioFile: file))
        }
        service = InMemorySearchService(entries: entries, modelIdentity: "test-model")
        firstFileBytes = first
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
