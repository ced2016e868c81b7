import Foundation
import Hummingbird

/// Streams an audio file the server chose (never a path from the request) with single-range support:
/// the body of the search server's track audio route and of the study server's clip audio route.
enum AudioFileResponse {
    /// - Parameters:
    ///   - file: the file to serve; a symbolic link is followed and the regular file it points to is served.
    ///   - missing: the error to answer when the file is gone or not a regular file.
    static func respond(
        file: URL, missing: APIError, request: Request, context: some RequestContext, fileIO: FileIO
    ) async throws -> Response {
        let regularFile = file.resolvingSymlinksInPath()
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: regularFile.path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let size = (attributes[.size] as? NSNumber)?.intValue
        else { throw missing }
        var headers: HTTPFields = [.contentType: AudioContentType.of(file), .acceptRanges: "bytes", .cacheControl: "no-cache"]
        // A conditional range (If-Range) is answered with the whole file: without validators the server cannot
        // tell whether the client's copy is current, and the whole file is always correct.
        let rangeHeader = request.headers[.ifRange] == nil ? request.headers[.range] : nil
        switch ByteRange(header: rangeHeader, fileSize: size) {
        case .whole:
            headers[.contentLength] = String(size)
            let body = size == 0 ? ResponseBody() : try await fileIO.loadFile(path: regularFile.path, range: 0...(size - 1), context: context)
            return Response(status: .ok, headers: headers, body: body)
        case .partial(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            headers[.contentLength] = String(range.count)
            let body = try await fileIO.loadFile(path: regularFile.path, range: range, context: context)
            return Response(status: .partialContent, headers: headers, body: body)
        case .unsatisfiable:
            throw APIError(
                .rangeNotSatisfiable, "the range '\(QueryParameters.clip(rangeHeader ?? ""))' is outside the file's \(size) bytes",
                headers: [.contentRange: "bytes */\(size)", .acceptRanges: "bytes"])
        }
    }
}
