import CZlib
import Foundation

/// Reads a gzip file (RFC 1952) whole, through zlib's `inflate` (Debian's zlib1g-dev), as CLIP's
/// `bpe_simple_vocab_16e6.txt.gz` is shipped. One member is read; the stream must end cleanly.
enum GzipFile {
    /// The decompressed bytes of the file at `url`.
    /// - Throws: `TokenizerError.unreadableFile` when the file cannot be read, `.malformedFile` when it is
    ///   not gzip or is truncated or corrupt.
    static func contents(of url: URL) throws(TokenizerError) -> [UInt8] {
        let compressed: [UInt8]
        do {
            compressed = [UInt8](try Data(contentsOf: url))
        } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        guard compressed.count >= 18, compressed[0] == 0x1F, compressed[1] == 0x8B else {
            throw .malformedFile(path: url.path, reason: "not a gzip file (it does not start with the bytes 1f 8b)")
        }
        var stream = z_stream()
        // 15 window bits + 16: a gzip header and trailer, not a zlib one.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .malformedFile(path: url.path, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        var input = compressed
        input.withUnsafeMutableBufferPointer { input in
            stream.next_in = input.baseAddress
            stream.avail_in = uInt(input.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { chunk in
                    stream.next_out = chunk.baseAddress
                    stream.avail_out = uInt(chunk.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                }
            } while status == Z_OK
        }
        guard status == Z_STREAM_END else {
            let detail = stream.msg.map { String(cString: $0) } ?? "the compressed stream ends early"
            throw .malformedFile(path: url.path, reason: "corrupt gzip data (zlib: \(detail))")
        }
        return output
    }
}
