import DuetTensor

extension MertModel: LayerStateAudioEncoder {
    /// MERT-v1's pre-training crops: 5 s. A longer clip runs as chunks of at most this length, so the
    /// attention's cost stays linear in the clip's length and every chunk is as long as the clips MERT
    /// learnt from (Docs/encoders.md).
    public static let windowSeconds = 5

    public var sampleRate: Int { configuration.sampleRate }
    /// Every hidden state is one layer of the hidden width (13 for 95M, 25 for 330M).
    public var layerWidths: [Int] { Array(repeating: configuration.hiddenSize, count: configuration.stateCount) }
    public var windowSampleCount: Int { Self.windowSeconds * configuration.sampleRate }
    public var minimumSampleCount: Int { configuration.minimumSampleCount }

    /// Every hidden state of the window, each `[frames, hidden]` (75 frames a second at 24 kHz).
    public func layerStates(samples: [Float]) throws -> [[Float]] {
        Self.layerStates(of: try hiddenStates(samples: samples))
    }

    /// ``hiddenStates(samples:)`` `[stateCount, frames, hidden]` split into one `[frames, hidden]` layer per state.
    public static func layerStates(of states: Tensor) -> [[Float]] {
        let size = states.shape[1] * states.shape[2]
        return (0..<states.shape[0]).map { Array(states.storage[($0 * size)..<(($0 + 1) * size)]) }
    }
}
