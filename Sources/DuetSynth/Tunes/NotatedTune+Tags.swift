import Foundation

/// The tags a tune gets from its metadata: genres from the collection and origin, the form
/// (folk song, fiddle tune and its dance from `R:`), the region from the Essen `O:` field and the
/// kind of meter. The instruments come from the arrangement, the tempo from the rendered tempo.
extension NotatedTune {
    /// Folk always; celtic for Irish and Scottish songs and Scottish dances, east asian for Chinese
    /// and Japanese songs, children's music for the Essen children's song book (`kinder*.abc`).
    public var genres: [Genre] {
        var genres: [Genre] = [.folk]
        let regions = Set(self.regions)
        if !regions.isDisjoint(with: ["ireland", "scotland"]) || ["strathspey", "highland fling"].contains(dance ?? "") {
            genres.append(.celtic)
        }
        if !regions.isDisjoint(with: ["china", "japan"]) { genres.append(.eastAsian) }
        if collection == .essenFolksong, file.hasPrefix("kinder") { genres.append(.childrens) }
        return genres
    }

    /// The dance of a fiddle tune from its `R:` field (reel, jig, slip jig, hornpipe, strathspey,
    /// clog, highland fling); nil for other rhythms and for songs.
    public var dance: String? {
        guard collection == .ryansMammoth, let rhythm = fields["R"]?.lowercased() else { return nil }
        let words = rhythm.filter { $0.isLetter || $0 == " " }.split(separator: " ").joined(separator: " ")
        switch words {
        case "reel", "hornpipe", "jig", "strathspey", "clog": return words
        case "slip jig", "slipjig": return "slip jig"
        case "highland fling", "fling": return "highland fling"
        default: return nil
        }
    }

    /// `form` tags: "folk song" for the Essen songs; "fiddle tune" and the dance for Ryan's.
    public var forms: [String] {
        switch collection {
        case .essenFolksong: ["folk song"]
        case .ryansMammoth: ["fiddle tune"] + (dance.map { [$0] } ?? [])
        }
    }

    /// `region` tags from the Essen `O:` field ("Europa, Mitteleuropa, Deutschland, Schwaben"):
    /// the first place after the continents, split at `/` and `;` when the song belongs to two
    /// ("Deutschland / Polen"), each named in English; places the table does not know give none.
    public var regions: [String] {
        guard collection == .essenFolksong, let origin = fields["O"] else { return [] }
        for part in origin.split(separator: ",") {
            var place = String(part)
            if let bracket = place.firstIndex(of: "(") { place = String(place[..<bracket]) }
            place = place.trimmingCharacters(in: .whitespaces)
            if place.isEmpty || Self.continents.contains(place) { continue }
            let names = place.split(whereSeparator: { $0 == "/" || $0 == ";" }).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: " ?"))
            }
            var regions: [String] = []
            for name in names {
                if let region = Self.regionNames[name], !regions.contains(region) { regions.append(region) }
            }
            return regions
        }
        return []
    }

    /// `meter` tags by the kind of meter: duple, triple or quadruple, simple or compound.
    public var meterTag: String {
        let beats = meter.beatsPerBar
        let kind = beats == 2 ? "duple" : beats == 3 ? "triple" : beats == 4 ? "quadruple" : "irregular"
        return meter.isCompound ? "compound \(kind) meter" : "\(kind) meter"
    }

    static let continents: Set<String> = [
        "Europa", "Mitteleuropa", "Miteleuropa", "Osteuropa", "Suedosteuropa", "Nordeuropa", "Westeuropa", "Suedeuropa",
        "Asien", "Ostasien", "Amerika", "Nord - Amerika", "Sued - Amerika", "Mittelamerika",
    ]

    /// Place names of the Essen `O:` fields (German) → region tags.
    static let regionNames: [String: String] = [
        "Deutschland": "germany", "China": "china", "Luxemburg": "luxembourg", "Lothringen": "lorraine",
        "Jugoslawien": "yugoslavia", "Frankreich": "france", "Polen": "poland", "Oesterreich": "austria",
        "Tirol": "tyrol", "Steiermark": "austria", "Schweiz": "switzerland", "Niederlande": "netherlands",
        "Holland": "netherlands", "Irland": "ireland", "UdSSR": "soviet union", "Russland": "russia",
        "Ungarn": "hungary", "Tschechoslowakei": "czechoslovakia", "Boehmen": "bohemia", "Rumaenien": "romania",
        "Schweden": "sweden", "Daenemark": "denmark", "Italien": "italy", "USA": "united states", "England": "england",
        "Schottland": "scotland", "Norwegen": "norway", "Island": "iceland", "Griechenland": "greece",
        "Finnland": "finland", "Belgien": "belgium", "Elsass": "alsace", "Kanada": "canada", "Brasilien": "brazil",
        "Japan": "japan", "Yunnan": "china", "Hunan": "china", "Xinjiang": "china",
    ]

    /// Adjectives a catalogue might use for a region (none where the adjective is another tag's
    /// word, as "french" in "french horn").
    static let regionSynonyms: [String: [String]] = [
        "germany": ["german"], "china": ["chinese"], "ireland": ["irish"], "netherlands": ["dutch"], "hungary": ["hungarian"],
        "poland": ["polish"], "austria": ["austrian"], "switzerland": ["swiss"], "romania": ["romanian"], "sweden": ["swedish"],
        "scotland": ["scottish"], "england": ["english"], "japan": ["japanese"], "russia": ["russian"], "soviet union": ["soviet"],
    ]

    /// Every region tag the table can give, for the vocabulary.
    public static var regionTags: [String] { Array(Set(regionNames.values)).sorted() }
}
