import DuetCatalog

extension VectorStore {
    /// A new store with `changes` applied: re-indexed tracks replace their rows, new tracks are
    /// appended (ids keep their order), removed ids are dropped. Costs one copy of the matrix, so a
    /// replica applies changes in batches (`LibraryFollower`).
    /// - Throws: `SearchError.dimensionMismatch` for a vector of another width.
    public func applying(_ changes: CatalogChanges) throws -> VectorStore {
        let removed = Set(changes.removed)
        var replaced: [Int64: CatalogTrack] = [:]
        for track in changes.tracks {
            guard track.vector.count == dimension else { throw SearchError.dimensionMismatch(expected: dimension, got: track.vector.count) }
            replaced[track.id] = track
        }
        var newMatrix: [Float] = []
        newMatrix.reserveCapacity(matrix.count + changes.tracks.count * dimension)
        var newTracks: [CatalogTrack] = []
        newTracks.reserveCapacity(tracks.count + changes.tracks.count)
        func append(_ track: CatalogTrack, vector: ArraySlice<Float>) {
            var stripped = track
            stripped.vector = []
            newTracks.append(stripped)
            newMatrix += vector
        }
        for (row, track) in tracks.enumerated() where !removed.contains(track.id) {
            if let update = replaced.removeValue(forKey: track.id) {
                append(update, vector: update.vector[...])
            } else {
                append(track, vector: matrix[(row * dimension)..<((row + 1) * dimension)])
            }
        }
        for track in replaced.values.sorted(by: { $0.id < $1.id }) where !removed.contains(track.id) {
            append(track, vector: track.vector[...])
        }
        return VectorStore(dimension: dimension, matrix: newMatrix, tracks: newTracks)
    }
}
