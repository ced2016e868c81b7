import DuetTensor
import Foundation

/// musicnn (Pons & Serra, "musicnn: pre-trained convolutional neural networks for music audio
/// tagging", ISMIR LBD 2019; weights from the `musicnn` 0.1.0 wheel, ISC licence, Music Technology
/// Group, UPF), inference only, matched against `musicnn/models.py` `build_musicnn`.
///
/// Input: log-mel patches `[frames = 187, bands = 96]`. Per patch:
/// 1. batch norm of the whole input (one channel);
/// 2. front end: timbral convolutions 7x38 and 7x67 (204 filters, time padded 3+3, valid along mel)
///    and temporal convolutions 128x1, 64x1, 32x1 (51 filters, TensorFlow SAME padding: for an even
///    length `L` it pads `(L-1)/2` frames before and `L/2` after), each `bn(relu(conv + b))` then max
///    over the mel axis, concatenated to 561 channels per frame;
/// 3. mid-end: three 7-frame convolutions with 64 filters over all channels (time padded 3+3),
///    `m1 = bn(relu(conv(front)))`, `m2 = bn(relu(conv(m1))) + m1`, `m3 = bn(relu(conv(m2))) + m2`;
/// 4. back end: concatenate `[front, m1, m2, m3]` (753), max and mean over time, flattened
///    interleaved `(max_0, mean_0, max_1, mean_1, ...)` (TF concatenates on a trailing axis),
///    batch norm, dense 200 + ReLU, batch norm (the penultimate features), dense 50, sigmoid.
/// Batch norms use moving statistics and epsilon 1e-3; dropout is inactive.
public final class MusiCNN: Sendable {
    public let configuration: MusiCNNConfiguration
    public let model: MusiCNNModel?
    let weights: MusiCNNWeights
    /// The timbral blocks with their kernel spectra precomputed.
    let timbral: [TimbralConvolution]

    public init(weights: MusiCNNWeights, configuration: MusiCNNConfiguration, model: MusiCNNModel? = nil) {
        self.weights = weights
        self.configuration = configuration
        self.model = model
        timbral = configuration.timbralKernelWidths.enumerated().map { index, width in
            let layer = weights.timbral[index]
            return TimbralConvolution(
                frames: configuration.frameCount, bands: configuration.melBandCount, height: configuration.timbralKernelHeight,
                width: width, kernel: layer.convolution.kernel, bias: layer.convolution.bias, norm: layer.norm)
        }
    }

    /// Loads a published model from the model cache (`make setup`).
    public convenience init(_ model: MusiCNNModel, modelsDirectory: URL? = nil) throws {
        let (weights, configuration) = try MusiCNNWeights.load(model, modelsDirectory: modelsDirectory)
        self.init(weights: weights, configuration: configuration, model: model)
    }

    /// Tag names in output order (empty for a model built from custom weights).
    public var tags: [String] { model?.tags ?? [] }

    /// Runs the network on patches, each `[frames, bands]` row-major log-mel values.
    public func callAsFunction(_ patches: [[Float]]) -> [MusiCNNPatchFeatures] {
        let frames = configuration.frameCount, bands = configuration.melBandCount
        for (index, patch) in patches.enumerated() {
            precondition(patch.count == frames * bands,
                         "patch \(index) has \(patch.count) values, expected [\(frames), \(bands)] = \(frames * bands)")
        }
        let threads = Parallelism.threadCount
        var features: [MusiCNNPatchFeatures]
        if patches.count >= 2 && threads >= 2 {
            // Patch-parallel: each thread runs whole patches with single-threaded BLAS, so the thread
            // total stays at Parallelism.threadCount and no product waits on a descheduled helper thread.
            var results = [MusiCNNPatchFeatures?](repeating: nil, count: patches.count)
            Parallelism.withSerialBLAS {
                results.withUnsafeMutableBufferPointer { results in
                    nonisolated(unsafe) let results = results
                    Parallelism.forEachChunk(patches.count, minimumChunk: 1) { range in
                        let workspace = Workspace(configuration, timbral: timbral, minimumChunk: .max)
                        for index in range {
                            results[index] = patches[index].withUnsafeBufferPointer { frameFeatures($0.baseAddress!, workspace) }
                        }
                    }
                }
            }
            features = results.map { $0! }
        } else {
            let workspace = Workspace(configuration, timbral: timbral, minimumChunk: 16)
            features = patches.map { patch in patch.withUnsafeBufferPointer { frameFeatures($0.baseAddress!, workspace) } }
        }
        backEnd(&features)
        return features
    }

