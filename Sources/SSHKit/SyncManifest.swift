import Foundation

/// What a sync left on the remote side, stored there as JSON next to the files
/// (`REMOTE/.goldfleet-manifest.json`), so the next sync can skip what is already there.
public struct SyncManifest: Codable, Equatable, Sendable {
    struct Entry: Codable, Equatable, Sendable {
        /// Lowercase hex SHA-256 of the content.
        var sha256: String
        var size: Int64
        /// Permission bits (e.g. 0o755), stored as a decimal number.
        var mode: UInt32
    }

    public static let fileName = ".goldfleet-manifest.json"
    static let currentVersion = 1

    var version: Int = SyncManifest.currentVersion
    /// Relative path ("dir/file.whl") → entry.
    var files: [String: Entry] = [:]
    /// Relative directory paths we created, so they can be removed when they disappear locally.
    var directories: [String] = []

    static let empty = SyncManifest()

    /// Parses a manifest; anything unreadable (corrupt, truncated, another version) counts as
    /// empty, which only costs a full resync.
    static func decode(_ bytes: [UInt8]) -> SyncManifest {
        guard let manifest = try? JSONDecoder().decode(SyncManifest.self, from: Data(bytes)),
              manifest.version == currentVersion else { return .empty }
        return manifest
    }

    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? [UInt8](encoder.encode(self))) ?? []
    }
}
