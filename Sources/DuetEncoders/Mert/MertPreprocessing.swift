import Foundation

/// What MERT's feature extractor (`transformers`' `Wav2Vec2FeatureExtractor`, configured by the
/// checkpoint's `preprocessor_config.json`) does to a clip before the network: with `do_normalize`,
/// zero mean and unit variance over the whole clip,
/// `input = (x − mean(x)) / sqrt(var(x) + 1e-7)` (biased variance; `zero_mean_unit_var_norm`).
/// Duet accumulates the mean and variance in Float64 (numpy sums Float32 pairwise), then computes
/// in Float32 as numpy does.
public struct MertPreprocessing: Decodable, Sendable, Equatable {
    public var normalizes: Bool
    public var sampleRate: Int

    enum CodingKeys: String, CodingKey {
        case normalizes = "do_normalize", sampleRate = "sampling_rate"
    }

    public init(normalizes: Bool = true, sampleRate: Int) {
        self.normalizes = normalizes
        self.sampleRate = sampleRate
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        normalizes = try container.decodeIfPresent(Bool.self, forKey: .normalizes) ?? true
        sampleRate = try container.decodeIfPresent(Int.self, forKey: .sampleRate) ?? 16000
    }

    /// Reads `preprocessor_config.json`.
    public init(contentsOf url: URL) throws(EncoderError) {
        do {
            self = try JSONDecoder().decode(MertPreprocessing.self, from: Data(contentsOf: url))
        } catch {
            throw .unreadableConfiguration(model: "MERT feature extractor", path: url.path, reason: String(describing: error))
        }
    }

    /// The network's input values for the clip `samples`.
    public func inputValues(_ samples: [Float]) -> [Float] {
        guard normalizes, !samples.isEmpty else { return samples }
        var sum = 0.0
        for sample in samples { sum += Double(sample) }
        let mean = sum / Double(samples.count)
        var squares = 0.0
        for sample in samples {
            let centred = Double(sample) - mean
            squares += centred * centred
        }
        let floatMean = Float(mean)
        let deviation = (Float(squares / Double(samples.count)) + 1e-7).squareRoot()
        return samples.map { ($0 - floatMean) / deviation }
    }
}
