import Foundation

/// Why an audio file could not be turned into samples. Every case names the file.
public enum AudioError: LocalizedError, Equatable, Sendable {
    /// The file does not exist or cannot be opened (permissions, a directory, an I/O error).
    case unreadable(file: String, reason: String)
    /// The container or codec is not one libsndfile decodes (WAV, FLAC, OGG/Vorbis, Opus, MP3, ...).
    case unsupported(file: String, reason: String)
    /// The header is damaged or the data ends before the header says it should.
    case truncated(file: String, reason: String)
    /// The file decodes to no samples at all.
    case empty(file: String)
    /// Every decoded sample is (numerically) zero, so no feature would carry information.
    case silent(file: String, frames: Int)
    /// The resampler rejected the conversion.
    case resampling(file: String, reason: String)
    /// The requested segment holds no samples (it starts at or after the end of the audio).
    case segmentOutsideAudio(file: String, start: Double, duration: Double)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let file, let reason):
            "\(file): cannot open the file (\(reason)); check that it exists and is readable"
        case .unsupported(let file, let reason):
            "\(file): unsupported audio format (\(reason)); use WAV, FLAC, OGG/Vorbis, Opus or MP3"
        case .truncated(let file, let reason):
            "\(file): the audio data is damaged or truncated (\(reason)); re-export or re-download the file"
        case .empty(let file):
            "\(file): the file contains no audio samples"
        case .silent(let file, let frames):
            "\(file): all \(frames) decoded samples are silent; nothing to analyse"
        case .resampling(let file, let reason):
            "\(file): resampling failed (\(reason))"
        case .segmentOutsideAudio(let file, let start, let duration):
            "\(file): the segment starting at \(start) s is outside the audio, which lasts \(String(format: "%.2f", duration)) s"
        }
    }
}
