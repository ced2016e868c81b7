import DuetNN
import DuetOptim
import DuetTensor
import DuetTestSupport
import Foundation
import Testing

@Suite("AdamW state, gradient clipping and schedules")
struct OptimizerTests {
    @Test func warmupCosineIsAPureFunctionOfTheStep() {
        let schedule = LearningRateSchedule.warmupCosine(peak: 1e-3, warmupSteps: 10, totalSteps: 110, minimum: 1e-5)
        #expect(abs(schedule(0) - 1e-4) < 1e-9)
        #expect(abs(schedule(9) - 1e-3) < 1e-9)
        #expect(abs(schedule(10) - 1e-3) < 1e-9)
        #expect(abs(schedule(60) - (1e-5 + 0.5 * (1e-3 - 1e-5))) < 1e-8, "half-way through the decay")
        #expect(abs(schedule(110) - 1e-5) < 1e-9 && abs(schedule(500) - 1e-5) < 1e-9)
        #expect(schedule(37) == schedule(37))
        for step in 10..<109 { #expect(schedule(step + 1) <= schedule(step)) }
        #expect(LearningRateSchedule.constant(0.5)(1234) == 0.5)
    }

    @Test func clippingScalesTheGlobalNorm() {
        let first = Tensor.zeros([2], requiresGradient: true)
        let second = Tensor.zeros([1], requiresGradient: true)
        first.accumulateGradient([3, 0])
        second.accumulateGradient([4])
        let norm = clipGradientNorm([first, second], maxNorm: 1)
        #expect(abs(norm - 5) < 1e-6)
        #expect(largestDifference(first.gradient! + second.gradient!, [0.6, 0, 0.8]) < 1e-5)
        let unchanged = clipGradientNorm([first, second], maxNorm: 10)
        #expect(abs(unchanged - 1) < 1e-5 && largestDifference(first.gradient!, [0.6, 0]) < 1e-5)
    }

    @Test func stateRoundTripResumesIdentically() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-optim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func makeParameters() -> [(name: String, parameter: Tensor)] {
            [("a", Tensor([1, -2, 3], shape: [3], requiresGradient: true)), ("b.weight", Tensor([0.5, 0.25], shape: [1, 2], requiresGradient: true))]
        }
        func step(_ optimizer: AdamW, _ index: Int) {
            for (offset, entry) in optimizer.parameters.enumerated() {
                entry.parameter.zeroGradient()
                entry.parameter.accumulateGradient((0..<entry.parameter.count).map { Float($0 + offset + index) * 0.1 - 0.2 })
            }
            optimizer.update()
        }
        let continuous = AdamW(parameters: makeParameters(), learningRate: 0.05)
        for index in 0..<4 { step(continuous, index) }

        let interrupted = AdamW(parameters: makeParameters(), learningRate: 0.05)
        for index in 0..<2 { step(interrupted, index) }
        let url = folder.appendingPathComponent("optimizer.safetensors")
        try interrupted.saveState(to: url)
        let resumedParameters = interrupted.parameters.map { (name: $0.name, parameter: Tensor($0.parameter.storage, shape: $0.parameter.shape, requiresGradient: true)) }
        let resumed = AdamW(parameters: resumedParameters, learningRate: 0.05)
        try resumed.restoreState(from: url)
        #expect(resumed.step == 2)
        for index in 2..<4 { step(resumed, index) }
        for (left, right) in zip(continuous.parameters, resumed.parameters) {
            #expect(left.parameter.storage == right.parameter.storage, "\(left.name) differs after resuming")
        }

        let mismatched = AdamW(parameters: [("a", Tensor.zeros([4], requiresGradient: true))])
        #expect(throws: (any Error).self) { try mismatched.restoreState(from: url) }
    }

    @Test func decoupledWeightDecayShrinksWithoutGradientScale() {
        // With a zero gradient Adam's step is 0, so only the decay θ·(1 − lr·λ) acts.
        let parameter = Tensor([2, -4], shape: [2], requiresGradient: true)
        parameter.accumulateGradient([0, 0])
        let optimizer = AdamW(parameters: [("p", parameter)], learningRate: 0.1, weightDecay: 0.5)
        optimizer.update()
        #expect(largestDifference(parameter.storage, [1.9, -3.8]) < 1e-6)
        let skipped = Tensor([1], shape: [1], requiresGradient: true)
        let noDecay = AdamW(parameters: [("bias", skipped)], learningRate: 0.1, weightDecay: 0.5, decays: { !$0.hasSuffix("bias") })
        skipped.accumulateGradient([0])
        noDecay.update()
        #expect(skipped.storage == [1])
    }
}
