import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files and directories under a local directory, as a sync sees them.
struct LocalTree: Sendable, Equatable {
    struct File: Sendable, Equatable {
        /// Path below the root with `/` separators.
        var relativePath: String
        var size: Int64
        /// Permission bits only.
        var mode: UInt32
    }

    struct Directory: Sendable, Equatable {
        var relativePath: String
        var mode: UInt32
    }

    var files: [File] = []
    /// Parents before children.
    var directories: [Directory] = []

    struct ScanError: Error {
        let path: String
        let reason: String
    }

    /// Walks `root`. Symbolic links to files are copied as files; other special files and the
    /// names the sync reserves for itself (`.goldfleet-*`) are skipped.
    static func scan(_ root: String) throws(ScanError) -> LocalTree {
        var info = stat()
        guard stat(root, &info) == 0 else { throw ScanError(path: root, reason: errnoText()) }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw ScanError(path: root, reason: "not a directory") }
        var tree = LocalTree()
        try walk(root: root, relative: "", into: &tree)
        tree.files.sort { $0.relativePath < $1.relativePath }
        tree.directories.sort { $0.relativePath < $1.relativePath }
        return tree
    }

    private static func walk(root: String, relative: String, into tree: inout LocalTree) throws(ScanError) {
        let directoryPath = relative.isEmpty ? root : "\(root)/\(relative)"
        guard let directory = opendir(directoryPath) else { throw ScanError(path: directoryPath, reason: errnoText()) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." || name.hasPrefix(".goldfleet-") { continue }
            names.append(name)
        }
        for name in names.sorted() {
            let childRelative = relative.isEmpty ? name : "\(relative)/\(name)"
            let childPath = "\(root)/\(childRelative)"
            var info = stat()
            guard lstat(childPath, &info) == 0 else { throw ScanError(path: childPath, reason: errnoText()) }
            if info.st_mode & S_IFMT == S_IFLNK {
                // Follow links to files only: a link to a directory could loop, a dangling one is nothing.
                var target = stat()
                guard stat(childPath, &target) == 0, target.st_mode & S_IFMT == S_IFREG else { continue }
                info = target
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                tree.files.append(File(relativePath: childRelative, size: Int64(info.st_size), mode: UInt32(info.st_mode & 0o7777)))
            case S_IFDIR:
                tree.directories.append(Directory(relativePath: childRelative, mode: UInt32(info.st_mode & 0o7777)))
                try walk(root: root, relative: childRelative, into: &tree)
            default:
                continue
            }
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
