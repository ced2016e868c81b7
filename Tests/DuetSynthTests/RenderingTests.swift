import DuetData
import DuetRandom
import Foundation
import Testing
@testable import DuetSynth

/// Rendering through FluidSynth: determinism, spectral sanity, presets, errors. Renders only a
/// few clips of one to three seconds.
@Suite(.serialized) struct RenderingTests {
    static let sampleRate = 16000

    static func renderer() throws -> FluidRenderer {
        do {
            return try FluidRenderer(sampleRate: sampleRate)
        } catch {
            Issue.record("FluidSynth or the soundfont is missing (\(error.localizedDescription)); run `make setup`")
            throw error
        }
    }

    static func bassAndKick(duration: Double) -> Arrangement {
        let tags = ClipTags(genres: [.hipHop], moods: [.dark], instruments: [.drums, .bass])
        let kicks = stride(from: 0.0, to: duration - 0.3, by: 0.5).map { NoteEvent(start: $0, duration: 0.2, key: 36, velocity: 110) }
        let bass = stride(from: 0.0, to: duration - 0.3, by: 1.0).map { NoteEvent(start: $0, duration: 0.9, key: 33, velocity: 105) }
        return Arrangement(
            tags: tags, tempo: 120, beatsPerBar: 4, tonic: 9, mode: .minor, swing: 0.5, dynamics: 0.7, duration: duration,
            progression: Progression("i"),
            tracks: [
                Track(instrument: .drums, role: .rhythm, channel: 9, bank: 128, program: 0, volume: 100, pan: 64, reverbSend: 0, notes: kicks),
                Track(instrument: .bass, role: .bass, channel: 0, bank: 0, program: 38, volume: 100, pan: 64, reverbSend: 0, notes: bass),
            ])
    }

    @Test func sameArrangementRendersToIdenticalSamplesWhateverCameBefore() throws {
        let renderer = try Self.renderer()
        let tags = ClipTags(genres: [.rock], moods: [.energetic], instruments: [.drums, .bass, .distortedGuitar, .organ])
        let first = Composer.compose(tags, seed: 1, duration: 2)
        let other = Composer.compose(ClipTags(genres: [.ambient], moods: [.calm], instruments: [.synthPad, .piano]), seed: 2, duration: 2)
        let alone = try renderer.render(first)
        let aloneStereo = try renderer.renderStereo(first)
        _ = try renderer.render(other)
        let afterOther = try renderer.render(first)
        _ = try renderer.render(other)
        let afterOtherStereo = try renderer.renderStereo(first)
        let firstStereoDifference = zip(aloneStereo.left, afterOtherStereo.left).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1
        let rawIdentical = aloneStereo.left == afterOtherStereo.left
        #expect(rawIdentical, "raw output differs from frame \(firstStereoDifference)")
        let fresh = try Self.renderer().render(first)
        let afterOtherIdentical = alone == afterOther
        let freshIdentical = alone == fresh
        let firstDifference = zip(alone, afterOther).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1
        #expect(afterOtherIdentical, "largest difference after another clip \(zip(alone, afterOther).map { abs($0 - $1) }.max() ?? 0), first differing frame \(firstDifference)")
        #expect(freshIdentical, "largest difference to a fresh synth \(zip(alone, fresh).map { abs($0 - $1) }.max() ?? 0)")
        #expect(alone.count == 2 * Self.sampleRate)
        #expect((alone.map(abs).max() ?? 0) > 0.1 && (alone.map(abs).max() ?? 0) <= 0.97 + 1e-6)
    }

    @Test func bassAndKickOnlyHaveTheirEnergyLow() throws {
        let samples = try Self.renderer().render(Self.bassAndKick(duration: 2))
        let low = BandEnergy.share(samples, sampleRate: Self.sampleRate, from: 0, to: 300)
        #expect(low > 0.85, "share of energy below 300 Hz is \(low)")
    }

