import DuetAudio
import Testing

@Suite("Patching log-mel frames into 3-s patches")
struct LogMelPatcherTests {
    static func frames(_ count: Int, bands: Int = 2) -> [Float] {
        (0..<(count * bands)).map { Float($0 / bands) }
    }

    @Test func consecutivePatchesAndTrailingPartialDropped() {
        let spectrogram = LogMelSpectrogram(frameCount: 400, bandCount: 2, values: Self.frames(400))
        let patches = LogMelPatcher.patches(of: spectrogram, patchFrameCount: 187)
        #expect(patches.count == 2)
        #expect(patches[0].first == 0 && patches[0].last == 186)
        #expect(patches[1].first == 187 && patches[1].last == 373)
    }

    @Test func shortClipIsRepeatPaddedToOnePatch() {
        let patcher = LogMelPatcher(patchFrameCount: 187, bandCount: 2)
        #expect(patcher.append(Self.frames(50)).isEmpty)
        let patches = patcher.finish()
        #expect(patches.count == 1)
        let frameValues = stride(from: 0, to: 374, by: 2).map { patches[0][$0] }
        #expect(frameValues == (0..<187).map { Float($0 % 50) })
    }

    @Test func streamingAcrossChunksMatchesWhole() {
        let patcher = LogMelPatcher(patchFrameCount: 187, bandCount: 2)
        var patches: [[Float]] = []
        for chunk in stride(from: 0, to: 600, by: 37) {
            patches += patcher.append(Array(Self.frames(600)[(chunk * 2)..<(min(600, chunk + 37) * 2)]))
        }
        patches += patcher.finish()
        let whole = LogMelPatcher.patches(of: LogMelSpectrogram(frameCount: 600, bandCount: 2, values: Self.frames(600)))
        #expect(patches == whole)
        #expect(patches.count == 3)
    }
}
