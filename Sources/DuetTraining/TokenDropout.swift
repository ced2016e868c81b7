import DuetRandom

/// Token dropout of the locked text encoder's states during training: each token of a text is
/// hidden from the text branch (marked as padding) with probability `rate`, at least one token of
/// every text is kept. It is an augmentation of the branch's input, like View Dropout of the
/// text: the branch cannot lean on any single token, which makes it rely on what the remaining
/// tokens say together (the states a multilingual encoder aligns across languages better than
/// single tokens). Evaluation and search never drop tokens.
public enum TokenDropout {
    /// `keyPadding` `[batch, time]` (true where padded) with each unpadded position newly padded
    /// with probability `rate`; a row whose every token was drawn keeps the one drawn last to stay.
    /// Draws one number per unpadded position from `generator`, none when `rate` is 0.
    public static func apply(to keyPadding: [Bool], batch: Int, rate: Double, using generator: inout SeededGenerator) -> [Bool] {
        precondition(batch > 0 && keyPadding.count % batch == 0, "key padding of \(keyPadding.count) for a batch of \(batch)")
        guard rate > 0 else { return keyPadding }
        let time = keyPadding.count / batch
        var result = keyPadding
        for row in 0..<batch {
            var kept = 0
            var lastDropped: Int?
            for position in 0..<time where !keyPadding[row * time + position] {
                if generator.chance(rate) {
                    result[row * time + position] = true
                    lastDropped = position
                } else {
                    kept += 1
                }
            }
            if kept == 0, let lastDropped { result[row * time + lastDropped] = false }
        }
        return result
    }
}
