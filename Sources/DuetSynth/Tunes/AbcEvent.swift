/// One element of an ABC tune body after scanning, before repeats are written out.
enum AbcEvent: Equatable {
    /// A note (`key` set) or rest (`key` nil) lasting `length` quarter notes; `tied` when a `-` follows it.
    case note(key: Int?, length: Double, tied: Bool)
    case bar(AbcBar)
    /// A first, second, ... ending (`[1`, `|2`, `:|2`).
    case ending(Int)
}

/// The kinds of bar line that matter for playing order.
struct AbcBar: Equatable {
    /// `:|`, `::`, `:|:`: play the section again from the last start.
    var endsRepeat: Bool
    /// `|:`, `::`: a repeated section starts here.
    var startsRepeat: Bool
    /// `||`, `|]`, `[|`: a section boundary.
    var isDouble: Bool

    /// Reads a bar-line symbol made of `|`, `:`, `[` and `]`.
    init(symbol: String) {
        endsRepeat = symbol.hasPrefix(":")
        startsRepeat = symbol.hasSuffix(":")
        isDouble = symbol.contains("||") || symbol.contains("|]") || symbol.contains("[|")
    }
}
