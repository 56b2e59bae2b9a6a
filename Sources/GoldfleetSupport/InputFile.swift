import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a text file a user named (a bundle, an inventory) without trusting what the path is.
///
/// The file is opened non-blocking and checked before anything is read, so a directory, a FIFO
/// (which would block until a writer appears) or a device such as `/dev/zero` (which never
/// ends) is refused by what it is; a file over `limit` is refused by its size, never read whole.
public enum InputFile {
    /// Why a path could not be read, said as the path and what it is.
    public struct Unreadable: UserFacingError, Equatable {
        public var path: String
        public var reason: String
        public var hint: String?
        public var message: String { "cannot read \(path): \(reason)" }
    }

    /// 10 MB: far more than any bundle or inventory a person writes.
    public static let defaultLimit = 10 * 1024 * 1024

    public static func readText(_ path: String, limit: Int = defaultLimit) throws(Unreadable) -> String {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            switch code {
            case ENOENT: throw Unreadable(path: path, reason: "no such file", hint: "check the path")
            case EACCES: throw Unreadable(path: path, reason: "permission denied", hint: "check the file's permissions")
            default: throw Unreadable(path: path, reason: String(cString: strerror(code)), hint: nil)
            }
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw Unreadable(path: path, reason: String(cString: strerror(errno)), hint: nil)
        }
        let kind = info.st_mode & 0o170_000
        guard kind == 0o100_000 else {
            let what: String
            switch kind {
            case 0o040_000: what = "it is a directory"
            case 0o010_000: what = "it is a named pipe (FIFO)"
            case 0o020_000: what = "it is a character device"
            case 0o060_000: what = "it is a block device"
            case 0o140_000: what = "it is a socket"
            default: what = "it is not a regular file"
            }
            throw Unreadable(path: path, reason: what, hint: "name a regular YAML file")
        }
        let tooLarge = Unreadable(path: path, reason: "it is larger than the limit of \(size(limit))",
                                  hint: "goldfleet reads files of at most \(size(limit)) here; is this the right file?")
        guard Int(info.st_size) <= limit else { throw tooLarge }
        // Read at most one byte past the limit: the file may grow after fstat.
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= limit {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Unreadable(path: path, reason: String(cString: strerror(errno)), hint: nil)
            }
            if count == 0 { break }
            bytes += buffer.prefix(count)
        }
        guard bytes.count <= limit else { throw tooLarge }
        let valid = validPrefixLength(bytes)
        guard valid == bytes.count else {
            throw Unreadable(path: path, reason: "it is not UTF-8 text (invalid byte at offset \(valid))",
                             hint: "save it as UTF-8")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `10 MB`, `512 KB`, `100 bytes`: a limit as people write it.
    public static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KB" }
        return "\(bytes) bytes"
    }

    /// How many leading bytes decode as UTF-8, for pointing at the first bad one.
    private static func validPrefixLength(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: return offset
            }
        }
    }
}
