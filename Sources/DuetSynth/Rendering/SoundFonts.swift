import Foundation

/// The General MIDI soundfonts the corpus renders with, from Debian packages.
///
/// Training clips are rendered with one of `training` chosen per clip, so a model cannot key on
/// one set of samples; `heldOut` is used only by the out-of-world test split (`OutOfWorldCorpus`),
/// so that split's timbres are ones training never heard.
public enum SoundFonts {
    /// FluidR3 GM (fluid-soundfont-gm, MIT) and MuseScore General (musescore-general-soundfont, MIT).
    /// `DUET_SOUNDFONT` replaces the list with one file.
    public static var training: [URL] {
        if let path = ProcessInfo.processInfo.environment["DUET_SOUNDFONT"], !path.isEmpty {
            return [URL(fileURLWithPath: path)]
        }
        return [
            URL(fileURLWithPath: "/usr/share/sounds/sf2/FluidR3_GM.sf2"),
            URL(fileURLWithPath: "/usr/share/sounds/sf3/MuseScore_General_Full.sf3"),
        ]
    }

    /// The OPL-3 FM soundfont (opl3-soundfont, public-domain FM patches): out-of-world split only.
    public static var heldOut: URL { URL(fileURLWithPath: "/usr/share/sounds/sf2/OPL-3_FM_128M.sf2") }

    /// Throws `soundFontMissing` naming the Debian package for the first missing file.
    public static func requireFiles(_ urls: [URL]) throws(SynthError) {
        for url in urls where !FileManager.default.fileExists(atPath: url.path) { throw .soundFontMissing(path: url.path) }
    }
}
