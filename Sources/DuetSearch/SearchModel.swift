import DuetCatalog
import DuetFeatures
import DuetModel
import DuetPipeline
import Foundation

/// A trained DuET-MC checkpoint ready for search: the model, the locked encoders it reads, and the
/// identity its vectors are stored under. Load once and share: every method may be called from
/// any thread (model forwards are serialised by a lock; the locked encoders are thread-safe).
///
/// Tracks are embedded from `segmentCount` evenly spaced segments of `segmentSeconds` (see
/// `SegmentPlan`); queries through the model's text branch. Both are L2-normalised, so a dot
/// product is the cosine similarity the model was trained with.
public final class SearchModel: @unchecked Sendable {
    /// Length of one segment: the 10-s clips DuET-MC is trained on (the embedded corpus's clips,
    /// and the clip length of MusicCaps and YT8M-MusicTextClips in the paper's evaluation).
    public static let segmentSeconds: Double = 10
    /// Default segments per track: 6 × 10 s cover a quarter of a 4-minute track at six places, and
    /// cost 18 musicnn patches, about 0.7 s on 2 cores (Docs/search.md, "Segments").
    public static let defaultSegmentCount = 6
    /// Allowed `segmentCount`.
    public static let segmentCountRange = 1...64
    /// Number of musicnn tags stored per track.
    public static let storedTagCount = 5

    public let model: MusicTextModel
    public let identity: ModelIdentity
    public let encoders: Encoders
    public let segmentCount: Int
    public var segmentSeconds: Double { Self.segmentSeconds }
    let forwardLock = NSLock()

    /// Loads the checkpoint in `folder` (`RUN/best`).
    /// - Throws: `SearchError.invalidSegmentCount`, or the checkpoint's loading errors (naming the file).
    public init(checkpoint folder: URL, segmentCount: Int = defaultSegmentCount, encoders: Encoders = Encoders()) throws {
        guard Self.segmentCountRange.contains(segmentCount) else {
            throw SearchError.invalidSegmentCount(segmentCount, allowed: Self.segmentCountRange)
        }
        model = try ModelCheckpoint.loadModel(from: folder)
        self.encoders = encoders
        self.segmentCount = segmentCount
        var digest = ContentHash()
        for name in [ModelCheckpoint.weightsFile, ModelCheckpoint.configurationFile] {
            let url = folder.appendingPathComponent(name)
            do {
                let data = try Data(contentsOf: url, options: .alwaysMapped)
                data.withUnsafeBytes { digest.combine($0) }
            } catch {
                throw SearchError.unreadableCheckpoint(path: url.path, reason: error.localizedDescription)
            }
        }
        identity = ModelIdentity(
            digest: digest.description, dimension: model.configuration.embeddingWidth, segmentCount: segmentCount,
            segmentSeconds: Self.segmentSeconds, source: folder.path)
    }

    /// Loads the locked audio encoder the model reads (musicnn, or MERT / HTS-AT from its checked weights
    /// folder), so that a missing weight file or a changed folder is reported once, before any track, rather
    /// than as a failure of every track.
    public func loadEncoders() throws {
        let kind = AudioFeatureKind(model: model.configuration)
        if kind.isMusicnn { _ = try encoders.audio() }
        if let layerStates = kind.layerStates { _ = try layerStateEncoder(for: layerStates) }
    }

    /// Width of the vectors.
    public var dimension: Int { model.configuration.embeddingWidth }
}
