import GoldfleetSupport

/// How to prove who we are to sshd.
public enum SSHAuthentication: Sendable {
    /// A password, sent with the `password` method, or with `keyboard-interactive` when the
    /// server offers only that.
    case password(Secret)
    /// An OpenSSH private key file (the public key is derived from it).
    case privateKey(path: String, passphrase: Secret?)
}
