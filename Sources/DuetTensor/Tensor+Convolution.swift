/// Convolutions by im2col + sgemm, as `torch.nn.functional.conv2d` / `conv1d` (cross-correlation,
/// zero padding, NCHW / `[batch, channels, time]` layouts).
extension Tensor {
    /// 2-D convolution: `input [B, Cin, H, W]`, `weight [Cout, Cin, KH, KW]`, `bias [Cout]` →
    /// `[B, Cout, Ho, Wo]`, `Ho = (H + 2·padH − KH)/strideH + 1` (likewise `Wo`).
    ///
    /// The batch is processed in chunks of items: their receptive fields are unfolded side by side
    /// into `cols [Cin·KH·KW, items·Ho·Wo]` (items in parallel) and `W·cols` is one sgemm, wide
    /// enough to keep every BLAS thread busy, whose `[Cout, items·Ho·Wo]` result is copied into
    /// the items' `[Cout, Ho·Wo]` blocks. Backward per chunk: `dW += dy·colsᵀ`, `db = Σ dy`,
    /// `dcols = Wᵀ·dy` folded back (adding overlaps) into `dx`, items in parallel. Columns are
    /// recomputed in the backward rather than kept, so the tape holds only the input.
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
        let chunkItems = g.chunkItems
        var cols = [Float].zeros(rows * chunkItems * columns)
        var product = [Float].zeros(g.outputChannels * chunkItems * columns)
        let biasValues = bias?.storage
        let output = [Float].uninitialized(g.batch * outputBlock) { target in
            input.withValues { x in
                weight.withValues { w in
                    withMutablePointer(&cols) { cols in
                        withMutablePointer(&product) { product in
                            for first in Swift.stride(from: 0, to: g.batch, by: chunkItems) {
                                let items = min(chunkItems, g.batch - first)
                                let width = items * columns
                                g.forEachItem(items) { item in
                                    g.unfold(x + (first + item) * inputBlock, into: cols + item * columns, rowStride: width)
                                }
                                sgemm(w, lda: rows, cols, ldb: width, product, ldc: width, m: g.outputChannels, n: width, k: rows)
                                // [Cout, items·columns] → items × [Cout, columns], plus the bias.
                                g.forEachItem(items) { item in
                                    let y = target.baseAddress! + (first + item) * outputBlock
                                    for channel in 0..<g.outputChannels {
                                        let source = product + channel * width + item * columns
                                        let line = y + channel * columns
                                        if let biasValues {
                                            let b = biasValues[channel]
                                            for index in 0..<columns { line[index] = source[index] + b }
                                        } else {
                                            line.update(from: source, count: columns)
                                        }
                                    }
                                }
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
            var weightGradient = weight.requiresGradient ? [Float].zeros(weight.count) : []
            var cols = [Float].zeros(rows * chunkItems * columns)
            var gathered = [Float].zeros(g.outputChannels * chunkItems * columns)
            withPointers(incoming) { dy in
                input.withValues { x in
                    weight.withValues { w in
                        withMutablePointer(&cols) { cols in
                            withMutablePointer(&gathered) { gathered in
                                for first in Swift.stride(from: 0, to: g.batch, by: chunkItems) {
                                    let items = min(chunkItems, g.batch - first)
                                    let width = items * columns
                                    // items × [Cout, columns] → [Cout, items·columns].
                                    g.forEachItem(items) { item in
                                        let dyItem = dy + (first + item) * outputBlock
                                        for channel in 0..<g.outputChannels {
                                            (gathered + channel * width + item * columns)
                                                .update(from: dyItem + channel * columns, count: columns)
                                        }
                                    }
                                    if weight.requiresGradient {
                                        g.forEachItem(items) { item in
                                            g.unfold(x + (first + item) * inputBlock, into: cols + item * columns, rowStride: width)
                                        }
                                        withMutablePointer(&weightGradient) { dw in
                                            sgemm(gathered, lda: width, cols, ldb: width, dw, ldc: rows,
                                                  m: g.outputChannels, n: rows, k: width, transposeB: true, beta: 1)
                                        }
                                    }
                                    if input.requiresGradient {
                                        sgemm(w, lda: rows, gathered, ldb: width, cols, ldc: width,
                                              m: rows, n: width, k: g.outputChannels, transposeA: true)
                                        withMutablePointer(&inputGradient) { dx in
                                            g.forEachItem(items) { item in
                                                g.fold(cols + item * columns, rowStride: width, into: dx + (first + item) * inputBlock)
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
            if weight.requiresGradient { weight.accumulateGradient(weightGradient) }
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

    /// Items unfolded together: enough for a wide sgemm, at most about 4M floats (16 MB) of columns.
    var chunkItems: Int { max(1, min(batch, (1 << 22) / max(1, rows * columns))) }

    /// Runs `body(item)` for `0..<items`, spread over Duet's threads.
    func forEachItem(_ items: Int, _ body: (Int) -> Void) {
        Parallelism.forEachChunk(items, minimumChunk: 1) { range in for item in range { body(item) } }
    }

    /// im2col of one item: `cols[((c·KH + i)·KW + j)·rowStride + oh·Wo + ow] = x[c, oh·sh − ph + i, ow·sw − pw + j]`
    /// (0 outside); `rowStride` (default `Ho·Wo`) lets several items share one matrix side by side.
    func unfold(_ x: UnsafePointer<Float>, into cols: UnsafeMutablePointer<Float>, rowStride: Int? = nil) {
        let outH = outputHeight, outW = outputWidth
        let stride = rowStride ?? outH * outW
        var row = 0
        for channel in 0..<inputChannels {
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    let target = cols + row * stride
                    for oh in 0..<outH {
                        let y = oh * strideHeight - paddingHeight + i
                        let line = target + oh * outW
                        if y < 0 || y >= height { line.update(repeating: 0, count: outW); continue }
                        let source = x + (channel * height + y) * width
                        for ow in 0..<outW {
                            let column = ow * strideWidth - paddingWidth + j
                            line[ow] = column >= 0 && column < width ? source[column] : 0
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// col2im of one item: adds every column entry back to the input element it was read from
    /// (`rowStride` as in `unfold`).
    func fold(_ cols: UnsafePointer<Float>, rowStride: Int? = nil, into x: UnsafeMutablePointer<Float>) {
        let outH = outputHeight, outW = outputWidth
        let stride = rowStride ?? outH * outW
        var row = 0
        for channel in 0..<inputChannels {
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    let source = cols + row * stride
                    for oh in 0..<outH {
                        let y = oh * strideHeight - paddingHeight + i
                        if y < 0 || y >= height { continue }
                        let target = x + (channel * height + y) * width
                        let line = source + oh * outW
                        for ow in 0..<outW {
                            let column = ow * strideWidth - paddingWidth + j
                            if column >= 0 && column < width { target[column] += line[ow] }
                        }
                    }
                    row += 1
                }
            }
        }
    }
}
