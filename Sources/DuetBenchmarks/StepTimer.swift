/// Times a training step the way every Duet benchmark does: `warmupSteps` untimed, then the mean
/// wall time of `measuredSteps`, reporting each step's loss through `progress`.
enum StepTimer {
    /// - Returns: seconds per timed step and the last loss.
    static func time(
        warmupSteps: Int, measuredSteps: Int, progress: (String) -> Void, _ step: () -> Float
    ) -> (secondsPerStep: Double, lastLoss: Float) {
        var lastLoss: Float = 0
        for index in 0..<warmupSteps {
            lastLoss = step()
            progress("warm-up step \(index + 1)/\(warmupSteps): loss \(lastLoss)")
        }
        let clock = ContinuousClock()
        let start = clock.now
        for index in 0..<measuredSteps {
            lastLoss = step()
            progress("step \(index + 1)/\(measuredSteps): loss \(lastLoss)")
        }
        return ((clock.now - start).seconds / Double(max(1, measuredSteps)), lastLoss)
    }
}
