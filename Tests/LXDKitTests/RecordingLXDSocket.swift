import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import LXDKit

/// A unix socket standing in for LXD's: it answers every HTTP request with one canned answer
/// and keeps each request's first line and body, so a test sees what the client sent.
final class RecordingLXDSocket: @unchecked Sendable {
    struct Request: Equatable {
        var line: String
        var body: String
    }

    let path: String
    private let listener: Int32
    private let lock = NSLock()
    private var seen: [Request] = []
    private let answer: [UInt8]

    var requests: [Request] { lock.withLock { seen } }

    init(status: Int, json: String) throws {
        // sun_path holds 108 bytes: a short name under /tmp.
        path = "/tmp/gf-lxd-\(UUID().uuidString.prefix(8)).socket"
        let reason = status == 200 ? "OK" : "Error"
        answer = Array("HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\nConnection: close\r\n\r\n\(json)".utf8)
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard listener >= 0, bound == 0, listen(listener, 8) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// Stops answering and removes the socket file.
    func close() {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
        unlink(path)
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            if let request = Self.read(client) { lock.withLock { seen.append(request) } }
            _ = answer.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            Glibc.close(client)
        }
    }

    /// One request: the header up to the blank line, then Content-Length bytes of body.
    private static func read(_ client: Int32) -> Request? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        func more() -> Bool {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(client, $0.baseAddress, $0.count) }
            if count > 0 { received += buffer[..<count] }
            return count > 0
        }
        var headerEnd: Int?
        while headerEnd == nil {
            guard more() else { return nil }
            headerEnd = received.indices.dropLast(3).first { received[$0..<$0 + 4].elementsEqual("\r\n\r\n".utf8) }
        }
        let header = String(decoding: received[..<headerEnd!], as: UTF8.self)
        let length = header.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        while received.count < headerEnd! + 4 + length, more() {}
        let line = String(header.split(separator: "\r\n").first ?? "")
        return Request(line: line, body: String(decoding: received[(headerEnd! + 4)...], as: UTF8.self))
    }
}
