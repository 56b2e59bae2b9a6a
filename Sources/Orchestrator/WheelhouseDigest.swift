import Crypto
import Foundation
import SSHKit

/// One SHA-256 over a wheelhouse's directories, relative paths, modes and contents, as the sync
/// copies them (the same `LocalTree` walk, so links and refusals are the same for both). Recorded
/// on each instance after a sync, so a re-run of `up` knows without an SSH round trip that
/// nothing changed.
public enum WheelhouseDigest {
    public static func of(directory: String) throws -> String {
        let tree: LocalTree
        do { tree = try LocalTree.scan(directory) } catch {
            throw OrchestratorError("cannot use the wheelhouse \(directory): \(error.message)",
                                    hint: error.hint ?? "check the `wheelhouse.path` in the inventory")
        }
        var hasher = SHA256()
        for entry in tree.directories {
            hasher.update(data: Data("d\u{0}\(entry.relativePath)\u{0}\(entry.mode)\u{0}".utf8))
        }
        for file in tree.files {
            hasher.update(data: Data("f\u{0}\(file.relativePath)\u{0}\(file.mode)\u{0}".utf8))
            let path = "\(directory)/\(file.relativePath)"
            do {
                // Through the link, as the sync reads it: a changed target changes the digest.
                hasher.update(data: try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped))
            } catch {
                throw OrchestratorError("cannot read the wheelhouse file \(path): \(error.localizedDescription)",
                                        hint: "check the `wheelhouse.path` in the inventory")
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
