import Foundation

/// What `juju add-machine ssh:[USER@]HOST` does on the host, over real OpenSSH, step by step as
/// juju's manual provider runs it — one ssh session per step, in juju's order:
///
/// 1. `InitUbuntuUser`: `ssh ubuntu@HOST sudo -n true` (no password auth, no PTY); only if that
///    fails, a second session as USER with password auth and a PTY runs juju's init script.
/// 2. `checkProvisioned`: `/bin/bash` reading juju's list-services script; `jujud-machine*` →
///    `machine is already provisioned`.
/// 3. `detect…HardwareCharacteristics`: `/bin/bash` reading juju's detection script.
/// 4. (after the machine is recorded) the provisioning script, `sudo /bin/bash -c …`.
///
/// Read from juju/juju environs/manual/sshprovisioner (sshprovisioner.go, provisioner.go) and
/// cloudconfig/sshinit/configure.go at tag juju-2.9.21 (8a154b7d629f6d9c0693aba7accf255789996c14)
/// and branch 3.6 (1c91c54fafcd8546dacb4254242ab0ae08ac9128); the two differ only in the detection
/// script (2.9: `lsb_release -cs`; 3.6: `ID=`/`VERSION_ID=` of /etc/os-release).
struct ManualProvisioner {
    let host: String
    /// The user of `ssh:USER@HOST` (juju's `login`), used only by the fallback of step 1.
    let login: String?
    let privateKey: String
    let knownHosts: String
    /// 2 for juju 2.9, 3 for 3.x: which detection script runs.
    let major: Int
    /// `JUJU_DOUBLE_SSH_LOG`: a file that gets one line per ssh session (`USER@HOST COMMAND`),
    /// so tests can check the sessions against juju's.
    var sessionLog: String? = nil

    func logSession(_ target: String, _ remoteCommand: String) {
        guard let sessionLog, let handle = FileHandle(forWritingAtPath: sessionLog)
                ?? (FileManager.default.createFile(atPath: sessionLog, contents: nil) ? FileHandle(forWritingAtPath: sessionLog) : nil)
        else { return }
        handle.seekToEndOfFile()
        handle.write(Data("\(target) \(remoteCommand)\n".utf8))
        try? handle.close()
    }

    /// What the detection script found.
    struct Hardware {
        var osID: String
        var versionID: String
        var series: String
        var architecture: String
        var memoryMB: Int
        var cores: Int
    }

    /// OpenSSH as juju runs it for the manual provider: key auth only, no password, no PTY,
    /// host keys checked against the known_hosts file.
    func ssh(_ remoteCommand: String, user: String = "ubuntu", input: String? = nil, extraOptions: [String] = ["-T"]) throws -> Captured {
        logSession("\(user)@\(host)", remoteCommand)
        return try capture("/usr/bin/ssh", [
            "-o", "BatchMode=yes",
            "-o", "PasswordAuthentication=no",
            "-o", "KbdInteractiveAuthentication=no",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=\(knownHosts)",
            "-o", "ConnectTimeout=10",
            "-i", privateKey,
        ] + extraOptions + ["\(user)@\(host)", remoteCommand], input: input)
    }

    /// juju reports a failed ssh run as Go's `exit status N (stderr)`.
    static func failure(_ result: Captured, annotation: String? = nil) -> Failure {
        let detail = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = detail.isEmpty ? "exit status \(result.exitCode)" : "exit status \(result.exitCode) (\(detail))"
        return .failed(annotation.map { "\($0): \(text)" } ?? text)
    }

    /// How long the double waits at a prompt of InitUbuntuUser's fallback, where juju would wait
    /// for someone to type a password.
    static let promptWait = 10

