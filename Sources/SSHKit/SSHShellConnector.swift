/// The production `MachineShellConnector`: libssh2 sessions (`SSHSession`) and the banner read
/// over a plain TCP connection (`SSHBanner`).
public struct SSHShellConnector: MachineShellConnector {
    public init() {}

    public func connect(_ options: SSHConnectOptions) async throws -> any MachineShell {
        try await SSHSession.connect(options)
    }

    public func banner(host: String) async throws -> String {
        try await SSHBanner.read(host: host)
    }
}
