import DuetSearch
import Testing

/// `duet worker --root CATALOGUE=LOCAL`: prefixes are mapped on whole path components, longest first.
@Suite("worker root mapping")
struct RootMappingTests {
    @Test func prefixesMapOnWholeComponents() throws {
        let mapping = try RootMapping(["/mnt/music=/srv/music", "/mnt/music/live=/data/live/"])
        #expect(mapping.local("/mnt/music/a/b.flac") == "/srv/music/a/b.flac")
        #expect(mapping.local("/mnt/music/live/x.wav") == "/data/live/x.wav", "the longest prefix wins")
        #expect(mapping.local("/mnt/musical/x.wav") == "/mnt/musical/x.wav", "not a component boundary")
        #expect(mapping.local("/elsewhere/x.wav") == "/elsewhere/x.wav")
        #expect(RootMapping().local("/mnt/music/a.flac") == "/mnt/music/a.flac")
    }

    @Test func badArgumentsAreRefused() {
        for argument in ["/mnt/music", "relative=/srv", "/mnt=relative", "=/srv"] {
            #expect(throws: SearchError.self, "\(argument)") { try RootMapping([argument]) }
        }
    }
}
