import DuetRandom

/// General MIDI percussion keys (channel 10).
enum DrumKey {
    static let kick = 36, sideStick = 37, snare = 38, clap = 39, closedHat = 42, pedalHat = 44, openHat = 46
    static let lowTom = 45, midTom = 47, highTom = 50, crash = 49, ride = 51, rideBell = 53, tambourine = 54
    static let highBongo = 60, lowBongo = 61, muteConga = 62, openConga = 63, lowConga = 64
    static let cabasa = 69, maracas = 70, claves = 75
    static let highTimbale = 65, lowTimbale = 66, highAgogo = 67, cowbell = 56, shaker = 82, splash = 55
}

extension Composer {
    /// One bar of a groove: for each drum key a step pattern (16 sixteenths in 4/4, 12 in 3/4).
    /// Step symbols: `X` accent, `x` normal, `o` soft, `g` ghost, `.` rest.
    typealias DrumBar = [(key: Int, steps: String)]

    /// The idiomatic bar patterns of a style; busy variants are used for energetic, dense moods.
    func drumPatterns(_ style: DrumStyle, busy: Bool) -> [DrumBar] {
        if beatsPerBar == 3 {
            let top = style == .jazzRide ? DrumKey.ride : DrumKey.closedHat
            return [[(DrumKey.kick, "x..........."), (DrumKey.sideStick, "....o...o..."), (top, "x.o.x.o.x.o.")]]
        }
        switch style {
        case .rockBeat:
            return [
                [(DrumKey.kick, "x.......x.x....."), (DrumKey.snare, "....X.......X..."), (DrumKey.closedHat, busy ? "xoxoxoxoxoxoxoxo" : "x.x.x.x.x.x.x.x.")],
                [(DrumKey.kick, "x......xx.x....."), (DrumKey.snare, "....X.......X..."), (DrumKey.closedHat, "x.x.x.x.x.x.x.x.")],
            ]
        case .metalDoubleKick:
            return [
                [(DrumKey.kick, busy ? "xxxxxxxxxxxxxxxx" : "x.x.x.x.x.x.x.x."), (DrumKey.snare, "....X.......X..."), (DrumKey.crash, "x...o...x...o..."), (DrumKey.ride, "..x...x...x...x.")],
                [(DrumKey.kick, "xx.xxx.xxx.xxx.x"), (DrumKey.snare, "....X.......X..."), (DrumKey.ride, "x.x.x.x.x.x.x.x.")],
            ]
        case .popBeat:
            return [
                [(DrumKey.kick, "x.....x.x......."), (DrumKey.snare, "....X.......X..."), (DrumKey.clap, "....x.......x..."), (DrumKey.closedHat, busy ? "xoxoxoxoxoxoxoxo" : "x.x.x.x.x.x.x.x.")],
                [(DrumKey.kick, "x...x...x...x..."), (DrumKey.clap, "....X.......X..."), (DrumKey.closedHat, "x.x.x.x.x.x.x.x."), (DrumKey.openHat, "..............o.")],
            ]
        case .funkSixteenths:
            return [
                [(DrumKey.kick, "x..x..x...x..x.."), (DrumKey.snare, "....X..g.g..X..g"), (DrumKey.closedHat, "XoxoXoxoXoxoXoxo")],
                [(DrumKey.kick, "x.x...x..x.x...."), (DrumKey.snare, "....X.g..g..X.g."), (DrumKey.closedHat, "XoxoXoxoXoxoXo.."), (DrumKey.openHat, "..............x.")],
            ]
        case .jazzRide:
            return [
                [(DrumKey.ride, "x...x.ox....x.ox"), (DrumKey.pedalHat, "....x.......x..."), (DrumKey.kick, "g...g...g...g..."), (DrumKey.snare, "......g.......g.")],
                [(DrumKey.ride, "x...x.ox....x.ox"), (DrumKey.pedalHat, "....x.......x..."), (DrumKey.snare, "..g.....g.g....."), (DrumKey.kick, "g.......g.......")],
            ]
        case .bluesShuffle:
            return [
                [(DrumKey.kick, "x.......x......."), (DrumKey.snare, "....X.......X..."), (DrumKey.closedHat, "x.o.x.o.x.o.x.o.")],
                [(DrumKey.kick, "x.....x.x......."), (DrumKey.snare, "....X.......X..g"), (DrumKey.ride, "x.o.x.o.x.o.x.o.")],
            ]
        case .fourOnTheFloor:
            return [
                [(DrumKey.kick, "X...X...X...X..."), (DrumKey.clap, "....x.......x..."), (DrumKey.openHat, "..x...x...x...x."), (DrumKey.closedHat, busy ? "o.o.o.o.o.o.o.o." : "................")],
                [(DrumKey.kick, "X...X...X...X..."), (DrumKey.snare, "....x.......x..."), (DrumKey.closedHat, "oxoxoxoxoxoxoxox")],
            ]
        case .boomBap:
            return [
                [(DrumKey.kick, "x......x..x....."), (DrumKey.snare, "....X.......X..."), (DrumKey.closedHat, "x.x.x.x.x.x.x.x.")],
                [(DrumKey.kick, "x.....x...x.x..."), (DrumKey.snare, "....X.......X..."), (DrumKey.closedHat, "xoxoxoxoxoxoxoxo")],
            ]
        case .oneDrop:
            return [
                [(DrumKey.kick, "........X......."), (DrumKey.sideStick, "........X......."), (DrumKey.closedHat, "x.o.x.o.x.o.x.o.")],
                [(DrumKey.kick, "........X......."), (DrumKey.sideStick, "........X......."), (DrumKey.closedHat, "x.x.x.x.x.x.x.x."), (DrumKey.openHat, "......o.......o.")],
            ]
        case .latinClave:
            return [
                [(DrumKey.claves, "x..x..x...x.x..."), (DrumKey.kick, "x..x..x.x..x..x."), (DrumKey.maracas, "xoooxoooxoooxooo"), (DrumKey.muteConga, "....x.......x..."), (DrumKey.openConga, "......xx......xx")],
                [(DrumKey.sideStick, "x..x..x...x.x..."), (DrumKey.kick, "x..x....x..x...."), (DrumKey.cabasa, "xoxoxoxoxoxoxoxo"), (DrumKey.highBongo, "x.ox..x.x.ox..x.")],
            ]
        case .trainBeat:
            return [
                [(DrumKey.kick, "x.......x......."), (DrumKey.snare, "g.gXg.g.g.gXg.g."), (DrumKey.closedHat, "................")],
                [(DrumKey.kick, "x.......x......."), (DrumKey.snare, "....X.......X..."), (DrumKey.closedHat, "x.x.x.x.x.x.x.x.")],
            ]
        case .folkTambourine:
            return [
                [(DrumKey.kick, "x.......x......."), (DrumKey.tambourine, "....x.......x..."), (DrumKey.sideStick, "................")],
                [(DrumKey.kick, "x.....x.x......."), (DrumKey.tambourine, "x.o.x.o.x.o.x.o.")],
            ]
        case .punkBeat:
            return [
                [(DrumKey.kick, "x...x...x...x..."), (DrumKey.snare, "..X...X...X...X."), (DrumKey.crash, "x...............") , (DrumKey.closedHat, "x.x.x.x.x.x.x.x.")],
                [(DrumKey.kick, "x.x...x.x.x...x."), (DrumKey.snare, "....X.......X..."), (DrumKey.ride, "x.x.x.x.x.x.x.x.")],
            ]
        case .discoBeat:
            return [
                [(DrumKey.kick, "X...X...X...X..."), (DrumKey.snare, "....x.......x..."), (DrumKey.openHat, "..x...x...x...x."), (DrumKey.closedHat, "x...x...x...x...")],
                [(DrumKey.kick, "X...X...X...X..."), (DrumKey.clap, "....x.......x..."), (DrumKey.openHat, "..X...X...X...X."), (DrumKey.tambourine, "xoxoxoxoxoxoxoxo")],
            ]
        case .breakbeat:
            return [
                [(DrumKey.kick, "x.........x....."), (DrumKey.snare, "....X..g.g..X..."), (DrumKey.closedHat, "xoxoxoxoxoxoxoxo")],
                [(DrumKey.kick, "x.x.......x....."), (DrumKey.snare, "....X.......X.g."), (DrumKey.ride, "x.x.x.x.x.x.x.x.")],
            ]
        case .trapHats:
            return [
                [(DrumKey.kick, "x......x..x....."), (DrumKey.clap, "........X......."), (DrumKey.closedHat, busy ? "xxxxxxxxxoxoxxxx" : "x.x.x.x.xxx.x.x.")],
                [(DrumKey.kick, "x.....x...x..x.."), (DrumKey.clap, "........X......."), (DrumKey.closedHat, "x.x.xxx.x.x.xxxx"), (DrumKey.openHat, "..............o.")],
            ]
        case .halfTime:
            return [
                [(DrumKey.kick, "x.........x....."), (DrumKey.snare, "........X......."), (DrumKey.closedHat, "x.o.x.o.x.o.x.o.")],
                [(DrumKey.kick, "x..x......x..x.."), (DrumKey.snare, "........X......."), (DrumKey.closedHat, "x.x.x.x.x.x.x.x.")],
            ]
        case .marchSnare:
            return [
                [(DrumKey.kick, "x.......x......."), (DrumKey.snare, "x.xxx.x.x.xxx.x."), (DrumKey.crash, "....x.......x...")],
                [(DrumKey.kick, "x...x...x...x..."), (DrumKey.snare, "xgxgx.x.xgxgx.x.")],
            ]
        case .polkaBeat:
            return [
                [(DrumKey.kick, "x.......x......."), (DrumKey.snare, "....x.......x..."), (DrumKey.closedHat, "....x.......x...")],
                [(DrumKey.kick, "x.......x......."), (DrumKey.snare, "....x.x.....x.x.")],
            ]
        case .bossaNova:
            return [
                [(DrumKey.kick, "x..xx..xx..xx..x"), (DrumKey.sideStick, "x..x..x...x..x.."), (DrumKey.closedHat, "x.x.x.x.x.x.x.x.")],
                [(DrumKey.kick, "x..xx..xx..xx..x"), (DrumKey.sideStick, "..x..x...x..x..."), (DrumKey.shaker, "xoxoxoxoxoxoxoxo")],
            ]
        case .afrobeat:
            return [
                [(DrumKey.kick, "x.....x...x....."), (DrumKey.snare, "..g.x..g..g.x.g."), (DrumKey.closedHat, "xoxoxoxoxoxoxoxo"), (DrumKey.cowbell, "x.x.xx.x.x.xx.x.")],
                [(DrumKey.kick, "x.......x.x....."), (DrumKey.snare, "....x.g.....x.g."), (DrumKey.openHat, "..x...x...x...x."), (DrumKey.shaker, "xoxoxoxoxoxoxoxo")],
            ]
        case .skaBeat:
            return [
                [(DrumKey.kick, "x.......x......."), (DrumKey.snare, "....X.......X..."), (DrumKey.closedHat, "..x...x...x...x.")],
                [(DrumKey.kick, "x...x...x...x..."), (DrumKey.sideStick, "....x.......x..."), (DrumKey.openHat, "..x...x...x...x.")],
            ]
        case .handDrums:
            return [
                [(DrumKey.lowConga, "x.....x...x....."), (DrumKey.highBongo, "..x.x...x.x.x.x."), (DrumKey.muteConga, "....x.......x..."), (DrumKey.shaker, "o.o.o.o.o.o.o.o.")],
                [(DrumKey.lowConga, "x..x..x.x......."), (DrumKey.lowBongo, "..x...x...x...x."), (DrumKey.highBongo, "x...x..xx...x..x")],
            ]
        case .clapping:
            return [
                [(DrumKey.clap, "X..x..X..x..X.x."), (DrumKey.kick, "x.........x.....")],
                [(DrumKey.clap, "..X..X...X.X.X.."), (DrumKey.claves, "x.....x.....x...")],
            ]
        case .ambientPulse:
            return [
                [(DrumKey.kick, "x.......x......."), (DrumKey.maracas, "..o...o...o...o."), (DrumKey.rideBell, "x...............")],
                [(DrumKey.kick, "x..............."), (DrumKey.closedHat, "o.o.o.o.o.o.o.o.")],
            ]
        }
    }

