import DuetData
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

    @Test func everyProgramAndKitTheComposerUsesExistsInTheSoundfont() throws {
        let renderer = try Self.renderer()
        for genre in Genre.allCases {
            for instrument in Instrument.allCases {
                for program in instrument.programs(in: genre) {
                    #expect(renderer.hasPreset(bank: 0, program: program), "no preset 0:\(program) for \(instrument)")
                }
            }
            for kit in genre.style.drumKits { #expect(renderer.hasPreset(bank: 128, program: kit), "no drum kit 128:\(kit) for \(genre)") }
        }
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
        #expect(categories["genre"]?["jazz"]?.contains("swing") == true)
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