    @Test func aFluteClipHasEnergyWhereTheFlutePlays() throws {
        let tags = ClipTags(genres: [.folk], moods: [.calm], instruments: [.bass, .flute, .acousticGuitar])
        let arrangement = Composer.compose(tags, seed: 5, duration: 3)
        let flute = try #require(arrangement.tracks.first { $0.instrument == .flute })
        let keys = flute.notes.map(\.key)
        let lowest = 440 * pow(2, Double((keys.min() ?? 72) - 69) / 12)
        let highest = 440 * pow(2, Double((keys.max() ?? 84) - 69) / 12)
        var muted = arrangement
        muted.tracks.removeAll { $0.instrument == .flute }
        let renderer = try Self.renderer()
        let (withLeft, withRight) = try renderer.renderStereo(arrangement)
        let (withoutLeft, withoutRight) = try renderer.renderStereo(muted)
        let with = zip(withLeft, withRight).map { 0.5 * ($0 + $1) }
        let without = zip(withoutLeft, withoutRight).map { 0.5 * ($0 + $1) }
        let band = (lowest * 0.95, highest * 1.05)
        let gain = BandEnergy.energy(with, sampleRate: Self.sampleRate, from: band.0, to: band.1)
            / max(1e-12, BandEnergy.energy(without, sampleRate: Self.sampleRate, from: band.0, to: band.1))
        #expect(gain > 3, "the flute raises energy in its band \(Int(band.0))-\(Int(band.1)) Hz only by a factor \(gain)")
        let fluteAlone = zip(withLeft, withRight).map { 0.5 * ($0 + $1) }
        _ = fluteAlone
    }

    /// Each tagged instrument must be heard: muting it changes the mix by a clear share of its
    /// energy (residual energy / mix energy above -22 dB; measured range -1 to -17 dB).
    @Test func everyTaggedInstrumentIsAudibleInTheMix() throws {
        let renderer = try Self.renderer()
        let plan = CorpusPlan(count: 10, seed: 78)
        var quietest = (label: "", decibels: 0.0)
        for item in plan.items {
            let arrangement = Composer.compose(item.tags, seed: item.compositionSeed, duration: 3)
            let full = try renderer.renderStereo(arrangement)
            let mix = zip(full.left, full.right).map { Double($0 + $1) / 2 }
            let mixEnergy = mix.map { $0 * $0 }.reduce(0, +)
            for track in arrangement.tracks {
                var muted = arrangement
                muted.tracks.removeAll { $0.instrument == track.instrument }
                let rest = try renderer.renderStereo(muted)
                let residual = zip(mix, zip(rest.left, rest.right).map { Double($0 + $1) / 2 }).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
                let decibels = 10 * log10(max(1e-20, residual) / mixEnergy)
                if decibels < quietest.decibels { quietest = ("item \(item.id) \(track.instrument.rawValue) (\(track.role.rawValue))", decibels) }
                #expect(decibels > -22, "item \(item.id): \(track.instrument.rawValue) contributes only \(decibels) dB of the mix")
            }
        }
        #expect(quietest.decibels < 0, "quietest part: \(quietest.label) at \(quietest.decibels) dB")
    }

    @Test func everyProgramAndKitTheComposerUsesExistsInEverySoundfont() throws {
        for url in SoundFonts.training + [SoundFonts.heldOut] {
            let renderer = try FluidRenderer(soundFont: url, sampleRate: 16000)
            let name = url.lastPathComponent
            for genre in Genre.allCases {
                for instrument in Instrument.allCases {
                    for program in instrument.programs(in: genre) {
                        #expect(renderer.hasPreset(bank: 0, program: program), "\(name): no preset 0:\(program) for \(instrument)")
                    }
                }
                // The held-out OPL-3 font has only the standard kit, which stands in for every kit.
                for kit in url == SoundFonts.heldOut ? [0] : genre.style.drumKits + [24, 25] {
                    #expect(renderer.hasPreset(bank: 128, program: kit), "\(name): no drum kit 128:\(kit) for \(genre)")
                }
            }
        }
    }

    @Test func augmentationIsSeededAndKeepsTheClipAudible() throws {
        var generator = SeededGenerator(seed: 4)
        let augmentation = AudioAugmentation.random(using: &generator)
        var again = SeededGenerator(seed: 4)
        #expect(AudioAugmentation.random(using: &again) == augmentation)
        #expect((0.96...1.04).contains(augmentation.speed) && abs(augmentation.tilt) <= 0.35)
        let renderer = try Self.renderer()
        let item = CorpusPlan(count: 3, seed: 12).items[0]
        let arrangement = Composer.compose(item.tags, seed: item.compositionSeed, duration: 2)
        let plain = try renderer.render(arrangement)
        let first = try renderer.render(arrangement, augmentation: augmentation)
        let second = try renderer.render(arrangement, augmentation: augmentation)
        #expect(first == second)
        #expect(first != plain)
        let rms = { (samples: [Float]) in (samples.map { Double($0 * $0) }.reduce(0, +) / Double(samples.count)).squareRoot() }
        // Gain within ±3 dB plus noise; the clip stays at its mood's level to within 4.5 dB.
        let ratio = 20 * log10(rms(first) / rms(plain))
        #expect(abs(ratio) < 4.5, "augmented level differs by \(ratio) dB")
        #expect(first.allSatisfy { abs($0) <= 0.97 })
    }

