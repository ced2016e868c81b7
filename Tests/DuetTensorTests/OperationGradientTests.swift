import DuetRandom
import DuetTensor
import DuetTestSupport
import Testing

/// Finite-difference checks of every hand-written backward (tolerances: see `checkGradients`,
/// atol 2e-3 + rtol 2e-2 for Float32 central differences with step 1e-2).
@Suite("Operation gradients")
struct OperationGradientTests {
    private func random(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor.randomNormal(shape, standardDeviation: scale, using: &generator, requiresGradient: true)
    }

    private func expectPasses(_ report: GradientCheckReport, _ name: String) {
        #expect(report.passed, "\(name): \(report)")
    }

    @Test func layoutOperations() {
        let x = random([2, 3, 4], seed: 1)
        expectPasses(checkGradients(of: [x]) { $0[0].reshaped([4, -1]) * $0[0].reshaped([4, 6]) }, "reshape")
        expectPasses(checkGradients(of: [x]) { $0[0].permuted([2, 0, 1]) }, "permute")
        expectPasses(checkGradients(of: [x]) { $0[0].transposed(0, 1) * $0[0].transposed(0, 1) }, "transpose")
        expectPasses(checkGradients(of: [x]) { $0[0].sliced(axis: 1, 1..<3) }, "slice")
        let y = random([2, 2, 4], seed: 2)
        expectPasses(checkGradients(of: [x, y]) { Tensor.concatenate([$0[0], $0[1], $0[0]], axis: 1) }, "concatenate")
        let z = random([2, 3, 4], seed: 3)
        expectPasses(checkGradients(of: [x, z]) { Tensor.stack([$0[0], $0[1]], axis: 1) }, "stack")
        let stacked = withoutGradient { Tensor.stack([x, z], axis: -1) }
        #expect(stacked.shape == [2, 3, 4, 2])
        #expect(stacked.storage[0] == x.storage[0] && stacked.storage[1] == z.storage[0])
    }

    @Test func reductions() {
        let x = random([3, 4, 5], seed: 4)
        for keep in [false, true] {
            expectPasses(checkGradients(of: [x]) { $0[0].sum(axes: [1], keepDims: keep) }, "sum keep=\(keep)")
            expectPasses(checkGradients(of: [x]) { $0[0].mean(axes: [0, -1], keepDims: keep) }, "mean keep=\(keep)")
            expectPasses(checkGradients(of: [x]) { $0[0].maximum(axes: [2], keepDims: keep) }, "max keep=\(keep)")
        }
        let values = Tensor([1, 5, 3, 4, 2, 6], shape: [2, 3])
        #expect(values.maximum(axes: [1]).storage == [5, 6])
        #expect(values.sum(axes: [0], keepDims: true).shape == [1, 3])
        #expect(values.mean(axes: [1]).storage == [3, 4])
    }

    @Test func gatherAccumulatesRepeatedRows() {
        let table = random([5, 3], seed: 5)
        expectPasses(checkGradients(of: [table]) { $0[0].gatherRows([4, 0, 4, 2], indexShape: [2, 2]) }, "gather")
        let picked = withoutGradient { table.gatherRows([1]) }
        #expect(picked.storage == Array(table.storage[3..<6]))
    }

