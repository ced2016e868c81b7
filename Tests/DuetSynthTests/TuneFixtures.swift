/// Small tune books written for these tests in the style of the music21 collections Duet reads
/// (not copied from them): so the reader's tests run without `make setup`.
enum TuneFixtures {
    /// Three songs like the Essen collection's: origin in `O:`, L:1/8 and 1/16, the third in free meter.
    static let folkSongs = #"""
    % fixture written for Duet's tests

    X:1
    T: Der kleine Testvogel
    N: fixture
    O: Europa, Mitteleuropa, Deutschland / Polen
    R: Liebeslied
    M: 3/4
    L: 1/8
    K: G
    D2 | G2 B2 d2 | c2 A2 F2 | G4 B2 | A4 D2 |
    G2 B2 d2 | e2 c2 A2 | G2 F2 A2 | G4 |

    X:2
    T: Testlied aus dem Osten
    O: China, Shaanxi, Testdorf
    M: 2/4
    L: 1/16
    K: C
    c4A2c2 | d4d4 | A3cd2g2 | c2A2G4 | G2E2D2C2 | D8 |

    X:3
    T: Ohne Takt
    O: Europa, Mitteleuropa, Luxemburg
    M: none
    L: 1/8
    K: F
    F2 A2 c4 | A2 F4 |
    """#

    /// A reel like those of Ryan's Mammoth Collection: pickup with a broken rhythm, line
    /// continuation, repeats with first and second endings, a triplet, decorations, grace notes, a
    /// chord symbol and a double stop.
    static let reel = #"""
    X: 1
    T: DUET'S TEST -- REEL
    B: fixture in the style of a fiddle tune book
    R: reel
    M: C|
    L: 1/8
    K: D
    uA>B \
    |: "D"d2 fd {e}dAFA | ~B2 (3cBA d2 dc |1 .d.e f>g a2 [fa]2 :|2 g2 e2 d4 |]
    """#
}
