/// Max and average pooling without padding (windows that do not fit are dropped, as PyTorch's
/// default `ceil_mode=False`), NCHW and `[batch, channels, time]` layouts.
extension Tensor {
    /// 2-D max pooling of `[B, C, H, W]` with window `kernel` and `stride` (default: the window),
    /// as `torch.nn.functional.max_pool2d`. Backward routes each gradient to the first maximum.
    public func maxPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil) -> Tensor {
        pool2d(kernel: kernel, stride: stride ?? kernel, average: false)
    }

    /// 2-D average pooling, as `torch.nn.functional.avg_pool2d`. Backward spreads each gradient
    /// evenly over its window.
    public func averagePool2d(kernel: (Int, Int), stride: (Int, Int)? = nil) -> Tensor {
        pool2d(kernel: kernel, stride: stride ?? kernel, average: true)
    }

    /// 1-D max pooling of `[B, C, T]`, as `torch.nn.functional.max_pool1d`.
    public func maxPool1d(kernel: Int, stride: Int? = nil) -> Tensor {
        precondition(rank == 3, "maxPool1d needs [B, C, T], got \(shape)")
        let result = reshaped([shape[0], shape[1], 1, shape[2]]).maxPool2d(kernel: (1, kernel), stride: (1, stride ?? kernel))
        return result.reshaped([shape[0], shape[1], result.shape[3]])
    }

    /// 1-D average pooling of `[B, C, T]`, as `torch.nn.functional.avg_pool1d`.
    public func averagePool1d(kernel: Int, stride: Int? = nil) -> Tensor {
        precondition(rank == 3, "averagePool1d needs [B, C, T], got \(shape)")
        let result = reshaped([shape[0], shape[1], 1, shape[2]]).averagePool2d(kernel: (1, kernel), stride: (1, stride ?? kernel))
        return result.reshaped([shape[0], shape[1], result.shape[3]])
    }

    private func pool2d(kernel: (Int, Int), stride: (Int, Int), average: Bool) -> Tensor {
        precondition(rank == 4, "pool2d needs [B, C, H, W], got \(shape)")
        let planes = shape[0] * shape[1]
        let height = shape[2], width = shape[3]
        let outH = (height - kernel.0) / stride.0 + 1
        let outW = (width - kernel.1) / stride.1 + 1
        precondition(height >= kernel.0 && width >= kernel.1, "pooling window \(kernel) larger than input \(shape)")
        let windowSize = Float(kernel.0 * kernel.1)
        // For max pooling, the flat input index each output read; unused for averages.
        var winners = average ? [] : [Int](repeating: 0, count: planes * outH * outW)
        let output = [Float].uninitialized(planes * outH * outW) { target in
            withValues { input in
                for plane in 0..<planes {
                    for oh in 0..<outH {
                        for ow in 0..<outW {
                            let outIndex = (plane * outH + oh) * outW + ow
                            if average {
                                var total: Float = 0
                                for i in 0..<kernel.0 {
                                    let row = input + (plane * height + oh * stride.0 + i) * width + ow * stride.1
                                    for j in 0..<kernel.1 { total += row[j] }
                                }
                                target[outIndex] = total / windowSize
                            } else {
                                var best = -Float.infinity
                                var winner = (plane * height + oh * stride.0) * width + ow * stride.1
                                for i in 0..<kernel.0 {
                                    let rowStart = (plane * height + oh * stride.0 + i) * width + ow * stride.1
                                    for j in 0..<kernel.1 where input[rowStart + j] > best {
                                        best = input[rowStart + j]
                                        winner = rowStart + j
                                    }
                                }
                                target[outIndex] = best
                                winners[outIndex] = winner
                            }
                        }
                    }
                }
            }
        }
        return Tensor(output, shape: [shape[0], shape[1], outH, outW], inputs: [self]) { [self] result in
            let incoming = result.incomingGradient
            var gradient = [Float].zeros(self.count)
            if average {
                for plane in 0..<planes {
                    for oh in 0..<outH {
                        for ow in 0..<outW {
                            let share = incoming[(plane * outH + oh) * outW + ow] / windowSize
                            for i in 0..<kernel.0 {
                                let rowStart = (plane * height + oh * stride.0 + i) * width + ow * stride.1
                                for j in 0..<kernel.1 { gradient[rowStart + j] += share }
                            }
                        }
                    }
                }
            } else {
                for index in 0..<incoming.count { gradient[winners[index]] += incoming[index] }
            }
            self.accumulateGradient(gradient)
        }
    }
}
