import Foundation

/// A minimal RIFF/WAVE writer: mono, 16-bit PCM, a `fmt ` and a `data` chunk and nothing else
/// (no metadata chunks, so nothing about a clip's tags can leak into the file).
public enum WaveFile {
    /// The complete file bytes. Samples are clamped to [-1, 1] and rounded to the nearest 16-bit step.
    public static func encode(_ samples: [Float], sampleRate: Int) -> Data {
        var data = Data(capacity: 44 + 2 * samples.count)
        func append32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func append16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        let payload = UInt32(2 * samples.count)
        data.append(contentsOf: Array("RIFF".utf8)); append32(36 + payload)
        data.append(contentsOf: Array("WAVE".utf8))
        data.append(contentsOf: Array("fmt ".utf8)); append32(16)
        append16(1); append16(1)
        append32(UInt32(sampleRate)); append32(UInt32(sampleRate * 2))
        append16(2); append16(16)
        data.append(contentsOf: Array("data".utf8)); append32(payload)
        var pcm = [Int16](repeating: 0, count: samples.count)
        for index in samples.indices {
            pcm[index] = Int16((max(-1, min(1, samples[index])) * 32767).rounded()).littleEndian
        }
        pcm.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    /// Writes the file.
    public static func write(_ samples: [Float], sampleRate: Int, to url: URL) throws(SynthError) {
        do {
            try encode(samples, sampleRate: sampleRate).write(to: url, options: .atomic)
        } catch {
            throw .writeFailed(path: url.path, reason: error.localizedDescription)
        }
    }
}