    /// Step 1, juju's InitUbuntuUser. The fallback session logs in as USER with password auth
    /// and a PTY, as juju does, and its output goes to stdout as juju's does (a sudo prompt
    /// shows there). Unattended, nobody answers a prompt: juju would wait for ever; the double
    /// gives up after `promptWait` seconds and says so.
    func initUbuntuUser(authorizedKeys: String) throws {
        if try ssh("sudo -n true").exitCode == 0 { return }
        let script = Self.initUbuntuScript(authorizedKeys: authorizedKeys)
        logSession("\(login ?? "ubuntu")@\(host)", "sudo /bin/bash -c <initUbuntuScript> (password auth, PTY)")
        let result = try capture("/usr/bin/timeout", [String(Self.promptWait), "/usr/bin/ssh",
            "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=\(knownHosts)",
            "-o", "ConnectTimeout=10",
            "-i", privateKey, "-t", "-t",
            "\(login ?? "ubuntu")@\(host)", "sudo /bin/bash -c \(Self.shellQuoted(script))"])
        // With a PTY the remote stderr arrives on stdout, which juju passes to its own stdout.
        if !result.stdout.isEmpty { FileHandle.standardOutput.write(Data(result.stdout.utf8)) }
        if result.exitCode == 124 {
            throw Failure.failed("exit status 124 (the Juju double stopped after \(Self.promptWait)s at a prompt of `ssh \(login ?? "ubuntu")@\(host) sudo /bin/bash -c …`; juju would wait there for a password typed at its terminal)")
        }
        guard result.exitCode == 0 else { throw Self.failure(result) }
    }

    /// sshprovisioner.go `initUbuntuScript`, verbatim.
    static func initUbuntuScript(authorizedKeys: String) -> String {
        """

        set -e
        (grep ubuntu /etc/group) || groupadd ubuntu
        (id ubuntu &> /dev/null) || useradd -m ubuntu -s /bin/bash -g ubuntu
        umask 0077
        temp=$(mktemp)
        echo 'ubuntu ALL=(ALL) NOPASSWD:ALL' > $temp
        install -m 0440 $temp /etc/sudoers.d/90-juju-ubuntu
        rm $temp
        su ubuntu -c 'install -D -m 0600 /dev/null ~/.ssh/authorized_keys'
        export authorized_keys=\(shellQuoted(authorizedKeys))
        if [ ! -z "$authorized_keys" ]; then
            su ubuntu -c 'printf "%s\\n" "$authorized_keys" >> ~/.ssh/authorized_keys'
        fi
        """
    }

    /// service.ListServicesScript(): discover the init system, list its services. (juju also
    /// renders an upstart clause; no machine here runs upstart.)
    static let listServicesScript = """
        init_system=$(if [ -d /run/systemd/system ]; then echo -n systemd; exit 0; fi
        if [ -f /sbin/initctl ] && /sbin/initctl --system list 2>&1 > /dev/null; then echo -n upstart; exit 0; fi
        exit 1)
        case "$init_system" in
        systemd)
            /bin/systemctl list-unit-files --no-legend --no-page -l -t service | grep -o -P '^\\w[\\S]*(?=\\.service)'
            ;;
        *)
            exit 1
            ;;
        esac
        """

    /// Step 2, juju's checkProvisioned.
    func checkProvisioned() throws {
        let result = try ssh("/bin/bash", input: Self.listServicesScript)
        guard result.exitCode == 0 else { throw Self.failure(result, annotation: "error checking if provisioned") }
        if result.stdout.contains("jujud-machine") { throw Failure.failed("machine is already provisioned") }
    }

    /// The detection script of juju 2.9 (series from `lsb_release -cs`) or 3.x (ID and
    /// VERSION_ID from /etc/os-release), then `uname -m`, MemTotal and /proc/cpuinfo.
    ///
    /// One deviation, for this lab's Debian gold that has no `lsb_release`: the 2.9 script falls
    /// back to VERSION_CODENAME from /etc/os-release where juju 2.9 would fail with `lsb_release:
    /// command not found`. Like juju 3.x as the outside checks run it, the double does not refuse
    /// a non-Ubuntu OS.
    var detectionScript: String {
        let osLines = major >= 3
            ? """
              echo "$(grep '^ID=' /etc/os-release | tr -d '"' | cut -d= -f2)"
              echo "$(grep '^VERSION_ID=' /etc/os-release | tr -d '"' | cut -d= -f2)"
              """
            : """
              os_id=$(grep '^ID=' /etc/os-release | tr -d '"' | cut -d= -f2)
              if [ "$os_id" = 'centos' ]; then
                os_version=$(grep '^VERSION_ID=' /etc/os-release | tr -d '"' | cut -d= -f2)
                echo "centos$os_version"
              elif [ "$os_id" = 'opensuse' ]; then
                os_version=$(grep '^VERSION_ID=' /etc/os-release | tr -d '"' | cut -d= -f2 | cut -d. -f1)
                if [ $os_version -eq 42 ]; then
                  echo "opensuseleap"
                fi
              else
                lsb_release -cs 2>/dev/null || (. /etc/os-release && echo "$VERSION_CODENAME")
              fi
              """
        return "#!/bin/bash\nset -e\n" + osLines + "\nuname -m\ngrep MemTotal /proc/meminfo\ncat /proc/cpuinfo"
    }