    /// Tag probabilities of each patch (`[patches][tags]`).
    public func tagProbabilities(_ patches: [[Float]]) -> [[Float]] {
        callAsFunction(patches).map(\.tagProbabilities)
    }

    // MARK: - Front and mid end (per patch)

    /// Frames per temporal-block chunk (im2col of 32 x 96 rows x 128 taps, 1.5 MB).
    static let temporalChunkFrames = 32

    /// Scratch buffers reused across the patches of one call.
    final class Workspace {
        var normalised: [Float]
        var timePadded: [Float]
        var bandMajor: [Float]
        var columns: [Float]
        var product: [Float]
        var midPadded: [Float]
        var spectrum: [Float]
        var binColumns: [Float]
        var binProduct: [Float]
        var folded: [Float]

        /// Frames per thread below which inner loops stay on the calling thread (`Int.max`: always).
        let minimumChunk: Int

        init(_ configuration: MusiCNNConfiguration, timbral: [TimbralConvolution], minimumChunk: Int) {
            self.minimumChunk = minimumChunk
            let frames = configuration.frameCount, bands = configuration.melBandCount
            let height = configuration.timbralKernelHeight
            let longest = configuration.temporalKernelLengths.max() ?? 1
            spectrum = [Float](repeating: 0, count: timbral.map(\.spectrumCount).max() ?? 0)
            binColumns = [Float](repeating: 0, count: timbral.map(\.binColumnsCount).max() ?? 0)
            binProduct = [Float](repeating: 0, count: timbral.map(\.productCount).max() ?? 0)
            folded = [Float](repeating: 0, count: timbral.map(\.foldedChunkCount).max() ?? 0)
            let timbralProduct = timbral.map(\.valuesChunkCount).max() ?? 0
            normalised = [Float](repeating: 0, count: frames * bands)
            timePadded = [Float](repeating: 0, count: (frames + height - 1) * bands)
            bandMajor = [Float](repeating: 0, count: bands * (frames + longest - 1))
            columns = [Float](repeating: 0, count: max(frames * bands * longest, frames * 7 * configuration.frontEndChannelCount))
            product = [Float](repeating: 0, count: max(timbralProduct, frames * bands * configuration.temporalFilterCount))
            midPadded = [Float](repeating: 0, count: (frames + 6) * configuration.frontEndChannelCount)
        }
    }

