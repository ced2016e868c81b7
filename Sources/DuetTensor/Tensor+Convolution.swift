/// Convolutions by im2col + sgemm, as `torch.nn.functional.conv2d` / `conv1d` (cross-correlation,
/// zero padding, NCHW / `[batch, channels, time]` layouts).
extension Tensor {
    /// 2-D convolution: `input [B, Cin, H, W]`, `weight [Cout, Cin, KH, KW]`, `bias [Cout]` →
    /// `[B, Cout, Ho, Wo]`, `Ho = (H + 2·padH − KH)/strideH + 1` (likewise `Wo`).
    ///
    /// Per batch item the receptive fields are unfolded into `cols [Cin·KH·KW, Ho·Wo]` and
    /// `y = W·cols + b` is one sgemm. Backward: `dW += dy·colsᵀ`, `db = Σ dy`,
    /// `dcols = Wᵀ·dy` folded back (adding overlaps) into `dx`. Columns are recomputed in the
    /// backward rather than kept, so the tape holds only the input.
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
        let rows = g.inputChannels * g.kernelHeight * g.kernelWidth
        let columns = g.outputHeight * g.outputWidth
        let inputBlock = g.inputChannels * g.height * g.width
        let outputBlock = g.outputChannels * columns
        var cols = [Float].zeros(rows * columns)
        let output = [Float].uninitialized(g.batch * outputBlock) { target in
            input.withValues { x in
                weight.withValues { w in
                    for item in 0..<g.batch {
                        let y = target.baseAddress! + item * outputBlock
                        if let bias {
                            bias.withValues { b in
                                for channel in 0..<g.outputChannels {
                                    (y + channel * columns).update(repeating: b[channel], count: columns)
                                }
                            }
                        }
                        withMutablePointer(&cols) { cols in
                            g.unfold(x + item * inputBlock, into: cols)
                            sgemm(w, cols, y, m: g.outputChannels, n: columns, k: rows, beta: bias == nil ? 0 : 1)
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
            var columns = [Float].zeros(rows * g.outputHeight * g.outputWidth)
            let columnCount = g.outputHeight * g.outputWidth
            withPointers(incoming) { dy in
                input.withValues { x in
                    weight.withValues { w in
                        withMutablePointer(&columns) { cols in
                            for item in 0..<g.batch {
                                let dyItem = dy + item * outputBlock
                                if weight.requiresGradient {
                                    g.unfold(x + item * inputBlock, into: cols)
                                    withMutablePointer(&weightGradient) { dw in
                                        sgemm(dyItem, cols, dw, m: g.outputChannels, n: rows, k: columnCount,
                                              transposeB: true, beta: 1)
                                    }
                                }
                                if input.requiresGradient {
                                    sgemm(w, dyItem, cols, m: rows, n: columnCount, k: g.outputChannels, transposeA: true)
                                    withMutablePointer(&inputGradient) { dx in g.fold(cols, into: dx + item * inputBlock) }
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
                        let start = item * outputBlock + channel * columnCount
                        var total: Float = 0
                        for index in start..<(start + columnCount) { total += incoming[index] }
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

    /// im2col of one item: `cols[(c·KH + i)·KW + j, oh·Wo + ow] = x[c, oh·sh − ph + i, ow·sw − pw + j]` (0 outside).
    func unfold(_ x: UnsafePointer<Float>, into cols: UnsafeMutablePointer<Float>) {
        let outH = outputHeight, outW = outputWidth
        var row = 0
        for channel in 0..<inputChannels {
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    let target = cols + row * outH * outW
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

    /// col2im of one item: adds every column entry back to the input element it was read from.
    func fold(_ cols: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>) {
        let outH = outputHeight, outW = outputWidth
        var row = 0
        for channel in 0..<inputChannels {
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    let source = cols + row * outH * outW
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
