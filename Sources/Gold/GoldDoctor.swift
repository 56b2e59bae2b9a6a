import Foundation
import GoldfleetSupport
import LXDKit

/// `goldfleet gold doctor`: checks that a gold (built by goldfleet or by hand) gives clones
/// goldfleet and juju can use unattended. It clones the gold into a temporary instance (always
/// deleted afterwards), reads the STOPPED clone's files — exactly what every clone starts from
/// — then boots it and checks what only a running system shows.
public struct GoldDoctor: Sendable {
    public struct Options: Sendable {
        /// Storage pool of the temporary clone; `nil` keeps the profile's.
        public var pool: String?
        /// Name prefix of the temporary clone.
        public var clonePrefix: String
        /// More config keys for the temporary clone (tests add `user.goldfleet.test`).
        public var extraConfig: [String: String]
        public var bootTimeout: Duration

        public init(pool: String? = nil, clonePrefix: String = "goldfleet-doctor", extraConfig: [String: String] = [:],
                    bootTimeout: Duration = .seconds(90)) {
            self.pool = pool
            self.clonePrefix = clonePrefix
            self.extraConfig = extraConfig
            self.bootTimeout = bootTimeout
        }
    }

    let lxd: any LXDOperations
    let options: Options
    let progress: any ProgressSink

    public init(lxd: any LXDOperations, options: Options = Options(), progress: any ProgressSink = SilentProgress()) {
        self.lxd = lxd
        self.options = options
        self.progress = progress
    }

    /// Examines `GOLD/SNAPSHOT`, or the stopped instance `GOLD` itself when no snapshot is named.
    public func examine(_ gold: GoldReference) async throws -> GoldDoctorReport {
        guard let instance = try await lxd.instance(named: gold.instance) else {
            throw GoldError("gold `\(gold.instance)` does not exist on this LXD", hint: "`goldfleet gold list` shows the golds; build one with `goldfleet gold build`")
        }
        if let snapshot = gold.snapshot {
            guard try await lxd.snapshots(instance: gold.instance).contains(snapshot) else {
                throw GoldError("gold `\(gold.instance)` has no snapshot `\(snapshot)`", hint: "`goldfleet gold list` shows its snapshots")
            }
        } else if instance.isRunning {
            throw GoldError("gold `\(gold.instance)` is running, and a running gold is not what clones get",
                            hint: "name a snapshot (`goldfleet gold doctor \(gold.instance)/snapN`) or stop it first")
        }

        let clone = options.clonePrefix + "-" + UUID().uuidString.prefix(8).lowercased()
        var config = options.extraConfig
        config[InstanceTags.managedBy] = InstanceTags.managedByValue
        // A copy inherits the gold's user.* keys: say explicitly that this one is not a gold.
        config[GoldTags.gold] = "false"
        config["user.goldfleet.doctor"] = "true"
        let request = LXDCreateInstance(
            name: clone, source: .copy(instance: gold.instance, snapshot: gold.snapshot ?? ""), pool: options.pool, config: config)
        do {
            try await progress.timedTask("clone \(gold) to \(clone)") {
                if gold.snapshot != nil {
                    try await lxd.createInstance(request, target: nil)
                } else {
                    try await lxd.createInstance(copyingInstance: gold.instance, as: request)
                }
            }
            var checks = try await progress.timedTask("read the stopped clone's files") {
                try await Self.fileChecks(lxd: lxd, instance: clone)
            }
            checks += try await progress.timedTask("boot the clone and check it") {
                try await bootChecks(clone)
            }
            checks.append(try await Self.jujuImageCheck(lxd, gold))
            await timedCleanup(clone)
            return GoldDoctorReport(subject: gold.description, checks: checks, temporaryInstance: clone)
        } catch {
            await timedCleanup(clone)
            throw error
        }
    }

    private func timedCleanup(_ clone: String) async {
        await progress.timedTask("delete \(clone)") { await GoldCleanup.deleteInstance(clone, lxd: lxd) }
    }

    // MARK: Cheap checks without a boot

