import Foundation

/// An extended M3U playlist (`#EXTM3U`, then per entry `#EXTINF:<seconds>,<artist> - <title>` and
/// the absolute path), UTF-8 (as `.m3u8` players expect; `.m3u` players accept it for ASCII paths).
public enum M3UPlaylist {
    /// The playlist text of `hits`, in order.
    public static func text(_ hits: [SearchHit]) -> String {
        var lines = ["#EXTM3U"]
        for hit in hits {
            let track = hit.track
            let name = [track.artist, track.displayTitle].compactMap { $0 }.joined(separator: " - ")
            let clean = name.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            lines.append("#EXTINF:\(Int(track.duration.rounded())),\(clean)")
            lines.append(track.path)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the playlist of `hits` to `url` atomically.
    public static func write(_ hits: [SearchHit], to url: URL) throws {
        do {
            try Data(text(hits).utf8).write(to: url, options: .atomic)
        } catch {
            throw SearchError.unwritableOutput(path: url.path, reason: error.localizedDescription)
        }
    }
}
