/// An extended M3U playlist of search results whose entries are the server's own audio URLs
/// (`<base>/api/tracks/<id>/audio`), so any player that reaches the server can play it.
///
/// Format: `#EXTM3U`, then per track `#EXTINF:<whole seconds>,<artist> - <title>` and the URL. Line breaks
/// and control characters in tags are replaced by spaces so a tag cannot inject playlist lines.
enum PlaylistM3U {
    static func render(title: String, hits: [TrackHit], baseURL: String) -> String {
        var lines = ["#EXTM3U", "#PLAYLIST:\(clean(title))"]
        for hit in hits {
            let track = hit.track
            let label = track.artist.map { "\($0) - \(track.title)" } ?? track.title
            let seconds = track.duration.isFinite ? Int(track.duration.rounded()) : -1
            lines.append("#EXTINF:\(seconds),\(clean(label))")
            lines.append("\(baseURL)/api/tracks/\(track.id)/audio")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func clean(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
    }
}
