/// One logged-in SSH session to a machine, as the orchestrator's pipeline uses it: run a command,
/// install juju's public keys, sync the wheelhouse, close. `SSHSession` is the production
/// implementation.
public protocol MachineShell: Sendable {
    /// Runs `command` with the user's login shell. A non-zero exit status is a result, not an
    /// error; timeouts and transport failures throw.
    func execute(_ command: String, stdin: [UInt8]?, timeout: Duration?) async throws -> SSHExecResult
    /// Adds the public key lines to the user's authorized_keys; returns whether anything changed.
    func installAuthorizedKeys(_ keys: [String]) async throws -> Bool
    /// Copies the local directory's tree to `remote`, skipping unchanged files.
    func syncDirectory(from local: String, to remote: String) async throws -> SSHSyncReport
    /// Ends the session; later calls throw. Safe to call twice.
    func close() async
}

extension SSHSession: MachineShell {}
