import DuetNN
import DuetTensor

/// The sentence token of a text: the mean of its token states over the tokens that are not padding,
/// the sentence embedding of a mean-pooling encoder (multilingual-e5's, before its L2 normalisation).
/// ``MusicTextModel`` puts it before the token states when ``ModelConfiguration/textSentenceToken``
/// is set, so that the text branch can read the pooled sentence, which such encoders align across
/// languages, beside the single tokens, which they do not.
public enum SentenceToken {
    /// `states` `[batch, time, width]` with the sentence token first: `[batch, 1 + time, width]`, and
    /// the key padding extended to match (the sentence token is never padding).
    ///
    /// The states are the locked encoder's outputs and carry no gradient; the mean is computed from
    /// their values. An item whose every position is padding gets a zero sentence token.
    /// - Parameter keyPadding: `[batch, time]`, true where padded; nil when nothing is padded.
    public static func prepending(to states: Tensor, keyPadding: [Bool]?) -> (states: Tensor, keyPadding: [Bool]?) {
        let (batch, time, width) = (states.shape[0], states.shape[1], states.shape[2])
        let sentences = means(of: states, keyPadding: keyPadding).storage
        let values = states.storage
        var result = [Float](repeating: 0, count: batch * (time + 1) * width)
        for item in 0..<batch {
            let output = item * (time + 1) * width
            for channel in 0..<width { result[output + channel] = sentences[item * width + channel] }
            let tokens = item * time * width
            for index in 0..<(time * width) { result[output + width + index] = values[tokens + index] }
        }
        let padding = keyPadding.map { ClassToken.extendedKeyPadding($0, batch: batch) }
        return (Tensor(result, shape: [batch, time + 1, width]), padding)
    }

    /// The sentence token of each text alone: the mean of `states` `[batch, time, width]` over the
    /// positions `keyPadding` `[batch, time]` does not mark as padding → `[batch, width]` (zeros for a
    /// text that is all padding). Also the locked encoder's side of ``TextGeometryAnchor``.
    public static func means(of states: Tensor, keyPadding: [Bool]?) -> Tensor {
        precondition(states.rank == 3 && !states.requiresGradient, "sentence token of locked states [batch, time, width], got \(states.shape)")
        let (batch, time, width) = (states.shape[0], states.shape[1], states.shape[2])
        let values = states.storage
        var result = [Float](repeating: 0, count: batch * width)
        for item in 0..<batch {
            let output = item * width
            var count = 0
            for position in 0..<time where !(keyPadding?[item * time + position] ?? false) {
                let input = (item * time + position) * width
                for channel in 0..<width { result[output + channel] += values[input + channel] }
                count += 1
            }
            if count > 0 {
                let scale = 1 / Float(count)
                for channel in 0..<width { result[output + channel] *= scale }
            }
        }
        return Tensor(result, shape: [batch, width])
    }
}
