import GoldfleetSupport

/// Something went wrong talking to one machine over SSH: which machine, at which step, and
/// what was seen. Never contains a password.
///
/// Compare `code` to react to a kind of failure (`error.code == .passwordRejected`); the
/// wording lives in the factory functions below so it is reviewed in one place.
public struct SSHError: UserFacingError, Equatable {
    public enum Step: String, Sendable, Equatable {
        case connect, handshake, hostKey = "host key", authentication, exec, sftp
    }

    /// A kind of failure. A struct over a private enum so new kinds don't break callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String {
            case unreachable, handshakeFailed, noExpectedHostKeys, hostKeyMismatch
            case passwordRejected, privateKeyRejected, noUsableMethod, authenticationFailed
            case execFailed, commandFailed, commandTimedOut, noExitStatus, sftpFailed, localFileFailed, sessionClosed, invalidInput
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }
        public var description: String { value.rawValue }

        public static let unreachable = Code(.unreachable)
        public static let handshakeFailed = Code(.handshakeFailed)
        public static let noExpectedHostKeys = Code(.noExpectedHostKeys)
        public static let hostKeyMismatch = Code(.hostKeyMismatch)
        public static let passwordRejected = Code(.passwordRejected)
        public static let privateKeyRejected = Code(.privateKeyRejected)
        public static let noUsableMethod = Code(.noUsableMethod)
        public static let authenticationFailed = Code(.authenticationFailed)
        public static let execFailed = Code(.execFailed)
        public static let commandFailed = Code(.commandFailed)
        public static let commandTimedOut = Code(.commandTimedOut)
        public static let noExitStatus = Code(.noExitStatus)
        public static let sftpFailed = Code(.sftpFailed)
        public static let localFileFailed = Code(.localFileFailed)
        public static let sessionClosed = Code(.sessionClosed)
        public static let invalidInput = Code(.invalidInput)
    }

    /// The machine, as given in `SSHConnectOptions.host`.
    public let host: String
    public let step: Step
    public let code: Code
    public let message: String
    public let hint: String?

    init(host: String, step: Step, code: Code, message: String, hint: String? = nil) {
        self.host = host
        self.step = step
        self.code = code
        self.message = message
        self.hint = hint
    }
}

// MARK: - Wording

extension SSHError {
    static func unreachable(host: String, port: Int, waited: Duration, attempts: Int, lastSeen: String) -> SSHError {
        SSHError(
            host: host, step: .connect, code: .unreachable,
            message: "could not reach sshd on \(host):\(port) within \(Self.seconds(waited)) (\(attempts) attempt\(attempts == 1 ? "" : "s")); last seen: \(lastSeen)",
            hint: "check that the machine is running and sshd listens on port \(port), or raise the connect deadline")
    }

    static func handshakeFailed(host: String, detail: String) -> SSHError {
        SSHError(host: host, step: .handshake, code: .handshakeFailed,
                 message: "SSH handshake with \(host) failed: \(detail)",
                 hint: "check that \(host) runs an OpenSSH server that offers a host key type we expect")
    }

    static func noExpectedHostKeys(host: String, presented: SSHHostKey) -> SSHError {
        SSHError(host: host, step: .hostKey, code: .noExpectedHostKeys,
                 message: "refusing \(host): no expected host key was given; the server presented \(presented.type) \(presented.sha256Fingerprint)",
                 hint: "read the machine's /etc/ssh/ssh_host_*_key.pub through LXD and pass them as expectedHostKeys")
    }

    static func hostKeyMismatch(host: String, presented: SSHHostKey, expected: [SSHHostKey]) -> SSHError {
        let wanted = expected.map { "\($0.type) \($0.sha256Fingerprint)" }.joined(separator: ", ")
        return SSHError(host: host, step: .hostKey, code: .hostKeyMismatch,
                        message: "host key mismatch for \(host): the server presented \(presented.type) \(presented.sha256Fingerprint), expected \(wanted)",
                        hint: "the machine at \(host) is not the one we created, or its host keys changed; do not trust it")
    }

    static func passwordRejected(host: String, user: String) -> SSHError {
        SSHError(host: host, step: .authentication, code: .passwordRejected,
                 message: "user \(user): password rejected by \(host)",
                 hint: "check the password of `\(user)` in the gold image (it is the same in every clone)")
    }

