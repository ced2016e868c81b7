@testable import DuetEncoders
import DuetRandom
import DuetTensor
import Foundation
import Testing

/// Speed and memory of ``MertModel`` on one 10-s clip at 24 kHz: the tiny fixture, and random weights of
/// MERT-v1-95M's real shape (no download). Opt-in (`DUET_MERT_SPEED=1`, optionally `DUET_MERT_SPEED_330M=1`),
/// as it takes seconds to minutes; run it alone (`--filter MertSpeedTests`) so the peak resident size is
/// this test's. Prints the times; asserts only the output's shape.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["DUET_MERT_SPEED"] == "1", "set DUET_MERT_SPEED=1"))
struct MertSpeedTests {
    static let seconds = 10

    /// Random weights of `configuration`'s shapes: matrices uniform in ±sqrt(3 / fan-in), norms near one.
    static func randomWeights(_ configuration: MertConfiguration, seed: UInt64) -> MertWeights {
        var generator = SeededGenerator(seed: seed)
        func values(_ count: Int, fanIn: Int) -> [Float] {
            let bound = Float((3.0 / Double(fanIn)).squareRoot())
            return (0..<count).map { _ in Float(generator.unitInterval() * 2 - 1) * bound }
        }
        func ones(_ count: Int) -> [Float] { (0..<count).map { _ in 1 + Float(generator.unitInterval() - 0.5) * 0.1 } }
        let hidden = configuration.hiddenSize, intermediate = configuration.intermediateSize
        var inputs = 1
        var convolutions: [MertWeights.Convolution] = []
        for (index, outputs) in configuration.convolutionChannels.enumerated() {
            let kernel = configuration.convolutionKernels[index]
            convolutions.append(MertWeights.Convolution(
                weight: values(kernel * outputs * inputs, fanIn: kernel * inputs), bias: nil,
                normScale: index == 0 ? ones(outputs) : nil, normShift: index == 0 ? values(outputs, fanIn: 100) : nil))
            inputs = outputs
        }
        let layers = (0..<configuration.layerCount).map { _ in
            MertWeights.Layer(
                queryKeyValueWeight: values(3 * hidden * hidden, fanIn: hidden), queryKeyValueBias: values(3 * hidden, fanIn: 100),
                attentionOutputWeight: values(hidden * hidden, fanIn: hidden), attentionOutputBias: values(hidden, fanIn: 100),
                attentionNormScale: ones(hidden), attentionNormShift: values(hidden, fanIn: 100),
                intermediateWeight: values(intermediate * hidden, fanIn: hidden), intermediateBias: values(intermediate, fanIn: 100),
                outputWeight: values(hidden * intermediate, fanIn: intermediate), outputBias: values(hidden, fanIn: 100),
                outputNormScale: ones(hidden), outputNormShift: values(hidden, fanIn: 100))
        }
        let positionWidth = configuration.positionKernel * configuration.positionGroupSize
        return MertWeights(
            convolutions: convolutions, projectionNormScale: ones(inputs), projectionNormShift: values(inputs, fanIn: 100),
            projectionWeight: values(hidden * inputs, fanIn: inputs), projectionBias: values(hidden, fanIn: 100),
            positionWeight: values(hidden * positionWidth, fanIn: positionWidth), positionBias: values(hidden, fanIn: 100),
            encoderNormScale: ones(hidden), encoderNormShift: values(hidden, fanIn: 100), layers: layers)
    }

    /// Peak resident set of the process so far, in megabytes (`VmHWM` of /proc/self/status, in kB).
    static func peakResidentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") else { return .nan }
        return kilobytes / 1024
    }

    /// `seconds` of a 440 Hz tone with noise at MERT's 24 kHz (the tiny fixtures' configurations are
    /// HuBERT's and say 16 kHz; the network does not depend on the rate).
    static func clip(sampleRate: Int = 24000) -> [Float] {
        var generator = SeededGenerator(seed: 5)
        return (0..<(seconds * sampleRate)).map { index in
            Float(0.3 * sin(2 * Double.pi * 440 * Double(index) / Double(sampleRate)) + 0.05 * (generator.unitInterval() - 0.5))
        }
    }

    static func measure(_ name: String, _ model: MertModel) throws {
        let samples = clip()
        let before = peakResidentMegabytes()
        _ = try model.hiddenStates(samples: Array(samples.prefix(samples.count / seconds)))  // warm-up, 1 s
        var times: [Double] = []
        var shape: [Int] = []
        for _ in 0..<3 {
            let start = Date()
            shape = try model.hiddenStates(samples: samples).shape
            times.append(Date().timeIntervalSince(start))
        }
        #expect(shape == [model.configuration.stateCount, model.configuration.frameCount(samples: samples.count), model.configuration.hiddenSize])
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
        print("MERT speed \(name): \(seconds)-s clip, \(shape) states, threads \(Parallelism.threadCount): "
            + "\(times.map { String(format: "%.2f", $0) }.joined(separator: ", ")) s; peak resident \(String(format: "%.0f", before)) → "
            + "\(String(format: "%.0f", peakResidentMegabytes())) MB; load average \(load)")
    }

    @Test func tinyFixture() throws {
        try Self.measure("mert-tiny", try MertModel(directory: try TinyEncoderFixture.folder("mert-tiny")))
    }

    @Test func randomMert95M() throws {
        let configuration = MertConfiguration.mert95M
        try Self.measure("random MERT-v1-95M", MertModel(configuration: configuration, weights: Self.randomWeights(configuration, seed: 1)))
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["DUET_MERT_SPEED_330M"] == "1", "set DUET_MERT_SPEED_330M=1"))
    func randomMert330M() throws {
        let configuration = MertConfiguration.mert330M
        try Self.measure("random MERT-v1-330M", MertModel(configuration: configuration, weights: Self.randomWeights(configuration, seed: 2)))
    }
}
