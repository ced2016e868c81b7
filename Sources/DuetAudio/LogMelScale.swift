import Foundation

/// How mel power becomes the log-mel features a network reads.
public enum LogMelScale: Sendable, Equatable {
    /// musicnn's `log10(10000 x + 1)` (see ``LogMelSpectrogram/compress(_:roundsToHalfPrecision:)``).
    case compressedLog
    /// Decibels as torchlibrosa's `LogmelFilterBank.power_to_db` without `top_db`:
    /// `10 log10(max(x, floor)) − 10 log10(max(reference, floor))` (PANNs, HTS-AT and LAION-CLAP use
    /// `floor = 1e-10`, `reference = 1`).
    case decibels(floor: Float, reference: Float)

    /// The feature of one mel power value `x`.
    @inline(__always)
    public func apply(_ power: Float, roundsToHalfPrecision: Bool) -> Float {
        switch self {
        case .compressedLog:
            return LogMelSpectrogram.compress(power, roundsToHalfPrecision: roundsToHalfPrecision)
        case let .decibels(floor, reference):
            // torchlibrosa takes the reference's log in double (numpy) and subtracts it from the float32 map.
            let offset = Float(10 * log10(Double(max(reference, floor))))
            return 10 * log10(max(power, floor)) - offset
        }
    }
}
