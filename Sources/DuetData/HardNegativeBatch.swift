import DuetRandom

/// A hard negative placed in a batch: the extra text column it occupies and for which row.
public struct HardNegativeColumn: Sendable, Equatable {
    public var row: Int
    public var column: Int
    public var category: String
    public var original: String
    public var replacement: String

    public init(row: Int, column: Int, category: String, original: String, replacement: String) {
        self.row = row
        self.column = column
        self.category = category
        self.original = original
        self.replacement = replacement
    }
}

/// The texts of one batch and which audio-to-text logits are positives, negatives or masked.
///
/// Layout, with `B = rowCount` audio rows and `C = texts.count ≥ B` text columns:
/// - columns `0..<B` are the batch's positive texts, column `i` the positive of row `i`
///   (the usual in-batch InfoNCE diagonal);
/// - columns `B..<C` are hard negatives; each belongs to exactly one row (`hardNegatives`).
///
/// The audio→text InfoNCE for row `i` is a softmax over the logits `s[i, j] + mask[i, j]`, where
/// `mask` (``additiveMask()``) is `0` for the columns row `i` sees and `-∞` for the others:
/// - its positive `i` and its in-batch negatives `j < B, j ≠ i` are visible, except the ones in
///   `replacedColumns[i]`: for each hard negative of row `i`, one randomly chosen in-batch negative
///   is masked, so the hard negatives *replace* in-batch negatives and row `i` still sees
///   `1 + (B − 1)` columns (when it has at most `B − 1` hard negatives);
/// - its own hard-negative columns are visible; every other row's hard negatives are masked.
///
/// The text→audio direction uses only the square block `s[0..<B, 0..<B]` without the mask: hard
/// negatives are never anchors, and a masked in-batch text still serves as an anchor for its own
/// audio. A row without hard negatives sees exactly the standard `B` columns.
public struct ContrastiveTextBatch: Sendable, Equatable {
    /// The column texts: `B` positives then the hard negatives.
    public var texts: [String]
    public var rowCount: Int
    public var hardNegatives: [HardNegativeColumn]
    /// Per row, the in-batch negative columns (`< B`) masked because hard negatives replace them.
    public var replacedColumns: [[Int]]

    public var columnCount: Int { texts.count }

    public init(texts: [String], rowCount: Int, hardNegatives: [HardNegativeColumn], replacedColumns: [[Int]]) {
        precondition(texts.count == rowCount + hardNegatives.count && replacedColumns.count == rowCount,
                     "\(texts.count) texts for \(rowCount) rows and \(hardNegatives.count) hard negatives")
        self.texts = texts
        self.rowCount = rowCount
        self.hardNegatives = hardNegatives
        self.replacedColumns = replacedColumns
    }

    /// Column of row `row`'s positive (always `row`).
    public func positiveColumn(of row: Int) -> Int { row }

    /// Hard-negative columns of row `row`.
    public func hardNegativeColumns(of row: Int) -> [Int] {
        hardNegatives.filter { $0.row == row }.map(\.column)
    }

    /// Whether row `row` sees column `column` in the audio→text softmax.
    public func isVisible(row: Int, column: Int) -> Bool {
        if column < rowCount { return !replacedColumns[row].contains(column) }
        return hardNegatives[column - rowCount].row == row
    }

    /// The `[rowCount, columnCount]` row-major additive mask: `0` where visible, `-Float.infinity`
    /// where masked. Add it to the audio→text logits before the softmax.
    public func additiveMask() -> [Float] {
        var mask = [Float](repeating: 0, count: rowCount * columnCount)
        for row in 0..<rowCount {
            for column in replacedColumns[row] { mask[row * columnCount + column] = -.infinity }
        }
        for negative in hardNegatives {
            for row in 0..<rowCount where row != negative.row {
                mask[row * columnCount + negative.column] = -.infinity
            }
        }
        return mask
    }
}

/// Builds batches with TextSwap hard negatives following the paper's rule.
///
/// Each row's positive comes with the TextSwap variants prepared for it (one per descriptor category
/// it mentions, see ``TextSwap/hardNegatives(caption:tags:using:)``). With probability
/// `probability` (the curriculum's value for the epoch, ``SwapCurriculum``) a row's variants become
/// its hard-negative columns, appended after the in-batch texts, and the same number of that row's
/// in-batch negatives, chosen uniformly, are masked (see ``ContrastiveTextBatch``): every row keeps
/// `rows` visible columns. Randomness comes only from the generator passed in.
public enum HardNegativeBatchBuilder {
    public static func build<Generator: RandomNumberGenerator>(
        positives: [RecipePositive], probability: Double, using generator: inout Generator
    ) -> ContrastiveTextBatch {
        let rows = positives.count
        var texts = positives.map(\.text)
        var hardNegatives: [HardNegativeColumn] = []
        var replaced = [[Int]](repeating: [], count: rows)
        if probability > 0 {
            for (row, positive) in positives.enumerated() where !positive.swaps.isEmpty && generator.bernoulli(probability) {
                // A row can hide at most its rows - 1 in-batch negatives.
                let variants = Array(positive.swaps.prefix(rows - 1))
                for variant in variants {
                    hardNegatives.append(HardNegativeColumn(
                        row: row, column: texts.count, category: variant.category, original: variant.original,
                        replacement: variant.replacement))
                    texts.append(variant.text)
                }
                let others = (0..<rows).filter { $0 != row }
                replaced[row] = Array(generator.shuffle(others).prefix(variants.count)).sorted()
            }
        }
        return ContrastiveTextBatch(texts: texts, rowCount: rows, hardNegatives: hardNegatives, replacedColumns: replaced)
    }
}