    /// Step 3, juju's detect{Series,Base}AndHardwareCharacteristics, parsed as juju parses it.
    func detect() throws -> Hardware {
        let result = try ssh("/bin/bash", input: detectionScript)
        guard result.exitCode == 0 else {
            throw Self.failure(result, annotation: "error detecting linux hardware characteristics")
        }
        var lines = result.stdout.components(separatedBy: "\n")
        var hardware = Hardware(osID: "ubuntu", versionID: "", series: "", architecture: "", memoryMB: 0, cores: 0)
        func next() -> String { lines.isEmpty ? "" : lines.removeFirst().trimmingCharacters(in: .whitespaces) }
        if major >= 3 {
            hardware.osID = next()
            hardware.versionID = next()
            hardware.series = Self.ubuntuSeries[hardware.versionID] ?? ""
        } else {
            hardware.series = next()
            hardware.versionID = Self.ubuntuSeries.first { $0.value == hardware.series }?.key ?? ""
        }
        switch next() {  // juju's arch.NormaliseArch
        case "x86_64", "amd64": hardware.architecture = "amd64"
        case "aarch64", "arm64": hardware.architecture = "arm64"
        case let other: hardware.architecture = other
        }
        // "MemTotal: NNN kB"; juju wants megabytes.
        let memory = next().split(separator: " ", omittingEmptySubsequences: true)
        hardware.memoryMB = (memory.count > 1 ? Int(memory[1]) ?? 0 : 0) / 1024
        // Physical cores per `physical id`; `processor` entries as the fallback (arm, lp:1664434).
        var recorded = Set<String>(), physicalID = "", processors = 0
        for line in lines {
            let value = line.split(separator: ":", maxSplits: 1).dropFirst().first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if line.hasPrefix("physical id") {
                physicalID = value
            } else if line.hasPrefix("cpu cores") {
                if !recorded.contains(physicalID) {
                    hardware.cores += Int(value) ?? 0
                    recorded.insert(physicalID)
                }
            } else if line.hasPrefix("processor") {
                processors += 1
            }
        }
        if hardware.cores == 0 { hardware.cores = processors }
        return hardware
    }

    static let ubuntuSeries = ["18.04": "bionic", "20.04": "focal", "22.04": "jammy", "24.04": "noble"]

    /// Step 4: the provisioning script, run as juju's sshinit.RunConfigureScript runs it — the
    /// script on stdin, `sudo /bin/bash -c` decoding a small wrapper that saves it to a temp file
    /// and runs it. The script stands in for the controller's: it leaves the traces a real
    /// machine agent leaves (so adding the host again fails as with juju) and prints the
    /// hostname the agent would report. The unit file is a marker only — not enabled, runs nothing.
    /// Returns the machine's hostname. The remote stderr goes to ours, as juju streams it.
    func provision(machineID: String, modelUUID: String) throws -> String {
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
            hostname

            """
        let wrapper = "\nset -e\ntmpfile=$(mktemp)\ntrap \"rm -f $tmpfile\" EXIT\ncat > $tmpfile\n/bin/bash $tmpfile\n"
        let encoded = Data(wrapper.utf8).base64EncodedString()
        let command = "sudo /bin/bash -c " + Self.shellQuoted("/bin/bash -c \"$(echo \(Self.shellQuoted(encoded)) | base64 -d)\"")
        let result = try ssh(command, input: script)
        if !result.stderr.isEmpty { FileHandle.standardError.write(Data(result.stderr.utf8)) }
        guard result.exitCode == 0 else { throw Failure.failed("exit status \(result.exitCode)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// juju's utils.ShQuote: single quotes, each `'` written as `'"'"'`.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\"'\"'") + "'"
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

    /// The public keys juju puts into `authorized_keys` in InitUbuntuUser's fallback: its own.
    var authorizedKeys: String {
        (try? String(contentsOfFile: clientKeyPath + ".pub", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
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
