import CSoxr

/// Streaming sample-rate conversion with libsoxr at its "high quality" recipe (`SOXR_HQ`), the
/// `soxr_hq` resampler that librosa (>= 0.10) uses by default.
///
/// Feed chunks with `process(_:)`, then call `finish()` once to drain the filter's delay line.
/// Output length over the whole stream is `ceil(inputCount * outputRate / inputRate)`, matching
/// `librosa.resample`'s length rule.
public final class Resampler {
    public let inputRate: Int
    public let outputRate: Int
    private let handle: soxr_t
    private var inputCount = 0
    private var outputCount = 0
    private var output: [Float] = []

    /// - Throws: `AudioError.resampling` (with `file` as given) when soxr rejects the rates.
    public init(from inputRate: Int, to outputRate: Int, file: String = "<stream>") throws(AudioError) {
        precondition(inputRate > 0 && outputRate > 0, "sample rates must be positive, got \(inputRate) and \(outputRate)")
        self.inputRate = inputRate
        self.outputRate = outputRate
        var error: soxr_error_t?
        var ioSpec = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var qualitySpec = soxr_quality_spec(UInt(SOXR_HQ), 0)
        var runtimeSpec = soxr_runtime_spec(1)
        guard let handle = soxr_create(Double(inputRate), Double(outputRate), 1, &error, &ioSpec, &qualitySpec, &runtimeSpec),
            error == nil
        else {
            throw .resampling(file: file, reason: error.map { String(cString: $0) } ?? "soxr_create failed")
        }
        self.handle = handle
    }

    deinit { soxr_delete(handle) }

    private var expectedTotal: Int {
        (inputCount * outputRate + inputRate - 1) / inputRate
    }

    /// Resamples one chunk; returns the output samples that are ready (possibly none).
    public func process(_ samples: [Float]) -> [Float] {
        inputCount += samples.count
        return run(samples, flush: false)
    }

    /// Drains the filter and returns the remaining samples, trimmed or zero-padded so the stream's total
    /// length is `ceil(inputCount * outputRate / inputRate)`.
    public func finish() -> [Float] {
        var tail = run([], flush: true)
        let missing = expectedTotal - outputCount
        if missing < 0 {
            tail.removeLast(min(tail.count, -missing))
        } else if missing > 0 {
            tail.append(contentsOf: repeatElement(0, count: missing))
        }
        outputCount = expectedTotal
        return tail
    }

    private func run(_ samples: [Float], flush: Bool) -> [Float] {
        var produced: [Float] = []
        let capacity = max(4096, samples.count * outputRate / inputRate + 1024)
        if output.count < capacity { output = [Float](repeating: 0, count: capacity) }
        var offset = 0
        samples.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                while true {
                    var consumed = 0
                    var written = 0
                    let remaining = input.count - offset
                    if flush {
                        _ = soxr_process(handle, nil, 0, nil, out.baseAddress, out.count, &written)
                    } else {
                        _ = soxr_process(handle, input.baseAddress.map { $0 + offset }, remaining, &consumed, out.baseAddress, out.count, &written)
                    }
                    offset += consumed
                    produced.append(contentsOf: out[0..<written])
                    if flush ? written == 0 : (offset >= input.count && written < out.count) { break }
                }
            }
        }
        outputCount += produced.count
        return produced
    }
}
