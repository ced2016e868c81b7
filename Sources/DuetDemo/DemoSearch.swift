import DuetCatalog
import DuetData
import DuetSearch
import Foundation

/// The search stage of `duet demo`: index the corpus's held-out test clips with the trained model
/// and run a few example queries.
public enum DemoSearch {
    /// Example queries: words the embedded corpus's tags and captions cover, phrased as a user would.
    public static let queries = ["slow sad piano", "energetic rock with distorted guitars", "a fiddle tune for a barn dance"]

    /// Links (hard links, or copies across file systems) the test split's clips of the manifest at
    /// `manifestURL` into `folder`, then indexes `folder` into the SQLite catalogue at `database`.
    public static func indexTestClips(
        manifestURL: URL, folder: URL, database: String, model: SearchModel, showsProgress: Bool = true
    ) throws -> IndexReport {
        let manifest = try Manifest.load(from: manifestURL)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for entry in manifest.entries where entry.split == .test {
            let source = manifest.audioURL(for: entry)
            let target = folder.appendingPathComponent(source.lastPathComponent)
            guard !FileManager.default.fileExists(atPath: target.path) else { continue }
            do {
                try FileManager.default.linkItem(at: source, to: target)
            } catch {
                try FileManager.default.copyItem(at: source, to: target)
            }
        }
        var indexer = LibraryIndexer(model: model, catalog: try SQLiteCatalog(path: database))
        indexer.showsProgress = showsProgress
        return try indexer.run(folders: [folder])
    }
}
