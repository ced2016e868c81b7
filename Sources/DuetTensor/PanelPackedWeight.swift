import CSmallGemm

/// A linear layer's weight `[outputs, inputs]` (PyTorch's layout), packed once into panels of 16
/// output columns for products with few input rows.
///
/// Why: OpenBLAS packs both operands into its own panels on every `sgemm` call. With the dozen or
/// so token rows of one sentence, re-packing the weight costs as much as the arithmetic (a perf
/// profile of MiniLM at batch 1 put 45% of the time in `sgemm_incopy`). This product reads the
/// panels packed at load time instead: a 6 × 16 register tile with AVX2 and FMA where the processor
/// has them (checked at run time), else a portable loop. For many rows `sgemm` is faster; callers
/// choose by ``prefersPanels(rows:)``.
public struct PanelPackedWeight: Sendable {
    public let outputs: Int
    public let inputs: Int
    /// `ceil(outputs / 16)` panels of `[inputs, 16]`, the last zero-padded.
    private let panels: [Float]

    /// Columns per panel.
    public static let panelWidth = Int(duet_small_gemm_panel_width)

    /// Up to this many rows a product reads the panels; beyond, `sgemm` keeps the job (its blocking
    /// is tuned per processor). Measured with `duet bench-text` on MiniLM (2026-12-07, AMD EPYC, 2
    /// threads, idle): panels 1.85× faster at one sentence (16 rows), 1.1-1.2× at 8 and 16 sentences
    /// (130-260 rows), level within noise at 64 sentences (about 1,000 rows).
    public static let panelRowLimit = 256

    /// Packs `weight`, `[outputs, inputs]` row-major.
    public init(_ weight: [Float], outputs: Int, inputs: Int) {
        precondition(outputs > 0 && inputs > 0 && weight.count == outputs * inputs,
                     "a weight of \(weight.count) values is not [\(outputs), \(inputs)]")
        self.outputs = outputs
        self.inputs = inputs
        let count = duet_small_gemm_packed_count(outputs, inputs)
        panels = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            weight.withUnsafeBufferPointer { duet_small_gemm_pack($0.baseAddress!, outputs, inputs, buffer.baseAddress!) }
            initialized = count
        }
    }

    /// Whether a product of `rows` input rows should read the panels rather than call `sgemm`.
    public static func prefersPanels(rows: Int) -> Bool { rows <= panelRowLimit }

    /// Whether the AVX2 + FMA tile runs on this processor (else the portable loop).
    public static var usesVectorKernel: Bool { duet_small_gemm_uses_avx2() != 0 }

    /// `output = input · weightᵀ`, or `output += input · weightᵀ` when `accumulating`.
    /// `input`: `[rows, inputs]`; `output`: `[rows, outputs]`, both row-major. Panels are spread over
    /// Duet's threads; every output is one sum in input order, so the result does not depend on the
    /// thread count. `portable` runs the portable loop even where the vector tile could (tests
    /// compare the two).
    public func product(
        _ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>, accumulating: Bool = false,
        portable: Bool = false
    ) {
        guard rows > 0 else { return }
        let panelCount = (outputs + Self.panelWidth - 1) / Self.panelWidth
        // About 100 k multiply-adds per thread at least, so dispatching a thread pays for itself.
        let minimumPanels = max(1, 100_000 / (rows * inputs * Self.panelWidth))
        let outputs = outputs, inputs = inputs
        nonisolated(unsafe) let output = output
        panels.withUnsafeBufferPointer { panels in
            Parallelism.forEachChunk(panelCount, minimumChunk: minimumPanels) { range in
                if portable {
                    duet_small_gemm_portable(
                        input, rows, inputs, panels.baseAddress!, outputs, range.lowerBound, range.upperBound, output, accumulating ? 1 : 0)
                } else {
                    duet_small_gemm(
                        input, rows, inputs, panels.baseAddress!, outputs, range.lowerBound, range.upperBound, output, accumulating ? 1 : 0)
                }
            }
        }
    }
}
