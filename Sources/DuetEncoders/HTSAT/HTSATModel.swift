import DuetAudio
import DuetTensor
import DuetWeights
import Foundation

/// HTS-AT, the hierarchical token-semantic audio transformer (Chen et al., "HTS-AT: A Hierarchical
/// Token-Semantic Audio Transformer for Sound Classification and Detection", ICASSP 2022), as LAION-CLAP's
/// audio tower (`HTSAT_Swin_Transformer` in `laion_clap/clap_module/htsat.py`, non-fusion), for inference.
///
/// Forward pass of one waveform at `sample_rate` (CLAP: 48 kHz mono, `clip_samples` = 10 s):
/// 1. log-mel `[frames, mel]`: torchlibrosa's centred periodic-Hann STFT (`window_size`, `hop_size`,
///    reflect padding), power, Slaney mel bank, `10 log10(max(x, 1e-10))` (DuetAudio,
///    ``HTSATConfiguration/logMelConfiguration``);
/// 2. `bn0`, bicubic stretch to `spec_size · freq_ratio` frames and the fold into a
///    `[spec_size, spec_size]` image (``HTSATSpectrogramImage``);
/// 3. patch embedding: non-overlapping `p × p` patches (`Conv2d` with stride = kernel, i.e. a linear map of
///    each patch's `p²` pixels), then LayerNorm: tokens `[grid², embed]`, row-major over the grid;
/// 4. stages `s = 0 …`: `depths[s]` Swin blocks of width `embed · 2^s` on a `(grid / 2^s)²` grid:
///    `x ← x + W-MSA(LN₁(x))`, `x ← x + MLP(LN₂(x))` with `MLP = fc₂ GELU(fc₁ ·)` (exact GELU), where W-MSA
///    is multi-head attention inside `window × window` windows, `softmax(q kᵀ / sqrt(d) + B + M) v`, with
///    the relative position bias `B` and, in odd blocks, a cyclic shift by half a window and the mask `M`
///    (−100 between tokens the shift brought together; ``SwinWindowLayout``); every stage but the last
///    ends with patch merging: the 2 × 2 neighbours `(2i, 2j), (2i + 1, 2j), (2i, 2j + 1), (2i + 1, 2j + 1)`
///    concatenated, LayerNorm, and a linear map `4C → 2C` without bias;
/// 5. final LayerNorm; the `[side, side]` grid is regrouped as `[c_freq_bin, freq_ratio · side]`
///    (time chunks laid end to end): the embedding is the mean of all tokens (`embedding`, what CLAP's
///    audio branch projects), the frame states the mean over `c_freq_bin` (`fine_grained_embedding`
///    before its 32-fold repetition), and the token-semantic head `tscam_conv` (kernel `c_freq_bin × 3`,
///    padding (0, 1)) gives per-step class logits whose sigmoid is `framewise_output` (before
///    repetition) and whose time mean's sigmoid is `clipwise_output`.
///
/// Shapes are `[batch, …]` throughout. No tape is recorded; the model is safe to call from several tasks.
public final class HTSATModel: Sendable {
    public let configuration: HTSATConfiguration
    public let weights: HTSATWeights
    let image: HTSATSpectrogramImage
    /// Per stage, per block: the window layout, the gathered relative position bias `[heads, P, P]` and
    /// the shifted-window mask `[windows, P, P]` (nil without a shift).
    let layouts: [[SwinWindowLayout]]
    let positionBiases: [[[Float]]]
    let masks: [[[Float]?]]

    /// What one forward pass returns.
    public struct Output: Sendable {
        /// The log-mel spectrograms before `bn0`, `[batch, frames, mel]`.
        public var logMel: Tensor
        /// The images the Swin body reads, `[batch, spec_size, spec_size]`.
        public var image: Tensor
        /// The patch embedding after its norm, `[batch, grid², embed]`.
        public var patchEmbedding: Tensor
        /// Each stage's output as laion_clap's `BasicLayer` returns it (after patch merging, except the
        /// last): `[batch, tokens, channels]` with `(grid / 2^(s+1))²` tokens of `2 · width(s)` channels for
        /// `s < last`, and the last stage's `[batch, finalResolution², featureCount]`.
        public var stageOutputs: [Tensor]
        /// The final-normed tokens, `[batch, finalResolution², featureCount]`, row-major over the final grid
        /// (rows: `freq_ratio` time chunks of `c_freq_bin` frequency rows; columns: time within the chunk).
        public var tokenStates: Tensor
        /// The tokens averaged over frequency, in time order: `[batch, finalTimeSteps, featureCount]`
        /// (laion_clap's `fine_grained_embedding` holds each of these 32 times).
        public var frameStates: Tensor
        /// The mean of all final tokens, `[batch, featureCount]` (`embedding`; CLAP projects it).
        public var embedding: Tensor
        /// Sigmoid of the token-semantic logits, `[batch, finalTimeSteps, classes]` (`framewise_output`
        /// holds each step 32 times).
        public var frameProbabilities: Tensor
        /// Sigmoid of the logits' time mean, `[batch, classes]` (`clipwise_output`).
        public var clipProbabilities: Tensor
    }

