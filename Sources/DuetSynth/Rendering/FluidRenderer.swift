import CFluidSynth
import Foundation

/// Renders arrangements offline with FluidSynth and a General MIDI soundfont.
///
/// One renderer owns one `fluid_synth_t` and is used by one thread at a time (it is not
/// `Sendable`). Before each clip the synth gets a full system reset (all voices, controllers,
/// reverb and chorus buffers cleared), so a clip's audio does not depend on what was rendered
/// before it. Chorus is off and reverb settings are fixed; FluidSynth has no other randomness.
/// Events are applied at their sample positions; FluidSynth quantises them to its internal
/// 64-sample blocks (4 ms at 16 kHz).
public final class FluidRenderer {
    /// Debian's FluidR3 GM soundfont (package fluid-soundfont-gm, MIT licence); `DUET_SOUNDFONT` overrides it.
    public static var defaultSoundFont: URL {
        if let path = ProcessInfo.processInfo.environment["DUET_SOUNDFONT"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: "/usr/share/sounds/sf2/FluidR3_GM.sf2")
    }

    public let sampleRate: Int
    private let settings: OpaquePointer
    private let synth: OpaquePointer
    private let soundFontID: Int32

    /// Loads the soundfont into a new synthesizer running at `sampleRate` Hz.
    public init(soundFont: URL = FluidRenderer.defaultSoundFont, sampleRate: Int = 16000) throws(SynthError) {
        guard FileManager.default.fileExists(atPath: soundFont.path) else {
            throw .soundFontMissing(path: soundFont.path)
        }
        FluidRenderer.silenceLogging()
        guard let settings = new_fluid_settings() else { throw .fluidSynthFailed(step: "create its settings") }
        fluid_settings_setnum(settings, "synth.sample-rate", Double(sampleRate))
        fluid_settings_setint(settings, "synth.chorus.active", 0)
        fluid_settings_setint(settings, "synth.reverb.active", 1)
        fluid_settings_setnum(settings, "synth.reverb.room-size", 0.5)
        fluid_settings_setnum(settings, "synth.reverb.damp", 0.4)
        fluid_settings_setnum(settings, "synth.reverb.width", 0.8)
        fluid_settings_setnum(settings, "synth.reverb.level", 0.5)
        fluid_settings_setint(settings, "synth.polyphony", 96)
        fluid_settings_setint(settings, "synth.threadsafe-api", 0)
        fluid_settings_setint(settings, "synth.cpu-cores", 1)
        fluid_settings_setint(settings, "synth.lock-memory", 0)
        fluid_settings_setnum(settings, "synth.gain", 0.4)
        guard let synth = new_fluid_synth(settings) else {
            delete_fluid_settings(settings)
            throw .fluidSynthFailed(step: "create a synthesizer")
        }
        let identifier = fluid_synth_sfload(synth, soundFont.path, 1)
        guard identifier != FLUID_FAILED else {
            delete_fluid_synth(synth)
            delete_fluid_settings(settings)
            throw .soundFontUnreadable(path: soundFont.path)
        }
        self.settings = settings
        self.synth = synth
        self.soundFontID = identifier
        self.sampleRate = sampleRate
    }

    deinit {
        delete_fluid_synth(synth)
        delete_fluid_settings(settings)
    }

    /// Renders the arrangement to stereo float buffers of `duration * sampleRate` frames
    /// (FluidSynth's raw output, before downmix and loudness normalisation).
    public func renderStereo(_ arrangement: Arrangement) throws(SynthError) -> (left: [Float], right: [Float]) {
        let frameCount = Int((arrangement.duration * Double(sampleRate)).rounded())
        fluid_synth_system_reset(synth)
        for track in arrangement.tracks {
            let channel = Int32(track.channel)
            if fluid_synth_program_select(synth, channel, Int32(soundFontID), Int32(track.bank), Int32(track.program)) != FLUID_OK {
                throw .presetMissing(bank: track.bank, program: track.program)
            }
            fluid_synth_cc(synth, channel, 7, Int32(track.volume))
            fluid_synth_cc(synth, channel, 10, Int32(track.pan))
            fluid_synth_cc(synth, channel, 91, Int32(track.reverbSend))
            fluid_synth_cc(synth, channel, 93, 0)
        }
        let events = RenderEvent.schedule(arrangement, sampleRate: sampleRate, frameCount: frameCount)
        var left = [Float](repeating: 0, count: frameCount)
        var right = [Float](repeating: 0, count: frameCount)
        var cursor = 0
        left.withUnsafeMutableBufferPointer { leftBuffer in
            right.withUnsafeMutableBufferPointer { rightBuffer in
                func render(upTo frame: Int) {
                    guard frame > cursor else { return }
                    fluid_synth_write_float(
                        synth, Int32(frame - cursor), leftBuffer.baseAddress, Int32(cursor), 1,
                        rightBuffer.baseAddress, Int32(cursor), 1)
                    cursor = frame
                }
                for event in events {
                    render(upTo: event.frame)
                    if event.isNoteOn {
                        fluid_synth_noteon(synth, Int32(event.channel), Int32(event.key), Int32(event.velocity))
                    } else {
                        fluid_synth_noteoff(synth, Int32(event.channel), Int32(event.key))
                    }
                }
                render(upTo: frameCount)
            }
        }
        return (left, right)
    }

    /// Renders, downmixes to mono (mean of the channels), fades the edges and normalises loudness.
    public func render(_ arrangement: Arrangement) throws(SynthError) -> [Float] {
        let (left, right) = try renderStereo(arrangement)
        var mono = [Float](repeating: 0, count: left.count)
        for index in mono.indices { mono[index] = 0.5 * (left[index] + right[index]) }
        Loudness.fadeEdges(&mono, sampleRate: sampleRate)
        Loudness.normalise(&mono, dynamics: arrangement.dynamics)
        return mono
    }

    /// Whether the soundfont has a preset at `bank`/`program`.
    public func hasPreset(bank: Int, program: Int) -> Bool {
        guard let font = fluid_synth_get_sfont_by_id(synth, soundFontID) else { return false }
        return fluid_sfont_get_preset(font, Int32(bank), Int32(program)) != nil
    }

    private static let loggingSilenced: Bool = {
        for level in [FLUID_WARN, FLUID_INFO, FLUID_DBG] {
            _ = fluid_set_log_function(Int32(level.rawValue), nil, nil)
        }
        return true
    }()

    private static func silenceLogging() { _ = loggingSilenced }
}