    @Test func missingSoundfontNamesMakeSetup() {
        do {
            _ = try FluidRenderer(soundFont: URL(fileURLWithPath: "/nonexistent/FluidR3_GM.sf2"), sampleRate: 16000)
            Issue.record("no error for a missing soundfont")
        } catch {
            #expect(error.localizedDescription.contains("make setup"), "\(error.localizedDescription)")
        }
    }

    @Test func corpusIsByteIdenticalForTheSameSeed() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("duet-synth-test-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: base) }
        var outputs: [[String: Data]] = []
        for run in 0..<2 {
            let directory = base.appendingPathComponent("run\(run)")
            let summary = try CorpusWriter.write(.init(count: 4, seed: 9, seconds: 1.5, directory: directory)) { _, _ in }
            #expect(summary.entries.count == 4)
            var files: [String: Data] = [:]
            for name in ["manifest.jsonl", "vocabulary.json"] + summary.entries.map(\.audio) {
                files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
            }
            outputs.append(files)
        }
        #expect(outputs[0].keys.sorted() == outputs[1].keys.sorted())
        for (name, data) in outputs[0] { #expect(outputs[1][name] == data, "\(name) differs between two runs with the same seed") }
        let manifest = String(decoding: outputs[0]["manifest.jsonl"] ?? Data(), as: UTF8.self)
        let entries = try manifest.split(separator: "\n").map { try JSONDecoder().decode(ManifestEntry.self, from: Data($0.utf8)) }
        #expect(entries.count == 4)
        for entry in entries { #expect(!entry.audio.contains(entry.tags["genre"]?.first ?? "?"), "tag in file name \(entry.audio)") }
        let wave = outputs[0][entries[0].audio] ?? Data()
        #expect(wave.count == 44 + 2 * 24000, "WAV size \(wave.count)")
    }

    @Test func vocabularyHasTheAgreedShape() throws {
        let data = try SynthVocabulary.standard.encoded()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["name"] as? String == "duet-synth")
        let categories = try #require(object["categories"] as? [String: [String: [String]]])
        #expect(Set(categories["genre"]?.keys ?? [:].keys) == Set(Genre.allCases.map(\.rawValue)))
        #expect(Set(categories["mood"]?.keys ?? [:].keys) == Set(Mood.allCases.map(\.rawValue)))
        #expect(Set(categories["instrument"]?.keys ?? [:].keys) == Set(Instrument.allCases.map(\.rawValue)))
        #expect(categories["genre"]?["jazz"]?.contains("bebop") == true)
        #expect(Genre.allCases.count >= 40 && Mood.allCases.count >= 30)
        #expect(categories["instrument"]?["accordion"]?.contains("squeezebox") == true)
    }

    @Test func vocabularyLoadsAsTagVocabularyWithoutConflicts() throws {
        let vocabulary = try JSONDecoder().decode(TagVocabulary.self, from: try SynthVocabulary.standard.encoded())
        #expect(vocabulary.problems().isEmpty, "\(vocabulary.problems())")
        #expect(vocabulary.canonical("hiphop", in: "genre") == "hip hop")
        #expect(vocabulary.canonical("vibes", in: "instrument") == "vibraphone")
        #expect(vocabulary.canonical("Hip-Hop", in: "genre") == "hip hop")
    }

    @Test func waveHeaderIsPlainMono16Bit() {
        let data = WaveFile.encode([0, 0.5, -1, 1], sampleRate: 16000)
        #expect(data.count == 44 + 8)
        #expect(String(decoding: data.prefix(4), as: UTF8.self) == "RIFF")
        #expect(String(decoding: data[36..<40], as: UTF8.self) == "data")
        let samples = data[44...].withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        #expect(samples == [0, 16384, -32767, 32767])
    }
}
