/// Everything needed to open one SSH session.
public struct SSHConnectOptions: Sendable {
    public var host: String
    public var port: Int
    public var user: String
    public var authentication: SSHAuthentication
    /// The keys the server may present. Empty means refuse: there is no trust-on-first-use.
    /// The caller reads them from the machine's /etc/ssh/ssh_host_*_key.pub through LXD.
    public var expectedHostKeys: [SSHHostKey]
    /// How long to keep retrying, with backoff, while sshd is not up yet (connection refused,
    /// no banner). Covers the whole connect: TCP, handshake and authentication.
    public var connectDeadline: Duration
    /// The default limit for one `execute` (each call may give its own).
    public var commandTimeout: Duration
    /// The longest one blocking libssh2 call may wait for the peer (handshake, SFTP, closing),
    /// so a dead peer cannot hang a session.
    public var ioTimeout: Duration

    public init(
        host: String,
        port: Int = 22,
        user: String,
        authentication: SSHAuthentication,
        expectedHostKeys: [SSHHostKey],
        connectDeadline: Duration = .seconds(30),
        commandTimeout: Duration = .seconds(300),
        ioTimeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.authentication = authentication
        self.expectedHostKeys = expectedHostKeys
        self.connectDeadline = connectDeadline
        self.commandTimeout = commandTimeout
        self.ioTimeout = ioTimeout
    }
}
