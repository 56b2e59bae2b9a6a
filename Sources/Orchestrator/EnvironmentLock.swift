import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GoldfleetSupport

/// One goldfleet at a time per environment: `up`, `down` and `reset` hold an exclusive `flock`
/// on the environment's lock file. The kernel drops it when the process dies, so a crash or
/// Ctrl-C never leaves a stale lock behind.
public final class EnvironmentLock: Sendable {
    private let descriptor: Int32
    public let path: String

    public struct Busy: UserFacingError {
        public let environment: String
        public let holder: String
        public var message: String { "environment `\(environment)` is busy: another goldfleet (\(holder)) is working on it" }
        public var hint: String? { "wait for it to finish, or stop it; the lock is released as soon as that process exits" }
    }

    public static func acquire(environment: String, in state: StateDirectory) throws -> EnvironmentLock {
        try state.prepare(environment)
        let path = state.lock(for: environment)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw Busy(environment: environment, holder: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            throw Busy(environment: environment, holder: holder.isEmpty ? "unknown process" : holder)
        }
        // Say who holds it, for the message the next one sees.
        let note = "pid \(getpid()), \(CommandLine.arguments.prefix(2).joined(separator: " "))\n"
        _ = ftruncate(fd, 0)
        _ = note.withCString { write(fd, $0, strlen($0)) }
        return EnvironmentLock(descriptor: fd, path: path)
    }

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        // Unlock explicitly: `close` alone keeps the flock while a child that another thread is
        // spawning still holds a copy of the descriptor (until its exec closes it), and the
        // next `up` in this process would then find the environment busy.
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
