import DuetRandom
import Foundation

/// Assigns train, valid and test by group (an album), so that no group has items in two splits: tracks of
/// one album share a recording, a mix and often a sound, and would leak between training and evaluation.
public enum GroupedSplit {
    /// Allowed valid and test fractions.
    public static let fractionRange = 0.0...0.45

    /// The split of each group. Groups are visited in an order fixed by `seed` and each group's key (not by
    /// the input order); test takes groups until it holds `testFraction` of the items, then valid until
    /// `validFraction`, and train the rest. With three groups or more, test and valid get at least one
    /// group each when their fraction is positive, and train always keeps at least one.
    /// - Parameter sizes: group key → number of items.
    public static func assign(sizes: [String: Int], validFraction: Double, testFraction: Double, seed: UInt64) -> [String: Split] {
        let order = sizes.keys.sorted {
            let left = stableHash("\(seed)\u{1F}\($0)"), right = stableHash("\(seed)\u{1F}\($1)")
            return left != right ? left < right : $0 < $1
        }
        let total = sizes.values.reduce(0, +)
        var result: [String: Split] = [:]
        var index = 0
        // Each split keeps room for the ones after it: valid (when wanted) and train get a group each.
        let plan = [(Split.test, testFraction, validFraction > 0 ? 2 : 1), (Split.valid, validFraction, 1)]
        for (split, fraction, reserved) in plan where fraction > 0 && order.count >= 3 {
            var taken = 0
            repeat {
                guard index < order.count - reserved else { break }
                result[order[index]] = split
                taken += sizes[order[index]] ?? 0
                index += 1
            } while Double(taken) < fraction * Double(total)
        }
        for key in order[index...] { result[key] = .train }
        return result
    }
}
