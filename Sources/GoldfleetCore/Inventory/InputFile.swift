import Foundation

/// Reads a text file that someone else may have written (an inventory, a bundle, a password
/// file), saying plainly what the path is when it cannot be read.
///
/// The file type is checked before opening, so a FIFO or a device such as `/dev/zero` is named
/// instead of blocking or filling memory; at most `maximumBytes` are read.
public enum InputFile {
    /// Why a path could not be read: `message` names what the path is; `hint` says what to do.
    public struct Problem: Error, Equatable, Sendable {
        public var message: String
        public var hint: String
    }

    /// The file's text, or why it cannot be had. `what` names the file in messages ("inventory").
    public static func readText(atPath path: String, what: String, maximumBytes: Int) -> Result<String, Problem> {
        switch readBytes(atPath: path, what: what, maximumBytes: maximumBytes) {
        case .failure(let problem):
            return .failure(problem)
        case .success(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self) else {
                let (line, column) = firstInvalidUTF8(in: bytes)
                return .failure(Problem(
                    message: "is not UTF-8 text (the first invalid byte is at line \(line), column \(column))",
                    hint: "save the \(what) as UTF-8 text"))
            }
            return .success(text)
        }
    }

    /// The file's bytes, or why they cannot be had.
    public static func readBytes(atPath path: String, what: String, maximumBytes: Int) -> Result<[UInt8], Problem> {
        var status = stat()
        guard stat(path, &status) == 0 else {
            return .failure(openProblem(errno: errno, path: path, what: what))
        }
        if let problem = typeProblem(status.st_mode, what: what) { return .failure(problem) }
        if Int(status.st_size) > maximumBytes { return .failure(tooLarge(Int(status.st_size), maximumBytes, what: what)) }
        // O_NONBLOCK: had the path been swapped for a FIFO since `stat`, open must not wait for a writer.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(openProblem(errno: errno, path: path, what: what)) }
        defer { close(descriptor) }
        guard fstat(descriptor, &status) == 0 else { return .failure(openProblem(errno: errno, path: path, what: what)) }
        if let problem = typeProblem(status.st_mode, what: what) { return .failure(problem) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(openProblem(errno: errno, path: path, what: what))
            }
            if count == 0 { break }
            bytes += chunk.prefix(count)
            // The file grew after `stat`: stop at the limit instead of reading on.
            if bytes.count > maximumBytes { return .failure(tooLarge(bytes.count, maximumBytes, what: what, atLeast: true)) }
        }
        return .success(bytes)
    }

    /// The kinds of path that are not a regular file, named.
    static func typeProblem(_ mode: mode_t, what: String) -> Problem? {
        let kind: String
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR:
            return Problem(message: "is a directory, not a file", hint: "name the \(what) file inside it")
        case S_IFIFO: kind = "a named pipe (FIFO)"
        case S_IFCHR: kind = "a character device"
        case S_IFBLK: kind = "a block device"
        case S_IFSOCK: kind = "a socket"
        default: kind = "not a regular file"
        }
        return Problem(message: "is \(kind), not a regular file; goldfleet reads the \(what) only from a regular file",
                       hint: "save the \(what) to a file and name that file")
    }

    static func tooLarge(_ size: Int, _ limit: Int, what: String, atLeast: Bool = false) -> Problem {
        let limitText = limit >= 1024 * 1024 ? "\(limit / (1024 * 1024)) MiB" : "\(limit) bytes"
        let sizeText = atLeast ? "more than \(limit) bytes" : "\(size) bytes"
        return Problem(message: "is \(sizeText); goldfleet reads at most \(limitText) from a file like this",
                       hint: "check that this is the \(what) you meant")
    }

    static func openProblem(errno code: Int32, path: String, what: String) -> Problem {
        switch code {
        case ENOENT:
            return Problem(message: "no such file", hint: what == "inventory" ? "check the path; example inventories live in inventory/" : "check the path")
        case EACCES, EPERM:
            return Problem(message: "cannot be read: permission denied",
                           hint: "give your user read access (`ls -l \(path)` shows its owner and mode)")
        case ENOTDIR:
            return Problem(message: "cannot be read: a part of the path is not a directory", hint: "check the path")
        case ELOOP:
            return Problem(message: "cannot be read: too many symbolic links", hint: "check where the links point")
        case EISDIR:
            return Problem(message: "is a directory, not a file", hint: "name the \(what) file inside it")
        default:
            return Problem(message: "cannot be read: \(String(cString: strerror(code)))", hint: "check the path and its permissions")
        }
    }

    /// 1-based line and column (in bytes) of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8(in bytes: [UInt8]) -> (line: Int, column: Int) {
        var index = 0
        while index < bytes.count {
            let length: Int
            switch bytes[index] {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            guard length > 0, index + length <= bytes.count,
                  String(validating: bytes[index..<index + length], as: UTF8.self) != nil else { break }
            index += length
        }
        let prefix = bytes[..<index]
        let line = prefix.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let column = index - (prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
        return (line, column)
    }
}
