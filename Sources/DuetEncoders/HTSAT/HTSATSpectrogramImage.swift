import DuetAudio

/// HTS-AT's front end after the log-mel: the batch norm over mel bins and the fold of the
/// spectrogram into the square image the Swin body reads (`HTSAT_Swin_Transformer.forward` and
/// `reshape_wav2img` in laion_clap's `htsat.py`).
///
/// 1. `bn0` in evaluation mode, per mel bin `m`: `y = x · α[m] + β[m]` with `α = γ / sqrt(var + ε)` and
///    `β = shift − mean · α` (the form PyTorch's CPU inference kernel evaluates).
/// 2. Frames `T` shorter than `spec_size · freq_ratio` are stretched to it with bicubic interpolation
///    (`align_corners=True`; ``CubicInterpolation``), and mel bins likewise when fewer than
///    `spec_size / freq_ratio` (never for laion_clap's settings).
/// 3. The `[T', F']` map is cut into `freq_ratio` consecutive time chunks of `spec_size` frames, stacked
///    along the height: pixel `(chunk · F' + f, t)` is frame `chunk · spec_size + t`, bin `f`.
struct HTSATSpectrogramImage: Sendable {
    let configuration: HTSATConfiguration
    /// `α`, `β` of the folded batch norm, `[mel]` each.
    let scale: [Float]
    let shift: [Float]

    init(configuration: HTSATConfiguration, weights: HTSATWeights) {
        self.configuration = configuration
        let epsilon = configuration.batchNormEpsilon
        scale = zip(weights.batchNormScale, weights.batchNormVariance).map { $0 / ($1 + epsilon).squareRoot() }
        shift = zip(weights.batchNormShift, zip(weights.batchNormMean, scale)).map { $0 - $1.0 * $1.1 }
    }

    /// The image `[spec_size, spec_size]` (row-major) of one log-mel spectrogram `[frames, mel]`, at most
    /// `spec_size · freq_ratio` frames (the caller checks).
    func callAsFunction(_ logMel: LogMelSpectrogram) -> [Float] {
        let mel = logMel.bandCount, frames = logMel.frameCount
        var normalised = logMel.values
        for frame in 0..<frames {
            for bin in 0..<mel {
                let index = frame * mel + bin
                normalised[index] = normalised[index] * scale[bin] + shift[bin]
            }
        }
        let targetFrames = configuration.targetFrameCount, targetBins = configuration.targetMelBinCount
        var stretched = normalised
        if frames < targetFrames {
            stretched = CubicInterpolation(from: frames, to: targetFrames).resampleRows(stretched, columns: mel)
        }
        if mel < targetBins {
            stretched = CubicInterpolation(from: mel, to: targetBins).resampleColumns(stretched, rows: targetFrames)
        }
        let side = configuration.spectrogramSize
        var image = [Float](repeating: 0, count: side * side)
        for chunk in 0..<configuration.frequencyRatio {
            for bin in 0..<targetBins {
                let row = chunk * targetBins + bin
                for column in 0..<side {
                    image[row * side + column] = stretched[(chunk * side + column) * targetBins + bin]
                }
            }
        }
        return image
    }
}
