/// Character classes used by the BERT normaliser and pre-tokenizer, defined as the reference
/// (Hugging Face `tokenizers`, `normalizers/bert.rs` and `pre_tokenizers/bert.rs`; Devlin et al.'s
/// original `tokenization.py`) defines them.
///
/// The reference classifies categories with Unicode 8.0 tables (the `unicode_categories` crate):
/// a scalar assigned later counts as unassigned there, so it is neither control, punctuation nor
/// a nonspacing mark, and is kept as a letter would be. Duet reproduces that with
/// ``bertGeneralCategory`` instead of the newer tables Swift ships; checked over every scalar
/// against `tokenizers` 0.23.
extension Unicode.Scalar {
    /// The Unicode version whose general categories BERT tokenisation follows.
    static let bertUnicodeVersion = (major: 8, minor: 0)

    /// Scalars whose general category changed between Unicode 8.0 and the version Swift ships,
    /// with their 8.0 category.
    private static let categoriesChangedSinceUnicode8: [UInt32: Unicode.GeneralCategory] = [
        0x166D: .otherPunctuation,  // CANADIAN SYLLABICS CHI SIGN, So since 12.0
        0x1734: .nonspacingMark,  // HANUNOO SIGN PAMUDPOD, Mc since 14.0
        0x1885: .otherLetter, 0x1886: .otherLetter,  // MONGOLIAN LETTER ALI GALI BALUDA/THREE BALUDA, Mn since 9.0
        0xA9BD: .spacingMark,  // JAVANESE CONSONANT SIGN KERET, Mn since 12.0
        0x111C9: .otherPunctuation,  // SHARADA SANDHI MARK, Mn since 11.0
        0x1171E: .nonspacingMark,  // AHOM CONSONANT SIGN MEDIAL RA, Mc since 14.0
    ]

    /// Whether the scalar was assigned in the Unicode version BERT tokenisation follows.
    var isAssignedInBertUnicodeVersion: Bool {
        guard let age = properties.age else { return false }
        return (age.major, age.minor) <= Self.bertUnicodeVersion
    }

    /// The general category as of Unicode 8.0 (`.unassigned` for later scalars).
    var bertGeneralCategory: Unicode.GeneralCategory {
        if isASCII { return properties.generalCategory }
        guard isAssignedInBertUnicodeVersion else { return .unassigned }
        return Self.categoriesChangedSinceUnicode8[value] ?? properties.generalCategory
    }

    /// Whitespace for BERT: tab, newline, carriage return and every scalar with the Unicode
    /// `White_Space` property.
    var isBertWhitespace: Bool {
        switch value {
        case 0x09, 0x0A, 0x0D: return true
        default: return properties.isWhitespace
        }
    }

    /// Control for BERT: the general categories Cc, Cf, Co and Cs (not Cn: unassigned scalars
    /// are kept), except tab, newline and carriage return, which count as whitespace.
    var isBertControl: Bool {
        switch value {
        case 0x09, 0x0A, 0x0D: return false
        default:
            switch bertGeneralCategory {
            case .control, .format, .privateUse, .surrogate: return true
            default: return false
            }
        }
    }

    /// Punctuation for BERT: every ASCII punctuation character (including the ASCII symbols
    /// `$ + < = > ^ \` |` and `~`) and every scalar in a Unicode punctuation category
    /// (Pc, Pd, Ps, Pe, Pi, Pf, Po).
    var isBertPunctuation: Bool {
        switch value {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
        default:
            switch bertGeneralCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation:
                return true
            default: return false
            }
        }
    }

    /// A CJK ideograph in the blocks BERT surrounds with spaces (CJK Unified Ideographs and
    /// Extensions A–E, and the two compatibility blocks), not Hangul, kana or CJK punctuation.
    var isBertChineseCharacter: Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
            0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default: return false
        }
    }
}
