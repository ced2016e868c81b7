/// Where each token of a Swin block sits in its attention windows: the cyclic shift, the window
/// partition, the relative position index inside a window and the shifted-window mask, as
/// `SwinTransformerBlock` and `WindowAttention` in laion_clap's `htsat.py` (after Liu et al. 2021,
/// "Swin Transformer") compute them.
///
/// Tokens of an image are its `height × width` grid in row-major order (`x.view(B, H, W, C)`).
/// A block rolls the grid by `−shift` along both axes (`torch.roll(x, (−s, −s), (1, 2))`), cuts it into
/// `window × window` windows listed row-major (`window_partition`), attends inside each window, and
/// undoes both. The same permutation does both directions: packed row `r` (window `r / P`, position
/// `r % P`, `P = window²`) holds token ``tokenIndices``[r] and its result goes back there.
struct SwinWindowLayout: Sendable {
    let height: Int
    let width: Int
    let window: Int
    let shift: Int

    /// Tokens per window, `window²`.
    var windowTokens: Int { window * window }
    /// Windows per image, in `window_partition`'s order.
    var windowCount: Int { (height / window) * (width / window) }

    /// For each packed row of one image, the grid token it reads: window `(wi, wj)`, position `(a, b)`
    /// reads shifted cell `(wi·window + a, wj·window + b)`, which is token
    /// `((wi·window + a + shift) mod H, (wj·window + b + shift) mod W)` of the unshifted grid.
    let tokenIndices: [Int]

    init(height: Int, width: Int, window: Int, shift: Int) {
        precondition(height % window == 0 && width % window == 0 && shift < window,
                     "a \(height) × \(width) grid with window \(window) and shift \(shift)")
        self.height = height
        self.width = width
        self.window = window
        self.shift = shift
        var indices: [Int] = []
        indices.reserveCapacity(height * width)
        for windowRow in 0..<(height / window) {
            for windowColumn in 0..<(width / window) {
                for a in 0..<window {
                    for b in 0..<window {
                        let row = (windowRow * window + a + shift) % height
                        let column = (windowColumn * window + b + shift) % width
                        indices.append(row * width + column)
                    }
                }
            }
        }
        tokenIndices = indices
    }

    /// `relative_position_index` `[P, P]`: for positions `i = (a, b)` and `j = (c, d)` of a window,
    /// `(a − c + window − 1) · (2 window − 1) + (b − d + window − 1)`, the row of the
    /// `[(2 window − 1)², heads]` bias table.
    var relativePositionIndex: [Int] {
        let count = windowTokens
        var index = [Int](repeating: 0, count: count * count)
        for i in 0..<count {
            for j in 0..<count {
                let rows = i / window - j / window + window - 1
                let columns = i % window - j % window + window - 1
                index[i * count + j] = rows * (2 * window - 1) + columns
            }
        }
        return index
    }

    /// The relative position bias `[heads, P, P]` gathered from `table` `[(2 window − 1)², heads]`
    /// (`relative_position_bias_table[relative_position_index].permute(2, 0, 1)`).
    func positionBias(table: [Float], headCount: Int) -> [Float] {
        let count = windowTokens
        let index = relativePositionIndex
        var bias = [Float](repeating: 0, count: headCount * count * count)
        for head in 0..<headCount {
            for pair in 0..<(count * count) {
                bias[head * count * count + pair] = table[index[pair] * headCount + head]
            }
        }
        return bias
    }

    /// The shifted-window mask `[windowCount, P, P]` (`attn_mask`): 0 where query and key come from the
    /// same region of the shifted grid, −100 where the roll brought them together from opposite edges;
    /// nil without a shift. Regions split each axis at `size − window` and `size − shift` (the slices
    /// `[0, −window)`, `[−window, −shift)`, `[−shift, size)`), labelled `3 · rowRegion + columnRegion`.
    var attentionMask: [Float]? {
        guard shift > 0 else { return nil }
        func region(_ coordinate: Int, size: Int) -> Int {
            coordinate < size - window ? 0 : (coordinate < size - shift ? 1 : 2)
        }
        let count = windowTokens
        var mask = [Float](repeating: 0, count: windowCount * count * count)
        var labels = [Int](repeating: 0, count: count)
        var windowIndex = 0
        for windowRow in 0..<(height / window) {
            for windowColumn in 0..<(width / window) {
                for position in 0..<count {
                    let row = windowRow * window + position / window
                    let column = windowColumn * window + position % window
                    labels[position] = 3 * region(row, size: height) + region(column, size: width)
                }
                for i in 0..<count {
                    for j in 0..<count where labels[i] != labels[j] {
                        mask[(windowIndex * count + i) * count + j] = -100
                    }
                }
                windowIndex += 1
            }
        }
        return mask
    }
}