    public init(configuration: HTSATConfiguration, weights: HTSATWeights) {
        self.configuration = configuration
        self.weights = weights
        image = HTSATSpectrogramImage(configuration: configuration, weights: weights)
        var layouts: [[SwinWindowLayout]] = [], biases: [[[Float]]] = [], masks: [[[Float]?]] = []
        for stage in 0..<configuration.stageCount {
            let side = configuration.resolution(ofStage: stage)
            let stageLayouts = (0..<configuration.depths[stage]).map { block in
                SwinWindowLayout(
                    height: side, width: side, window: configuration.windowSize(ofStage: stage),
                    shift: configuration.shift(ofStage: stage, block: block))
            }
            layouts.append(stageLayouts)
            biases.append(zip(stageLayouts, weights.stages[stage].blocks).map { layout, block in
                layout.positionBias(table: block.relativePositionTable, headCount: configuration.headCounts[stage])
            })
            masks.append(stageLayouts.map(\.attentionMask))
        }
        self.layouts = layouts
        positionBiases = biases
        self.masks = masks
    }

    /// Loads a laion_clap model configuration JSON and a safetensors file with laion_clap's key names
    /// (the tower's own, or a whole CLAP checkpoint's under `audio_branch.`, whose other branches are skipped).
    public convenience init(configurationFile: URL, weightsFile: URL) throws {
        let configuration = try HTSATConfiguration(contentsOf: configurationFile)
        let file = try SafetensorsFile(url: weightsFile)
        let prefix = HTSATWeights.checkpointPrefix(in: file)
        self.init(
            configuration: configuration,
            weights: try HTSATWeights(file: file, configuration: configuration, prefix: prefix, ignoringOtherBranches: !prefix.isEmpty))
    }

    /// The log-mel spectrogram `[frames, mel]` of one waveform (before `bn0`).
    public func logMel(of waveform: [Float]) -> LogMelSpectrogram {
        LogMelSpectrogram(samples: waveform, configuration: configuration.logMelConfiguration)
    }

    /// Runs HTS-AT on each waveform.
    ///
    /// - Parameter waveforms: mono signals at `sample_rate`, each longer than half an STFT window and
    ///   giving at most `spec_size · freq_ratio` frames (`1 + samples / hop_size`; CLAP feeds exactly
    ///   `clip_samples`).
    public func callAsFunction(_ waveforms: [[Float]]) throws(EncoderError) -> Output {
        guard !waveforms.isEmpty else { throw .invalidInput(model: "HTS-AT", reason: "no waveforms") }
        let logMelConfiguration = configuration.logMelConfiguration
        var spectrograms: [LogMelSpectrogram] = []
        for (index, waveform) in waveforms.enumerated() {
            guard waveform.count > configuration.fftSize / 2 else {
                throw .invalidInput(model: "HTS-AT", reason: "waveform \(index) has \(waveform.count) samples; reflect padding needs more than \(configuration.fftSize / 2)")
            }
            let frames = logMelConfiguration.frameCount(sampleCount: waveform.count)
            guard frames <= configuration.targetFrameCount else {
                throw .invalidInput(model: "HTS-AT", reason: "waveform \(index) has \(waveform.count) samples (\(frames) frames), more than the \(configuration.targetFrameCount) frames of the spectrogram image; cut it to clip_samples = \(configuration.clipSamples)")
            }
            spectrograms.append(logMel(of: waveform))
        }
        guard Set(spectrograms.map(\.frameCount)).count == 1 else {
            throw .invalidInput(model: "HTS-AT", reason: "waveforms of different lengths (\(spectrograms.map(\.frameCount)) frames); bring them to clip_samples first")
        }
        let images = spectrograms.map { image($0) }
        let side = configuration.spectrogramSize
        let logMel = Tensor(
            spectrograms.flatMap(\.values), shape: [waveforms.count, spectrograms[0].frameCount, configuration.melBinCount])
        var output = body(images: images.flatMap { $0 }, batch: waveforms.count)
        output.logMel = logMel
        output.image = Tensor(images.flatMap { $0 }, shape: [waveforms.count, side, side])
        return output
    }

