/// How the orchestrator reaches a machine's sshd: log in (host key pinned, no trust on first
/// use), or only check that sshd answers with its banner. Production: `SSHShellConnector`.
public protocol MachineShellConnector: Sendable {
    /// Connects, verifies the host key against `options.expectedHostKeys` and authenticates,
    /// retrying while sshd is not up until `options.connectDeadline`.
    func connect(_ options: SSHConnectOptions) async throws -> any MachineShell
    /// The identification line sshd sends first (`SSH-2.0-…`) on port 22 of `host`; throws
    /// saying what was seen instead. No login.
    func banner(host: String) async throws -> String
}
