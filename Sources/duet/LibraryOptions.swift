import ArgumentParser
import DuetCatalog
import DuetData
import DuetPipeline
import DuetSearch
import Foundation

/// The options `duet search` and `duet similar` share: catalogue, result count, filters,
/// diversity and output.
struct LibraryOptions: ParsableArguments {
    @Option(help: DatabaseArgument.help) var db = DatabaseArgument.defaultValue
    @Option(name: .customLong("model"), help: "Checkpoint folder (default: the one the catalogue was indexed with).")
    var modelPath: String?
    @Option(name: .short, help: "Number of results (1-\(SearchOptions.countRange.upperBound)).") var k = 20
    @Flag(help: "Print the results as a JSON array.") var json = false
    @Option(help: "Also write the results as an M3U playlist to this file.") var m3u: String?
    @Option(help: "Only tracks with this genre (file tag or musicnn tag, case-insensitive).") var genre: String?
    @Option(help: "Only tracks whose artist contains this (case-insensitive).") var artist: String?
    @Option(help: "Only tracks at least this many seconds long.") var minDuration: Double?
    @Option(help: "Only tracks at most this many seconds long.") var maxDuration: Double?
    @Option(help: "Only tracks under this folder.") var pathPrefix: String?
    @Option(help: "At most N tracks per artist (N ≥ 1).") var maxPerArtist: Int?
    @Option(help: "At most N tracks per album (N ≥ 1).") var maxPerAlbum: Int?
    @OptionGroup var encoderWeights: EncoderWeightsOptions

    var searchOptions: SearchOptions {
        let prefix = pathPrefix.map { LibraryWalker.canonicalPath($0) ?? URL(fileURLWithPath: $0).standardizedFileURL.path }
        return SearchOptions(
            count: k,
            filter: SearchFilter(genre: genre, artist: artist, minimumDuration: minDuration, maximumDuration: maxDuration, pathPrefix: prefix),
            diversity: Diversity(maxPerArtist: maxPerArtist, maxPerAlbum: maxPerAlbum))
    }

    func validate() throws {
        do { try searchOptions.validate() } catch { throw ValidationError(error.localizedDescription) }
        if let m3u { try OutputPath.check(m3u, option: "--m3u") }
        try DatabaseArgument.requireExisting(db, hint: "index a folder first with `duet index DIR --db \(db)`")
        try encoderWeights.validate()
    }

    func open() throws -> LibrarySearch {
        try DatabaseArgument.openLibrary(db, checkpoint: modelPath, encoders: encoderWeights.encoders())
    }

    /// Prints `hits` as a table or JSON and writes the playlist when asked.
    func report(_ hits: [SearchHit]) throws {
        if let m3u { try M3UPlaylist.write(hits, to: URL(fileURLWithPath: m3u)) }
        if json {
            let rows = hits.map { hit -> [String: Any] in
                let track = hit.track
                var row: [String: Any] = [
                    "id": track.id, "score": Double(hit.score), "path": track.path, "title": track.displayTitle,
                    "duration": track.duration, "genres": track.genres, "tags": track.musicnnTags,
                ]
                if let artist = track.artist { row["artist"] = artist }
                if let album = track.album { row["album"] = album }
                if let year = track.year { row["year"] = year }
                return row
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if hits.isEmpty { print("no track matches"); return }
        for (rank, hit) in hits.enumerated() {
            let track = hit.track
            let who = track.artist.map { " - \($0)" } ?? ""
            let minutes = Int(track.duration) / 60, seconds = Int(track.duration) % 60
            print(String(format: "%3d. %.3f  %@%@  [%d:%02d]  id %lld", rank + 1, hit.score, track.displayTitle as NSString,
                         who as NSString, minutes, seconds, track.id))
            if !track.musicnnTags.isEmpty || !track.genres.isEmpty {
                print("      " + (track.genres + track.musicnnTags).joined(separator: ", "))
            }
        }
        if let m3u { FileHandle.standardError.write(Data("playlist written to \(m3u)\n".utf8)) }
    }
}