    /// The Swin body and heads on `[batch, spec_size, spec_size]` images.
    func body(images: [Float], batch: Int) -> Output {
        let grid = configuration.patchGridSize, embed = configuration.embeddingSize
        var states = patchEmbedding(images: images, batch: batch)
        let patchOutput = Tensor(states, shape: [batch, grid * grid, embed])
        var stageOutputs: [Tensor] = []
        for stage in 0..<configuration.stageCount {
            for block in 0..<configuration.depths[stage] {
                runBlock(stage: stage, block: block, states: &states, batch: batch)
            }
            if stage < configuration.stageCount - 1 {
                states = mergePatches(stage: stage, states: states, batch: batch)
            }
            let tokens = states.count / (batch * width(afterStage: stage))
            stageOutputs.append(Tensor(states, shape: [batch, tokens, width(afterStage: stage)]))
        }
        return heads(states: states, batch: batch, patchOutput: patchOutput, stageOutputs: stageOutputs)
    }

    private func width(afterStage stage: Int) -> Int {
        stage < configuration.stageCount - 1 ? 2 * configuration.width(ofStage: stage) : configuration.width(ofStage: stage)
    }

    /// `[batch · grid², embed]`: each `p × p` patch's pixels (row-major within the patch, as the
    /// convolution kernel `[embed, 1, p, p]` is laid out) times the kernel, plus the bias, then LayerNorm.
    private func patchEmbedding(images: [Float], batch: Int) -> [Float] {
        let grid = configuration.patchGridSize, embed = configuration.embeddingSize, patch = configuration.patchSize
        let side = configuration.spectrogramSize, pixels = patch * patch
        let rows = batch * grid * grid
        var patches = [Float](repeating: 0, count: rows * pixels)
        for item in 0..<batch {
            for row in 0..<grid {
                for column in 0..<grid {
                    let token = (item * grid + row) * grid + column
                    for kernelRow in 0..<patch {
                        let source = item * side * side + (row * patch + kernelRow) * side + column * patch
                        for kernelColumn in 0..<patch {
                            patches[token * pixels + kernelRow * patch + kernelColumn] = images[source + kernelColumn]
                        }
                    }
                }
            }
        }
        var states = [Float](repeating: 0, count: rows * embed)
        patches.withUnsafeBufferPointer { patches in
            weights.patchWeight.withUnsafeBufferPointer { weight in
                weights.patchBias.withUnsafeBufferPointer { bias in
                    states.withUnsafeMutableBufferPointer { states in
                        EncoderKernels.broadcastRows(bias.baseAddress!, into: states.baseAddress!, rows: rows, width: embed)
                        sgemm(patches.baseAddress!, weight.baseAddress!, states.baseAddress!, m: rows, n: embed, k: pixels, transposeB: true, beta: 1)
                    }
                }
            }
        }
        layerNorm(&states, rows: rows, width: embed, scale: weights.patchNormScale, shift: weights.patchNormShift)
        return states
    }

    /// `x[r, :] = LayerNorm(x[r, :])` in place.
    private func layerNorm(_ values: inout [Float], rows: Int, width: Int, scale: [Float], shift: [Float]) {
        let epsilon = configuration.layerNormEpsilon
        values.withUnsafeMutableBufferPointer { values in
            scale.withUnsafeBufferPointer { scale in
                shift.withUnsafeBufferPointer { shift in
                    EncoderKernels.residualLayerNorm(
                        values.baseAddress!, adding: nil, bias: nil, scale: scale.baseAddress!, shift: shift.baseAddress!,
                        rows: rows, width: width, epsilon: epsilon)
                }
            }
        }
    }