    func frameFeatures(_ patch: UnsafePointer<Float>, _ workspace: Workspace) -> MusiCNNPatchFeatures {
        let configuration = configuration
        let frames = configuration.frameCount, bands = configuration.melBandCount
        let height = configuration.timbralKernelHeight
        let frontWidth = configuration.frontEndChannelCount
        var frontEnd = [Float](repeating: 0, count: frames * frontWidth)

        // Input batch norm (a single channel).
        let inputScale = weights.inputNorm.scale[0], inputShift = weights.inputNorm.shift[0]
        workspace.normalised.withUnsafeMutableBufferPointer { normalised in
            for index in 0..<(frames * bands) { normalised[index] = patch[index] * inputScale + inputShift }
        }

        frontEnd.withUnsafeMutableBufferPointer { front in
            let front = front.baseAddress!
            workspace.columns.withUnsafeMutableBufferPointer { columns in
                workspace.product.withUnsafeMutableBufferPointer { product in
                    let columns = columns.baseAddress!, product = product.baseAddress!
                    // Timbral: zero rows (after the input norm) above and below, valid along mel.
                    workspace.timePadded.withUnsafeMutableBufferPointer { padded in
                        let top = (height - 1) / 2
                        workspace.normalised.withUnsafeBufferPointer { normalised in
                            (padded.baseAddress! + top * bands).update(from: normalised.baseAddress!, count: frames * bands)
                        }
                        var channelOffset = 0
                        for block in timbral {
                            workspace.spectrum.withUnsafeMutableBufferPointer { spectrum in
                                workspace.binColumns.withUnsafeMutableBufferPointer { binColumns in
                                    workspace.binProduct.withUnsafeMutableBufferPointer { binProduct in
                                        workspace.folded.withUnsafeMutableBufferPointer { folded in
                                            block.apply(padded.baseAddress!, into: front + channelOffset, outputStride: frontWidth,
                                                        spectrum: spectrum.baseAddress!, binColumns: binColumns.baseAddress!,
                                                        product: binProduct.baseAddress!, folded: folded.baseAddress!, values: product)
                                        }
                                    }
                                }
                            }
                            channelOffset += block.filters
                        }
                        // Temporal: one band-major, SAME-padded copy serves all three lengths; each kernel reads its
                        // own column window of a shared im2col matrix, built and consumed a few frames at a time so
                        // that it and the products stay in cache.
                        let longest = configuration.temporalKernelLengths.max() ?? 1
                        let before = (longest - 1) / 2
                        let span = frames + longest - 1
                        workspace.bandMajor.withUnsafeMutableBufferPointer { bandMajor in
                            workspace.normalised.withUnsafeBufferPointer { normalised in
                                for frame in 0..<frames {
                                    for band in 0..<bands { bandMajor[band * span + before + frame] = normalised[frame * bands + band] }
                                }
                            }
                            let source = bandMajor.baseAddress!
                            for firstFrame in stride(from: 0, to: frames, by: Self.temporalChunkFrames) {
                                let chunkFrames = min(Self.temporalChunkFrames, frames - firstFrame)
                                for frame in 0..<chunkFrames {
                                    for band in 0..<bands {
                                        (columns + (frame * bands + band) * longest).update(
                                            from: source + band * span + firstFrame + frame, count: longest)
                                    }
                                }
                                var offset = channelOffset
                                for (index, length) in configuration.temporalKernelLengths.enumerated() {
                                    let layer = weights.temporal[index]
                                    let window = before - (length - 1) / 2
                                    layer.convolution.kernel.withUnsafeBufferPointer { kernel in
                                        MusiCNNKernels.multiply(columns + window, lda: longest, kernel.baseAddress!, product,
                                                                m: chunkFrames * bands, n: layer.convolution.outputCount, k: length)
                                    }
                                    MusiCNNKernels.poolOverFrequency(
                                        product, frames: chunkFrames, positions: bands, channels: layer.convolution.outputCount,
                                        bias: layer.convolution.bias, norm: layer.norm,
                                        into: front + firstFrame * frontWidth + offset, outputStride: frontWidth,
                                        minimumChunk: workspace.minimumChunk)
                                    offset += layer.convolution.outputCount
                                }
                            }
                        }
                    }
                }
            }
        }

        // Mid-end: 7-frame convolutions over all channels, time padded 3 + 3; im2col rows are contiguous.
        var midEnd: [[Float]] = []
        var previous = frontEnd
        for (index, layer) in weights.midEnd.enumerated() {
            let width = previous.count / frames
            let filters = layer.convolution.outputCount
            var output = [Float](repeating: 0, count: frames * filters)
            workspace.midPadded.withUnsafeMutableBufferPointer { padded in
                let padded = padded.baseAddress!
                padded.update(repeating: 0, count: (frames + 6) * width)
                previous.withUnsafeBufferPointer { (padded + 3 * width).update(from: $0.baseAddress!, count: frames * width) }
                layer.convolution.kernel.withUnsafeBufferPointer { kernel in
                    output.withUnsafeMutableBufferPointer { output in
                        // Row t of the im2col matrix is padded[t * width ..< (t + 7) * width]. Those rows overlap,
                        // which BLAS cannot express (lda < k), so they are copied out (0.7 M floats at most).
                        workspace.columns.withUnsafeMutableBufferPointer { columns in
                            let columns = columns.baseAddress!
                            for frame in 0..<frames { (columns + frame * 7 * width).update(from: padded + frame * width, count: 7 * width) }
                            MusiCNNKernels.multiply(columns, lda: 7 * width, kernel.baseAddress!, output.baseAddress!,
                                                    m: frames, n: filters, k: 7 * width)
                        }
                        let residual: [Float]? = index == 0 ? nil : previous
                        if let residual {
                            residual.withUnsafeBufferPointer {
                                MusiCNNKernels.biasReLUNorm(output.baseAddress!, rows: frames, channels: filters,
                                                            bias: layer.convolution.bias, norm: layer.norm, residual: $0.baseAddress!)
                            }
                        } else {
                            MusiCNNKernels.biasReLUNorm(output.baseAddress!, rows: frames, channels: filters,
                                                        bias: layer.convolution.bias, norm: layer.norm)
                        }
                    }
                }
            }
            midEnd.append(output)
            previous = output
        }

        // Temporal pooling of the 753 concatenated channels.
        var maxPool: [Float] = []
        var meanPool: [Float] = []
        for layer in [frontEnd] + midEnd {
            let width = layer.count / frames
            var largest = [Float](repeating: -.infinity, count: width)
            var sum = [Float](repeating: 0, count: width)
            for frame in 0..<frames {
                for channel in 0..<width {
                    let value = layer[frame * width + channel]
                    largest[channel] = max(largest[channel], value)
                    sum[channel] += value
                }
            }
            maxPool += largest
            meanPool += sum.map { $0 / Float(frames) }
        }
        return MusiCNNPatchFeatures(
            frameCount: frames, frontEnd: frontEnd, midEnd: midEnd, maxPool: maxPool, meanPool: meanPool,
            penultimate: [], tagProbabilities: [])
    }

