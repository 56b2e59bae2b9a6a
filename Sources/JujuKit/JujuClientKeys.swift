import Foundation
import SSHKit

/// Where the juju client keeps the keys and host keys its ssh uses for `add-machine ssh:…`.
public enum JujuClientKeys {
    /// `$JUJU_DATA`, else `$XDG_DATA_HOME/juju`, else `~/.local/share/juju` (juju's own rule).
    public static func jujuDataDirectory(home: String, environment: [String: String]) -> String {
        if let data = environment["JUJU_DATA"], !data.isEmpty { return data }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return "\(xdg)/juju" }
        return "\(home)/.local/share/juju"
    }

    /// juju's own client key pair, created by `juju bootstrap` (the double creates it on first use).
    public static func jujuPrivateKeyPath(jujuData: String) -> String { "\(jujuData)/ssh/juju_id_rsa" }

    /// The public key files juju installs on manual machines, in juju's order, that exist:
    /// `$JUJU_DATA/ssh/juju_id_rsa.pub` (default `~/.local/share/juju`), then `~/.ssh/id_*.pub`.
    public static func publicKeyPaths(home: String, jujuData: String?) -> [String] {
        let data = jujuData ?? "\(home)/.local/share/juju"
        var paths = ["\(jujuPrivateKeyPath(jujuData: data)).pub"]
        let sshDirectory = "\(home)/.ssh"
        let own = (try? FileManager.default.contentsOfDirectory(atPath: sshDirectory)) ?? []
        paths += own.filter { $0.hasPrefix("id_") && $0.hasSuffix(".pub") }.sorted().map { "\(sshDirectory)/\($0)" }
        return paths.filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// The public keys (one `authorized_keys` line each) to put on a machine before `add-machine`.
    /// juju's own key exists once a controller was bootstrapped; the Juju double creates it on its
    /// first command, so run any juju command (e.g. `JujuCLI.version()`) before reading the keys.
    public static func publicKeys(home: String, jujuData: String?) -> [String] {
        publicKeyPaths(home: home, jujuData: jujuData).compactMap { path in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return line.isEmpty ? nil : line
        }
    }

    /// The known_hosts file juju's ssh checks during `add-machine ssh:…`: OpenSSH's default
    /// `~/.ssh/known_hosts`, with `~` the passwd entry's home as OpenSSH resolves it (not
    /// `$HOME`; `home` only when there is no passwd entry). The Juju double honours
    /// `JUJU_DOUBLE_KNOWN_HOSTS` instead when set.
    /// goldfleet must add each new machine's host key here before `add-machine`, or juju's ssh
    /// stops at the host-key question (or refuses the key).
    public static func knownHostsPath(home: String, environment: [String: String]) -> String {
        if let override = environment["JUJU_DOUBLE_KNOWN_HOSTS"], !override.isEmpty { return override }
        return KnownHostsFile.openSSHUserFile() ?? "\(home)/.ssh/known_hosts"
    }
}