    /// One Swin block in place on `states` `[batch · tokens, width]` (grid order).
    private func runBlock(stage: Int, block: Int, states: inout [Float], batch: Int) {
        let layout = layouts[stage][block], parameters = weights.stages[stage].blocks[block].layer
        let width = configuration.width(ofStage: stage), hidden = configuration.mlpWidth(ofStage: stage)
        let heads = configuration.headCounts[stage]
        let tokens = layout.height * layout.width, rows = batch * tokens
        let order = layout.tokenIndices

        // Window order: packed row (item, r) holds token order[r] of item `item`.
        var windowed = [Float](repeating: 0, count: rows * width)
        for item in 0..<batch {
            for row in 0..<tokens {
                let source = (item * tokens + order[row]) * width, target = (item * tokens + row) * width
                for channel in 0..<width { windowed[target + channel] = states[source + channel] }
            }
        }
        layerNorm(&windowed, rows: rows, width: width, scale: parameters.firstNormScale, shift: parameters.firstNormShift)
        var projections = [Float](repeating: 0, count: rows * 3 * width)
        linear(windowed, parameters.queryKeyValueWeight, parameters.queryKeyValueBias, into: &projections, rows: rows, outputs: 3 * width, inputs: width)
        let windowTokens = layout.windowTokens, windows = batch * layout.windowCount
        var context = [Float](repeating: 0, count: rows * width)
        projections.withUnsafeBufferPointer { projections in
            context.withUnsafeMutableBufferPointer { context in
                positionBiases[stage][block].withUnsafeBufferPointer { bias in
                    (masks[stage][block] ?? []).withUnsafeBufferPointer { mask in
                        EncoderKernels.attention(
                            projections: projections.baseAddress!, context: context.baseAddress!,
                            offsets: (0..<windows).map { $0 * windowTokens }, lengths: [Int](repeating: windowTokens, count: windows),
                            headCount: heads, headSize: width / heads, pairBias: bias.baseAddress!,
                            pairMasks: mask.isEmpty ? nil : (mask.baseAddress!, layout.windowCount))
                    }
                }
            }
        }
        linear(context, parameters.attentionOutputWeight, parameters.attentionOutputBias, into: &windowed, rows: rows, outputs: width, inputs: width)
        // Undo the partition and the shift while adding the residual.
        for item in 0..<batch {
            for row in 0..<tokens {
                let target = (item * tokens + order[row]) * width, source = (item * tokens + row) * width
                for channel in 0..<width { states[target + channel] += windowed[source + channel] }
            }
        }

        var normed = states
        layerNorm(&normed, rows: rows, width: width, scale: parameters.secondNormScale, shift: parameters.secondNormShift)
        var expanded = [Float](repeating: 0, count: rows * hidden)
        normed.withUnsafeBufferPointer { normed in
            parameters.intermediateWeight.withUnsafeBufferPointer { weight in
                expanded.withUnsafeMutableBufferPointer { expanded in
                    sgemm(normed.baseAddress!, weight.baseAddress!, expanded.baseAddress!, m: rows, n: hidden, k: width, transposeB: true)
                }
            }
        }
        expanded.withUnsafeMutableBufferPointer { expanded in
            parameters.intermediateBias.withUnsafeBufferPointer { bias in
                EncoderKernels.biasActivation(expanded.baseAddress!, bias: bias.baseAddress!, rows: rows, width: hidden, activation: .gelu)
            }
        }
        expanded.withUnsafeBufferPointer { expanded in
            parameters.outputWeight.withUnsafeBufferPointer { weight in
                parameters.outputBias.withUnsafeBufferPointer { bias in
                    states.withUnsafeMutableBufferPointer { states in
                        EncoderKernels.addRows(bias.baseAddress!, into: states.baseAddress!, rows: rows, width: width)
                        sgemm(expanded.baseAddress!, weight.baseAddress!, states.baseAddress!, m: rows, n: width, k: hidden, transposeB: true, beta: 1)
                    }
                }
            }
        }
    }

    /// `output = input Wᵀ + b`, `[rows, outputs]`.
    private func linear(_ input: [Float], _ weight: [Float], _ bias: [Float], into output: inout [Float], rows: Int, outputs: Int, inputs: Int) {
        input.withUnsafeBufferPointer { input in
            weight.withUnsafeBufferPointer { weight in
                bias.withUnsafeBufferPointer { bias in
                    output.withUnsafeMutableBufferPointer { output in
                        EncoderKernels.broadcastRows(bias.baseAddress!, into: output.baseAddress!, rows: rows, width: outputs)
                        sgemm(input.baseAddress!, weight.baseAddress!, output.baseAddress!, m: rows, n: outputs, k: inputs, transposeB: true, beta: 1)
                    }
                }
            }
        }
    }

