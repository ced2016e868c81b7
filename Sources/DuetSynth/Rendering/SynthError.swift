import Foundation

/// Errors of corpus synthesis, each with the action that fixes it.
public enum SynthError: Error, LocalizedError, Equatable {
    case soundFontMissing(path: String)
    case fluidSynthFailed(step: String)
    case soundFontUnreadable(path: String)
    case presetMissing(bank: Int, program: Int)
    case writeFailed(path: String, reason: String)
    case invalidOption(String)

    public var errorDescription: String? {
        switch self {
        case .soundFontMissing(let path):
            "The General MIDI soundfont is missing at \(path). Run `make setup` (installs Debian fluid-soundfont-gm, musescore-general-soundfont, opl3-soundfont and libfluidsynth-dev), or set DUET_SOUNDFONT to an .sf2 file."
        case .fluidSynthFailed(let step):
            "FluidSynth failed to \(step). Run `make setup` to install libfluidsynth-dev and fluid-soundfont-gm."
        case .soundFontUnreadable(let path):
            "FluidSynth could not load the soundfont \(path); it may be truncated. Reinstall it with `make setup` (Debian fluid-soundfont-gm)."
        case .presetMissing(let bank, let program):
            "The soundfont has no preset bank \(bank) program \(program); use FluidR3_GM.sf2 from `make setup`."
        case .writeFailed(let path, let reason):
            "Could not write \(path): \(reason)."
        case .invalidOption(let message):
            message
        }
    }
}
