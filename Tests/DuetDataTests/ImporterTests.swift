import DuetData
import Foundation
import Testing

@Suite("Importers and CSV")
struct ImporterTests {
    /// Writes entries as a manifest, loads it back without audio checks, and compares.
    func roundTrip(_ entries: [ManifestEntry]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("manifest.jsonl")
        try Manifest.write(entries, to: url)
        let loaded = try Manifest.load(from: url, options: ManifestLoadOptions(checkAudio: false))
        #expect(loaded.entries == entries)
    }

    func temporaryFile(_ name: String, _ contents: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("duet-\(UUID().uuidString)-\(name)")
        try Data(contents.utf8).write(to: url)
        return url
    }

    @Test func csvReaderHandlesQuotingNewlinesAndBOM() throws {
        let text = "\u{FEFF}a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"two\nlines\",\r\n3,,\"\"\n"
        let records = try CSVReader.records(in: text)
        #expect(records.map(\.fields) == [["a", "b", "c"], ["1", "x, y", "say \"hi\""], ["2", "two\nlines", ""], ["3", "", ""]])
        #expect(records.map(\.line) == [1, 2, 3, 5])
        #expect(throws: CSVError(line: 2, message: "a quoted field is never closed")) { try CSVReader.records(in: "a\n\"open\n") }
        do {
            _ = try CSVReader.records(in: "a,b\n1,x\"y\n")
            Issue.record("a stray quote was accepted")
        } catch { #expect(error.line == 2) }
        do {
            _ = try CSVReader.records(in: "a,b\n1,\"x\"y\n")
            Issue.record("text after a closing quote was accepted")
        } catch { #expect(error.line == 2) }
    }

    @Test func mtgJamendoWithCRLFAndByteOrderMark() throws {
        let text = try String(contentsOf: Fixtures.url("mtg-jamendo.tsv"), encoding: .utf8)
        let crlf = try temporaryFile("crlf.tsv", "\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n"))
        defer { try? FileManager.default.removeItem(at: crlf) }
        let expected = try MTGJamendoImporter.entries(from: Fixtures.url("mtg-jamendo.tsv"))
        #expect(try MTGJamendoImporter.entries(from: crlf) == expected)
        #expect(!expected.isEmpty)
    }

    @Test func mtgJamendo() throws {
        let entries = try MTGJamendoImporter.entries(from: Fixtures.url("mtg-jamendo.tsv"), options: ImportOptions(audioRoot: "mtg/audio"))
        #expect(entries.count == 4)
        #expect(entries[1].id == "track_0000215")
        #expect(entries[1].audio == "mtg/audio/15/215.mp3")
        #expect(entries[1].tags == ["genre": ["metal", "rock"], "mood": ["energetic"], "instrument": ["electricguitar"]])
        #expect(entries[2].tags["instrument"] == ["piano", "doublebass"])
        #expect(entries[0].metadata?["duration"] == "124.6" && entries[0].split == .train)
        try roundTrip(entries)

        let bad = try temporaryFile("bad.tsv", "TRACK_ID\tARTIST_ID\tALBUM_ID\tPATH\tDURATION\tTAGS\nt1\ta\tb\tp.mp3\tlong\tgenre---rock\nt2\ta\tb\tq.mp3\t3.0\tstyle---x\nt1\ta\tb\tr.mp3\t1\n")
        do {
            _ = try MTGJamendoImporter.entries(from: bad)
            Issue.record("malformed rows were accepted")
        } catch let error as ImportError {
            #expect(error.problems.map(\.line) == [2, 3])
            #expect(error.problems[1].message.contains("style---x"))
        }
    }

    @Test func musicCaps() throws {
        let entries = try MusicCapsImporter.entries(from: Fixtures.url("musiccaps.csv"))
        #expect(entries.map(\.id) == ["-0Gj8-vB1q4", "-0SdAVK79lg", "-0vPFx-wRRI"])
        #expect(entries[0].start == 30 && entries[0].end == 40 && entries[0].split == .test)
        #expect(entries[0].audio == "audio/-0Gj8-vB1q4.wav")
        #expect(entries[1].tags["aspect"] == ["guitar song", "piano backing", "simple percussion", "relaxing melody", "slow tempo", "80's pop"])
        #expect(entries[1].captions?.first?.contains("\"relaxing\", with a slow tempo;\na piano") == true)
        #expect(entries[0].metadata?["is_audioset_eval"] == "true")
        try roundTrip(entries)

        let extra = try temporaryFile("extra.csv", "ytid,start_s,end_s,aspect_list,caption,mood\nx,0,10,[],hi,sad\n")
        #expect(throws: ImportError.self) { try MusicCapsImporter.entries(from: extra) }
        let allowed = try MusicCapsImporter.entries(from: extra, options: ImportOptions(allowExtraColumns: true))
        #expect(allowed.count == 1)
        let malformed = try temporaryFile("m.csv", "ytid,start_s,end_s,aspect_list,caption\nx,0,10,['a'],ok\ny,10,5,['a'],bad\nz,0,10,['a,ok\nw,0\n")
        do {
            _ = try MusicCapsImporter.entries(from: malformed)
            Issue.record("malformed rows were accepted")
        } catch let error as ImportError {
            #expect(error.problems.map(\.line) == [3, 4, 5], "\(error.problems)")
        }
        // Not-a-number and infinite times are named on their line, not left to a JSON encoding error.
        let notANumber = try temporaryFile("nan.csv", "ytid,start_s,end_s,aspect_list,caption\nx,nan,10,['a'],ok\ny,0,inf,['a'],ok\nz,-1,10,['a'],ok\n")
        do {
            _ = try MusicCapsImporter.entries(from: notANumber)
            Issue.record("non-finite times were accepted")
        } catch let error as ImportError {
            #expect(error.problems.map(\.line) == [2, 3, 4], "\(error.problems)")
            #expect(error.problems.first?.message.contains("nan") == true)
        }
    }

    @Test func songDescriberGroupsCaptionsPerTrack() throws {
        let entries = try SongDescriberImporter.entries(from: Fixtures.url("song-describer.csv"), options: ImportOptions(audioRoot: "sdd"))
        #expect(entries.map(\.id) == ["1051200", "1186021"])
        #expect(entries[0].captions?.count == 3)
        #expect(entries[0].captions?.first == "An instrumental, slow and melancholic piano piece with a \"rainy day\" feel.")
        #expect(entries[0].audio == "sdd/00/1051200.2min.mp3")
        #expect(entries[0].metadata?["caption_ids"] == "1,2,4")
        try roundTrip(entries)
        let valid = try SongDescriberImporter.entries(from: Fixtures.url("song-describer.csv"), validOnly: true)
        #expect(valid.map(\.id) == ["1051200"])
    }

    @Test func lpMusicCapsJSONAndCSV() throws {
        let vocabulary = TagVocabulary(name: "t", categories: ["genre": ["classical": [], "techno": []], "instrument": ["guitar": [], "strings": []]])
        let json = try LPMusicCapsImporter.entries(from: Fixtures.url("lp-musiccaps.json"), options: ImportOptions(vocabulary: vocabulary))
        #expect(json.map(\.id) == ["52794", "17092"])
        #expect(json[0].tags == ["genre": ["classical"], "instrument": ["guitar", "strings"], "tag": ["slow"]])
        #expect(json[0].captions?.count == 4 && json[1].captions?.count == 3)
        #expect(json[1].split == .test)
        try roundTrip(json)
        let csv = try LPMusicCapsImporter.entries(from: Fixtures.url("lp-musiccaps.csv"))
        #expect(csv.count == 2)
        #expect(csv[0].tags == ["tag": ["pop", "dance", "female vocalists"]])
        #expect(csv[1].metadata?["year"] == "1982")
        #expect(csv[0].audio == "A/A/G/TRAAAGR128F425B14B.mp3")
        try roundTrip(csv)
    }

    @Test func genericCSV() throws {
        var importer = GenericCSVImporter(idColumn: "file_id", audioColumn: "file")
        importer.tagColumns = ["genre": "genres", "mood": "moods", "instrument": "instruments"]
        importer.captionColumns = ["description"]
        importer.splitColumn = "subset"
        importer.metadataColumns = ["source"]
        let entries = try importer.entries(from: Fixtures.url("generic.csv"))
        #expect(entries.count == 3)
        #expect(entries[0].tags == ["genre": ["jazz", "blues"], "mood": ["calm"], "instrument": ["piano", "double bass"]])
        #expect(entries[1].captions == nil && entries[1].split == .valid)
        #expect(entries[2].tags.isEmpty && entries[2].metadata == ["source": "field"])
        try roundTrip(entries)
        var missing = importer
        missing.metadataColumns = []
        do {
            _ = try missing.entries(from: Fixtures.url("generic.csv"))
            Issue.record("an unused column was accepted")
        } catch let error as ImportError {
            #expect(error.problems.first?.line == 1 && error.problems.first?.message.contains("source") == true)
        }
    }
}
