import CFluidSynth
import Foundation

/// Renders arrangements offline with FluidSynth and a General MIDI soundfont.
///
/// The soundfont is parsed once per renderer (into a "keeper" synthesizer that owns it), and
/// every clip is rendered by a brand-new `fluid_synth_t` that borrows the loaded soundfont
/// (`fluid_synth_add_sfont`) and is deleted afterwards. A fresh synth per clip is what makes a
/// clip's audio independent of what the same worker rendered before: `fluid_synth_system_reset`
/// alone lets released voices ring on and leaves per-voice mixer amplitudes (the ramp start of
/// a reused voice slot) from earlier notes, so the same clip rendered second differs slightly.
/// Creating a synth costs far less than loading the soundfont. Chorus is off, the reverb
/// settings are fixed, and FluidSynth draws no random numbers on the float output path.
/// Events are applied at their sample frames, which FluidSynth quantises to its 64-frame
/// blocks (4 ms at 16 kHz). A renderer is used by one thread at a time (it is not `Sendable`).
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
    private let keeper: OpaquePointer
    private let soundFont: OpaquePointer

    /// Loads the soundfont for rendering at `sampleRate` Hz.
    public init(soundFont url: URL = FluidRenderer.defaultSoundFont, sampleRate: Int = 16000) throws(SynthError) {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .soundFontMissing(path: url.path)
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
        fluid_settings_setint(settings, "synth.dynamic-sample-loading", 0)
        fluid_settings_setnum(settings, "synth.gain", 0.4)
        guard let keeper = new_fluid_synth(settings) else {
            delete_fluid_settings(settings)
            throw .fluidSynthFailed(step: "create a synthesizer")
        }
        let identifier = fluid_synth_sfload(keeper, url.path, 0)
        guard identifier != FLUID_FAILED, let font = fluid_synth_get_sfont_by_id(keeper, identifier) else {
            delete_fluid_synth(keeper)
            delete_fluid_settings(settings)
            throw .soundFontUnreadable(path: url.path)
        }
        self.settings = settings
        self.keeper = keeper
        self.soundFont = font
        self.sampleRate = sampleRate
    }

    deinit {
        delete_fluid_synth(keeper)
        delete_fluid_settings(settings)
    }

    /// Renders the arrangement to stereo float buffers of `duration * sampleRate` frames
    /// (FluidSynth's raw output, before downmix and loudness normalisation).
    public func renderStereo(_ arrangement: Arrangement) throws(SynthError) -> (left: [Float], right: [Float]) {
        guard let synth = new_fluid_synth(settings) else { throw .fluidSynthFailed(step: "create a synthesizer") }
        let identifier = fluid_synth_add_sfont(synth, soundFont)
        defer {
            // Detach the borrowed soundfont first so deleting the clip's synth does not free it.
            fluid_synth_remove_sfont(synth, soundFont)
            delete_fluid_synth(synth)
        }
        guard identifier != FLUID_FAILED else { throw .fluidSynthFailed(step: "attach the loaded soundfont") }
        let frameCount = Int((arrangement.duration * Double(sampleRate)).rounded())
        for track in arrangement.tracks {
            let channel = Int32(track.channel)
            if fluid_synth_program_select(synth, channel, identifier, Int32(track.bank), Int32(track.program)) != FLUID_OK {
                // A soundfont with only the standard kit (OPL-3 FM) plays every kit with it, as GM allows.
                guard track.bank == 128, fluid_synth_program_select(synth, channel, identifier, 128, 0) == FLUID_OK else {
                    throw .presetMissing(bank: track.bank, program: track.program)
                }
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

    /// Renders, downmixes to mono (mean of the channels), applies the augmentation's colouring
    /// (speed, tilt, room), fades the edges, normalises loudness, then applies its gain and noise.
    public func render(_ arrangement: Arrangement, augmentation: AudioAugmentation = .identity) throws(SynthError) -> [Float] {
        let (left, right) = try renderStereo(arrangement)
        var mono = [Float](repeating: 0, count: left.count)
        for index in mono.indices { mono[index] = 0.5 * (left[index] + right[index]) }
        if augmentation != .identity { mono = augmentation.colour(mono, sampleRate: sampleRate) }
        Loudness.fadeEdges(&mono, sampleRate: sampleRate)
        Loudness.normalise(&mono, dynamics: arrangement.dynamics)
        if augmentation != .identity { augmentation.finish(&mono) }
        return mono
    }

    /// Whether the soundfont has a preset at `bank`/`program`.
    public func hasPreset(bank: Int, program: Int) -> Bool {
        fluid_sfont_get_preset(soundFont, Int32(bank), Int32(program)) != nil
    }

    private static let loggingSilenced: Bool = {
        for level in [FLUID_WARN, FLUID_INFO, FLUID_DBG] {
            _ = fluid_set_log_function(Int32(level.rawValue), nil, nil)
        }
        return true
    }()

    private static func silenceLogging() { _ = loggingSilenced }
}
