import DuetTensor
import Foundation

/// musicnn's timbral block, `max over mel of bn(relu(conv(x) + b))` for a `height x width` kernel that
/// is valid along the `bands` mel bins, computed in the discrete Fourier domain along the mel axis.
///
/// Correlation along mel is a product of spectra: with the `N = bands`-point real DFT
/// (`X_k = sum_n x[n] e^{-2 pi i k n / N}`, `k = 0 ... N/2`),
/// `y[f] = sum_d x[f + d] w[d] = (1/N) sum_k X_k conj(W_k) e^{2 pi i k f / N}`, exact (no wrap-around)
/// because `f + d <= bands - 1` for every valid output `f < bands - width + 1`. Summing over the
/// kernel's `height` frames and filters makes one small complex product per frequency bin, done as
/// two real GEMMs (`[frames, 2 height] x [2 height, filters]`), then GEMMs with the inverse-DFT
/// matrix gives all `bands - width + 1` positions. For musicnn (96 bands, widths 38 and 67) this is
/// 2.6x fewer floating-point operations than the direct im2col product, with float32 rounding
/// differences of order 1e-6 relative to the activations.
struct TimbralConvolution: Sendable {
    let frames: Int
    let bands: Int
    let height: Int
    let width: Int
    let filters: Int
    /// `bands / 2 + 1` DFT bins.
    let binCount: Int
    /// Forward DFT, `[bands, 2 binCount]`: column `2k` is `cos(2 pi k n / N)`, `2k + 1` is `-sin(...)`.
    let forward: [Float]
    /// Kernel spectra per bin, `[binCount][2][2 height, filters]`: for the real part of the output
    /// `[Re W; Im W]`, for the imaginary part `[-Im W; Re W]` (rows: height real then height imaginary).
    let kernelSpectra: [Float]
    /// Inverse DFT of the even valid positions on the folded coefficients, `[evenPositions, foldedCount]`.
    let inverseEven: [Float]
    /// The same for the odd positions, `[positions - evenPositions, foldedCount]`.
    let inverseOdd: [Float]
    let bias: [Float]
    let norm: FoldedBatchNorm

    var positions: Int { bands - width + 1 }

    /// - Parameters:
    ///   - kernel: TensorFlow layout `[height, width, 1, filters]`, row-major.
    init(frames: Int, bands: Int, height: Int, width: Int, kernel: [Float], bias: [Float], norm: FoldedBatchNorm) {
        let filters = bias.count
        precondition(kernel.count == height * width * filters, "kernel has \(kernel.count) values, expected \(height)x\(width)x\(filters)")
        precondition(bands % 4 == 0 && width <= bands, "bands \(bands) must be a multiple of 4 and at least the width \(width)")
        self.frames = frames
        self.bands = bands
        self.height = height
        self.width = width
        self.filters = filters
        self.bias = bias
        self.norm = norm
        let bins = bands / 2 + 1
        binCount = bins
        let n = Double(bands)
        var forward = [Float](repeating: 0, count: bands * 2 * bins)
        for sample in 0..<bands {
            for bin in 0..<bins {
                let angle = 2 * Double.pi * Double(bin * sample % bands) / n
                forward[sample * 2 * bins + 2 * bin] = Float(cos(angle))
                forward[sample * 2 * bins + 2 * bin + 1] = Float(-sin(angle))
            }
        }
        self.forward = forward
        var spectra = [Float](repeating: 0, count: bins * 2 * 2 * height * filters)
        for bin in 0..<bins {
            for row in 0..<height {
                for filter in 0..<filters {
                    var real = 0.0, imaginary = 0.0
                    for offset in 0..<width {
                        let weight = Double(kernel[(row * width + offset) * filters + filter])
                        let angle = 2 * Double.pi * Double(bin * offset % bands) / n
                        real += weight * cos(angle)
                        imaginary -= weight * sin(angle)
                    }
                    let base = bin * 2 * 2 * height * filters
                    let realOutput = base, imaginaryOutput = base + 2 * height * filters
                    spectra[realOutput + row * filters + filter] = Float(real)
                    spectra[realOutput + (height + row) * filters + filter] = Float(imaginary)
                    spectra[imaginaryOutput + row * filters + filter] = Float(-imaginary)
                    spectra[imaginaryOutput + (height + row) * filters + filter] = Float(real)
                }
            }
        }
        kernelSpectra = spectra
        let positions = bands - width + 1
        let folded = 2 * (bands / 4) + 2
        func inverseRows(parity: Int) -> [Float] {
            let rows = stride(from: parity, to: positions, by: 2).map { $0 }
            var matrix = [Float](repeating: 0, count: rows.count * folded)
            for (row, position) in rows.enumerated() {
                let line = row * folded
                func angle(_ bin: Int) -> Double { 2 * Double.pi * Double(bin * position % bands) / n }
                matrix[line] = Float(1 / n)
                matrix[line + 1] = Float((position % 2 == 0 ? 1 : -1) / n)
                matrix[line + 2] = Float(2 * cos(angle(bands / 4)) / n)
                matrix[line + 3] = Float(-2 * sin(angle(bands / 4)) / n)
                for pair in 1..<(bands / 4) {
                    matrix[line + 2 + 2 * pair] = Float(2 * cos(angle(pair)) / n)
                    matrix[line + 3 + 2 * pair] = Float(-2 * sin(angle(pair)) / n)
                }
            }
            return matrix
        }
        inverseEven = inverseRows(parity: 0)
        inverseOdd = inverseRows(parity: 1)
    }

