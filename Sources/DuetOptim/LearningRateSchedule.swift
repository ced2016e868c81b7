#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Learning-rate schedules as pure functions of the step (0-based), in the mlx-swift style, so
/// resuming at step `s` gives exactly the rate the uninterrupted run used.
public enum LearningRateSchedule {
    /// The same rate at every step.
    public static func constant(_ rate: Float) -> @Sendable (Int) -> Float { { _ in rate } }

    /// Linear warm-up from `peak/warmupSteps` to `peak` over `warmupSteps` steps, then cosine decay
    /// from `peak` to `minimum` at `totalSteps`, constant `minimum` after:
    /// `s < w: peak·(s + 1)/w`; `w ≤ s < T: min + ½(peak − min)(1 + cos(π·(s − w)/(T − w)))`.
    public static func warmupCosine(peak: Float, warmupSteps: Int, totalSteps: Int, minimum: Float = 0) -> @Sendable (Int) -> Float {
        precondition(warmupSteps >= 0 && totalSteps >= warmupSteps, "warm-up \(warmupSteps) steps beyond \(totalSteps) total")
        return { step in
            if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
            if step >= totalSteps { return minimum }
            let progress = Double(step - warmupSteps) / Double(Swift.max(1, totalSteps - warmupSteps))
            return minimum + Float(0.5 * Double(peak - minimum) * (1 + cos(Double.pi * progress)))
        }
    }
}