    /// Patch merging after stage `stage`: `[batch · side², C]` → `[batch · (side/2)², 2C]`.
    private func mergePatches(stage: Int, states: [Float], batch: Int) -> [Float] {
        let side = configuration.resolution(ofStage: stage), width = configuration.width(ofStage: stage)
        let half = side / 2, rows = batch * half * half
        let parameters = weights.stages[stage]
        var gathered = [Float](repeating: 0, count: rows * 4 * width)
        // Concatenation order of PatchMerging: (2i, 2j), (2i+1, 2j), (2i, 2j+1), (2i+1, 2j+1).
        let neighbours = [(0, 0), (1, 0), (0, 1), (1, 1)]
        for item in 0..<batch {
            for i in 0..<half {
                for j in 0..<half {
                    let target = ((item * half + i) * half + j) * 4 * width
                    for (part, (down, right)) in neighbours.enumerated() {
                        let source = ((item * side + 2 * i + down) * side + 2 * j + right) * width
                        for channel in 0..<width { gathered[target + part * width + channel] = states[source + channel] }
                    }
                }
            }
        }
        layerNorm(&gathered, rows: rows, width: 4 * width, scale: parameters.mergeNormScale ?? [], shift: parameters.mergeNormShift ?? [])
        var merged = [Float](repeating: 0, count: rows * 2 * width)
        gathered.withUnsafeBufferPointer { gathered in
            (parameters.mergeReduction ?? []).withUnsafeBufferPointer { weight in
                merged.withUnsafeMutableBufferPointer { merged in
                    sgemm(gathered.baseAddress!, weight.baseAddress!, merged.baseAddress!, m: rows, n: 2 * width, k: 4 * width, transposeB: true)
                }
            }
        }
        return merged
    }

    /// Final norm, regrouping, embedding, frame states and the token-semantic head.
    private func heads(states: [Float], batch: Int, patchOutput: Tensor, stageOutputs: [Tensor]) -> Output {
        let features = configuration.featureCount, side = configuration.finalResolution
        let bins = configuration.finalFrequencyBins, steps = configuration.finalTimeSteps
        let tokens = side * side, classes = configuration.classCount
        var normed = states
        layerNorm(&normed, rows: batch * tokens, width: features, scale: weights.finalNormScale, shift: weights.finalNormShift)

        // grouped[item, c, f, t] = token (chunk · bins + f, t mod side), chunk = t / side: the layout of
        // `x.reshape(B, C, ratio, bins, side).permute(0, 1, 3, 2, 4)` in forward_features.
        var grouped = [Float](repeating: 0, count: batch * features * bins * steps)
        var frames = [Float](repeating: 0, count: batch * steps * features)
        var embedding = [Float](repeating: 0, count: batch * features)
        for item in 0..<batch {
            for step in 0..<steps {
                let chunk = step / side, column = step % side
                for bin in 0..<bins {
                    let token = (chunk * bins + bin) * side + column
                    let source = (item * tokens + token) * features
                    for channel in 0..<features {
                        grouped[((item * features + channel) * bins + bin) * steps + step] = normed[source + channel]
                    }
                }
            }
            for channel in 0..<features {
                var total: Float = 0
                for bin in 0..<bins {
                    for step in 0..<steps { total += grouped[((item * features + channel) * bins + bin) * steps + step] }
                }
                embedding[item * features + channel] = total / Float(bins * steps)
                for step in 0..<steps {
                    var sum: Float = 0
                    for bin in 0..<bins { sum += grouped[((item * features + channel) * bins + bin) * steps + step] }
                    frames[(item * steps + step) * features + channel] = sum / Float(bins)
                }
            }
        }
        let logits = withoutGradient {
            Tensor.conv2d(
                Tensor(grouped, shape: [batch, features, bins, steps]),
                weight: Tensor(weights.tokenSemanticWeight, shape: [classes, features, bins, 3]),
                bias: Tensor(weights.tokenSemanticBias, shape: [classes]), padding: (0, 1))
        }.storage  // [batch, classes, 1, steps]
        var frameProbabilities = [Float](repeating: 0, count: batch * steps * classes)
        var clipProbabilities = [Float](repeating: 0, count: batch * classes)
        func sigmoid(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }
        for item in 0..<batch {
            for label in 0..<classes {
                var total: Float = 0
                for step in 0..<steps {
                    let logit = logits[(item * classes + label) * steps + step]
                    total += logit
                    frameProbabilities[(item * steps + step) * classes + label] = sigmoid(logit)
                }
                clipProbabilities[item * classes + label] = sigmoid(total / Float(steps))
            }
        }
        return Output(
            logMel: Tensor([], shape: [batch, 0, configuration.melBinCount]), image: Tensor([], shape: [batch, 0, 0]),
            patchEmbedding: patchOutput, stageOutputs: stageOutputs,
            tokenStates: Tensor(normed, shape: [batch, tokens, features]),
            frameStates: Tensor(frames, shape: [batch, steps, features]),
            embedding: Tensor(embedding, shape: [batch, features]),
            frameProbabilities: Tensor(frameProbabilities, shape: [batch, steps, classes]),
            clipProbabilities: Tensor(clipProbabilities, shape: [batch, classes]))
    }
}
