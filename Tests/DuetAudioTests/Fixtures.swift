import CSndFile
import Foundation

/// Loads the little-endian float32 fixtures written by `Scripts/reference/logmel_reference.py`.
enum Fixtures {
    static func url(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Resources/\(name)"])
        }
        return url
    }

    static func floats(_ name: String) throws -> [Float] {
        let data = try Data(contentsOf: url(name))
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }
}

/// Writes small audio files with libsndfile for the decoder tests.
enum AudioFileWriter {
    struct WriteError: Error, CustomStringConvertible { let description: String }

    /// Writes interleaved `samples` (`channels` per frame) in `format` (e.g. `SF_FORMAT_WAV | SF_FORMAT_PCM_16`).
    static func write(_ samples: [Float], channels: Int, sampleRate: Int, format: Int32, to url: URL) throws {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = format
        guard sf_format_check(&info) != 0 else { throw WriteError(description: "libsndfile cannot write format \(format)") }
        guard let handle = sf_open(url.path, Int32(SFM_WRITE), &info) else {
            throw WriteError(description: String(cString: sf_strerror(nil)))
        }
        let written = samples.withUnsafeBufferPointer { sf_writef_float(handle, $0.baseAddress, sf_count_t(samples.count / channels)) }
        sf_close(handle)
        guard written == samples.count / channels else { throw WriteError(description: "wrote \(written) frames") }
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("duet-audio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `seconds` of a 440 Hz sine at `sampleRate`, stereo with the right channel at half amplitude.
    static func stereoSine(seconds: Double, sampleRate: Int) -> [Float] {
        let frames = Int(seconds * Double(sampleRate))
        var samples = [Float](repeating: 0, count: frames * 2)
        for frame in 0..<frames {
            let value = Float(0.5 * sin(2 * Double.pi * 440 * Double(frame) / Double(sampleRate)))
            samples[2 * frame] = value
            samples[2 * frame + 1] = value / 2
        }
        return samples
    }
}