    /// The checks `up` can afford before cloning: the machine-id and SSH host keys of the gold
    /// instance as it is on disk, read through the files API (a few requests, no boot). Skipped
    /// while the gold runs, since a running system's files are not what its snapshot holds.
    public static func quickChecks(lxd: any LXDOperations, gold: String) async throws -> [GoldCheck] {
        guard let instance = try await lxd.instance(named: gold) else {
            return [.failed("gold", "instance \(gold) does not exist", fix: "build it with `goldfleet gold build --name \(gold)`")]
        }
        guard !instance.isRunning else {
            return [.skipped("machine-id", "\(gold) is running; stop it to check"), .skipped("ssh host keys", "\(gold) is running; stop it to check")]
        }
        return [try await machineIDCheck(lxd, gold), try await dbusMachineIDCheck(lxd, gold), try await hostKeysCheck(lxd, gold)]
    }

    // MARK: Checks of a stopped instance's files

    /// Everything a stopped instance's files tell.
    static func fileChecks(lxd: any LXDOperations, instance: String) async throws -> [GoldCheck] {
        [
            try await machineIDCheck(lxd, instance),
            try await dbusMachineIDCheck(lxd, instance),
            try await hostKeysCheck(lxd, instance),
            try await firstBootKeygenCheck(lxd, instance),
            try await passwordCheck(lxd, instance),
            try await sudoersCheck(lxd, instance),
            try await jujuAgentCheck(lxd, instance),
            try await aptTimersCheck(lxd, instance),
            try await jujuOSCheck(lxd, instance),
        ]
    }

    static func machineIDCheck(_ lxd: any LXDOperations, _ instance: String) async throws -> GoldCheck {
        let fix = "empty it in the gold before snapshotting (`: > /etc/machine-id`), or rebuild with `goldfleet gold build`"
        switch try await lxd.fileEntry(instance: instance, path: "/etc/machine-id") {
        case nil:
            return .passed("machine-id", "/etc/machine-id absent: each clone makes its own")
        case .file(let bytes):
            let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty || text == "uninitialized" { return .passed("machine-id", "/etc/machine-id empty: each clone makes its own") }
            return .failed("machine-id", "/etc/machine-id holds \(text): every clone would share it (duplicate DHCP leases)", fix: fix)
        case .symlink(let target):
            return .failed("machine-id", "/etc/machine-id is a link to \(target)", fix: fix)
        case .directory:
            return .failed("machine-id", "/etc/machine-id is a directory", fix: fix)
        }
    }

    static func dbusMachineIDCheck(_ lxd: any LXDOperations, _ instance: String) async throws -> GoldCheck {
        let fix = "delete it in the gold (`rm -f /var/lib/dbus/machine-id`): systemd copies it back into an empty /etc/machine-id at boot"
        switch try await lxd.fileEntry(instance: instance, path: "/var/lib/dbus/machine-id") {
        case nil:
            return .passed("dbus machine-id", "/var/lib/dbus/machine-id absent")
        case .symlink(let target) where target == "/etc/machine-id" || target.hasSuffix("../../../etc/machine-id"):
            return .passed("dbus machine-id", "/var/lib/dbus/machine-id links to /etc/machine-id")
        case .file(let bytes) where String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty:
            return .passed("dbus machine-id", "/var/lib/dbus/machine-id empty")
        case .file(let bytes):
            let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return .failed("dbus machine-id", "/var/lib/dbus/machine-id holds \(text): clones would all get it back", fix: fix)
        case .symlink(let target):
            return .failed("dbus machine-id", "/var/lib/dbus/machine-id links to \(target)", fix: fix)
        case .directory:
            return .failed("dbus machine-id", "/var/lib/dbus/machine-id is a directory", fix: fix)
        }
    }

    static func hostKeysCheck(_ lxd: any LXDOperations, _ instance: String) async throws -> GoldCheck {
        let keys = try await lxd.directoryEntries(instance: instance, path: "/etc/ssh").filter { $0.hasPrefix("ssh_host_") }
        guard keys.isEmpty else {
            return .failed("ssh host keys", "baked in (\(keys.joined(separator: ", "))): every clone would share them",
                           fix: "delete them in the gold (`rm -f /etc/ssh/ssh_host_*`) and generate them on first boot (see `first-boot keygen`), or rebuild with `goldfleet gold build`")
        }
        return .passed("ssh host keys", "none baked in")
    }

