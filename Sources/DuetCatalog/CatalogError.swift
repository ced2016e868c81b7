import Foundation

/// Why a catalogue could not be opened or read.
public enum CatalogError: LocalizedError, Equatable {
    /// The database file cannot be opened or created.
    case cannotOpen(path: String, reason: String)
    /// A stored row does not decode (a damaged or foreign database).
    case malformedRow(path: String, table: String, reason: String)
    /// The catalogue was written by a newer Duet.
    case newerSchema(path: String, migration: String)

    public var errorDescription: String? {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the catalogue \(path): \(reason); check the path and its folder's permissions"
        case .malformedRow(let path, let table, let reason):
            "the catalogue \(path) has a damaged \(table) row (\(reason)); delete it and run `duet index` again"
        case .newerSchema(let path, let migration):
            "the catalogue \(path) was written by a newer Duet (migration '\(migration)' is unknown); update Duet"
        }
    }
}
