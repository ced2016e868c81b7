import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A minimal RFC 6455 WebSocket client over a blocking loopback TCP socket, enough to speak Chrome's
/// DevTools protocol in tests: text frames out (masked, as clients must), text frames in (continuations
/// joined, pings answered). Every read waits at most until its deadline.
final class WebSocketConnection {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let socket: Int32

    init(port: Int, path: String, timeout: Duration) throws {
        let deadline = ContinuousClock.now + timeout
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(socket)
            throw Failure(description: "could not connect to 127.0.0.1:\(port) (errno \(errno))")
        }
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let request =
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try write(Array(request.utf8))
        var head: [UInt8] = []
        while !(head.count >= 4 && head.suffix(4) == [13, 10, 13, 10]) {
            head += try read(1, deadline: deadline)
            guard head.count < 16_384 else { throw Failure(description: "the WebSocket handshake answer is too long") }
        }
        let status = String(decoding: head, as: UTF8.self)
        guard status.hasPrefix("HTTP/1.1 101") else {
            throw Failure(description: "the WebSocket handshake failed: \(status.prefix(200))")
        }
    }

    deinit { Glibc.close(socket) }

    func send(_ text: String) throws { try sendFrame(opcode: 1, payload: Array(text.utf8)) }

    /// The next complete text message.
    func receive(deadline: ContinuousClock.Instant) throws -> String {
        var message: [UInt8] = []
        while true {
            let header = try read(2, deadline: deadline)
            let final = header[0] & 0x80 != 0
            let opcode = header[0] & 0x0F
            var length = UInt64(header[1] & 0x7F)
            if length == 126 {
                length = try read(2, deadline: deadline).reduce(0) { $0 << 8 | UInt64($1) }
            } else if length == 127 {
                length = try read(8, deadline: deadline).reduce(0) { $0 << 8 | UInt64($1) }
            }
            guard length <= 256 << 20 else { throw Failure(description: "a WebSocket frame of \(length) bytes is too large") }
            let mask = header[1] & 0x80 != 0 ? try read(4, deadline: deadline) : nil
            var payload = try read(Int(length), deadline: deadline)
            if let mask { for index in payload.indices { payload[index] ^= mask[index % 4] } }
            switch opcode {
            case 0, 1, 2:
                message += payload
                if final { return String(decoding: message, as: UTF8.self) }
            case 8:
                throw Failure(description: "the browser closed the DevTools connection")
            case 9:
                try sendFrame(opcode: 10, payload: payload)
            default:
                continue
            }
        }
    }

    private func sendFrame(opcode: UInt8, payload: [UInt8]) throws {
        var frame: [UInt8] = [0x80 | opcode]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame.append(0x80 | 126)
            frame += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            frame += (0..<8).reversed().map { UInt8((UInt64(payload.count) >> (8 * UInt64($0))) & 0xFF) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try write(frame)
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure(description: "sending to the browser failed (errno \(errno))") }
            offset += sent
        }
    }

    private func read(_ count: Int, deadline: ContinuousClock.Instant) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw Failure(description: "timed out waiting for the browser") }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1, 60_000))
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            let received = bytes[offset...].withUnsafeMutableBytes { Glibc.recv(socket, $0.baseAddress, $0.count, 0) }
            guard received > 0 else { throw Failure(description: "the browser closed the connection") }
            offset += received
        }
        return bytes
    }
}