    /// A unit (or an ssh.service drop-in) that runs `ssh-keygen -A` before sshd; without it a
    /// clone of a gold without host keys has no working sshd.
    static func firstBootKeygenCheck(_ lxd: any LXDOperations, _ instance: String) async throws -> GoldCheck {
        let fix = "install \(GoldFiles.hostKeysUnitPath) (runs `ssh-keygen -A` Before=ssh.service, RequiredBy=ssh.service) and `systemctl enable` it, or rebuild with `goldfleet gold build`"
        func runsKeygen(_ path: String) async throws -> Bool {
            guard case .file(let bytes) = try await lxd.fileEntry(instance: instance, path: path) else { return false }
            let text = String(decoding: bytes, as: UTF8.self)
            return text.split(whereSeparator: \.isNewline).contains { line in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                // `ssh-keygen -A` (all types), or an ed25519 key: what sshd is asked for first.
                return !trimmed.hasPrefix("#") && trimmed.contains("ssh-keygen")
                    && (trimmed.contains(" -A") || trimmed.contains("ssh_host_ed25519_key"))
            }
        }
        for unit in ["ssh.service", "sshd.service"] {
            let dropIns = "/etc/systemd/system/\(unit).d"
            for name in try await lxd.directoryEntries(instance: instance, path: dropIns) where name.hasSuffix(".conf") {
                if try await runsKeygen(dropIns + "/" + name) { return .passed("first-boot keygen", "\(dropIns)/\(name) generates host keys") }
            }
            if try await runsKeygen("/usr/lib/systemd/system/\(unit)") { return .passed("first-boot keygen", "\(unit) generates host keys") }
        }
        let system = try await lxd.directoryEntries(instance: instance, path: "/etc/systemd/system")
        var unitsFound: [String] = []
        for name in system where name.hasSuffix(".service") {
            if try await runsKeygen("/etc/systemd/system/" + name) { unitsFound.append(name) }
        }
        guard !unitsFound.isEmpty else {
            return .failed("first-boot keygen", "nothing runs `ssh-keygen -A` before sshd: with no host keys, a clone's ssh.service fails", fix: fix)
        }
        for directory in system where directory.hasSuffix(".requires") || directory.hasSuffix(".wants") {
            let enabled = try await lxd.directoryEntries(instance: instance, path: "/etc/systemd/system/" + directory)
            if let unit = unitsFound.first(where: { enabled.contains($0) }) {
                return .passed("first-boot keygen", "\(unit) generates host keys (enabled in \(directory))")
            }
        }
        return .failed("first-boot keygen", "\(unitsFound.joined(separator: ", ")) runs ssh-keygen -A but is not enabled",
                       fix: "`systemctl enable \(unitsFound[0])` in the gold")
    }

    static func passwordCheck(_ lxd: any LXDOperations, _ instance: String) async throws -> GoldCheck {
        let fix = "give ubuntu a password: `goldfleet gold build --password-file F`, or `chpasswd` in the gold"
        guard case .file(let bytes) = try await lxd.fileEntry(instance: instance, path: "/etc/shadow") else {
            return .failed("ubuntu password", "/etc/shadow is missing", fix: fix)
        }
        switch GoldFiles.hasUsablePassword(shadow: String(decoding: bytes, as: UTF8.self)) {
        case nil: return .failed("ubuntu password", "there is no ubuntu user", fix: "create it: `useradd -m -s /bin/bash ubuntu`, then set its password")
        case false?: return .failed("ubuntu password", "ubuntu's password is locked or empty: password SSH logins fail", fix: fix)
        case true? where GoldFiles.hasYescryptPassword(shadow: String(decoding: bytes, as: UTF8.self)):
            return .warning("ubuntu password", "ubuntu's password is a yescrypt hash: sshd spends ~50 ms of CPU checking it on every password login",
                            fix: "hash it with SHA-512 instead: `chpasswd -c \(GoldFiles.passwordHashMethod)` in the gold (`goldfleet gold build` does)")
        case true?: return .passed("ubuntu password", "ubuntu has a password")
        }
    }

