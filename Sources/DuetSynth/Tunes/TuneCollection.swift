import Foundation

/// The tune books of the music21 corpus that Duet reads (`make setup` unpacks them from the
/// `music21` wheel into `models/music21/corpus/`): ABC files of melodies with their metadata.
public enum TuneCollection: String, Sendable, CaseIterable, Comparable {
    /// The Essen folk song collection (EsAC, ABC by Seymour Shlien): 8,514 songs, mostly German,
    /// Chinese, Luxembourgish and Lorraine, each with its origin in `O:`. Non-commercial use.
    case essenFolksong
    /// Ryan's Mammoth Collection (Boston, 1883) of fiddle tunes, one ABC file a tune, with the dance
    /// (reel, jig, hornpipe, strathspey, ...) in `R:`. Public domain (transcriptions by John Chambers).
    case ryansMammoth

    public static func < (lhs: TuneCollection, rhs: TuneCollection) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The folder inside music21's `corpus/`.
    public var folder: String { rawValue }

    /// Whether a file of the folder is read: ABC files, except the Essen folder's `test*.abc`, which
    /// music21 keeps for its own tests and which repeat songs of the other files.
    public func reads(file: String) -> Bool {
        guard file.hasSuffix(".abc") else { return false }
        return self != .essenFolksong || !file.hasPrefix("test")
    }

    /// The licence note recorded in the manifest metadata.
    public var licence: String {
        switch self {
        case .essenFolksong: "Essen Folksong Collection via music21 (non-commercial use, see corpus/essenFolksong/license.txt)"
        case .ryansMammoth: "Ryan's Mammoth Collection (1883, public domain) via music21 (BSD-3)"
        }
    }
}
