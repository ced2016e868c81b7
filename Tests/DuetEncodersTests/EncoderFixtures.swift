import Foundation

/// The fixtures `Scripts/reference/musicnn_reference.py` wrote from the original TensorFlow musicnn.
enum EncoderFixtures {
    static let clips = ["piano", "violin", "drums_bass"]

    struct Patch: Decodable {
        var tags: [Float]
        var penultimate: [Float]
        var top5: [String]
        var max_pool: [Float]?
        var mean_pool: [Float]?
        var frames: [Int]?
        var frame_features: [Float]?
    }

    struct Reference: Decodable {
        var model: String
        var clip: String
        var patches: [Patch]
    }

    static func url(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Resources/\(name)"])
        }
        return url
    }

    static func reference(_ clip: String, model: String) throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url("\(clip).\(model).json")))
    }

    /// The log-mel patches the reference fed to TensorFlow, each `[187, 96]`.
    static func inputPatches(_ clip: String) throws -> [[Float]] {
        let data = try Data(contentsOf: url("\(clip).input.f32"))
        let values: [Float] = data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
        let size = 187 * 96
        return stride(from: 0, to: values.count, by: size).map { Array(values[$0..<($0 + size)]) }
    }

    static var weightsEnabled: Bool { ProcessInfo.processInfo.environment["DUET_TEST_WEIGHTS"] == "1" }
}

