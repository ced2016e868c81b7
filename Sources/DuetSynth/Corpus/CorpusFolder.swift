import DuetData
import Foundation

/// The folder a corpus is written to: `manifest.jsonl`, `vocabulary.json`, `audio/<id>.wav` and,
/// with `--midi`, `midi/<id>.mid`.
///
/// Writing a corpus over another would mix the two (a smaller or differently seeded corpus leaves
/// the old clips behind, unlisted), so `duet synth` refuses a folder that holds one unless it is
/// told to replace it; then the old corpus's own files are removed first and nothing else is.
public enum CorpusFolder {
    public static func manifest(in directory: URL) -> URL { directory.appendingPathComponent("manifest.jsonl") }

    /// Whether `directory` holds a corpus (its manifest exists).
    public static func holdsCorpus(_ directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: manifest(in: directory).path)
    }

    /// Removes the corpus in `directory`: every audio and MIDI file its manifest names inside the
    /// folder, then the manifest and the vocabulary. Files the manifest does not name stay, and so
    /// do names that point outside the folder.
    /// - Returns: the number of files removed.
    public static func removeCorpus(in directory: URL) throws -> Int {
        let manifestURL = manifest(in: directory)
        guard holdsCorpus(directory) else { return 0 }
        let (entries, _) = Manifest.parse(try TextFile.read(manifestURL))
        let root = directory.standardizedFileURL.resolvingSymlinksInPath().path + "/"
        var candidates: [URL] = []
        for (_, entry) in entries {
            if !entry.audio.hasPrefix("/") { candidates.append(directory.appendingPathComponent(entry.audio)) }
            candidates.append(directory.appendingPathComponent("midi/\(entry.id).mid"))
        }
        candidates += [manifestURL, directory.appendingPathComponent("vocabulary.json")]
        var removed = 0
        for url in candidates {
            let resolved = url.standardizedFileURL.resolvingSymlinksInPath().path
            guard resolved.hasPrefix(root), FileManager.default.fileExists(atPath: url.path) else { continue }
            do {
                try FileManager.default.removeItem(at: url)
            } catch {
                throw SynthError.writeFailed(path: url.path, reason: "cannot remove the old corpus's file (\(error.localizedDescription))")
            }
            removed += 1
        }
        return removed
    }
}
