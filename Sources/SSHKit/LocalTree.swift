import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GoldfleetSupport

/// The files and directories under a local directory (the wheelhouse), as the sync copies them
/// and the wheelhouse digest hashes them: the one walk both use, so both see the same tree.
///
/// Rules: regular files and directories are taken; a symbolic link to a file inside the root is
/// taken as that file (its content and mode, under the link's name); the names the sync
/// reserves for itself (`.goldfleet-*`) are skipped. Everything else is refused, naming the
/// entry: a link that leads outside the root (it could hand out `~/.ssh/id_ed25519`), a link to
/// a directory or to nothing, a socket, FIFO or device, and a name that is not valid UTF-8
/// (shown with its bytes escaped).
public struct LocalTree: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        /// Path below the root with `/` separators.
        public var relativePath: String
        public var size: Int64
        /// Permission bits only.
        public var mode: UInt32
    }

    public struct Directory: Sendable, Equatable {
        public var relativePath: String
        public var mode: UInt32
    }

    public var files: [File] = []
    /// Parents before children.
    public var directories: [Directory] = []

    public struct ScanError: UserFacingError, Equatable {
        public let path: String
        public let reason: String
        /// What to do about it, when the entry itself is the problem (not the disk).
        var fix: String? = nil

        public var message: String { "wheelhouse entry \(path): \(reason)" }
        public var hint: String? { fix }
    }

    /// Names a caller leaves out of the tree (what is in a left-out directory too).
    public typealias Exclusion = @Sendable (_ name: String) -> Bool

    /// Walks `root`, leaving out the entries whose name `excluding` picks.
    public static func scan(_ root: String, excluding: Exclusion? = nil) throws(ScanError) -> LocalTree {
        var info = stat()
        guard stat(root, &info) == 0 else { throw ScanError(path: root, reason: errnoText()) }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw ScanError(path: root, reason: "not a directory") }
        guard let resolved = realpath(root, nil) else { throw ScanError(path: root, reason: errnoText()) }
        let realRoot = String(cString: resolved)
        free(resolved)
        var tree = LocalTree()
        try walk(root: root, realRoot: realRoot, relative: "", excluding: excluding, into: &tree)
        tree.files.sort { $0.relativePath < $1.relativePath }
        tree.directories.sort { $0.relativePath < $1.relativePath }
        return tree
    }

    private static func walk(root: String, realRoot: String, relative: String, excluding: Exclusion?, into tree: inout LocalTree) throws(ScanError) {
        let directoryPath = relative.isEmpty ? root : "\(root)/\(relative)"
        guard let directory = opendir(directoryPath) else { throw ScanError(path: directoryPath, reason: errnoText()) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                throw ScanError(path: "\(directoryPath)/\(escaped(bytes))",
                                reason: "the file name is not valid UTF-8, so it cannot be copied under the same name",
                                fix: "rename it to a UTF-8 name")
            }
            if name == "." || name == ".." || name.hasPrefix(".goldfleet-") || excluding?(name) == true { continue }
            names.append(name)
        }
        for name in names.sorted() {
            let childRelative = relative.isEmpty ? name : "\(relative)/\(name)"
            let childPath = "\(root)/\(childRelative)"
            var info = stat()
            guard lstat(childPath, &info) == 0 else { throw ScanError(path: childPath, reason: errnoText()) }
            if info.st_mode & S_IFMT == S_IFLNK {
                info = try linkedFile(childPath, realRoot: realRoot)
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                tree.files.append(File(relativePath: childRelative, size: Int64(info.st_size), mode: UInt32(info.st_mode & 0o7777)))
            case S_IFDIR:
                tree.directories.append(Directory(relativePath: childRelative, mode: UInt32(info.st_mode & 0o7777)))
                try walk(root: root, realRoot: realRoot, relative: childRelative, excluding: excluding, into: &tree)
            default:
                throw ScanError(path: childPath, reason: "is a \(kind(info.st_mode)), not a file or directory",
                                fix: "move it out of the wheelhouse")
            }
        }
    }

    /// A link is taken only when it resolves to a regular file inside the root.
    private static func linkedFile(_ path: String, realRoot: String) throws(ScanError) -> stat {
        let target = linkText(path)
        guard let resolved = realpath(path, nil) else {
            throw ScanError(path: path, reason: "is a symbolic link to \(target), which does not exist",
                            fix: "remove the link or restore its target")
        }
        let real = String(cString: resolved)
        free(resolved)
        guard real == realRoot || real.hasPrefix(realRoot + "/") else {
            throw ScanError(path: path, reason: "is a symbolic link to \(target), outside the wheelhouse \(realRoot); goldfleet does not copy files from outside it",
                            fix: "copy the file into the wheelhouse instead of linking to it")
        }
        var info = stat()
        guard stat(real, &info) == 0 else { throw ScanError(path: path, reason: errnoText()) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ScanError(path: path, reason: "is a symbolic link to \(target), a \(kind(info.st_mode)); only links to files are copied",
                            fix: "replace the link with the files it points to")
        }
        return info
    }

    private static func linkText(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBufferPointer { readlink(path, $0.baseAddress!, $0.count - 1) }
        guard count >= 0 else { return "?" }
        let bytes = buffer[0..<count].map { UInt8(bitPattern: $0) }
        return String(validating: bytes, as: UTF8.self) ?? escaped(bytes)
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "directory"
        case S_IFSOCK: "socket"
        case S_IFIFO: "FIFO (named pipe)"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        default: "special file"
        }
    }

    /// A name with its non-UTF-8 bytes (and control characters) as `\xNN`.
    static func escaped(_ bytes: [UInt8]) -> String {
        var text = ""
        var index = 0
        while index < bytes.count {
            // The longest valid UTF-8 sequence starting here, else one escaped byte.
            var taken = false
            for length in (1...4).reversed() where index + length <= bytes.count {
                if let piece = String(validating: bytes[index..<index + length], as: UTF8.self),
                   piece.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) {
                    text += piece
                    index += length
                    taken = true
                    break
                }
            }
            if !taken {
                text += "\\x" + String(bytes[index], radix: 16, uppercase: true).leftPadded(to: 2)
                index += 1
            }
        }
        return text
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
