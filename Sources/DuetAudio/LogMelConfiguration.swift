/// Settings of a log-mel front end. `.musicnn` is the one musicnn was trained with
/// (`musicnn/configuration.py` and `librosa.feature.melspectrogram` defaults).
public struct LogMelConfiguration: Sendable, Equatable {
    /// Input sample rate in hertz.
    public var sampleRate: Int
    /// FFT length `N`; also the periodic Hann window's length.
    public var fftSize: Int
    /// Samples between frame centres.
    public var hopLength: Int
    /// Mel bands (Slaney scale, Slaney norm).
    public var melBandCount: Int
    public var minimumFrequency: Double
    public var maximumFrequency: Double
    /// Frames per patch fed to the network.
    public var patchFrameCount: Int
    /// Round the mel power to IEEE half precision before the log, as musicnn's `extractor.py`
    /// does (`astype(np.float16)`); its training features were stored in float16 too.
    public var roundsToHalfPrecision: Bool
    /// The log applied to the mel power (musicnn's compressed log unless told).
    public var scale: LogMelScale

    public init(
        sampleRate: Int, fftSize: Int, hopLength: Int, melBandCount: Int, minimumFrequency: Double,
        maximumFrequency: Double, patchFrameCount: Int, roundsToHalfPrecision: Bool, scale: LogMelScale = .compressedLog
    ) {
        self.sampleRate = sampleRate
        self.fftSize = fftSize
        self.hopLength = hopLength
        self.melBandCount = melBandCount
        self.minimumFrequency = minimumFrequency
        self.maximumFrequency = maximumFrequency
        self.patchFrameCount = patchFrameCount
        self.roundsToHalfPrecision = roundsToHalfPrecision
        self.scale = scale
    }

    /// 16 kHz, N = 512, hop 256, 96 bands over 0-8 kHz, 187-frame (3 s) patches, float16 rounding.
    public static let musicnn = LogMelConfiguration(
        sampleRate: 16_000, fftSize: 512, hopLength: 256, melBandCount: 96, minimumFrequency: 0,
        maximumFrequency: 8_000, patchFrameCount: 187, roundsToHalfPrecision: true)

    /// Frames a centred STFT yields for `sampleCount` samples: `1 + sampleCount / hopLength`.
    public func frameCount(sampleCount: Int) -> Int { 1 + sampleCount / hopLength }
}
