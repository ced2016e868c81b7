import CTagLib
import Foundation

/// The tags a music file carries (ID3v2/ID3v1, Vorbis comments, FLAC, MP4, RIFF INFO), read with TagLib.
///
/// Values come from TagLib's property map, the format-neutral view of every tag format: `GENRE` and
/// `MOOD` may hold several values (Vorbis comments repeat a field, ID3v2 separates with NUL), so they
/// are lists; the other fields keep their first value. Empty strings count as absent.
public struct AudioFileTags: Sendable, Equatable, Codable {
    public var title: String?
    public var artist: String?
    public var album: String?
    public var genres: [String] = []
    public var moods: [String] = []
    public var comment: String?
    /// The four-digit year at the start of `DATE` (ID3v2 `TDRC`, Vorbis `DATE`), when there is one.
    public var year: Int?
    /// Whole beats per minute from `BPM` (ID3v2 `TBPM`), when it parses as a positive number.
    public var beatsPerMinute: Int?
    /// The length stated by the file's headers, in seconds; nil when the headers do not say.
    public var durationSeconds: Double?

    public init(
        title: String? = nil, artist: String? = nil, album: String? = nil, genres: [String] = [], moods: [String] = [],
        comment: String? = nil, year: Int? = nil, beatsPerMinute: Int? = nil, durationSeconds: Double? = nil
    ) {
        self.title = title
        self.artist = artist
        self.album = album
        self.genres = genres
        self.moods = moods
        self.comment = comment
        self.year = year
        self.beatsPerMinute = beatsPerMinute
        self.durationSeconds = durationSeconds
    }

    /// Whether the file carries none of the descriptive tags (title to BPM).
    public var isEmpty: Bool {
        title == nil && artist == nil && album == nil && genres.isEmpty && moods.isEmpty && comment == nil
            && year == nil && beatsPerMinute == nil
    }

    /// Reads the tags of `url`.
    /// - Throws: `AudioFileTagsError.unreadable` when the file is missing, or TagLib does not recognise it.
    public static func read(from url: URL) throws(AudioFileTagsError) -> AudioFileTags {
        let file = try TagFile(url: url)
        var tags = AudioFileTags()
        tags.title = file.values(of: "TITLE").first
        tags.artist = file.values(of: "ARTIST").first
        tags.album = file.values(of: "ALBUM").first
        tags.genres = file.values(of: "GENRE")
        tags.moods = file.values(of: "MOOD")
        tags.comment = file.values(of: "COMMENT").first
        tags.year = file.values(of: "DATE").first.flatMap(Self.leadingYear)
        tags.beatsPerMinute = file.values(of: "BPM").first.flatMap(Self.wholeBeatsPerMinute)
        let milliseconds = file.lengthMilliseconds
        tags.durationSeconds = milliseconds > 0 ? Double(milliseconds) / 1000 : nil
        return tags
    }

    /// Writes these tags into `url`, replacing the fields this type knows (used to build tagged test
    /// libraries; TagLib picks the tag format that suits the file).
    public func write(to url: URL) throws(AudioFileTagsError) {
        let file = try TagFile(url: url)
        let fields: [(String, [String])] = [
            ("TITLE", title.map { [$0] } ?? []), ("ARTIST", artist.map { [$0] } ?? []),
            ("ALBUM", album.map { [$0] } ?? []), ("GENRE", genres), ("MOOD", moods),
            ("COMMENT", comment.map { [$0] } ?? []), ("DATE", year.map { [String($0)] } ?? []),
            ("BPM", beatsPerMinute.map { [String($0)] } ?? []),
        ]
        for (key, values) in fields {
            guard file.setValues(values, of: key) else {
                throw .unwritable(file: url.path, reason: "the file's tag format does not accept \(key)")
            }
        }
        guard file.save() else { throw .unwritable(file: url.path, reason: "TagLib could not save the file") }
    }

    static func leadingYear(_ date: String) -> Int? {
        let digits = date.trimmingCharacters(in: .whitespaces).prefix(4)
        guard digits.count == 4, digits.allSatisfy(\.isASCII), let year = Int(digits), year > 0 else { return nil }
        return year
    }

    static func wholeBeatsPerMinute(_ text: String) -> Int? {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, value > 0, value < 1000
        else { return nil }
        return Int(value.rounded())
    }
}

/// Why a file's tags could not be read or written.
public enum AudioFileTagsError: Error, LocalizedError, Equatable {
    case unreadable(file: String, reason: String)
    case unwritable(file: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let file, let reason): "cannot read the tags of \(file): \(reason)"
        case .unwritable(let file, let reason): "cannot write the tags of \(file): \(reason)"
        }
    }
}

/// One open TagLib file; closed when released.
private final class TagFile {
    private static let separator = "\u{1F}"
    private let handle: OpaquePointer

    init(url: URL) throws(AudioFileTagsError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .unreadable(file: url.path, reason: "no such file")
        }
        guard let handle = duet_tag_open(url.path) else {
            throw .unreadable(file: url.path, reason: "TagLib does not recognise the file's format or its tags are damaged")
        }
        self.handle = handle
    }

    deinit { duet_tag_close(handle) }

    func values(of key: String) -> [String] {
        guard let joined = duet_tag_property(handle, key) else { return [] }
        defer { free(joined) }
        return String(cString: joined).components(separatedBy: Self.separator)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
    }

    var lengthMilliseconds: Int { Int(duet_tag_length_milliseconds(handle)) }

    func setValues(_ values: [String], of key: String) -> Bool {
        duet_tag_set_property(handle, key, values.joined(separator: Self.separator)) == 1
    }

    func save() -> Bool { duet_tag_save(handle) == 1 }
}
