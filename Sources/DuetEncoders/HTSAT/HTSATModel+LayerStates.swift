extension HTSATModel: LayerStateAudioEncoder {
    public var sampleRate: Int { configuration.sampleRate }

    /// One layer per stage: the outputs of the stages before the last (after their patch merging, `2 · width(s)`
    /// channels), then the final-normed last stage (``HTSATConfiguration/featureCount``); HTSAT-tiny: 192, 384,
    /// 768, 768.
    public var layerWidths: [Int] {
        (0..<(configuration.stageCount - 1)).map { 2 * configuration.width(ofStage: $0) } + [configuration.featureCount]
    }

    /// CLAP's `clip_samples` (10 s at 48 kHz), and never more than the spectrogram image holds.
    public var windowSampleCount: Int {
        min(configuration.clipSamples, (configuration.targetFrameCount - 1) * configuration.hopLength)
    }

    /// More than half an STFT window (the reflect padding's need).
    public var minimumSampleCount: Int { configuration.fftSize / 2 + 1 }

    /// Each stage's tokens averaged over frequency, in time order: stage `s < last` gives
    /// `[freq_ratio · side_s, 2 · width(s)]` from its `[side_s², 2 · width(s)]` output (`side_s` = grid / 2^(s+1)),
    /// the last stage its ``HTSATModel/Output/frameStates``. The image stacks `freq_ratio` time chunks along its
    /// height, so grid row `r` is chunk `r / bins`, frequency row `r mod bins` (`bins = side / freq_ratio`), and
    /// time step `chunk · side + column` (as the model's own frame states regroup the final grid).
    public func layerStates(samples: [Float]) throws -> [[Float]] {
        layerStates(of: try self([samples]))
    }

    /// ``layerStates(samples:)`` of one forward pass's output (its first item).
    public func layerStates(of output: Output) -> [[Float]] {
        let ratio = configuration.frequencyRatio
        var layers: [[Float]] = []
        for stage in output.stageOutputs.dropLast() {
            let tokens = stage.shape[1], width = stage.shape[2]
            let side = Int(Double(tokens).squareRoot().rounded())
            let bins = side / ratio, steps = side * ratio
            var frames = [Float](repeating: 0, count: steps * width)
            for step in 0..<steps {
                let chunk = step / side, column = step % side
                for bin in 0..<bins {
                    let source = ((chunk * bins + bin) * side + column) * width
                    for channel in 0..<width { frames[step * width + channel] += stage.storage[source + channel] }
                }
            }
            layers.append(frames.map { $0 / Float(bins) })
        }
        let steps = output.frameStates.shape[1] * output.frameStates.shape[2]
        layers.append(Array(output.frameStates.storage[0..<steps]))
        return layers
    }
}
