import DuetTensor

/// MERT's (HuBERT's) convolutional feature encoder on raw buffers: the normalised waveform to one
/// frame per `∏ strides` samples (320 for MERT: 75 frames a second at 24 kHz), as `transformers`'
/// `HubertFeatureEncoder` in evaluation mode.
///
/// Convolution `l` (kernel `k`, stride `s`, `in` → `out` channels, valid padding):
/// `y[t, o] = b[o] + Σ_{j<k} Σ_i w[o, i, j] x[t s + j, i]`, `t < ⌊(n − k) / s⌋ + 1`, then
/// - `feat_extract_norm` "group": after the first convolution only, a group norm with one group per
///   channel, i.e. each channel normalised over time, `(y − mean_t) / sqrt(var_t + 1e-5) · γ + β`
///   (biased variance; `nn.GroupNorm`'s default epsilon);
/// - "layer": after every convolution, a layer norm over the channels of each frame (epsilon 1e-5,
///   `nn.LayerNorm`'s default: HuBERT does not pass the configuration's);
/// - then the activation (the exact GELU for MERT).
///
/// Activations are `[time, channels]` row-major. With that layout the input rows a tap reads are a
/// strided view, so a convolution is `k` matrix products `y += X_j W_jᵀ` (`X_j` rows `t s + j`, leading
/// dimension `s · in`; `W_j = w[:, :, j]`, stored tap-major by ``MertWeights``) with no unfolded
/// copy, except the first (one input channel), whose `[frames, k]` unfolded waveform is small.
/// Note that the group norm makes every frame depend on the whole clip: features of a clip cut in
/// pieces are not the pieces' features.
enum MertFeatureEncoder {
    /// The features `[frames, channels of the last convolution]` of `input`, `frames` being
    /// `configuration.frameCount(samples: input.count)` (at least one: the caller checks the length).
    static func features(of input: [Float], configuration: MertConfiguration, weights: MertWeights) -> (values: [Float], frames: Int) {
        var current = input
        var length = input.count
        var inputs = 1
        for (index, convolution) in weights.convolutions.enumerated() {
            let kernel = configuration.convolutionKernels[index], stride = configuration.convolutionStrides[index]
            let outputs = configuration.convolutionChannels[index]
            let frames = (length - kernel) / stride + 1
            var output = [Float](repeating: 0, count: frames * outputs)
            current.withUnsafeBufferPointer { source in
                output.withUnsafeMutableBufferPointer { destination in
                    convolve(
                        source.baseAddress!, into: destination.baseAddress!, convolution: convolution, inputs: inputs, outputs: outputs,
                        kernel: kernel, stride: stride, frames: frames)
                    normalizeAndActivate(
                        destination.baseAddress!, convolution: convolution, frames: frames, channels: outputs,
                        norm: convolution.normScale == nil ? nil : configuration.featureEncoderNorm,
                        activation: configuration.featureEncoderActivation)
                }
            }
            current = output
            length = frames
            inputs = outputs
        }
        return (current, length)
    }

    /// `output [frames, outputs] = bias + Σ_j X_j W_jᵀ` (see the type's notes).
    private static func convolve(
        _ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, convolution: MertWeights.Convolution,
        inputs: Int, outputs: Int, kernel: Int, stride: Int, frames: Int
    ) {
        if let bias = convolution.bias {
            bias.withUnsafeBufferPointer { EncoderKernels.broadcastRows($0.baseAddress!, into: output, rows: frames, width: outputs) }
        }
        convolution.weight.withUnsafeBufferPointer { weight in
            if inputs == 1 {
                // One input channel: unfold the waveform to [frames, kernel] and make one product
                // with the tap-major weight [kernel, outputs].
                var unfolded = [Float](repeating: 0, count: frames * kernel)
                for frame in 0..<frames {
                    for tap in 0..<kernel { unfolded[frame * kernel + tap] = input[frame * stride + tap] }
                }
                sgemm(unfolded, weight.baseAddress!, output, m: frames, n: outputs, k: kernel, beta: convolution.bias == nil ? 0 : 1)
                return
            }
            for tap in 0..<kernel {
                sgemm(
                    input + tap * inputs, lda: stride * inputs, weight.baseAddress! + tap * outputs * inputs, ldb: inputs,
                    output, ldc: outputs, m: frames, n: outputs, k: inputs, transposeB: true,
                    beta: tap == 0 && convolution.bias == nil ? 0 : 1)
            }
        }
    }

    /// The convolution's norm (if any) and the activation, in place over `values` `[frames, channels]`.
    private static func normalizeAndActivate(
        _ values: UnsafeMutablePointer<Float>, convolution: MertWeights.Convolution, frames: Int, channels: Int,
        norm: MertConfiguration.FeatureEncoderNorm?, activation: EncoderActivation
    ) {
        let epsilon: Float = 1e-5
        if let norm, let scale = convolution.normScale, let shift = convolution.normShift {
            switch norm {
            case .layer:
                scale.withUnsafeBufferPointer { scale in
                    shift.withUnsafeBufferPointer { shift in
                        EncoderKernels.residualLayerNorm(
                            values, adding: nil, bias: nil, scale: scale.baseAddress!, shift: shift.baseAddress!,
                            rows: frames, width: channels, epsilon: epsilon)
                    }
                }
            case .group:
                normalizeChannelsOverTime(values, frames: frames, channels: channels, scale: scale, shift: shift, epsilon: epsilon)
            }
        }
        EncoderKernels.activate(values, rows: frames, width: channels, activation: activation)
    }

    /// The group norm with one group per channel: each column of `values` `[frames, channels]`
    /// normalised by its mean and biased variance over the frames (accumulated in Float64), then
    /// scaled and shifted.
    static func normalizeChannelsOverTime(
        _ values: UnsafeMutablePointer<Float>, frames: Int, channels: Int, scale: [Float], shift: [Float], epsilon: Float
    ) {
        var sums = [Double](repeating: 0, count: channels)
        for frame in 0..<frames {
            let row = values + frame * channels
            for channel in 0..<channels { sums[channel] += Double(row[channel]) }
        }
        let means = sums.map { $0 / Double(frames) }
        var squares = [Double](repeating: 0, count: channels)
        for frame in 0..<frames {
            let row = values + frame * channels
            for channel in 0..<channels {
                let centred = Double(row[channel]) - means[channel]
                squares[channel] += centred * centred
            }
        }
        let factors = (0..<channels).map { Float(1 / (squares[$0] / Double(frames) + Double(epsilon)).squareRoot()) * scale[$0] }
        let offsets = (0..<channels).map { shift[$0] - Float(means[$0]) * factors[$0] }
        nonisolated(unsafe) let values = values
        Parallelism.forEachChunk(frames, minimumChunk: 64) { range in
            for frame in range {
                let row = values + frame * channels
                for channel in 0..<channels { row[channel] = row[channel] * factors[channel] + offsets[channel] }
            }
        }
    }
}
