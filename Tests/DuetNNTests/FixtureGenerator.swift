import DuetTensor
import Foundation

/// The counter-based generator of `Scripts/reference/engine_parity.py`: SplitMix64's finaliser of
/// `stream·2³² + index`, top 24 bits as `u ∈ [0, 1)`, value `offset + scale·(2u − 1)` computed in
/// Float64 and rounded to Float32 (exactly as NumPy does there).
enum FixtureGenerator {
    static func uniform(stream: Int, count: Int) -> [Double] {
        (0..<count).map { index in
            var z = (UInt64(stream) << 32) &+ UInt64(index) &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Double(z >> 40) / Double(1 << 24)
        }
    }

    static func values(stream: Int, count: Int, offset: Double, scale: Double) -> [Float] {
        uniform(stream: stream, count: count).map { Float(offset + scale * (2 * $0 - 1)) }
    }

    static func tensor(stream: Int, shape: [Int], offset: Double = 0, scale: Double = 1) -> Tensor {
        Tensor(values(stream: stream, count: shape.reduce(1, *), offset: offset, scale: scale), shape: shape)
    }

    /// Decodes a JSON fixture from the test bundle's `Resources` folder.
    static func load<Value: Decodable>(_ name: String, as type: Value.Type) throws -> Value {
        let file = (name as NSString).deletingPathExtension
        let fileExtension = (name as NSString).pathExtension
        // Foundation on Linux treats a top-level `Resources` folder as the bundle's resource folder.
        guard let url = Bundle.module.url(forResource: file, withExtension: fileExtension)
            ?? Bundle.module.url(forResource: file, withExtension: fileExtension, subdirectory: "Resources")
        else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Tests/DuetNNTests/Resources/\(name)"]) }
        return try JSONDecoder().decode(Value.self, from: Data(contentsOf: url))
    }
}
