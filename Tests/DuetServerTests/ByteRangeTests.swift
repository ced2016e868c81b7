import Testing

@testable import DuetServer

/// The `Range` header's meaning on its own, including the edges the route tests do not reach.
@Suite struct ByteRangeTests {
    @Test func emptyFilesHaveNoSatisfiableRange() {
        #expect(ByteRange(header: "bytes=0-", fileSize: 0) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=-10", fileSize: 0) == .unsatisfiable)
        #expect(ByteRange(header: nil, fileSize: 0) == .whole)
    }

    @Test func suffixLongerThanTheFileIsTheWholeFileAsARange() {
        #expect(ByteRange(header: "bytes=-500", fileSize: 100) == .partial(0...99))
    }

    @Test func hugeNumbersSaturateInsteadOfOverflowing() {
        #expect(ByteRange(header: "bytes=0-99999999999999999999999", fileSize: 100) == .partial(0...99))
        #expect(ByteRange(header: "bytes=99999999999999999999999-", fileSize: 100) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=-99999999999999999999999", fileSize: 100) == .partial(0...99))
    }

    @Test func signsAndSpacesInsideNumbersAreBadSyntax() {
        #expect(ByteRange(header: "bytes=+1-5", fileSize: 100) == .whole)
        #expect(ByteRange(header: "bytes=1 0-5", fileSize: 100) == .whole)
        #expect(ByteRange(header: "bytes=0x10-20", fileSize: 100) == .whole)
    }
}
