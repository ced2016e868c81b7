import Foundation

/// Spectral energy of a signal by a plain DFT over Hann-windowed frames (test helper).
enum BandEnergy {
    /// Power per DFT bin (0 ..< frameLength/2), summed over frames of `frameLength` samples with hop = frameLength.
    static func spectrum(_ samples: [Float], frameLength: Int = 512) -> [Double] {
        let bins = frameLength / 2
        var power = [Double](repeating: 0, count: bins)
        var cosines = [Double](repeating: 0, count: frameLength * bins)
        var sines = cosines
        for bin in 0..<bins {
            for index in 0..<frameLength {
                let angle = 2 * Double.pi * Double(bin * index) / Double(frameLength)
                cosines[bin * frameLength + index] = cos(angle)
                sines[bin * frameLength + index] = sin(angle)
            }
        }
        let window = (0..<frameLength).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(frameLength)) }
        var start = 0
        while start + frameLength <= samples.count {
            let frame = (0..<frameLength).map { Double(samples[start + $0]) * window[$0] }
            for bin in 0..<bins {
                var real = 0.0, imaginary = 0.0
                let offset = bin * frameLength
                for index in 0..<frameLength {
                    real += frame[index] * cosines[offset + index]
                    imaginary += frame[index] * sines[offset + index]
                }
                power[bin] += real * real + imaginary * imaginary
            }
            start += frameLength
        }
        return power
    }

    /// Share of the total energy between `low` and `high` Hz.
    static func share(_ samples: [Float], sampleRate: Int, from low: Double, to high: Double) -> Double {
        let power = spectrum(samples)
        let binWidth = Double(sampleRate) / Double(2 * power.count)
        let total = power.reduce(0, +)
        let band = power.indices.filter { Double($0) * binWidth >= low && Double($0) * binWidth < high }.map { power[$0] }.reduce(0, +)
        return total > 0 ? band / total : 0
    }

    /// Energy between `low` and `high` Hz.
    static func energy(_ samples: [Float], sampleRate: Int, from low: Double, to high: Double) -> Double {
        let power = spectrum(samples)
        let binWidth = Double(sampleRate) / Double(2 * power.count)
        return power.indices.filter { Double($0) * binWidth >= low && Double($0) * binWidth < high }.map { power[$0] }.reduce(0, +)
    }
}
