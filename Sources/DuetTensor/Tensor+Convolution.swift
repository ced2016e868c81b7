/// Convolutions by im2col + sgemm, as `torch.nn.functional.conv2d` / `conv1d` (cross-correlation,
/// zero padding, NCHW / `[batch, channels, time]` layouts).
extension Tensor {
    /// 2-D convolution: `input [B, Cin, H, W]`, `weight [Cout, Cin, KH, KW]`, `bias [Cout]` →
    /// `[B, Cout, Ho, Wo]`, `Ho = (H + 2·padH − KH)/strideH + 1` (likewise `Wo`).
    ///
    /// Per batch item the receptive fields are unfolded into `cols [Cin·KH·KW, Ho·Wo]` and
    /// `y = W·cols + b` is one sgemm. Backward: `dW += dy·colsᵀ`, `db = Σ dy`,
    /// `dcols = Wᵀ·dy` folded back (adding overlaps) into `dx`. Columns are recomputed in the
    /// backward rather than kept, so the tape holds only the input. Items are spread over Duet's
    /// threads, each running its own serial sgemm (`Parallelism.withSerialBLAS`) with its own
    /// columns buffer and, in the backward, its own weight-gradient sum.
    public static func conv2d(
        _ input: Tensor, weight: Tensor, bias: Tensor? = nil,
        stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0)
    ) -> Tensor {
        precondition(input.rank == 4 && weight.rank == 4 && input.shape[1] == weight.shape[1],
                     "conv2d of input \(input.shape) (needs [B, Cin, H, W]) with weight \(weight.shape) (needs [Cout, Cin, KH, KW])")
        let geometry = ConvolutionGeometry(
            batch: input.shape[0], inputChannels: input.shape[1], height: input.shape[2], width: input.shape[3],
            outputChannels: weight.shape[0], kernelHeight: weight.shape[2], kernelWidth: weight.shape[3],
            strideHeight: stride.0, strideWidth: stride.1, paddingHeight: padding.0, paddingWidth: padding.1)
        precondition(geometry.outputHeight > 0 && geometry.outputWidth > 0,
                     "conv2d kernel \(weight.shape) larger than padded input \(input.shape)")
        if let bias { precondition(bias.shape == [geometry.outputChannels], "conv2d bias \(bias.shape) for weight \(weight.shape)") }
        let g = geometry
        let rows = g.rows, columns = g.columns
        let inputBlock = g.inputBlock, outputBlock = g.outputBlock
        let biasValues = bias?.storage
        let output = [Float].uninitialized(g.batch * outputBlock) { target in
            input.withValues { x in
                weight.withValues { w in
                    g.forEachItemRange { _, items in
                        var cols = [Float].zeros(rows * columns)
                        withMutablePointer(&cols) { cols in
                            for item in items {
                                let y = target.baseAddress! + item * outputBlock
                                if let biasValues {
                                    for channel in 0..<g.outputChannels {
                                        (y + channel * columns).update(repeating: biasValues[channel], count: columns)
                                    }
                                }
                                g.unfold(x + item * inputBlock, into: cols)
                                sgemm(w, cols, y, m: g.outputChannels, n: columns, k: rows, beta: biasValues == nil ? 0 : 1)
                            }
                        }
                    }
                }
            }
        }
        let inputs = bias.map { [input, weight, $0] } ?? [input, weight]
        return Tensor(output, shape: [g.batch, g.outputChannels, g.outputHeight, g.outputWidth], inputs: inputs) { result in
            let incoming = result.incomingGradient
            var inputGradient = input.requiresGradient ? [Float].zeros(input.count) : []
            // One weight-gradient sum per chunk of items, added up after the parallel loop.
            let chunks = g.itemRanges
            var partialWeightGradients = weight.requiresGradient ? [Float].zeros(chunks.count * weight.count) : []
            withPointers(incoming) { dy in
                input.withValues { x in
                    weight.withValues { w in
                        withMutablePointer(&inputGradient) { dx in
                            withMutablePointer(&partialWeightGradients) { partials in
                                g.forEachItemRange { chunk, items in
                                    var cols = [Float].zeros(rows * columns)
                                    withMutablePointer(&cols) { cols in
                                        for item in items {
                                            let dyItem = dy + item * outputBlock
                                            if weight.requiresGradient {
                                                g.unfold(x + item * inputBlock, into: cols)
                                                sgemm(dyItem, cols, partials + chunk * weight.count, m: g.outputChannels, n: rows,
                                                      k: columns, transposeB: true, beta: 1)
                                            }
                                            if input.requiresGradient {
                                                sgemm(w, dyItem, cols, m: rows, n: columns, k: g.outputChannels, transposeA: true)
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
            if input.requiresGradient { input.accumulateGradient(inputGradient) }
            if weight.requiresGradient {
                var weightGradient = [Float].zeros(weight.count)
                for chunk in chunks.indices {
                    for index in 0..<weight.count { weightGradient[index] += partialWeightGradients[chunk * weight.count + index] }
                }
                weight.accumulateGradient(weightGradient)
            }
            if let bias, bias.requiresGradient {
                var biasGradient = [Float].zeros(g.outputChannels)
                for item in 0..<g.batch {
                    for channel in 0..<g.outputChannels {
                        let start = item * outputBlock + channel * columns
                        var total: Float = 0
                        for index in start..<(start + columns) { total += incoming[index] }
                        biasGradient[channel] += total
                    }
                }
                bias.accumulateGradient(biasGradient)
            }
        }
    }

    /// 1-D convolution: `input [B, Cin, T]`, `weight [Cout, Cin, K]`, `bias [Cout]` →
    /// `[B, Cout, To]`, `To = (T + 2·padding − K)/stride + 1`; computed as a 2-D convolution of height 1.
    public static func conv1d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
        precondition(input.rank == 3 && weight.rank == 3,
                     "conv1d of input \(input.shape) (needs [B, Cin, T]) with weight \(weight.shape) (needs [Cout, Cin, K])")
        let result = conv2d(
            input.reshaped([input.shape[0], input.shape[1], 1, input.shape[2]]),
            weight: weight.reshaped([weight.shape[0], weight.shape[1], 1, weight.shape[2]]),
            bias: bias, stride: (1, stride), padding: (0, padding))
        return result.reshaped([result.shape[0], result.shape[1], result.shape[3]])
    }
}

/// Index arithmetic shared by convolution and its backward.
struct ConvolutionGeometry {
    let batch, inputChannels, height, width: Int
    let outputChannels, kernelHeight, kernelWidth: Int
    let strideHeight, strideWidth, paddingHeight, paddingWidth: Int

    var outputHeight: Int { (height + 2 * paddingHeight - kernelHeight) / strideHeight + 1 }
    var outputWidth: Int { (width + 2 * paddingWidth - kernelWidth) / strideWidth + 1 }
    /// Rows of the unfolded matrix, `Cin·KH·KW`.
    var rows: Int { inputChannels * kernelHeight * kernelWidth }
    /// Output positions per item, `Ho·Wo`.
    var columns: Int { outputHeight * outputWidth }
    var inputBlock: Int { inputChannels * height * width }
    var outputBlock: Int { outputChannels * columns }

    /// The batch split into one contiguous range of items per thread (fewer for small batches).
    var itemRanges: [Range<Int>] {
        let parts = min(Parallelism.threadCount, batch)
        let size = (batch + parts - 1) / max(1, parts)
        return Swift.stride(from: 0, to: batch, by: max(1, size)).map { $0..<min(batch, $0 + size) }
    }

    /// Runs `body(index, range)` on each of `itemRanges` in parallel, with OpenBLAS serial inside.
    func forEachItemRange(_ body: (_ index: Int, _ items: Range<Int>) -> Void) {
        let ranges = itemRanges
        Parallelism.withSerialBLAS {
            Parallelism.forEachChunk(ranges.count, minimumChunk: 1) { chunk in
                for index in chunk { body(index, ranges[index]) }
            }
        }
    }

    /// The output columns `ow` whose input column `ow·sw − pw + j` lies inside the row, for kernel column `j`.
    @inline(__always)
    func validColumns(kernelColumn j: Int) -> Range<Int> {
        // ow·sw − pw + j ≥ 0  ⇔  ow ≥ ⌈(pw − j)/sw⌉;  ow·sw − pw + j < W  ⇔  ow ≤ ⌊(W − 1 + pw − j)/sw⌋.
        let lower = max(0, (paddingWidth - j + strideWidth - 1) / strideWidth)
        let last = width - 1 + paddingWidth - j
        let upper = last < 0 ? 0 : min(outputWidth, last / strideWidth + 1)
        return lower..<max(lower, upper)
    }

    /// im2col of one item: `cols[(c·KH + i)·KW + j, oh·Wo + ow] = x[c, oh·sh − ph + i, ow·sw − pw + j]`
    /// (0 outside); rows are copied whole where the stride is 1.
    func unfold(_ x: UnsafePointer<Float>, into cols: UnsafeMutablePointer<Float>) {
        let outH = outputHeight, outW = outputWidth
        var row = 0
        for channel in 0..<inputChannels {
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    let target = cols + row * outH * outW
                    let valid = validColumns(kernelColumn: j)
                    for oh in 0..<outH {
                        let y = oh * strideHeight - paddingHeight + i
                        let line = target + oh * outW
                        if y < 0 || y >= height || valid.isEmpty { line.update(repeating: 0, count: outW); continue }
                        let source = x + (channel * height + y) * width
                        if valid.lowerBound > 0 { line.update(repeating: 0, count: valid.lowerBound) }
                        if valid.upperBound < outW { (line + valid.upperBound).update(repeating: 0, count: outW - valid.upperBound) }
                        if strideWidth == 1 {
                            (line + valid.lowerBound).update(from: source + valid.lowerBound - paddingWidth + j, count: valid.count)
                        } else {
                            for ow in valid { line[ow] = source[ow * strideWidth - paddingWidth + j] }
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// col2im of one item: adds every column entry back to the input element it was read from.
    func fold(_ cols: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>) {
        let outH = outputHeight, outW = outputWidth
        var row = 0
        for channel in 0..<inputChannels {
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    let source = cols + row * outH * outW
                    let valid = validColumns(kernelColumn: j)
                    for oh in 0..<outH where !valid.isEmpty {
                        let y = oh * strideHeight - paddingHeight + i
                        if y < 0 || y >= height { continue }
                        let target = x + (channel * height + y) * width
                        let line = source + oh * outW
                        if strideWidth == 1 {
                            let shifted = target + valid.lowerBound - paddingWidth + j
                            let read = line + valid.lowerBound
                            for index in 0..<valid.count { shifted[index] += read[index] }
                        } else {
                            for ow in valid { target[ow * strideWidth - paddingWidth + j] += line[ow] }
                        }
                    }
                    row += 1
                }
            }
        }
    }
}
