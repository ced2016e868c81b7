/// A convolution block fused into one pass per batch item: convolution → max pooling → group
/// normalisation with one group → ReLU, as
/// `relu(group_norm(max_pool2d(conv2d(x, W, b, padding=p), k), 1, γ, β, ε))` in PyTorch.
///
/// The unfused ops (`conv2d`, `maxPool2d`, `layerNorm`, `relu`) compute the same function; this one
/// exists for speed. Each item's convolution output stays in a per-thread buffer that is reused for
/// the next item, the bias is added after the maximum (a per-channel constant does not move it), and
/// the backward scatters the pooled gradient straight into the buffer that the two weight and input
/// products read, so the full-resolution activations and their gradients never exist for the whole
/// batch. Items run in parallel, one serial sgemm per thread, as in `conv2d`.
extension Tensor {
    /// - Parameters:
    ///   - input: `[batch, inputChannels, height, width]`.
    ///   - weight: `[outputChannels, inputChannels, kernelHeight, kernelWidth]`, stride 1.
    ///   - bias: `[outputChannels]`, or nil for none.
    ///   - padding: zero padding of the convolution (rows, columns).
    ///   - pooling: the max-pooling window, equal to its stride (PyTorch's default; windows that do
    ///     not fit are dropped, `ceil_mode=False`).
    ///   - normalizationWeight, normalizationBias: the group norm's per-channel `γ`, `β`, `[outputChannels]`.
    ///   - epsilon: added to the variance.
    /// - Returns: `[batch, outputChannels, Ho/poolH, Wo/poolW]`.
    ///
    /// Per item, with `c` the convolution, `p = maxpool(c) + b`, statistics `μ`, `σ²` over all of the
    /// item's `p` (one group), `r = 1/√(σ² + ε)`, `x̂ = (p − μ)·r`, `z = γ⊙x̂ + β`, `y = max(z, 0)`.
    /// Backward: `dz = dy·[y > 0]`, `dγ = Σ dz⊙x̂`, `dβ = Σ dz`, `ĝ = dz⊙γ`,
    /// `dp = r·(ĝ − mean(ĝ) − x̂·mean(ĝ⊙x̂))`, `db = Σ dp`, `dc` = `dp` at each window's first maximum
    /// and 0 elsewhere, then `dW += dc·colsᵀ` and `dx = fold(Wᵀ·dc)` as in `conv2d`.
    public static func convolutionBlock(
        _ input: Tensor, weight: Tensor, bias: Tensor?, padding: (Int, Int), pooling: (Int, Int),
        normalizationWeight: Tensor, normalizationBias: Tensor, epsilon: Float = 1e-5
    ) -> Tensor {
        precondition(input.rank == 4 && weight.rank == 4 && input.shape[1] == weight.shape[1],
                     "convolutionBlock of input \(input.shape) (needs [B, Cin, H, W]) with weight \(weight.shape) (needs [Cout, Cin, KH, KW])")
        let g = ConvolutionGeometry(
            batch: input.shape[0], inputChannels: input.shape[1], height: input.shape[2], width: input.shape[3],
            outputChannels: weight.shape[0], kernelHeight: weight.shape[2], kernelWidth: weight.shape[3],
            strideHeight: 1, strideWidth: 1, paddingHeight: padding.0, paddingWidth: padding.1)
        let channels = g.outputChannels
        precondition(bias.map { $0.shape == [channels] } ?? true, "convolutionBlock bias \(bias?.shape ?? []) for weight \(weight.shape)")
        precondition(normalizationWeight.shape == [channels] && normalizationBias.shape == [channels],
                     "convolutionBlock group norm needs [\(channels)] weight and bias, got \(normalizationWeight.shape) and \(normalizationBias.shape)")
        let pool = PoolingWindow(rows: pooling.0, columns: pooling.1,
                                 inputRows: g.outputHeight, inputColumns: g.outputWidth)
        precondition(pooling.0 > 0 && pooling.1 > 0 && pooling.0 * pooling.1 <= 256 && pool.outputRows > 0 && pool.outputColumns > 0,
                     "pooling window \(pooling) does not fit the \(g.outputHeight)×\(g.outputWidth) convolution output")
        let rows = g.rows, columns = g.columns
        let inputBlock = g.inputBlock
        let planeSize = pool.outputRows * pool.outputColumns
        let pooledBlock = channels * planeSize
        let batch = g.batch
        let chunks = g.itemRanges
        let biasValues = bias?.storage

        // Kept for the backward: x̂, which cell of each window won, and r per item.
        var normalised = [Float].zeros(batch * pooledBlock)
        var winners = [UInt8](repeating: 0, count: batch * pooledBlock)
        var reciprocals = [Float].zeros(batch)
        let output = [Float].uninitialized(batch * pooledBlock) { target in
            input.withValues { x in
                weight.withValues { w in
                    normalizationWeight.withValues { gamma in
                        normalizationBias.withValues { beta in
                            withMutablePointer(&normalised) { normalised in
                                withMutablePointer(&reciprocals) { reciprocals in
                                    winners.withUnsafeMutableBufferPointer { winners in
                                        g.forEachItemRange { _, items in
                                            var cols = [Float].zeros(rows * columns)
                                            var convolved = [Float].zeros(channels * columns)
                                            withMutablePointer(&cols) { cols in
                                                withMutablePointer(&convolved) { convolved in
                                                    for item in items {
                                                        g.unfold(x + item * inputBlock, into: cols)
                                                        sgemm(w, cols, convolved, m: channels, n: columns, k: rows)
                                                        let xhat = normalised + item * pooledBlock
                                                        pool.maximum(of: convolved, planes: channels, bias: biasValues,
                                                                     into: xhat, winners: winners.baseAddress! + item * pooledBlock)
                                                        let r = standardizeInPlace(xhat, count: pooledBlock, epsilon: epsilon)
                                                        reciprocals[item] = r
                                                        let y = target.baseAddress! + item * pooledBlock
                                                        for channel in 0..<channels {
                                                            let scale = gamma[channel], shift = beta[channel]
                                                            let start = channel * planeSize
                                                            for index in start..<(start + planeSize) {
                                                                y[index] = Swift.max(xhat[index] * scale + shift, 0)
                                                            }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        var inputs = [input, weight]
        if let bias { inputs.append(bias) }
        inputs += [normalizationWeight, normalizationBias]
        return Tensor(output, shape: [batch, channels, pool.outputRows, pool.outputColumns], inputs: inputs) { result in
            let incoming = result.incomingGradient
            var inputGradient = input.requiresGradient ? [Float].zeros(input.count) : []
            // Per chunk of items: [dW | db | dγ | dβ], added up after the parallel loop.
            let partialWidth = weight.count + 3 * channels
            var partials = [Float].zeros(chunks.count * partialWidth)
            withPointers(incoming) { dy in
                withPointers(result.storage) { y in
                    withPointers(normalised) { normalised in
                        input.withValues { x in
                            weight.withValues { w in
                                normalizationWeight.withValues { gamma in
                                    withMutablePointer(&inputGradient) { dx in
                                        withMutablePointer(&partials) { partials in
                                            winners.withUnsafeBufferPointer { winners in
                                                g.forEachItemRange { chunk, items in
                                                    let weightSum = partials + chunk * partialWidth
                                                    let biasSum = weightSum + weight.count
                                                    let gammaSum = biasSum + channels
                                                    let betaSum = gammaSum + channels
                                                    var cols = [Float].zeros(rows * columns)
                                                    var convolutionGradient = [Float].zeros(channels * columns)
                                                    var pooledGradient = [Float].zeros(pooledBlock)
                                                    withMutablePointer(&cols) { cols in
                                                        withMutablePointer(&convolutionGradient) { dc in
                                                            withMutablePointer(&pooledGradient) { dp in
                                                                for item in items {
                                                                    let offset = item * pooledBlock
                                                                    backwardNormalization(
                                                                        dy: dy + offset, y: y + offset, xhat: normalised + offset,
                                                                        reciprocal: reciprocals[item], gamma: gamma, channels: channels,
                                                                        planeSize: planeSize, into: dp, biasSum: biasSum,
                                                                        gammaSum: gammaSum, betaSum: betaSum)
                                                                    pool.scatter(dp, planes: channels, winners: winners.baseAddress! + offset, into: dc)
                                                                    if weight.requiresGradient {
                                                                        g.unfold(x + item * inputBlock, into: cols)
                                                                        sgemm(dc, cols, weightSum, m: channels, n: rows, k: columns,
                                                                              transposeB: true, beta: 1)
                                                                    }
                                                                    if input.requiresGradient {
                                                                        sgemm(w, dc, cols, m: rows, n: columns, k: channels, transposeA: true)
                                                                        g.fold(cols, into: dx + item * inputBlock)
                                                                    }
                                                                }
                                                            }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if input.requiresGradient { input.accumulateGradient(inputGradient) }
            var totals = [Float].zeros(partialWidth)
            for chunk in chunks.indices {
                for index in 0..<partialWidth { totals[index] += partials[chunk * partialWidth + index] }
            }
            if weight.requiresGradient { weight.accumulateGradient(Array(totals[0..<weight.count])) }
            if let bias, bias.requiresGradient {
                bias.accumulateGradient(Array(totals[weight.count..<(weight.count + channels)]))
            }
            if normalizationWeight.requiresGradient {
                normalizationWeight.accumulateGradient(Array(totals[(weight.count + channels)..<(weight.count + 2 * channels)]))
            }
            if normalizationBias.requiresGradient {
                normalizationBias.accumulateGradient(Array(totals[(weight.count + 2 * channels)...]))
            }
        }
    }

    /// `(v − μ)·r` in place over `count` values, `r = 1/√(σ² + ε)` (biased variance, two passes, each
    /// summed in eight Float lanes); returns `r`.
    private static func standardizeInPlace(_ values: UnsafeMutablePointer<Float>, count: Int, epsilon: Float) -> Float {
        func laneSum(_ term: (SIMD8<Float>) -> SIMD8<Float>, _ scalarTerm: (Float) -> Float) -> Float {
            var lanes = SIMD8<Float>()
            var index = 0
            while index + 8 <= count {
                lanes += term(UnsafeRawPointer(values + index).loadUnaligned(as: SIMD8<Float>.self))
                index += 8
            }
            var total = lanes.sum()
            while index < count { total += scalarTerm(values[index]); index += 1 }
            return total
        }
        let mean = laneSum({ $0 }, { $0 }) / Float(count)
        let variance = laneSum({ ($0 - mean) * ($0 - mean) }, { ($0 - mean) * ($0 - mean) }) / Float(count)
        let reciprocal = 1 / (variance + epsilon).squareRoot()
        for index in 0..<count { values[index] = (values[index] - mean) * reciprocal }
        return reciprocal
    }

    /// The ReLU and group-norm backward of one item: writes `dp` and adds to `db`, `dγ`, `dβ`.
    private static func backwardNormalization(
        dy: UnsafePointer<Float>, y: UnsafePointer<Float>, xhat: UnsafePointer<Float>, reciprocal: Float,
        gamma: UnsafePointer<Float>, channels: Int, planeSize: Int, into dp: UnsafeMutablePointer<Float>,
        biasSum: UnsafeMutablePointer<Float>, gammaSum: UnsafeMutablePointer<Float>, betaSum: UnsafeMutablePointer<Float>
    ) {
        var sumG: Double = 0, sumGX: Double = 0
        for channel in 0..<channels {
            let scale = gamma[channel]
            let start = channel * planeSize
            // Eight lanes at a time (Swift does not reorder a Float sum by itself), the tail one by one.
            var gammaLanes = SIMD8<Float>(), betaLanes = SIMD8<Float>()
            let zero = SIMD8<Float>()
            var index = start
            while index + 8 <= start + planeSize {
                let gradient = UnsafeRawPointer(dy + index).loadUnaligned(as: SIMD8<Float>.self)
                let activation = UnsafeRawPointer(y + index).loadUnaligned(as: SIMD8<Float>.self)
                let normalised = UnsafeRawPointer(xhat + index).loadUnaligned(as: SIMD8<Float>.self)
                let dz = zero.replacing(with: gradient, where: activation .> zero)
                gammaLanes += dz * normalised
                betaLanes += dz
                UnsafeMutableRawPointer(dp + index).storeBytes(of: dz * scale, as: SIMD8<Float>.self)
                index += 8
            }
            var dGamma = gammaLanes.sum(), dBeta = betaLanes.sum()
            while index < start + planeSize {
                let dz = y[index] > 0 ? dy[index] : 0
                dGamma += dz * xhat[index]
                dBeta += dz
                dp[index] = dz * scale
                index += 1
            }
            // Σ ĝ⊙x̂ = γ · Σ dz⊙x̂ and Σ ĝ = γ · Σ dz for the channel.
            sumGX += Double(dGamma) * Double(scale)
            sumG += Double(dBeta) * Double(scale)
            gammaSum[channel] += dGamma
            betaSum[channel] += dBeta
        }
        let count = Double(channels * planeSize)
        let meanG = Float(sumG / count), meanGX = Float(sumGX / count)
        for channel in 0..<channels {
            let start = channel * planeSize
            var lanes = SIMD8<Float>()
            var index = start
            while index + 8 <= start + planeSize {
                let scaled = UnsafeRawPointer(dp + index).loadUnaligned(as: SIMD8<Float>.self)
                let normalised = UnsafeRawPointer(xhat + index).loadUnaligned(as: SIMD8<Float>.self)
                let value = reciprocal * (scaled - meanG - normalised * meanGX)
                UnsafeMutableRawPointer(dp + index).storeBytes(of: value, as: SIMD8<Float>.self)
                lanes += value
                index += 8
            }
            var total = lanes.sum()
            while index < start + planeSize {
                let value = reciprocal * (dp[index] - meanG - xhat[index] * meanGX)
                dp[index] = value
                total += value
                index += 1
            }
            biasSum[channel] += total
        }
    }
}

/// Non-overlapping max pooling of `planes` planes of `inputRows × inputColumns` (window = stride,
/// remainder dropped), with the winning cell of each window recorded as its index inside the window.
struct PoolingWindow {
    let rows, columns, inputRows, inputColumns: Int
    var outputRows: Int { inputRows / rows }
    var outputColumns: Int { inputColumns / columns }

    /// `output[plane, oh, ow] = max over the window + bias[plane]`; ties keep the first cell in row-major
    /// order, as `maxPool2d`.
    func maximum(
        of input: UnsafePointer<Float>, planes: Int, bias: [Float]?, into output: UnsafeMutablePointer<Float>,
        winners: UnsafeMutablePointer<UInt8>
    ) {
        let outRows = outputRows, outColumns = outputColumns
        let planeInput = inputRows * inputColumns, planeOutput = outRows * outColumns
        for plane in 0..<planes {
            let shift = bias?[plane] ?? 0
            let source = input + plane * planeInput
            let target = output + plane * planeOutput
            let won = winners + plane * planeOutput
            if rows == 2 && columns == 2 {
                for oh in 0..<outRows {
                    let top = source + 2 * oh * inputColumns, bottom = top + inputColumns
                    for ow in 0..<outColumns {
                        var best = top[2 * ow], cell: UInt8 = 0
                        if top[2 * ow + 1] > best { best = top[2 * ow + 1]; cell = 1 }
                        if bottom[2 * ow] > best { best = bottom[2 * ow]; cell = 2 }
                        if bottom[2 * ow + 1] > best { best = bottom[2 * ow + 1]; cell = 3 }
                        target[oh * outColumns + ow] = best + shift
                        won[oh * outColumns + ow] = cell
                    }
                }
                continue
            }
            for oh in 0..<outRows {
                for ow in 0..<outColumns {
                    var best = -Float.infinity, cell = 0
                    for i in 0..<rows {
                        let line = source + (oh * rows + i) * inputColumns + ow * columns
                        for j in 0..<columns where line[j] > best || (i == 0 && j == 0) {
                            best = line[j]
                            cell = i * columns + j
                        }
                    }
                    target[oh * outColumns + ow] = best + shift
                    won[oh * outColumns + ow] = UInt8(cell)
                }
            }
        }
    }

    /// The pooling backward: every cell of `gradient`'s planes (`[planes, inputRows, inputColumns]`)
    /// is written, the window's winner with the pooled gradient and every other cell with 0.
    func scatter(
        _ pooled: UnsafePointer<Float>, planes: Int, winners: UnsafePointer<UInt8>, into gradient: UnsafeMutablePointer<Float>
    ) {
        let outRows = outputRows, outColumns = outputColumns
        let planeInput = inputRows * inputColumns, planeOutput = outRows * outColumns
        if outRows * rows != inputRows || outColumns * columns != inputColumns {
            gradient.update(repeating: 0, count: planes * planeInput)  // cells outside every window
        }
        for plane in 0..<planes {
            let source = pooled + plane * planeOutput
            let won = winners + plane * planeOutput
            let target = gradient + plane * planeInput
            if columns == 2 {  // the CNN's windows: two cells per row, written without an inner loop
                for oh in 0..<outRows {
                    for i in 0..<rows {
                        let line = target + (oh * rows + i) * inputColumns
                        let left = UInt8(2 * i), right = UInt8(2 * i + 1)
                        for ow in 0..<outColumns {
                            let value = source[oh * outColumns + ow], winner = won[oh * outColumns + ow]
                            line[2 * ow] = winner == left ? value : 0
                            line[2 * ow + 1] = winner == right ? value : 0
                        }
                    }
                }
                continue
            }
            for oh in 0..<outRows {
                for i in 0..<rows {
                    let line = target + (oh * rows + i) * inputColumns
                    for ow in 0..<outColumns {
                        let value = source[oh * outColumns + ow]
                        let winner = Int(won[oh * outColumns + ow])
                        for j in 0..<columns { line[ow * columns + j] = i * columns + j == winner ? value : 0 }
                    }
                }
            }
        }
    }
}
