import CSndFile
import Foundation

/// Reads an audio file with libsndfile in chunks and downmixes it to mono.
///
/// Decodes every format the system libsndfile (1.2 on Debian 12) was built with: WAV, AIFF, FLAC,
/// OGG/Vorbis, Opus and MP3 among others. Memory stays bounded by the chunk size, so a long track
/// is never held whole. Downmixing is the plain channel mean, as `librosa.to_mono` does.
public final class AudioDecoder {
    /// The file being decoded, as given.
    public let url: URL
    /// The file's native sample rate in hertz.
    public let sampleRate: Int
    /// Channels in the file before downmixing.
    public let channelCount: Int
    /// Frames (samples per channel) the header announces.
    public let declaredFrameCount: Int
    /// Frames decoded so far.
    public private(set) var decodedFrameCount = 0

    private let handle: OpaquePointer
    private var interleaved: [Float] = []

    /// Opens `url` for decoding.
    /// - Throws: `AudioError.unreadable` if the file cannot be opened, `.unsupported` if its format is not
    ///   recognised, `.truncated` if its header is malformed, `.empty` if it announces no frames.
    public init(url: URL) throws(AudioError) {
        self.url = url
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadable(file: path, reason: "it is a directory") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .unreadable(file: path, reason: "permission denied")
        }
        var info = SF_INFO()
        guard let handle = sf_open(path, Int32(SFM_READ), &info) else {
            let code = Int(sf_error(nil))
            let reason = String(cString: sf_strerror(nil))
            if (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0 {
                throw .empty(file: path)
            }
            switch code {
            case Int(SF_ERR_UNRECOGNISED_FORMAT), Int(SF_ERR_UNSUPPORTED_ENCODING):
                throw .unsupported(file: path, reason: reason)
            case Int(SF_ERR_MALFORMED_FILE):
                throw .truncated(file: path, reason: reason)
            default:
                // libsndfile reports many damaged headers as generic errors; name them by its message.
                if reason.localizedCaseInsensitiveContains("format") || reason.localizedCaseInsensitiveContains("support") {
                    throw .unsupported(file: path, reason: reason)
                }
                throw .truncated(file: path, reason: reason)
            }
        }
        self.handle = handle
        sampleRate = Int(info.samplerate)
        channelCount = Int(info.channels)
        declaredFrameCount = Int(info.frames)
        guard sampleRate > 0, channelCount > 0 else {
            sf_close(handle)
            throw .unsupported(file: path, reason: "sample rate \(info.samplerate) with \(info.channels) channels")
        }
        guard declaredFrameCount > 0 else {
            sf_close(handle)
            throw .empty(file: path)
        }
        if let damage = Self.truncationNote(handle) {
            sf_close(handle)
            throw .truncated(file: path, reason: damage)
        }
    }

    /// libsndfile opens a WAV whose data chunk is cut short and silently decodes what is there; its
    /// parser log then holds a line such as `data : 64000 (should be 31978)`. That is our signal.
    ///
    /// A WAV written to a pipe (ffmpeg, sox) cannot seek back to fill in its sizes and leaves them at
    /// 0xFFFFFFFF: the streaming convention for "until the end of the file", which libsndfile honours
    /// by reading to the end. Such a size is not damage.
    static func truncationNote(_ handle: OpaquePointer) -> String? {
        var log = [CChar](repeating: 0, count: 8_192)
        _ = sf_command(handle, Int32(SFC_GET_LOG_INFO), &log, Int32(log.count))
        let text = String(decoding: log.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let isDataChunk = trimmed.hasPrefix("data") || trimmed.hasPrefix("SSND")
            let streamed = trimmed.hasPrefix("data : 4294967295 ")
            if (isDataChunk && trimmed.contains("(should be") && !streamed) || trimmed.localizedCaseInsensitiveContains("truncated") {
                return "libsndfile: \(trimmed)"
            }
        }
        return nil
    }

    deinit { sf_close(handle) }

    /// Decodes up to `maximumFrames` frames, averaged over channels; an empty array at the end of the file.
    /// - Throws: `AudioError.truncated` when the data stops before the announced length or the decoder fails.
    public func readMono(maximumFrames: Int) throws(AudioError) -> [Float] {
        precondition(maximumFrames > 0, "maximumFrames must be positive, got \(maximumFrames)")
        let channels = channelCount
        if interleaved.count < maximumFrames * channels { interleaved = [Float](repeating: 0, count: maximumFrames * channels) }
        let read = interleaved.withUnsafeMutableBufferPointer { buffer in
            Int(sf_readf_float(handle, buffer.baseAddress, sf_count_t(maximumFrames)))
        }
        let code = sf_error(handle)
        if code != 0 && read == 0 {
            throw .truncated(file: url.path, reason: String(cString: sf_strerror(handle)))
        }
        if read == 0 {
            // MP3 lengths are estimates; for the other formats a short read means the data was cut off.
            let tolerance = isMPEG ? declaredFrameCount : 0
            if decodedFrameCount + tolerance < declaredFrameCount {
                throw .truncated(
                    file: url.path,
                    reason: "decoded \(decodedFrameCount) of \(declaredFrameCount) frames the header announces")
            }
            return []
        }
        decodedFrameCount += read
        if channels == 1 { return Array(interleaved[0..<read]) }
        var mono = [Float](repeating: 0, count: read)
        let scale = 1 / Float(channels)
        interleaved.withUnsafeBufferPointer { source in
            for frame in 0..<read {
                var sum: Float = 0
                for channel in 0..<channels { sum += source[frame * channels + channel] }
                mono[frame] = sum * scale
            }
        }
        return mono
    }

    private var isMPEG: Bool {
        var info = SF_INFO()
        _ = sf_command(handle, Int32(SFC_GET_CURRENT_SF_INFO), &info, Int32(MemoryLayout<SF_INFO>.size))
        return info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_MPEG)
    }
}