    static func sudoersCheck(_ lxd: any LXDOperations, _ instance: String) async throws -> GoldCheck {
        var paths = ["/etc/sudoers"]
        // sudo skips drop-ins whose names contain a dot or end in `~`.
        paths += try await lxd.directoryEntries(instance: instance, path: "/etc/sudoers.d")
            .filter { !$0.contains(".") && !$0.hasSuffix("~") }.map { "/etc/sudoers.d/" + $0 }
        for path in paths {
            guard case .file(let bytes) = try await lxd.fileEntry(instance: instance, path: path) else { continue }
            if GoldFiles.grantsPasswordlessSudo(String(decoding: bytes, as: UTF8.self)) {
                return .passed("passwordless sudo", "\(path) gives ubuntu NOPASSWD:ALL")
            }
        }
        return .failed("passwordless sudo", "no sudoers rule gives ubuntu NOPASSWD: juju's manual provider stops at `sudo -n true`",
                       fix: "add `ubuntu ALL=(ALL) NOPASSWD:ALL` as \(GoldFiles.sudoersPath) (mode 0440, check with `visudo -cf`)")
    }

    static func jujuAgentCheck(_ lxd: any LXDOperations, _ instance: String) async throws -> GoldCheck {
        var found: [String] = []
        if try await lxd.fileEntry(instance: instance, path: "/var/lib/juju") != nil { found.append("/var/lib/juju") }
        for directory in ["/etc/systemd/system", "/usr/lib/systemd/system"] {
            found += try await lxd.directoryEntries(instance: instance, path: directory)
                .filter { $0.hasPrefix("jujud-machine-") }.map { directory + "/" + $0 }
        }
        guard found.isEmpty else {
            return .failed("juju agent", "a juju machine agent is installed (\(found.joined(separator: ", "))): `juju add-machine` refuses a provisioned machine",
                           fix: "rebuild the gold from a clean base image (`goldfleet gold build`); never snapshot a machine juju has used")
        }
        return .passed("juju agent", "none (no /var/lib/juju, no jujud-machine-* unit)")
    }

    static func aptTimersCheck(_ lxd: any LXDOperations, _ instance: String) async throws -> GoldCheck {
        var unmasked: [String] = []
        for timer in GoldFiles.aptTimers {
            if case .symlink(let target) = try await lxd.fileEntry(instance: instance, path: "/etc/systemd/system/" + timer), target == "/dev/null" {
                continue
            }
            if try await lxd.fileEntry(instance: instance, path: "/usr/lib/systemd/system/" + timer) == nil { continue }
            unmasked.append(timer)
        }
        guard unmasked.isEmpty else {
            return .failed("apt timers", "\(unmasked.joined(separator: ", ")) not masked: clones update themselves and hold the dpkg lock during tests",
                           fix: "`systemctl mask \(GoldFiles.aptTimers.joined(separator: " "))` in the gold")
        }
        return .passed("apt timers", "automatic apt runs are masked")
    }

    // MARK: Checks of the booted clone

