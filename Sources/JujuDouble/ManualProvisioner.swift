import Foundation

/// What `juju add-machine ssh:USER@HOST` does on the host, over real OpenSSH
/// (juju/juju environs/manual/sshprovisioner): check `ubuntu` has key login and passwordless
/// sudo, refuse hosts that already run a juju agent, detect OS and hardware, then provision.
struct ManualProvisioner {
    let host: String
    let privateKey: String
    let knownHosts: String

    /// What the detection script found.
    struct Hardware {
        var osID: String
        var versionID: String
        var codename: String
        var architecture: String
        var memoryMB: Int
        var cores: Int
        var hostname: String
    }

    /// OpenSSH as juju's manual provider runs it: key auth only, no password, no PTY, host keys
    /// checked against the known_hosts file.
    func ssh(_ remoteCommand: String, input: String? = nil) throws -> Captured {
        try capture("/usr/bin/ssh", [
            "-o", "BatchMode=yes",
            "-o", "PasswordAuthentication=no",
            "-o", "KbdInteractiveAuthentication=no",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=\(knownHosts)",
            "-o", "ConnectTimeout=10",
            "-i", privateKey,
            "-T",
            "ubuntu@\(host)",
            remoteCommand,
        ], input: input)
    }

    /// juju reports a failed ssh run as Go's `exit status N (stderr)`.
    static func failure(_ result: Captured) -> Failure {
        let detail = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        return .failed(detail.isEmpty ? "exit status \(result.exitCode)" : "exit status \(result.exitCode) (\(detail))")
    }

    /// Step 2 of juju's InitUbuntuUser: `ssh ubuntu@HOST sudo -n true`. Real juju then falls back
    /// to an interactive login with password and PTY; the double, like an unattended juju, fails.
    func checkUbuntuUser() throws {
        let result = try ssh("sudo -n true")
        guard result.exitCode == 0 else { throw Self.failure(result) }
    }

    /// Checks for a juju machine agent and detects the machine in one session (real juju uses two).
    func detect() throws -> Hardware {
        let script = """
            if ls /etc/systemd/system/jujud-machine-* >/dev/null 2>&1; then echo PROVISIONED; exit 0; fi
            . /etc/os-release
            echo "ID=$ID"; echo "VERSION_ID=$VERSION_ID"; echo "CODENAME=$VERSION_CODENAME"
            echo "ARCH=$(uname -m)"
            echo "MEM=$(grep MemTotal /proc/meminfo | tr -s ' ' | cut -d' ' -f2)"
            echo "CORES=$(grep -c '^processor' /proc/cpuinfo)"
            echo "HOSTNAME=$(hostname)"
            """
        let result = try ssh("/bin/bash -s", input: script)
        guard result.exitCode == 0 else { throw Self.failure(result) }
        if result.stdout.contains("PROVISIONED") { throw Failure.failed("machine is already provisioned") }
        var values: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        let arch: String
        switch values["ARCH"] ?? "" {
        case "x86_64": arch = "amd64"
        case "aarch64": arch = "arm64"
        case let other: arch = other
        }
        return Hardware(osID: values["ID"] ?? "unknown", versionID: values["VERSION_ID"] ?? "",
                        codename: values["CODENAME"] ?? "", architecture: arch,
                        memoryMB: (Int(values["MEM"] ?? "") ?? 0) / 1024, cores: Int(values["CORES"] ?? "") ?? 0,
                        hostname: values["HOSTNAME"] ?? host)
    }

    /// Stands in for juju's provisioning script (run with `sudo /bin/bash`): leaves the traces a
    /// real machine agent leaves, so adding the same host again fails as it does with juju.
    /// The unit file is a marker only — not enabled, runs nothing.
    func provision(machineID: String, modelUUID: String) throws {
        let tag = "machine-\(machineID)"
        let script = """
            set -e
            mkdir -p /var/lib/juju/agents/\(tag) /var/lib/juju/tools /var/log/juju
            cat > /var/lib/juju/agents/\(tag)/agent.conf <<'GOLDFLEET_EOF'
            # Written by the goldfleet Juju double in place of a real juju agent configuration.
            tag: \(tag)
            model: \(modelUUID)
            nonce: manual:\(host)
            GOLDFLEET_EOF
            cat > /etc/systemd/system/jujud-\(tag).service <<'GOLDFLEET_EOF'
            [Unit]
            Description=juju agent for \(tag) (marker written by the goldfleet Juju double)
            [Service]
            ExecStart=/bin/true
            GOLDFLEET_EOF
            """
        let result = try ssh("sudo -n /bin/bash -s", input: script + "\n")
        guard result.exitCode == 0 else { throw Self.failure(result) }
    }
}

extension JujuDouble {
    /// juju's client key, `$JUJU_DATA/ssh/juju_id_rsa` (RSA, as juju makes it at bootstrap).
    var clientKeyPath: String { "\(jujuData)/ssh/juju_id_rsa" }

    /// The known_hosts juju's ssh reads: `~/.ssh/known_hosts` with `~` the passwd entry's home,
    /// as OpenSSH resolves it (not `$HOME`), or `JUJU_DOUBLE_KNOWN_HOSTS`.
    var knownHostsPath: String {
        if let override = environment["JUJU_DOUBLE_KNOWN_HOSTS"], !override.isEmpty { return override }
        guard let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir else { return "\(home)/.ssh/known_hosts" }
        return "\(String(cString: directory))/.ssh/known_hosts"
    }

    /// Creates juju's client key pair the first time, as `juju bootstrap` would have.
    func ensureClientKey() throws {
        if FileManager.default.fileExists(atPath: clientKeyPath) { return }
        try store.locked {
            if FileManager.default.fileExists(atPath: clientKeyPath) { return }
            try FileManager.default.createDirectory(atPath: "\(jujuData)/ssh", withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let result = try capture("/usr/bin/ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", "juju-client-key", "-f", clientKeyPath])
            guard result.exitCode == 0 else {
                throw Failure.failed("cannot create juju's ssh key \(clientKeyPath): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
        }
    }
}