    static func privateKeyRejected(host: String, user: String, path: String, detail: String) -> SSHError {
        SSHError(host: host, step: .authentication, code: .privateKeyRejected,
                 message: "user \(user): private key \(path) rejected by \(host) (\(detail))",
                 hint: "check that the matching public key is in ~\(user)/.ssh/authorized_keys on \(host), and the passphrase")
    }

    static func noUsableMethod(host: String, user: String, wanted: String, offered: [String]) -> SSHError {
        SSHError(host: host, step: .authentication, code: .noUsableMethod,
                 message: "user \(user): \(host) does not accept \(wanted) authentication (it offers: \(offered.isEmpty ? "nothing" : offered.joined(separator: ", ")))",
                 hint: "enable PasswordAuthentication or KbdInteractiveAuthentication in the machine's sshd_config")
    }

    static func authenticationFailed(host: String, user: String, detail: String) -> SSHError {
        SSHError(host: host, step: .authentication, code: .authenticationFailed,
                 message: "user \(user): authentication with \(host) failed: \(detail)")
    }

    static func execFailed(host: String, command: String, detail: String) -> SSHError {
        SSHError(host: host, step: .exec, code: .execFailed,
                 message: "running `\(Self.abbreviated(command))` on \(host) failed: \(detail)")
    }

    static func commandFailed(host: String, command: String, result: SSHExecResult) -> SSHError {
        let status = result.exitSignal.map { "killed by SIG\($0)" } ?? "exit status \(result.exitStatus)"
        let stderr = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        let tail = stderr.isEmpty ? "" : ": " + String(stderr.suffix(500))
        return SSHError(host: host, step: .exec, code: .commandFailed,
                        message: "`\(Self.abbreviated(command))` on \(host) failed with \(status)\(tail)")
    }

    static func commandTimedOut(host: String, command: String, timeout: Duration) -> SSHError {
        SSHError(host: host, step: .exec, code: .commandTimedOut,
                 message: "`\(Self.abbreviated(command))` on \(host) did not finish within \(Self.seconds(timeout))",
                 hint: "raise the command timeout, or check what the command waits for on \(host)")
    }

    /// The channel ended without an exit-status or exit-signal: whether the command succeeded
    /// is unknown, so it did not.
    static func noExitStatus(host: String, command: String, detail: String?) -> SSHError {
        SSHError(host: host, step: .exec, code: .noExitStatus,
                 message: "`\(Self.abbreviated(command))` on \(host) ended without an exit status\(detail.map { " (\($0))" } ?? ""), so it is not known to have succeeded",
                 hint: "the SSH server or the connection to \(host) went away while the command ran; check sshd there and run again")
    }

    static func sftpFailed(host: String, operation: String, path: String, detail: String) -> SSHError {
        SSHError(host: host, step: .sftp, code: .sftpFailed,
                 message: "SFTP \(operation) of \(path) on \(host) failed: \(detail)")
    }

    static func localFileFailed(host: String, path: String, detail: String) -> SSHError {
        SSHError(host: host, step: .sftp, code: .localFileFailed,
                 message: "cannot read local \(path) to copy to \(host): \(detail)")
    }

    /// The local tree cannot be copied as it is (see `LocalTree`'s rules).
    static func wheelhouseRefused(host: String, _ error: LocalTree.ScanError) -> SSHError {
        SSHError(host: host, step: .sftp, code: .localFileFailed,
                 message: "cannot copy to \(host): \(error.message)", hint: error.hint)
    }

    static func sessionClosed(host: String, step: Step) -> SSHError {
        SSHError(host: host, step: step, code: .sessionClosed,
                 message: "the SSH session with \(host) is closed",
                 hint: "connect again")
    }

    static func invalidInput(host: String, step: Step, detail: String) -> SSHError {
        SSHError(host: host, step: step, code: .invalidInput, message: detail)
    }

    /// `3.0 s`, `0.25 s`: short, and stable enough to assert on in tests.
    static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        let hundredths = Int64(attoseconds / 10_000_000_000_000_000)
        if hundredths == 0 { return "\(whole).0 s" }
        if hundredths % 10 == 0 { return "\(whole).\(hundredths / 10) s" }
        return "\(whole).\(hundredths < 10 ? "0" : "")\(hundredths) s"
    }

    /// Long scripts make unreadable messages: show the first line, cut.
    static func abbreviated(_ command: String) -> String {
        let firstLine = command.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if firstLine.count <= 60 && firstLine.count == command.count { return command }
        return String(firstLine.prefix(60)) + "…"
    }
}
