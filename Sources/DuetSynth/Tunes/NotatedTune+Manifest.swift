import DuetData

/// What a tune clip's manifest entry says: tags from the tune's metadata and its arrangement,
/// and the metadata itself.
extension NotatedTune {
    /// Genres, instruments (the arrangement's), tempo (the felt beat), form, region and meter kind.
    /// Tune clips have no mood tags: nothing in a tune book says how a tune feels.
    public func manifestTags(_ arrangement: Arrangement) -> [String: [String]] {
        var tags: [String: [String]] = [
            TagCategory.genre: genres.map(\.rawValue),
            TagCategory.instrument: arrangement.tags.instruments.sorted().map(\.rawValue),
            SynthVocabulary.tempoCategory: [SynthVocabulary.tempoTag(arrangement.tempo)],
            SynthVocabulary.formCategory: forms,
            SynthVocabulary.meterCategory: [meterTag],
        ]
        if !regions.isEmpty { tags[SynthVocabulary.regionCategory] = regions }
        return tags
    }

    /// Where the tune comes from and what the clip plays: collection, file, `X:` number, title,
    /// origin and rhythm fields, the written key and meter, the tonal centre the arrangement
    /// harmonised in, the felt tempo, the soundfont and the collection's licence.
    public func manifestMetadata(_ arrangement: Arrangement, soundFont: String) -> [String: String] {
        let harmony = TuneHarmony(self)
        let names = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
        var metadata = [
            "source": "music21", "collection": collection.rawValue, "file": file, "tune": String(number), "title": title,
            "signature": key.name, "key": "\(names[harmony.tonic]) \(harmony.mode.rawValue)", "mode": harmony.mode.quality.rawValue,
            "meter": meter.description, "tempo": String(Int(arrangement.tempo)), "soundfont": soundFont, "licence": collection.licence,
        ]
        if let origin = fields["O"] { metadata["origin"] = origin }
        if let rhythm = fields["R"] { metadata["rhythm"] = rhythm }
        return metadata
    }
}
