import DuetRandom
import DuetTensor
import DuetTestSupport
import Testing

/// The fused convolution block (conv → max pool → one-group norm → ReLU) against finite differences
/// and against the same function built from the unfused ops.
@Suite("Fused convolution block")
struct ConvolutionBlockTests {
    private struct Operands {
        let input, weight, bias, gamma, beta: Tensor
        var all: [Tensor] { [input, weight, bias, gamma, beta] }
    }

    private func operands(batch: Int, inputChannels: Int, outputChannels: Int, height: Int, width: Int, seed: UInt64) -> Operands {
        var generator = SeededGenerator(seed: seed)
        func normal(_ shape: [Int], scale: Float = 1, shift: Float = 0) -> Tensor {
            let values = Tensor.randomNormal(shape, standardDeviation: scale, using: &generator).storage.map { $0 + shift }
            return Tensor(values, shape: shape, requiresGradient: true)
        }
        return Operands(
            input: normal([batch, inputChannels, height, width]),
            weight: normal([outputChannels, inputChannels, 3, 3], scale: 0.5),
            bias: normal([outputChannels], scale: 0.5),
            gamma: normal([outputChannels], scale: 0.3, shift: 1),
            beta: normal([outputChannels], scale: 0.5))
    }

    private func fused(_ tensors: [Tensor], pooling: (Int, Int)) -> Tensor {
        Tensor.convolutionBlock(tensors[0], weight: tensors[1], bias: tensors[2], padding: (1, 1), pooling: pooling,
                                normalizationWeight: tensors[3], normalizationBias: tensors[4])
    }

    /// `relu(group_norm(max_pool2d(conv2d(x)), 1 group))` from `conv2d`, `maxPool2d`, `layerNorm`, `relu`.
    private func unfused(_ tensors: [Tensor], pooling: (Int, Int), activation: Bool = true) -> Tensor {
        let pooled = Tensor.conv2d(tensors[0], weight: tensors[1], bias: tensors[2], padding: (1, 1)).maxPool2d(kernel: pooling)
        let batch = pooled.shape[0], channels = pooled.shape[1]
        let width = pooled.count / batch
        let normalised = pooled.reshaped([batch, width])
            .layerNorm(weight: Tensor.ones([width]), bias: Tensor.zeros([width]))
            .reshaped(pooled.shape)
        let preActivation = normalised * tensors[3].reshaped([1, channels, 1, 1]) + tensors[4].reshaped([1, channels, 1, 1])
        return activation ? preActivation.relu() : preActivation
    }

    /// How far the FD check's data is from the kinks: the smallest gap between a window's largest
    /// and second-largest convolution output, and the smallest |pre-activation| before the ReLU.
    private func kinkDistances(_ operands: Operands, pooling: (Int, Int)) -> (windowGap: Float, preActivation: Float) {
        withoutGradient {
            let convolved = Tensor.conv2d(operands.input, weight: operands.weight, bias: operands.bias, padding: (1, 1))
            let (planes, height, width) = (convolved.shape[0] * convolved.shape[1], convolved.shape[2], convolved.shape[3])
            var gap = Float.infinity
            for plane in 0..<planes {
                for top in stride(from: 0, through: height - pooling.0, by: pooling.0) {
                    for left in stride(from: 0, through: width - pooling.1, by: pooling.1) {
                        var window: [Float] = []
                        for i in 0..<pooling.0 { for j in 0..<pooling.1 { window.append(convolved.storage[(plane * height + top + i) * width + left + j]) } }
                        window.sort(by: >)
                        gap = min(gap, window[0] - window[1])
                    }
                }
            }
            let preActivation = unfused(operands.all, pooling: pooling, activation: false)
            return (gap, preActivation.storage.map(abs).min()!)
        }
    }

    @Test(arguments: [(2, 2), (1, 2)])
    func gradientsPassTheFiniteDifferenceCheck(pooling: (Int, Int)) throws {
        // 4×5 leaves a column outside every 2-wide window, whose gradient must be 0.
        let operands = operands(batch: 2, inputChannels: 2, outputChannels: 2, height: 4, width: 5, seed: 69)
        #expect(withoutGradient { fused(operands.all, pooling: pooling) }.shape == [2, 2, 4 / pooling.0, 2])
        // A step of 1e-3 moves any convolution output by at most 1e-3 · max(Σ|x|, Σ|w|) over the 18
        // taps (< 0.01 here) and a pre-activation by about as much times the norm's gain; the data
        // stays farther than that from every pooling tie and ReLU kink, so the differences see a
        // smooth function.
        let distances = kinkDistances(operands, pooling: pooling)
        try #require(distances.windowGap > 0.05 && distances.preActivation > 0.1, "seeded data too close to a kink: \(distances)")
        let report = checkGradients(of: operands.all, step: 1e-3) { fused($0, pooling: pooling) }
        #expect(report.passed, "convolutionBlock pooling \(pooling): \(report)")
    }

