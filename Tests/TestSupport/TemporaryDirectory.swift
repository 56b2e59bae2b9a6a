import Foundation

/// A fresh directory under /tmp, removed when the value goes away.
public final class TemporaryDirectory: Sendable {
    public let path: String
    public init() throws {
        path = NSTemporaryDirectory() + "gft-lxd-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
