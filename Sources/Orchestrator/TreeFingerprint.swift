import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SSHKit

/// What `cycle --watch` compares between two polls of the charm directories: each file the sync
/// would copy (`LocalTree`'s walk), with its size, mode and modification time. Polling a few
/// stat calls every few hundred milliseconds is the simplest portable watcher, and sees every
/// kind of save (in place, write-and-rename, a file removed or added).
public struct TreeFingerprint: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var size: Int64
        var mode: UInt32
        var modified: Int64
    }

    /// "ROOT/relative path" → entry.
    var entries: [String: Entry] = [:]

    /// Walks every root; a tree the sync would refuse (a link leading outside, a FIFO) throws
    /// the same error the sync would.
    public static func of(_ roots: [String], excluding: (@Sendable (String) -> Bool)? = CharmFiles.isLeftOut) throws -> TreeFingerprint {
        var fingerprint = TreeFingerprint()
        for root in roots {
            for file in try LocalTree.scan(root, excluding: excluding).files {
                let path = "\(root)/\(file.relativePath)"
                var info = stat()
                guard stat(path, &info) == 0 else { continue }  // gone since the walk: the next poll sees it
                let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
                fingerprint.entries[path] = Entry(size: file.size, mode: file.mode, modified: modified)
            }
        }
        return fingerprint
    }

    /// The files added, changed or removed since `earlier`, sorted.
    public func changes(since earlier: TreeFingerprint) -> [String] {
        let paths = Set(entries.keys).union(earlier.entries.keys)
        return paths.filter { entries[$0] != earlier.entries[$0] }.sorted()
    }
}