    /// Coefficient rows per parity after folding: `Re Y_0`, `Re Y_{N/2}`, `Re Y_{N/4}`, `Im Y_{N/4}`, then for
    /// `j = 1 ..< N/4` the pair `E_j = Re Y_j +- Re Y_{N/2-j}`, `F_j = Im Y_j -+ Im Y_{N/2-j}` (upper signs for
    /// even positions). Since `e^{2 pi i (N/2 - j) p / N} = (-1)^p conj(e^{2 pi i j p / N})`, bins `j` and
    /// `N/2 - j` share one cosine and one sine at each position, which halves the inverse product.
    var foldedCount: Int { 2 * (bands / 4) + 2 }

    /// Scratch sizes in floats for `apply`.
    var spectrumCount: Int { (frames + height - 1) * 2 * binCount }
    var binColumnsCount: Int { frames * 2 * height }
    var productCount: Int { 2 * binCount * frames * filters }
    /// Frames per fold-inverse-reduce chunk: its folded coefficients and positions stay in cache.
    static let chunkFrames = 8
    var foldedChunkCount: Int { 2 * foldedCount * Self.chunkFrames * filters }
    var valuesChunkCount: Int { positions * Self.chunkFrames * filters }

    /// - Parameters:
    ///   - padded: the normalised input with `height - 1` zero frames split around it, `[frames + height - 1, bands]`.
    ///   - output: receives `[frames, filters]` at `output[frame * outputStride + filter]`.
    ///   - product, folded, values: scratch of `productCount`, `foldedChunkCount` and `valuesChunkCount` floats.
    func apply(
        _ padded: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, outputStride: Int,
        spectrum: UnsafeMutablePointer<Float>, binColumns: UnsafeMutablePointer<Float>,
        product: UnsafeMutablePointer<Float>, folded: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>
    ) {
        let rows = frames + height - 1
        let twoBins = 2 * binCount
        let columns = frames * filters
        // Spectrum of every padded frame along mel: [rows, 2 bins].
        forward.withUnsafeBufferPointer { forward in
            MusiCNNKernels.multiply(padded, lda: bands, forward.baseAddress!, spectrum, m: rows, n: twoBins, k: bands)
        }
        // Per bin: [frames, 2 height] x [2 height, filters] for the real and imaginary parts, written as rows
        // 2k and 2k + 1 of the [2 bins, frames x filters] product.
        kernelSpectra.withUnsafeBufferPointer { spectra in
            for bin in 0..<binCount {
                for frame in 0..<frames {
                    let row = binColumns + frame * 2 * height
                    for offset in 0..<height {
                        row[offset] = spectrum[(frame + offset) * twoBins + 2 * bin]
                        row[height + offset] = spectrum[(frame + offset) * twoBins + 2 * bin + 1]
                    }
                }
                let base = spectra.baseAddress! + bin * 2 * 2 * height * filters
                MusiCNNKernels.multiply(binColumns, lda: 2 * height, base, product + 2 * bin * columns,
                                        m: frames, n: filters, k: 2 * height)
                MusiCNNKernels.multiply(binColumns, lda: 2 * height, base + 2 * height * filters, product + (2 * bin + 1) * columns,
                                        m: frames, n: filters, k: 2 * height)
            }
        }
        // Per chunk of frames, kept in cache: fold bins j and N/2 - j for each parity of the output position,
        // back to mel positions ([positions of one parity, foldedCount] x [foldedCount, chunk]), then the
        // extremes over positions followed by bias, ReLU and batch norm (the norm's sign picks the extreme,
        // see MusiCNNKernels.poolOverFrequency).
        let foldedRows = foldedCount, quarter = bands / 4, half = bands / 2
        let evenPositions = (positions + 1) / 2
        let smallest = UnsafeMutablePointer<Float>.allocate(capacity: Self.chunkFrames * filters)
        defer { smallest.deallocate() }
        for firstFrame in stride(from: 0, to: frames, by: Self.chunkFrames) {
            let chunkFrames = min(Self.chunkFrames, frames - firstFrame)
            let start = firstFrame * filters, count = chunkFrames * filters
            let even = folded, odd = folded + foldedRows * count
            func source(_ index: Int) -> UnsafeMutablePointer<Float> { product + index * columns + start }
            for (target, from) in [(0, 0), (1, 2 * half), (2, 2 * quarter), (3, 2 * quarter + 1)] {
                (even + target * count).update(from: source(from), count: count)
                (odd + target * count).update(from: source(from), count: count)
            }
            for pair in 1..<quarter {
                let realLow = source(2 * pair), imaginaryLow = source(2 * pair + 1)
                let realHigh = source(2 * (half - pair)), imaginaryHigh = source(2 * (half - pair) + 1)
                let evenReal = even + (2 + 2 * pair) * count, evenImaginary = even + (3 + 2 * pair) * count
                let oddReal = odd + (2 + 2 * pair) * count, oddImaginary = odd + (3 + 2 * pair) * count
                for index in 0..<count {
                    evenReal[index] = realLow[index] + realHigh[index]
                    oddReal[index] = realLow[index] - realHigh[index]
                    evenImaginary[index] = imaginaryLow[index] - imaginaryHigh[index]
                    oddImaginary[index] = imaginaryLow[index] + imaginaryHigh[index]
                }
            }
            inverseEven.withUnsafeBufferPointer { inverse in
                MusiCNNKernels.multiply(inverse.baseAddress!, lda: foldedRows, even, values, m: evenPositions, n: count, k: foldedRows)
            }
            inverseOdd.withUnsafeBufferPointer { inverse in
                MusiCNNKernels.multiply(inverse.baseAddress!, lda: foldedRows, odd, values + evenPositions * count,
                                        m: positions - evenPositions, n: count, k: foldedRows)
            }
            // values is [positions (even ones first), chunk frames x filters]: running extremes over positions.
            smallest.update(from: values, count: count)
            for position in 1..<max(1, positions) {
                let row = values + position * count
                for index in 0..<count {
                    values[index] = max(values[index], row[index])
                    smallest[index] = min(smallest[index], row[index])
                }
            }
            for frame in 0..<chunkFrames {
                let out = output + (firstFrame + frame) * outputStride
                for filter in 0..<filters {
                    let index = frame * filters + filter
                    let scale = norm.scale[filter]
                    let extreme = scale >= 0 ? values[index] : smallest[index]
                    out[filter] = scale * max(0, extreme + bias[filter]) + norm.shift[filter]
                }
            }
        }

    }
}
