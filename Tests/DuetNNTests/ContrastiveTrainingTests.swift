import DuetNN
import DuetOptim
import DuetRandom
import DuetTensor
import Testing

@Suite("End-to-end contrastive training")
struct ContrastiveTrainingTests {
    /// Two synthetic "modalities" generated from a shared hidden code per pair (each a different
    /// random linear map of the code into a short token sequence, plus noise). Two small
    /// Transformer branches trained with InfoNCE and AdamW must learn the pairing: on 64 held-out
    /// pairs, audio→text top-1 retrieval accuracy must exceed 60% (chance is 1/64 ≈ 1.6%).
    @Test func learnsAHiddenPairing() {
        var generator = SeededGenerator(seed: 42)
        let code = 8, audioTime = 4, audioWidth = 12, textTime = 3, textWidth = 10
        let audioMap = Tensor.randomNormal([code, audioTime * audioWidth], using: &generator)
        let textMap = Tensor.randomNormal([code, textTime * textWidth], using: &generator)
        func pairs(_ count: Int) -> (Tensor, Tensor) {
            let codes = Tensor.randomNormal([count, code], using: &generator)
            let audioNoise = Tensor.randomNormal([count, audioTime * audioWidth], standardDeviation: 0.3, using: &generator)
            let textNoise = Tensor.randomNormal([count, textTime * textWidth], standardDeviation: 0.3, using: &generator)
            return withoutGradient {
                ((Tensor.matmul(codes, audioMap) + audioNoise).reshaped([count, audioTime, audioWidth]),
                 (Tensor.matmul(codes, textMap) + textNoise).reshaped([count, textTime, textWidth]))
            }
        }
        let (trainAudio, trainText) = pairs(512)
        let (testAudio, testText) = pairs(64)

        let randomSource = RandomSource(seed: 1)
        var initialiser = SeededGenerator(seed: 2)
        let audioBranch = TransformerBranch(inputWidth: audioWidth, width: 32, depth: 1, heads: 2, feedForwardWidth: 64, dropout: 0.1,
                                            activation: .gelu, randomSource: randomSource, using: &initialiser)
        let textBranch = TransformerBranch(inputWidth: textWidth, width: 32, depth: 1, heads: 2, feedForwardWidth: 64, dropout: 0.1,
                                           activation: .gelu, randomSource: randomSource, using: &initialiser)
        let parameters = audioBranch.namedParameters().map { (name: "audio." + $0.name, parameter: $0.parameter) }
            + textBranch.namedParameters().map { (name: "text." + $0.name, parameter: $0.parameter) }
        let optimizer = AdamW(parameters: parameters, learningRate: 3e-3, weightDecay: 0.01)
        let schedule = LearningRateSchedule.warmupCosine(peak: 3e-3, warmupSteps: 10, totalSteps: 150, minimum: 3e-4)
        let loss = InfoNCELoss(temperature: 0.1)
        let batch = 64
        var lastLoss: Float = 0
        for step in 0..<150 {
            let start = (step * batch) % 512
            let audio = trainAudio.sliced(axis: 0, start..<(start + batch))
            let text = trainText.sliced(axis: 0, start..<(start + batch))
            for (_, parameter) in parameters { parameter.zeroGradient() }
            let value = loss(audio: audioBranch(audio), text: textBranch(text))
            value.backward()
            clipGradientNorm(parameters.map(\.parameter), maxNorm: 1)
            optimizer.learningRate = schedule(step)
            optimizer.update()
            lastLoss = value.scalar
        }
        audioBranch.eval()
        textBranch.eval()
        let similarity = withoutGradient { loss.logits(audio: audioBranch(testAudio), text: textBranch(testText)) }
        var correct = 0
        for row in 0..<64 {
            let scores = similarity.storage[(row * 64)..<((row + 1) * 64)]
            if scores.firstIndex(of: scores.max()!)! - row * 64 == row { correct += 1 }
        }
        let accuracy = Float(correct) / 64
        print("contrastive training: final loss \(lastLoss), held-out top-1 accuracy \(accuracy)")
        #expect(accuracy > 0.6, "held-out audio→text top-1 accuracy \(accuracy) (final training loss \(lastLoss))")
    }
}