    @Test func softmaxFamily() {
        let x = random([3, 7], seed: 6, scale: 2)
        expectPasses(checkGradients(of: [x]) { $0[0].softmax() }, "softmax")
        expectPasses(checkGradients(of: [x]) { $0[0].logSoftmax() }, "logSoftmax")
        let large = Tensor([1000, 1001, 1002], shape: [1, 3])
        let probabilities = large.softmax().storage
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-6 && probabilities.allSatisfy { $0.isFinite })
        let logs = large.logSoftmax().storage
        #expect(abs(logs[2] - (-0.407_605_96)) < 1e-5, "log-softmax stable for large logits: \(logs)")
        expectPasses(checkGradients(of: [x]) { $0[0].crossEntropy(targets: [0, 6, 3]) }, "crossEntropy")
        let crossEntropy = withoutGradient { x.crossEntropy(targets: [0, 6, 3]).scalar }
        let reference = withoutGradient { -(x.logSoftmax().storage[0] + x.logSoftmax().storage[13] + x.logSoftmax().storage[17]) / 3 }
        #expect(abs(crossEntropy - reference) < 1e-5)
    }

    @Test func layerNormAndL2Normalisation() {
        let x = random([4, 6], seed: 7)
        let weight = random([6], seed: 8)
        let bias = random([6], seed: 9)
        expectPasses(checkGradients(of: [x, weight, bias]) { $0[0].layerNorm(weight: $0[1], bias: $0[2]) }, "layerNorm")
        let normalised = withoutGradient { x.layerNorm(weight: .ones([6]), bias: .zeros([6])) }
        let row = Array(normalised.storage[0..<6])
        let mean = row.reduce(0, +) / 6
        let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6
        #expect(abs(mean) < 1e-5 && abs(variance - 1) < 1e-3, "mean \(mean), variance \(variance)")
        expectPasses(checkGradients(of: [x]) { $0[0].l2Normalized() }, "l2Normalized")
        let unit = withoutGradient { x.l2Normalized() }
        let squaredNorm: Float = unit.storage[0..<6].map { $0 * $0 }.reduce(0, +)
        #expect(abs(squaredNorm - 1) < 1e-5)
    }

    @Test func elementwiseFunctions() {
        // Inputs kept away from ReLU's kink so central differences are valid.
        let x = Tensor([-1.5, -0.7, -0.2, 0.3, 0.9, 1.8, 2.5, -2.2], shape: [2, 4], requiresGradient: true)
        expectPasses(checkGradients(of: [x]) { $0[0].relu() }, "relu")
        expectPasses(checkGradients(of: [x]) { $0[0].gelu() }, "gelu")
        expectPasses(checkGradients(of: [x]) { $0[0].exp() }, "exp")
        expectPasses(checkGradients(of: [x]) { $0[0].tanh() }, "tanh")
        expectPasses(checkGradients(of: [x]) { $0[0].squared() }, "squared")
        let positive = Tensor([0.5, 1.2, 2.0, 3.3], shape: [4], requiresGradient: true)
        expectPasses(checkGradients(of: [positive]) { $0[0].log() }, "log")
        expectPasses(checkGradients(of: [positive]) { $0[0].sqrt() }, "sqrt")
        expectPasses(checkGradients(of: [x]) { 2 - $0[0] * 3 + 1 }, "affine")
        // GELU against erf from the C library (exact form, not the tanh approximation).
        let values = (-40...40).map { Float($0) / 8 }
        let gelu = withoutGradient { Tensor(values, shape: [values.count]).gelu().storage }
        let reference: [Float] = values.map { value in
            let cdf = 1 + Foundation.erf(Double(value) / 2.0.squareRoot())
            return Float(0.5 * Double(value) * cdf)
        }
        #expect(largestDifference(gelu, reference) < 1e-6, "GELU largest difference \(largestDifference(gelu, reference))")
        let exps = withoutGradient { Tensor(values, shape: [values.count]).exp().storage }
        var relative: Float = 0
        for (value, input) in zip(exps, values) {
            let exact = Float(Foundation.exp(Double(input)))
            relative = Swift.max(relative, abs(value - exact) / exact)
        }
        #expect(relative < 1e-6, "exp relative error \(relative)")
    }

    @Test func dropoutIsSeededAndScaled() {
        let x = random([4, 50], seed: 10)
        var generator = SeededGenerator(seed: 3)
        let first = withoutGradient { x.dropout(probability: 0.25, training: true, using: &generator) }
        generator = SeededGenerator(seed: 3)
        let second = withoutGradient { x.dropout(probability: 0.25, training: true, using: &generator) }
        #expect(first.storage == second.storage)
        let zeros = first.storage.filter { $0 == 0 }.count
        #expect(zeros > 20 && zeros < 80, "about a quarter of 200 dropped, got \(zeros)")
        for (value, original) in zip(first.storage, x.storage) where value != 0 { #expect(abs(value - original / 0.75) < 1e-5) }
        let ones = Tensor.ones([200_000])
        let many = withoutGradient { ones.dropout(probability: 0.25, training: true, using: &generator) }
        let rate = Float(many.storage.filter { $0 == 0 }.count) / 200_000
        #expect(abs(rate - 0.25) < 0.005, "dropout rate \(rate) for p = 0.25")
        var evaluation = SeededGenerator(seed: 3)
        #expect(x.dropout(probability: 0.25, training: false, using: &evaluation) === x)
        expectPasses(checkGradients(of: [x]) { inputs in
            var fixed = SeededGenerator(seed: 11)
            return inputs[0].dropout(probability: 0.3, training: true, using: &fixed)
        }, "dropout")
    }

    @Test func masking() {
        let scores = random([2, 2, 3, 4], seed: 12)
        let keep: [Bool] = [true, true, false, true, true, false, false, true]
        expectPasses(checkGradients(of: [scores]) { $0[0].maskedFill(keep: keep, shape: [2, 1, 1, 4], with: -1e9).softmax() },
                     "masked softmax")
        let filled = withoutGradient { scores.maskedFill(keep: keep, shape: [2, 1, 1, 4], with: -5) }
        #expect(filled.storage[2] == -5 && filled.storage[3] == scores.storage[3] && filled.storage[24 + 1] == -5)
        let additive = Tensor.additiveKeyPaddingMask(padded: keep.map { !$0 }, batch: 2, keys: 4)
        let probabilities = withoutGradient { (scores + additive).softmax() }
        #expect(probabilities.storage[2] == 0 && probabilities.storage[24 + 2] == 0)
    }

    @Test func linearMatchesMatmulPlusBias() {
        let x = random([2, 3, 4], seed: 13)
        let weight = random([5, 4], seed: 14)
        let bias = random([5], seed: 15)
        expectPasses(checkGradients(of: [x, weight, bias]) { Tensor.linear($0[0], weight: $0[1], bias: $0[2]) }, "linear")
        expectPasses(checkGradients(of: [x, weight]) { Tensor.linear($0[0], weight: $0[1], bias: nil) }, "linear without bias")
        let fused = withoutGradient { Tensor.linear(x, weight: weight, bias: bias) }
        let composed = withoutGradient { Tensor.matmul(x, weight, transposeRight: true) + bias }
        // Four-term dot products plus a bias, summed in another order by the fused kernel.
        expectClose(fused.storage, composed.storage, .reordered(
            terms: 5, magnitude: Tolerance.dotProductMagnitude(terms: 4, x.storage, weight.storage) + Tolerance.largestMagnitude(bias.storage)),
            "fused vs composed linear")
    }

    @Test func fusedAttentionMatchesComposedOperations() {
        let batch = 2, time = 4, channels = 6, heads = 2
        let packed = random([batch, time, 3 * channels], seed: 16)
        let padded: [Bool] = [false, false, false, true, false, true, true, false]
        var generator = SeededGenerator(seed: 0)
        let fused = withoutGradient { Tensor.multiHeadAttention(packed: packed, heads: heads, keyPadding: padded, using: &generator) }
        // The same computation from separate operations.
        let composed = withoutGradient { () -> Tensor in
            func head(_ part: Int) -> Tensor {
                packed.sliced(axis: 2, (part * channels)..<((part + 1) * channels))
                    .reshaped([batch, time, heads, channels / heads]).permuted([0, 2, 1, 3])
            }
            let scores = Tensor.matmul(head(0), head(1), transposeRight: true) * (1 / Float(channels / heads).squareRoot())
            let weights = (scores + Tensor.additiveKeyPaddingMask(padded: padded, batch: batch, keys: time)).softmax()
            return Tensor.matmul(weights, head(2)).permuted([0, 2, 1, 3]).reshaped([batch, time, channels])
        }
        // Scores are 3-term dot products; the softmax weights (≤ 1, summing to 1) then average four values.
        let scoreMagnitude = Tolerance.dotProductMagnitude(terms: channels / heads, packed.storage, packed.storage)
        let valueMagnitude = Tolerance.largestMagnitude(packed.storage)
        expectClose(fused.storage, composed.storage,
                    .reordered(terms: time, magnitude: valueMagnitude * (1 + scoreMagnitude), layers: 2),
                    "fused vs composed attention")
        expectPasses(checkGradients(of: [packed]) { inputs in
            var fixed = SeededGenerator(seed: 1)
            return Tensor.multiHeadAttention(packed: inputs[0], heads: heads, keyPadding: padded, using: &fixed)
        }, "attention")
        expectPasses(checkGradients(of: [packed]) { inputs in
            var fixed = SeededGenerator(seed: 1)
            return Tensor.multiHeadAttention(packed: inputs[0], heads: heads, keyPadding: padded, dropout: 0.3,
                                             training: true, using: &fixed)
        }, "attention with dropout")
        expectPasses(checkGradients(of: [packed]) { inputs in
            var fixed = SeededGenerator(seed: 1)
            return Tensor.multiHeadAttention(packed: inputs[0], heads: heads, keyPadding: padded, queries: 2, using: &fixed)
        }, "attention from the first two queries")
        let firstQueries = withoutGradient { Tensor.multiHeadAttention(packed: packed, heads: heads, keyPadding: padded, queries: 2, using: &generator) }
        let leading = withoutGradient { fused.sliced(axis: 1, 0..<2) }
        #expect(firstQueries.shape == [batch, 2, channels])
        expectClose(firstQueries.storage, leading.storage,
                    .reordered(terms: time, magnitude: valueMagnitude * (1 + scoreMagnitude), layers: 2), "first two queries")
    }

    @Test func convolutions() {
        let image = random([2, 3, 5, 6], seed: 17)
        let kernel = random([4, 3, 3, 2], seed: 18)
        let bias = random([4], seed: 19)
        expectPasses(checkGradients(of: [image, kernel, bias]) {
            Tensor.conv2d($0[0], weight: $0[1], bias: $0[2], stride: (2, 1), padding: (1, 1))
        }, "conv2d")
        let signal = random([2, 3, 9], seed: 20)
        let kernel1d = random([2, 3, 3], seed: 21)
        expectPasses(checkGradients(of: [signal, kernel1d]) { Tensor.conv1d($0[0], weight: $0[1], stride: 2, padding: 1) }, "conv1d")
        // Against a direct sum: y[b,o,t] = Σ_c,k w[o,c,k]·x[b,c,t·s − p + k] + bias.
        let result = withoutGradient { Tensor.conv1d(signal, weight: kernel1d, stride: 2, padding: 1) }
        #expect(result.shape == [2, 2, 5])
        var expected = [Float](repeating: 0, count: 20)
        for b in 0..<2 { for o in 0..<2 { for t in 0..<5 { for c in 0..<3 { for k in 0..<3 {
            let position = t * 2 - 1 + k
            if position >= 0 && position < 9 {
                expected[(b * 2 + o) * 5 + t] += kernel1d.storage[(o * 3 + c) * 3 + k] * signal.storage[(b * 3 + c) * 9 + position]
            }
        } } } } }
        expectClose(result.storage, expected, .reordered(terms: 9, magnitude: Tolerance.dotProductMagnitude(terms: 9, signal.storage, kernel1d.storage)),
                    "conv1d vs direct sum")
    }

    /// A batch large enough to be unfolded in several chunks (480×480 images: two items per
    /// chunk, then one) gives the same outputs and gradients as each item convolved alone.
    @Test func convolutionChunksMatchItemByItem() {
        let batch = 5, side = 480
        // Non-negative images and upstream gradients: the weight gradient's 1.15M-term sums then have
        // Σ|term| equal to their value, so the reordering bound is relative to the gradient itself.
        let images = Tensor(random([batch, 1, side, side], seed: 31).storage.map(abs), shape: [batch, 1, side, side], requiresGradient: true)
        let kernel = random([2, 1, 3, 3], seed: 32)
        let bias = random([2], seed: 33)
        let upstream = Tensor(random([batch, 2, side, side], seed: 34).storage.map(abs), shape: [batch, 2, side, side])
        (Tensor.conv2d(images, weight: kernel, bias: bias, padding: (1, 1)) * upstream).sum().backward()
        let batched = (output: withoutGradient { Tensor.conv2d(images, weight: kernel, bias: bias, padding: (1, 1)) }.storage,
                       input: images.gradient!, weight: kernel.gradient!, bias: bias.gradient!)
        var single: (output: [Float], input: [Float]) = ([], [])
        let weightAlone = Tensor(kernel.storage, shape: kernel.shape, requiresGradient: true)
        let biasAlone = Tensor(bias.storage, shape: bias.shape, requiresGradient: true)
        for item in 0..<batch {
            let image = Tensor(withoutGradient { images.sliced(axis: 0, item..<(item + 1)) }.storage, shape: [1, 1, side, side], requiresGradient: true)
            let output = Tensor.conv2d(image, weight: weightAlone, bias: biasAlone, padding: (1, 1))
            (output * withoutGradient { upstream.sliced(axis: 0, item..<(item + 1)) }).sum().backward()
            single.output += output.storage
            single.input += image.gradient!
        }
        let outputMagnitude = Tolerance.dotProductMagnitude(terms: 9, images.storage, kernel.storage) + Tolerance.largestMagnitude(bias.storage)
        expectClose(batched.output, single.output, .reordered(terms: 10, magnitude: outputMagnitude), "output, chunked vs item by item")
        expectClose(batched.input, single.input, .reordered(terms: 18, magnitude: Tolerance.dotProductMagnitude(terms: 18, upstream.storage, kernel.storage)),
                    "input gradient, chunked vs item by item")
        let weightTerms = batch * side * side
        expectClose(batched.weight, weightAlone.gradient!, Tolerance(relative: 2 * Tolerance.probabilisticGamma(weightTerms)),
                    "weight gradient, chunked vs item by item")
        let biasMagnitude = Tolerance.largestMagnitude(batched.bias)
        expectClose(batched.bias, biasAlone.gradient!, .reordered(terms: weightTerms, magnitude: biasMagnitude), "bias gradient")
    }

    @Test func pooling() {
        // Distinct, well separated values so the maximum does not switch under perturbation.
        var generator = SeededGenerator(seed: 22)
        var values = (0..<(2 * 2 * 4 * 6)).map { Float($0) * 0.1 }
        values.shuffle(using: &generator)
        let x = Tensor(values, shape: [2, 2, 4, 6], requiresGradient: true)
        expectPasses(checkGradients(of: [x], step: 1e-3) { $0[0].maxPool2d(kernel: (2, 3)) }, "maxPool2d")
        expectPasses(checkGradients(of: [x]) { $0[0].averagePool2d(kernel: (2, 2), stride: (1, 2)) }, "averagePool2d")
        let signal = Tensor(Array(values.prefix(2 * 3 * 8)), shape: [2, 3, 8], requiresGradient: true)
        expectPasses(checkGradients(of: [signal], step: 1e-3) { $0[0].maxPool1d(kernel: 3, stride: 2) }, "maxPool1d")
        expectPasses(checkGradients(of: [signal]) { $0[0].averagePool1d(kernel: 2) }, "averagePool1d")
        let small = Tensor([1, 5, 2, 3, 8, 4], shape: [1, 1, 6])
        #expect(small.maxPool1d(kernel: 2).storage == [5, 3, 8])
        #expect(small.averagePool1d(kernel: 3).storage == [8.0 / 3, 5])
    }

    @Test func broadcastPatterns() {
        // Trailing block (bias), leading block (per-row scale), both broadcast, scalar-like.
        for (left, right) in [([2, 3, 4], [4]), ([2, 3, 4], [2, 3, 1]), ([2, 1, 4], [3, 1]), ([1], [2, 2]), ([2, 3, 4], [1, 3, 1])] {
            let lhs = random(left, seed: 23)
            var generator = SeededGenerator(seed: 24)
            let rhs = Tensor.randomUniform(right, lower: 0.5, upper: 1.5, using: &generator, requiresGradient: true)
            for operation in [{ (a: Tensor, b: Tensor) in a + b }, { $0 - $1 }, { $0 * $1 }, { $0 / $1 }] {
                expectPasses(checkGradients(of: [lhs, rhs]) { operation($0[0], $0[1]) }, "\(left) with \(right)")
            }
        }
    }
}

import Foundation