    private func bootChecks(_ clone: String) async throws -> [GoldCheck] {
        let shell = GoldShell(lxd: lxd, instance: clone)
        var checks: [GoldCheck] = []
        try await lxd.start(clone)
        do {
            let address = try await lxd.waitForIPv4(clone, timeout: options.bootTimeout)
            checks.append(.passed("ipv4", "eth0 got \(address)"))
        } catch let error as LXDError {
            checks.append(.failed("ipv4", error.detail ?? error.message,
                                  fix: "check the gold's network config (systemd-networkd with DHCP on eth0, udev installed) and the default profile's NIC"))
        }
        do {
            let boot = try await shell.waitForSystem(timeout: options.bootTimeout)
            let harmless = boot.failedUnits.filter { !GoldFiles.failingInContainers.contains($0) }.isEmpty
            checks.append(boot.state == "running" || harmless
                ? .passed("boot", boot.state == "running" ? "systemd is running" : "systemd is up (\(boot.failedUnits.joined(separator: ", ")) cannot work in a container)")
                : .warning("boot", "systemd is degraded; failed units: \(boot.failedUnits.joined(separator: ", "))",
                           fix: "look at `journalctl -b -u UNIT` in a clone and fix or disable those units in the gold"))
        } catch let error as GoldError {
            checks.append(.failed("boot", error.message, fix: error.hint ?? "look at the clone's journal"))
        }

        let machineID = try await shell.probe(["cat", "/etc/machine-id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        checks.append(machineID.count == 32
            ? .passed("fresh machine-id", "the clone made its own (\(machineID))")
            : .failed("fresh machine-id", "the clone has no valid machine-id after boot (`\(machineID)`)", fix: "check systemd's machine-id setup in the gold"))

        let keys = try await shell.probe(["sh", "-c", "ls /etc/ssh/ssh_host_*_key 2>/dev/null; systemctl is-active ssh.service"])
        let lines = keys.stdout.split(whereSeparator: \.isNewline).map(String.init)
        let generated = lines.filter { $0.hasPrefix("/etc/ssh/ssh_host_") }
        let sshActive = lines.last == "active"
        checks.append(!generated.isEmpty && sshActive
            ? .passed("host keys generated", "\(generated.count) host keys made at first boot; ssh.service active")
            : .failed("host keys generated", generated.isEmpty ? "no host keys after boot; ssh.service \(lines.last ?? "unknown")" : "ssh.service is \(lines.last ?? "unknown")",
                      fix: "enable a first-boot unit running `ssh-keygen -A` Before=ssh.service (goldfleet gold build installs \(GoldFiles.hostKeysUnitName))"))

        let sshd = try await shell.probe(["sshd", "-T"])
        if sshd.exitCode != 0 {
            checks.append(.failed("password login", "`sshd -T` failed: \(sshd.stderr.trimmingCharacters(in: .whitespacesAndNewlines))",
                                  fix: "fix sshd's configuration in the gold (`sshd -t` shows the error)"))
        } else if GoldFiles.sshdAllowsPasswordLogin(effectiveConfig: sshd.stdout) {
            checks.append(.passed("password login", "sshd allows password or keyboard-interactive login"))
        } else {
            checks.append(.failed("password login", "sshd refuses password and keyboard-interactive logins (`sshd -T`)",
                                  fix: "put `PasswordAuthentication yes` and `KbdInteractiveAuthentication yes` in \(GoldFiles.sshdDropInPath): sshd keeps the first value it reads, and 00- sorts before other drop-ins"))
        }

        if sshd.exitCode == 0, let first = GoldFiles.firstKeyExchange(effectiveConfig: sshd.stdout) {
            checks.append(GoldFiles.slowKeyExchanges.contains(first)
                ? .warning("fast ssh logins", "sshd negotiates \(first) first: every OpenSSH connection (juju's add-machine makes several) spends ~70 ms of client CPU on it",
                           fix: "add `KexAlgorithms -\(GoldFiles.slowKeyExchanges.joined(separator: ","))` to \(GoldFiles.sshdDropInPath) (`goldfleet gold build` writes it)")
                : .passed("fast ssh logins", "sshd offers \(first) first"))
        }

        let sudo = try await shell.probe(["runuser", "-u", "ubuntu", "--", "sudo", "-n", "true"])
        checks.append(sudo.exitCode == 0
            ? .passed("sudo -n", "ubuntu runs `sudo -n true` without a password")
            : .failed("sudo -n", "`sudo -n true` as ubuntu failed: \(sudo.stderr.trimmingCharacters(in: .whitespacesAndNewlines))",
                      fix: "add `ubuntu ALL=(ALL) NOPASSWD:ALL` as \(GoldFiles.sudoersPath) (mode 0440)"))

        let pip = try await shell.probe(["python3", "-m", "pip", "--version"])
        checks.append(pip.exitCode == 0
            ? .passed("python3 + pip", pip.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            : .failed("python3 + pip", "`python3 -m pip --version` failed: \((pip.stderr + pip.stdout).trimmingCharacters(in: .whitespacesAndNewlines))",
                      fix: "install python3 and python3-pip in the gold (`goldfleet gold build --packages python3,python3-pip` with a mirror)"))

        let wheels = try await shell.probe(["sh", "-c", "ls \"$(getent passwd ubuntu | cut -d: -f6)\"/\(GoldFiles.wheelhouseDirectoryName)/ 2>/dev/null | grep -c '\\.whl$'"])
        let count = Int(wheels.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        checks.append(count > 0
            ? .passed("wheelhouse", "~ubuntu/\(GoldFiles.wheelhouseDirectoryName) has \(count) wheels")
            : .warning("wheelhouse", "no wheels in ~ubuntu/\(GoldFiles.wheelhouseDirectoryName): `up` copies the whole wheelhouse into every machine",
                       fix: "bake it in: `goldfleet gold build --wheelhouse DIR`"))
        return checks
    }
}