    /// Same outputs and gradients as the unfused ops. The two differ only in rounding: the bias is
    /// added after the maximum instead of before it, the statistics are summed in eight lanes instead of
    /// one, and the backward sums in another order. Each compared value's tolerance is
    /// `reordered` over its last reduction, with `Σ|term|` bounded by `terms · max|a| · max|b|` of
    /// that reduction's two factors; `layers: 2` carries in the error of the factor computed before
    /// it (the pooled gradient `dp`, itself a normalisation backward), with the norm's gain `r·max γ`
    /// for the output.
    @Test(arguments: [(2, 2), (1, 2)])
    func matchesTheUnfusedOperations(pooling: (Int, Int)) {
        let (batch, inputChannels, channels, height, width) = (5, 3, 6, 16, 13)
        let operands = operands(batch: batch, inputChannels: inputChannels, outputChannels: channels, height: height, width: width, seed: 42)
        let pooledShape = [batch, channels, height / pooling.0, width / pooling.1]
        let upstream: Tensor = {
            var generator = SeededGenerator(seed: 43)
            return Tensor.randomNormal(pooledShape, using: &generator)
        }()
        func copies() -> [Tensor] { operands.all.map { Tensor($0.storage, shape: $0.shape, requiresGradient: true) } }

        let fusedInputs = copies()
        let fusedOutput = fused(fusedInputs, pooling: pooling)
        (fusedOutput * upstream).sum().backward()

        // The unfused ops, keeping the pooled activations to read their gradient dp.
        let inputs = copies()
        let pooled = Tensor.conv2d(inputs[0], weight: inputs[1], bias: inputs[2], padding: (1, 1)).maxPool2d(kernel: pooling)
        let perItem = pooled.count / batch
        let normalised = pooled.reshaped([batch, perItem]).layerNorm(weight: Tensor.ones([perItem]), bias: Tensor.zeros([perItem]))
        let output = (normalised.reshaped(pooledShape) * inputs[3].reshaped([1, channels, 1, 1])
            + inputs[4].reshaped([1, channels, 1, 1])).relu()
        (output * upstream).sum().backward()
        // dp, the gradient at the pooled activations: the same norm and ReLU on a leaf copy of them.
        let pooledLeaf = Tensor(pooled.storage, shape: pooledShape, requiresGradient: true)
        let leafOutput = (pooledLeaf.reshaped([batch, perItem]).layerNorm(weight: Tensor.ones([perItem]), bias: Tensor.zeros([perItem]))
            .reshaped(pooledShape) * operands.gamma.reshaped([1, channels, 1, 1]) + operands.beta.reshaped([1, channels, 1, 1])).relu()
        (leafOutput * upstream).sum().backward()
        let pooledGradient = Tolerance.largestMagnitude(pooledLeaf.gradient!)
        let spreads = (0..<batch).map { item -> Float in
            let values = pooled.storage[(item * perItem)..<((item + 1) * perItem)]
            let mean = values.reduce(0, +) / Float(perItem)
            return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(perItem)).squareRoot()
        }
        let gain = Tolerance.largestMagnitude(operands.gamma.storage) / spreads.min()!

        let convolutionMagnitude = Tolerance.dotProductMagnitude(terms: inputChannels * 9, operands.input.storage, operands.weight.storage)
            + Tolerance.largestMagnitude(operands.bias.storage)
        expectClose(fusedOutput.storage, output.storage,
                    .reordered(terms: perItem, magnitude: convolutionMagnitude + Tolerance.largestMagnitude(pooled.storage), layers: 2, gain: gain),
                    "output")

        let positions = batch * (height / pooling.0 * pooling.0) * (width / pooling.1 * pooling.1)
        let largestInput = Tolerance.largestMagnitude(operands.input.storage)
        let largestWeight = Tolerance.largestMagnitude(operands.weight.storage)
        let largestUpstream = Tolerance.largestMagnitude(upstream.storage)
        let largestNormalised = Tolerance.largestMagnitude(normalised.storage)
        let checks: [(name: String, terms: Int, magnitude: Float)] = [
            ("input", channels * 9, Float(channels * 9) * largestWeight * pooledGradient),
            ("weight", positions, Float(positions) * largestInput * pooledGradient),
            ("bias", positions, Float(positions) * pooledGradient),
            ("gamma", batch * perItem / channels, Float(batch * perItem / channels) * largestUpstream * largestNormalised),
            ("beta", batch * perItem / channels, Float(batch * perItem / channels) * largestUpstream),
        ]
        for (index, check) in checks.enumerated() {
            expectClose(fusedInputs[index].gradient!, inputs[index].gradient!,
                        .reordered(terms: check.terms, magnitude: check.magnitude, layers: 2), "\(check.name) gradient")
        }
    }
}