    /// The drum part: the genre's groove, a crash on the first downbeat, and a fill before every fourth bar line.
    mutating func drumPart() -> [NoteEvent] {
        let drumStyle = style.drumStyle ?? harmonyStyle.drumStyle ?? .ambientPulse
        let busy = mood.density > 1.2
        let patterns = drumPatterns(drumStyle, busy: busy)
        let main = generator.pick(patterns)
        let alternate = generator.chance(0.4) ? generator.pick(patterns) : main
        let stepsPerBar = beatsPerBar * 4
        let bars = Int((totalBeats / Double(beatsPerBar)).rounded(.up))
        let fillsAllowed = ![.jazzRide, .oneDrop, .ambientPulse, .latinClave, .handDrums, .clapping, .bossaNova, .trapHats].contains(drumStyle) || busy
        var notes: [NoteEvent] = []
        for bar in 0..<bars {
            let barStart = Double(bar * beatsPerBar)
            let pattern = bar % 2 == 1 ? alternate : main
            let isFillBar = fillsAllowed && bar % 4 == 3
            for (key, steps) in pattern {
                for (step, symbol) in steps.enumerated() where step < stepsPerBar {
                    if isFillBar && step >= stepsPerBar - 4 { continue }
                    guard let level = Composer.level(of: symbol) else { continue }
                    notes.append(note(atBeat: barStart + Double(step) / 4, length: 0.25, key: key, level: level))
                }
            }
            if isFillBar {
                let toms = generator.chance(0.5) ? [DrumKey.highTom, DrumKey.highTom, DrumKey.midTom, DrumKey.lowTom] : [DrumKey.snare, DrumKey.snare, DrumKey.snare, DrumKey.snare]
                for (index, key) in toms.enumerated() {
                    notes.append(note(atBeat: barStart + Double(stepsPerBar - 4 + index) / 4, length: 0.25, key: key, level: 0.8 + 0.08 * Double(index)))
                }
            }
            if bar == 0 || (isFillBar == false && bar % 4 == 0 && fillsAllowed) {
                if ![.ambientPulse, .jazzRide, .handDrums, .clapping, .bossaNova].contains(drumStyle) {
                    notes.append(note(atBeat: barStart, length: 1, key: DrumKey.crash, level: 0.9))
                }
            }
        }
        return notes
    }

    static func level(of symbol: Character) -> Double? {
        switch symbol {
        case "X": 1.1
        case "x": 0.9
        case "o": 0.65
        case "g": 0.35
        default: nil
        }
    }
}