    // MARK: - Back end (batched)

    func backEnd(_ features: inout [MusiCNNPatchFeatures]) {
        let batch = features.count
        guard batch > 0 else { return }
        let pooledWidth = 2 * configuration.midEndChannelCount
        var pooled = [Float](repeating: 0, count: batch * pooledWidth)
        let norm = weights.poolNorm
        for (row, patch) in features.enumerated() {
            for channel in 0..<configuration.midEndChannelCount {
                for (slot, value) in [patch.maxPool[channel], patch.meanPool[channel]].enumerated() {
                    let index = 2 * channel + slot
                    pooled[row * pooledWidth + index] = value * norm.scale[index] + norm.shift[index]
                }
            }
        }
        let units = weights.penultimate.outputCount
        var hidden = [Float](repeating: 0, count: batch * units)
        pooled.withUnsafeBufferPointer { pooled in
            weights.penultimate.kernel.withUnsafeBufferPointer { kernel in
                hidden.withUnsafeMutableBufferPointer { hidden in
                    MusiCNNKernels.multiply(pooled.baseAddress!, lda: pooledWidth, kernel.baseAddress!, hidden.baseAddress!,
                                            m: batch, n: units, k: pooledWidth)
                    MusiCNNKernels.biasReLUNorm(hidden.baseAddress!, rows: batch, channels: units,
                                                bias: weights.penultimate.bias, norm: weights.penultimateNorm)
                }
            }
        }
        let classes = weights.output.outputCount
        var logits = [Float](repeating: 0, count: batch * classes)
        hidden.withUnsafeBufferPointer { hidden in
            weights.output.kernel.withUnsafeBufferPointer { kernel in
                logits.withUnsafeMutableBufferPointer { logits in
                    MusiCNNKernels.multiply(hidden.baseAddress!, lda: units, kernel.baseAddress!, logits.baseAddress!,
                                            m: batch, n: classes, k: units)
                }
            }
        }
        for row in 0..<batch {
            features[row].penultimate = Array(hidden[(row * units)..<((row + 1) * units)])
            features[row].tagProbabilities = (0..<classes).map { 1 / (1 + exp(-(logits[row * classes + $0] + weights.output.bias[$0]))) }
        }
    }
}
