import Crypto
import Foundation

/// One SHA-256 over a wheelhouse's relative paths, modes and contents. Recorded on each instance
/// after a sync, so a re-run of `up` knows without an SSH round trip that nothing changed.
public enum WheelhouseDigest {
    public static func of(directory: String) throws -> String {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw OrchestratorError("cannot read the wheelhouse directory \(directory)",
                                    hint: "check the `wheelhouse.path` in the inventory")
        }
        var files: [(String, URL)] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
            files.append((relative, url))
        }
        var hasher = SHA256()
        for (relative, url) in files.sorted(by: { $0.0 < $1.0 }) {
            let mode = (try? FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? 0
            hasher.update(data: Data("\(relative)\u{0}\(mode)\u{0}".utf8))
            hasher.update(data: try Data(contentsOf: url, options: .alwaysMapped))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
