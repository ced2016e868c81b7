import DuetTensor
import DuetTestSupport
import DuetWeights
import Foundation
import Testing

/// A tiny random checkpoint written by a `Scripts/reference/*_reference.py` script with
/// `transformers` (`Resources/<name>/`: `config.json`, `model.safetensors`, `reference.json`), and the
/// reference's outputs on a few batches.
struct TinyEncoderFixture: Decodable {
    struct Case: Decodable {
        /// The sentence's token ids, without padding.
        let ids: [Int32]
        /// `hidden_states` at the real positions: the embeddings, then each layer's output, `[length, channels]` each.
        let hiddenStates: [[Float]]
        let lastHiddenState: [Float]
        /// CLIP: the projected pooled state, under the configuration's and under the legacy pooling rule.
        let textEmbeds: [Float]?
        let legacyTextEmbeds: [Float]?

        enum CodingKeys: String, CodingKey {
            case ids, hiddenStates = "hidden_states", lastHiddenState = "last_hidden_state"
            case textEmbeds = "text_embeds", legacyTextEmbeds = "legacy_text_embeds"
        }
    }

    /// T5: `T5Attention._relative_position_bucket` of a real setting on a range of distances.
    struct Buckets: Decodable {
        let bucketCount: Int
        let maximumDistance: Int
        let distances: [Int]
        let buckets: [Int]
        enum CodingKeys: String, CodingKey {
            case bucketCount = "bucket_count", maximumDistance = "maximum_distance", distances, buckets
        }
    }

    /// The `transformers` version that wrote the fixture.
    let transformers: String
    /// How many consecutive cases formed each batch the reference ran.
    let batches: [Int]
    /// The largest `Σ|term|` of any reduction of the reference's forward pass, in the units of its result.
    let largestReductionMagnitude: Float
    let cases: [Case]
    let buckets: Buckets?

    enum CodingKeys: String, CodingKey {
        case transformers, batches, largestReductionMagnitude = "largest_reduction_magnitude", cases, buckets
    }

    /// The checkpoint folder `Resources/<name>`.
    static func folder(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources"))
    }

    static func load(_ name: String) throws -> TinyEncoderFixture {
        try JSONDecoder().decode(TinyEncoderFixture.self, from: Data(contentsOf: folder(name).appendingPathComponent("reference.json")))
    }

    /// The cases grouped as the reference batched them.
    var batchedCases: [[Case]] {
        var start = 0
        return batches.map { count in
            defer { start += count }
            return Array(cases[start..<(start + count)])
        }
    }

    /// The reference and Duet evaluate the same sums in other orders (and Duet's `exp`, `erf` and
    /// `tanh` are within a few units of roundoff of libm's): after `stages` successive reductions of at
    /// most `terms` terms, each of at most the measured magnitude, the results differ by at most
    /// `Tolerance.reordered` of them. The first-order model adds each stage's error once, carried
    /// unamplified: the magnitude is the largest of the whole network, normalisation included (its
    /// `|scale| · max|x| / σ` carries a norm's own error to its output).
    func tolerance(stages: Int, terms: Int) -> Tolerance {
        Tolerance.reordered(terms: terms, magnitude: largestReductionMagnitude, layers: stages)
    }

    /// Every tensor of the fixture's checkpoint, to alter and write back.
    static func tensors(_ name: String) throws -> [String: Tensor] {
        let file = try SafetensorsFile(url: folder(name).appendingPathComponent("model.safetensors"))
        var tensors: [String: Tensor] = [:]
        for name in file.names { tensors[name] = try file.tensor(named: name) }
        return tensors
    }
}

/// Weights written to a temporary safetensors file and mapped again.
enum TemporarySafetensors {
    static func write(_ tensors: [String: Tensor]) throws -> SafetensorsFile {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("duet-encoder-\(UUID().uuidString).safetensors")
        try Safetensors.write(tensors, to: url)
        // The file stays mapped after it is unlinked, so nothing is left in the temporary folder.
        defer { try? FileManager.default.removeItem(at: url) }
        return try SafetensorsFile(url: url)
    }
}
