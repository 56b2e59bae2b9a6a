/// What a remote command left behind.
public struct SSHExecResult: Sendable, Equatable {
    /// The command's exit status; `-1` when it was killed by a signal (see `exitSignal`).
    public var exitStatus: Int32
    /// The signal name without `SIG` (e.g. `KILL`) when the command died from one.
    public var exitSignal: String?
    public var stdoutBytes: [UInt8]
    public var stderrBytes: [UInt8]

    public init(exitStatus: Int32, exitSignal: String? = nil, stdoutBytes: [UInt8], stderrBytes: [UInt8]) {
        self.exitStatus = exitStatus
        self.exitSignal = exitSignal
        self.stdoutBytes = stdoutBytes
        self.stderrBytes = stderrBytes
    }

    public var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    public var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }
    public var succeeded: Bool { exitStatus == 0 && exitSignal == nil }
}
