import DuetNN
import DuetOptim
import DuetRandom
import DuetTensor
import DuetTestSupport
import Foundation
import Testing

/// The two branches of the parity model, keyed `audio.*` and `text.*` like the PyTorch `ModuleDict`.
final class TwoBranchModel: Module {
    let audio: TransformerBranch
    let text: TransformerBranch

    init(audioWidth: Int, textWidth: Int, width: Int, depth: Int, heads: Int, feedForwardWidth: Int, dropout: Float, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let randomSource = RandomSource(seed: seed + 1)
        audio = TransformerBranch(inputWidth: audioWidth, width: width, depth: depth, heads: heads, feedForwardWidth: feedForwardWidth,
                                  dropout: dropout, activation: .gelu, randomSource: randomSource, using: &generator)
        text = TransformerBranch(inputWidth: textWidth, width: width, depth: depth, heads: heads, feedForwardWidth: feedForwardWidth,
                                 dropout: dropout, activation: .gelu, randomSource: randomSource, using: &generator)
    }

    override var children: [(key: String, module: Module)] { [("audio", audio), ("text", text)] }
}

struct ParityFixture: Decodable {
    struct Parameter: Decodable {
        let shape: [Int]
        let stream: Int
        let offset: Double
        let scale: Double
        let gradient: [Double]?
        let sampleIndices: [Int]?
        let sampleValues: [Double]?
        let gradientNorm: Double
        let probeDot: Double
    }

    let width, depth, heads, feedForwardWidth: Int
    let temperature: Float
    let audioShape, textShape: [Int]
    let audioStream, textStream: Int
    let textLengths: [Int]
    let loss: Double
    let parameters: [String: Parameter]
}

@Suite("PyTorch parity of the Transformer branches, InfoNCE and AdamW")
struct EngineParityTests {
    /// Loss and every parameter gradient against PyTorch (fixture from Scripts/reference/engine_parity.py).
    ///
    /// Tolerances: Float32 on both sides with different summation orders through two layers, a
    /// temperature of 0.03 (logits up to ~33) and cosine normalisation; the loss must agree to
    /// 1e-4 relative, each gradient value to `1e-3·max|g| + 1e-2·|g|` of its parameter, the norm
    /// and the probe dot product to 1e-3 relative to the gradient norm.
    @Test func lossAndGradientsMatchPyTorch() throws {
        let fixture = try FixtureGenerator.load("engine_parity.json", as: ParityFixture.self)
        let model = TwoBranchModel(
            audioWidth: fixture.audioShape[2], textWidth: fixture.textShape[2], width: fixture.width, depth: fixture.depth,
            heads: fixture.heads, feedForwardWidth: fixture.feedForwardWidth, dropout: 0, seed: 1)
        let named = model.namedParameters()
        #expect(Set(named.map(\.name)) == Set(fixture.parameters.keys), "parameter names differ from PyTorch's state_dict keys")
        for (name, parameter) in named {
            let entry = try #require(fixture.parameters[name])
            #expect(entry.shape == parameter.shape, "\(name): shape \(parameter.shape) vs PyTorch \(entry.shape)")
            parameter.assign(FixtureGenerator.values(stream: entry.stream, count: parameter.count, offset: entry.offset, scale: entry.scale))
        }
        let audio = FixtureGenerator.tensor(stream: fixture.audioStream, shape: fixture.audioShape)
        let text = FixtureGenerator.tensor(stream: fixture.textStream, shape: fixture.textShape)
        let padded = fixture.textLengths.flatMap { length in (0..<fixture.textShape[1]).map { $0 >= length } }
        let loss = InfoNCELoss(temperature: fixture.temperature)(audio: model.audio(audio), text: model.text(text, keyPadding: padded))
        loss.backward()
        let lossDifference = abs(Double(loss.scalar) - fixture.loss)
        print("engine parity: loss \(loss.scalar) vs PyTorch \(fixture.loss), difference \(lossDifference)")
        #expect(lossDifference <= 1e-4 * abs(fixture.loss), "loss \(loss.scalar) vs PyTorch \(fixture.loss)")

        var worst = (name: "", relative: 0.0)
        for (index, name) in fixture.parameters.keys.sorted().enumerated() {
            let entry = fixture.parameters[name]!
            let parameter = named.first { $0.name == name }!.parameter
            let gradient = try #require(parameter.gradient, "\(name) received no gradient").map(Double.init)
            let indices = entry.gradient.map { Array(0..<$0.count) } ?? entry.sampleIndices!
            let expected = entry.gradient ?? entry.sampleValues!
            let largest = max(expected.map(abs).max() ?? 0, 1e-12)
            var largestDifference = 0.0
            for (position, element) in indices.enumerated() {
                let difference = abs(gradient[element] - expected[position])
                largestDifference = max(largestDifference, difference)
                #expect(difference <= 1e-3 * largest + 1e-2 * abs(expected[position]),
                        "\(name)[\(element)]: \(gradient[element]) vs PyTorch \(expected[position])")
            }
            let norm = gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let probe = FixtureGenerator.uniform(stream: 1000 + index, count: gradient.count).map { $0 < 0.5 ? -1.0 : 1.0 }
            let probeDot = zip(gradient, probe).reduce(0) { $0 + $1.0 * $1.1 }
            let scale = max(entry.gradientNorm, 1e-12)
            #expect(abs(norm - entry.gradientNorm) <= 1e-3 * scale, "\(name): gradient norm \(norm) vs PyTorch \(entry.gradientNorm)")
            #expect(abs(probeDot - entry.probeDot) <= 1e-3 * scale, "\(name): probe dot \(probeDot) vs PyTorch \(entry.probeDot)")
            let relative = largestDifference / largest
            if relative > worst.relative { worst = (name, relative) }
        }
        print("engine parity: largest gradient difference relative to the parameter's largest gradient: \(worst.relative) (\(worst.name))")
    }

    struct AdamWFixture: Decodable {
        let learningRate: Float
        let betas: [Float]
        let epsilon: Float
        let weightDecay: Float
        let shapes: [String: [Int]]
        let initial: [String: [Float]]
        let gradients: [[String: [Float]]]
        let after: [[String: [Float]]]
    }

    /// Three AdamW steps against `torch.optim.AdamW`; Float32 updates agree to 1e-6 absolute
    /// (parameters of order 1, steps of order 1e-2).
    @Test func adamWStepsMatchPyTorch() throws {
        let fixture = try FixtureGenerator.load("adamw_step.json", as: AdamWFixture.self)
        let names = fixture.shapes.keys.sorted()
        let tensors = names.map { Tensor(fixture.initial[$0]!, shape: fixture.shapes[$0]!, requiresGradient: true) }
        let optimizer = AdamW(parameters: zip(names, tensors).map { (name: $0, parameter: $1) },
                              learningRate: fixture.learningRate, betas: (fixture.betas[0], fixture.betas[1]),
                              epsilon: fixture.epsilon, weightDecay: fixture.weightDecay)
        var largest: Float = 0
        for (step, gradients) in fixture.gradients.enumerated() {
            for (name, tensor) in zip(names, tensors) {
                tensor.zeroGradient()
                tensor.accumulateGradient(gradients[name]!)
            }
            optimizer.update()
            for (name, tensor) in zip(names, tensors) {
                let difference = largestDifference(tensor.storage, fixture.after[step][name]!)
                largest = max(largest, difference)
                #expect(difference < 1e-6, "step \(step + 1) \(name): largest difference \(difference)")
            }
        }
        print("AdamW parity: largest difference after three steps \(largest)")
    }
}
