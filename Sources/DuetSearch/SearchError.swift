import Foundation

/// Why a search, an embedding or an index run could not proceed.
public enum SearchError: LocalizedError, Equatable {
    case invalidSegmentCount(Int, allowed: ClosedRange<Int>)
    case unreadableCheckpoint(path: String, reason: String)
    /// A query vector of the wrong width.
    case dimensionMismatch(expected: Int, got: Int)
    /// The catalogue's vectors come from another model than the one given.
    case modelMismatch(catalogue: String, model: String)
    /// The catalogue has no model yet (nothing was indexed).
    case emptyCatalogue(path: String)
    case unknownTrack(id: Int64)
    case emptyQuery
    /// Too many queries are waiting for the text encoder (a server under overload); retry later.
    case busy(waiting: Int)
    case noSeeds
    /// An option outside its range, with the range in words.
    case outOfRange(option: String, value: String, allowed: String)
    case notADirectory(path: String)
    case unwritableOutput(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .invalidSegmentCount(let count, let allowed):
            "--segments must be between \(allowed.lowerBound) and \(allowed.upperBound), got \(count)"
        case .unreadableCheckpoint(let path, let reason):
            "cannot read the checkpoint file \(path): \(reason); pass the folder of a trained model (RUN/best)"
        case .dimensionMismatch(let expected, let got):
            "a query vector has \(got) values but the catalogue's vectors have \(expected)"
        case .modelMismatch(let catalogue, let model):
            "the catalogue was indexed with \(catalogue), not with \(model); run `duet index` with this model first, or pass the catalogue's model"
        case .emptyCatalogue(let path):
            "the catalogue \(path) is empty; index a folder first with `duet index DIR --db \(path)`"
        case .unknownTrack(let id):
            "no track with id \(id) in the catalogue; ids are listed by `duet search --json`"
        case .emptyQuery:
            "the query is empty; give some words, e.g. \"slow melancholic piano\""
        case .busy(let waiting):
            "the server is busy: \(waiting) queries are waiting for the text encoder; retry in a moment"
        case .noSeeds:
            "give at least one seed: a file or a track id"
        case .outOfRange(let option, let value, let allowed):
            "\(option) must be \(allowed), got \(value)"
        case .notADirectory(let path):
            "\(path) is not a folder; pass folders of music to index"
        case .unwritableOutput(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}
