/// What a command run with `exec` left behind.
public struct LXDExecResult: Sendable, Equatable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String

    public init(exitCode: Int32, stdout: String, stderr: String) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// The metadata of a finished `exec` operation started with `record-output`.
struct LXDExecOperationMetadata: Decodable, Sendable {
    /// File descriptor number ("1", "2") to the log file's API path.
    var output: [String: String]?
    var `return`: Int?
}
