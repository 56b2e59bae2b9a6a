import Foundation
import GoldfleetSupport
import LXDKit

/// `goldfleet gold build`: launches an instance from a base image, makes it a gold goldfleet's
/// clones can use unattended (ubuntu with a password, password SSH, passwordless sudo, no
/// automatic updates, optionally a wheelhouse), makes it clone-safe, stops it and snapshots it.
/// Everything goes through LXD's exec and files APIs.
public struct GoldBuilder: Sendable {
    let lxd: any LXDOperations
    let progress: any ProgressSink
    let clock: MonotonicClock

    public init(lxd: any LXDOperations, progress: any ProgressSink = SilentProgress(), clock: MonotonicClock = .system) {
        self.lxd = lxd
        self.progress = progress
        self.clock = clock
    }

    public func build(_ options: GoldBuildOptions) async throws -> GoldBuildReport {
        let problems = options.problems()
        guard problems.isEmpty else {
            throw GoldError("cannot build gold `\(options.name)`: " + problems.joined(separator: "; "), hint: "fix the options and run it again")
        }
        let started = clock.now()
        let record = StepRecorder(forwardingTo: progress)
        var warnings: [String] = []
        func warn(_ text: String) {
            warnings.append(text)
            progress.report(.warning(text))
        }

        let image = try options.imageSource()
        try await step("check \(options.name) and \(image)", record) { try await prepare(options, image) }
        try await step("launch \(options.name) from \(image)", record) { try await launch(options, image) }
        let shell = GoldShell(lxd: lxd, instance: options.name)
        do {
            try await step("start", record) { try await lxd.start(options.name) }
            let boot = try await step("wait for systemd", record) { try await shell.waitForSystem(timeout: options.bootTimeout) }
            if boot.state == "degraded" && !boot.failedUnits.allSatisfy(GoldFiles.failingInContainers.contains) {
                warn("\(options.name) booted degraded; failed units: \(boot.failedUnits.joined(separator: ", "))")
            }
            try await step("check for a juju agent", record) { try await refuseJujuMachine(shell) }
            if !options.packages.isEmpty {
                try await step("install \(options.packages.joined(separator: " "))", record) { try await installPackages(options.packages, shell) }
            }
            let user = try await step("ubuntu user", record) { try await ensureUbuntu(options.password, shell) }
            if !user.hasPassword {
                warn("ubuntu has no usable password in \(options.name): password SSH logins will fail; pass --password-env or --password-file")
            }
            try await step("sshd password login (\(GoldFiles.sshdDropInPath))", record) {
                try await lxd.writeFile(instance: options.name, path: GoldFiles.sshdDropInPath, contents: Array(GoldFiles.sshdDropIn.utf8),
                                        mode: 0o644, uid: 0, gid: 0)
            }
            try await step("passwordless sudo (\(GoldFiles.sudoersPath))", record) { try await installSudoers(shell) }
            if options.upgradePip {
                try await step("upgrade pip", record) {
                    try await shell.run(["python3", "-m", "pip", "install", "--upgrade", "pip"], environment: ["PIP_BREAK_SYSTEM_PACKAGES": "1"],
                                        while: "upgrading pip", hint: "pip needs PyPI; leave out --upgrade-pip when the instance has no internet")
                }
            }
            if let wheelhouse = options.wheelhouse {
                let count = try await step("copy wheelhouse \(wheelhouse)", record) { try await copyWheelhouse(wheelhouse, to: user, shell) }
                if count == 0 { warn("the wheelhouse \(wheelhouse) has no files") }
                if options.pipInstallWheelhouse {
                    try await step("pip install the wheelhouse system-wide (offline)", record) { try await pipInstallWheelhouse(user, shell) }
                }
            }
            try await step("turn off automatic updates", record) { try await disableAutomaticUpdates(shell) }
            try await step("first-boot SSH host keys (\(GoldFiles.hostKeysUnitName))", record) { try await installHostKeysUnit(shell) }
            try await step("clean cloud-init, leases, logs", record) { try await cleanInside(shell) }
            try await step("stop", record) {
                do {
                    try await lxd.stop(options.name, force: false)
                } catch let error as LXDError where error.kind != .daemonUnavailable {
                    // A busy host can make a clean shutdown time out; everything is synced and
                    // the clone-safe files are enforced on disk next, so a forced stop is safe.
                    warn("clean shutdown of \(options.name) failed (\(error.lxdMessage ?? error.kind.rawValue)); forcing it")
                    try await lxd.stop(options.name, force: true)
                }
            }
            // The on-disk state is what clones get: enforce it on the stopped gold, whatever
            // shutdown may have written.
            try await step("clone-safe: machine-id, dbus machine-id, host keys", record) { try await makeCloneSafe(options.name) }
            let snapshot = try await step("snapshot", record) { () async throws -> String in
                let name = GoldSnapshotName.next(after: try await lxd.snapshots(instance: options.name))
                try await lxd.createSnapshot(instance: options.name, name: name)
                return name
            }
            let checks = try await step("verify clone safety", record) { try await GoldDoctor.quickChecks(lxd: lxd, gold: options.name) }
            for check in checks where check.status == .failed { warn("\(check.name): \(check.detail)") }
            return GoldBuildReport(gold: options.name, snapshot: snapshot, steps: record.steps, total: clock.now() - started,
                                   warnings: warnings, checks: checks)
        } catch {
            // A half-built gold is useless and would block the next build: remove it.
            progress.report(.warning("build failed; deleting the half-built instance \(options.name)"))
            await GoldCleanup.deleteInstance(options.name, lxd: lxd)
            throw error
        }
    }

    @discardableResult
    private func step<T: Sendable>(_ title: String, _ record: StepRecorder, _ body: () async throws -> T) async throws -> T {
        try await record.timedTask(title, clock: clock, body)
    }

    /// Refuses to touch an instance goldfleet did not build, and removes goldfleet's old gold on `--replace`.
    /// A remote image is not looked up here: only LXD talks to the image server, at launch.
    private func prepare(_ options: GoldBuildOptions, _ image: GoldImageSource) async throws {
        if case .local(let alias) = image, try await lxd.imageAlias(alias) == nil {
            throw GoldError("image alias `\(alias)` does not exist on this LXD",
                            hint: "import or build the base image (`scripts/lab` makes goldfleet/base/bookworm), or name another with --from (a local alias, or REMOTE:ALIAS such as ubuntu:24.04); `lxc image alias list` shows them")
        }
        guard let existing = try await lxd.instance(named: options.name) else { return }
        guard GoldTags.isGoldfleetGold(existing.config) else {
            throw GoldError("instance `\(options.name)` already exists and was not built by goldfleet (no \(InstanceTags.managedBy)=goldfleet and \(GoldTags.gold)=true)",
                            hint: "goldfleet never replaces what it did not build: pick another --name, or remove it yourself")
        }
        guard options.replace else {
            throw GoldError("gold `\(options.name)` already exists", hint: "pass --replace to rebuild it (its snapshots are deleted with it), or pick another --name")
        }
        progress.report(.note("replacing goldfleet's gold \(options.name)"))
        if existing.isRunning { try await lxd.stop(options.name, force: true) }
        try await lxd.delete(options.name)
    }

    /// Creates the gold from the image; for a remote image LXD downloads it first, and a server
    /// it cannot reach is reported as such rather than as LXD's bare message.
    private func launch(_ options: GoldBuildOptions, _ image: GoldImageSource) async throws {
        let request = LXDCreateInstance(name: options.name, source: image.instanceSource, pool: options.pool,
                                        config: options.extraConfig.merging(GoldTags.creation) { _, tag in tag })
        do {
            try await lxd.createInstance(request, target: nil)
        } catch let error as LXDError where error.kind != .daemonUnavailable {
            guard case .remote(let remote, _) = image else { throw error }
            throw GoldError("LXD could not create \(options.name) from image `\(remote.alias)` of the \(remote.imageProtocol.rawValue) server \(remote.server)\(image.remoteName.map { " (lxc remote \($0))" } ?? ""): \([error.lxdMessage, error.detail].compactMap { $0 }.joined(separator: "; "))",
                            hint: "the LXD host itself must reach \(remote.server) over HTTPS and the server must have `\(remote.alias)` (`lxc image list \(image.remoteName ?? remote.server):`); offline, import an image locally (`lxc image import`) and give its alias to --from")
        }
    }

    private func refuseJujuMachine(_ shell: GoldShell) async throws {
        let found = try await shell.script("""
            for f in /var/lib/juju /etc/systemd/system/jujud-machine-* /lib/systemd/system/jujud-machine-* /usr/lib/systemd/system/jujud-machine-*; do
                [ -e "$f" ] && echo "$f"
            done
            true
            """, while: "looking for a juju agent").stdout.split(whereSeparator: \.isNewline).map(String.init)
        guard found.isEmpty else {
            throw GoldError("the image already carries a juju machine agent (\(found.joined(separator: ", "))); juju refuses to add a machine that is already provisioned",
                            hint: "build the gold from a clean base image (--from), not from a machine juju has used")
        }
    }

    private func installPackages(_ packages: [String], _ shell: GoldShell) async throws {
        let environment = ["DEBIAN_FRONTEND": "noninteractive"]
        let hint = "apt needs a reachable Debian mirror from inside the instance (the lab's bridge has NAT off); leave out --packages there"
        try await shell.run(["apt-get", "update", "-q"], environment: environment, while: "apt-get update", hint: hint)
        try await shell.run(["apt-get", "install", "-y", "-q", "--no-install-recommends"] + packages, environment: environment,
                            while: "installing \(packages.joined(separator: " "))", hint: hint)
    }

    /// Creates ubuntu when missing, sets its password without putting it on any command line,
    /// and returns its account.
    private func ensureUbuntu(_ password: Secret?, _ shell: GoldShell) async throws -> GoldUser {
        if try await shell.probe(["id", "-u", "ubuntu"]).exitCode != 0 {
            try await shell.script("""
                useradd -m -s /bin/bash ubuntu
                if getent group sudo >/dev/null; then usermod -aG sudo ubuntu; fi
                """, while: "creating user ubuntu")
        }
        if let password {
            // chpasswd reads the password from a root-only file that is removed at once; it never
            // appears on argv, in the environment or in LXD's operation records.
            let path = "/root/.goldfleet-chpasswd"
            try await lxd.writeFile(instance: shell.instance, path: path, contents: Array("ubuntu:\(password.revealedValue)\n".utf8), mode: 0o600, uid: 0, gid: 0)
            do {
                try await shell.script("chpasswd -c \(GoldFiles.passwordHashMethod) < \(path); status=$?; rm -f \(path); exit $status", while: "setting ubuntu's password")
            } catch {
                _ = try? await shell.probe(["rm", "-f", path])
                throw error
            }
        }
        let entry = try await shell.run(["getent", "passwd", "ubuntu"], while: "reading ubuntu's account").stdout
        guard let user = GoldUser(passwdLine: entry) else {
            throw GoldError("cannot read ubuntu's account in \(shell.instance): `\(entry.trimmingCharacters(in: .whitespacesAndNewlines))`")
        }
        let status = try await shell.probe(["passwd", "-S", "ubuntu"]).stdout.split(separator: " ")
        return GoldUser(uid: user.uid, gid: user.gid, home: user.home, hasPassword: status.count > 1 && status[1] == "P")
    }

    private func installSudoers(_ shell: GoldShell) async throws {
        try await lxd.writeFile(instance: shell.instance, path: GoldFiles.sudoersPath, contents: Array(GoldFiles.sudoers.utf8), mode: 0o440, uid: 0, gid: 0)
        let check = try await shell.probe(["visudo", "-cf", GoldFiles.sudoersPath])
        guard check.exitCode == 0 else {
            // A broken sudoers drop-in breaks sudo for everyone: never leave it behind.
            _ = try? await shell.probe(["rm", "-f", GoldFiles.sudoersPath])
            throw GoldError("visudo rejected \(GoldFiles.sudoersPath) in \(shell.instance): \((check.stderr + check.stdout).trimmingCharacters(in: .whitespacesAndNewlines))",
                            hint: "is sudo installed in the base image? `apt-get install sudo` in it, or use --packages sudo")
        }
    }

    /// Copies the regular files of a local directory to `~ubuntu/wheelhouse`, owned by ubuntu.
    private func copyWheelhouse(_ directory: String, to user: GoldUser, _ shell: GoldShell) async throws -> Int {
        let files = try await LocalFiles.regularFiles(in: directory)
        let target = user.home + "/" + GoldFiles.wheelhouseDirectoryName
        try await shell.run(["install", "-d", "-m", "0755", "-o", String(user.uid), "-g", String(user.gid), target], while: "creating \(target)")
        for file in files {
            let contents = try await LocalFiles.read(directory + "/" + file)
            try await lxd.writeFile(instance: shell.instance, path: target + "/" + file, contents: contents, mode: 0o644, uid: user.uid, gid: user.gid)
        }
        return files.count
    }

    private func pipInstallWheelhouse(_ user: GoldUser, _ shell: GoldShell) async throws {
        let wheelhouse = user.home + "/" + GoldFiles.wheelhouseDirectoryName
        // System-wide, as root: charm hooks run as root with the system Python (see
        // MachinePipeline.pipInstallCommand for PIP_BREAK_SYSTEM_PACKAGES).
        try await shell.run(
            ["env", "PIP_BREAK_SYSTEM_PACKAGES=1",
             "sh", "-c", "python3 -m pip install --no-index --find-links \"$1\" \"$1\"/*.whl", "sh", wheelhouse],
            while: "pip install of the wheelhouse", hint: "the wheelhouse must hold every dependency as a wheel (it is installed with --no-index)")
    }

    private func disableAutomaticUpdates(_ shell: GoldShell) async throws {
        try await shell.run(["systemctl", "mask"] + GoldFiles.aptTimers, while: "masking the apt timers")
        try await shell.script("""
            if dpkg-query -W -f='${Status}' unattended-upgrades 2>/dev/null | grep -q 'install ok installed'; then
                systemctl disable --now unattended-upgrades.service || true
                DEBIAN_FRONTEND=noninteractive apt-get -y -q purge unattended-upgrades
            fi
            """, while: "removing unattended-upgrades")
    }

    private func installHostKeysUnit(_ shell: GoldShell) async throws {
        try await lxd.writeFile(instance: shell.instance, path: GoldFiles.hostKeysUnitPath, contents: Array(GoldFiles.hostKeysUnit.utf8),
                                mode: 0o644, uid: 0, gid: 0)
        try await shell.run(["systemctl", "daemon-reload"], while: "reloading systemd")
        try await shell.run(["systemctl", "enable", GoldFiles.hostKeysUnitName], while: "enabling \(GoldFiles.hostKeysUnitName)")
    }

    /// What only the running system can clean: cloud-init's state, DHCP leases, apt's cache, the journal.
    private func cleanInside(_ shell: GoldShell) async throws {
        try await shell.script("""
            if command -v cloud-init >/dev/null 2>&1; then cloud-init clean --logs; fi
            apt-get clean
            rm -rf /var/lib/systemd/network/* /var/lib/dhcp/*.leases /var/lib/dhclient/* /var/log/journal/*
            : > /etc/machine-id
            rm -f /var/lib/dbus/machine-id /etc/ssh/ssh_host_*
            sync
            """, while: "cleaning the gold")
    }

    /// Every clone must make its own machine-id (else duplicate DHCP leases) and host keys;
    /// systemd copies an old id back from dbus's file, so that goes too.
    private func makeCloneSafe(_ instance: String) async throws {
        try await lxd.writeFile(instance: instance, path: "/etc/machine-id", contents: [], mode: 0o444, uid: 0, gid: 0)
        try await lxd.deleteFile(instance: instance, path: "/var/lib/dbus/machine-id")
        for name in try await lxd.directoryEntries(instance: instance, path: "/etc/ssh") where name.hasPrefix("ssh_host_") {
            try await lxd.deleteFile(instance: instance, path: "/etc/ssh/" + name)
        }
    }
}

/// The ubuntu account inside a gold.
struct GoldUser: Sendable, Equatable {
    var uid: Int
    var gid: Int
    var home: String
    var hasPassword: Bool

    init(uid: Int, gid: Int, home: String, hasPassword: Bool) {
        self.uid = uid
        self.gid = gid
        self.home = home
        self.hasPassword = hasPassword
    }

    /// From a `getent passwd` line: `ubuntu:x:1000:1000:,,,:/home/ubuntu:/bin/bash`.
    init?(passwdLine: String) {
        let fields = passwdLine.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count >= 7, let uid = Int(fields[2]), let gid = Int(fields[3]), !fields[5].isEmpty else { return nil }
        self.init(uid: uid, gid: gid, home: String(fields[5]), hasPassword: false)
    }
}

/// Passes progress on and keeps the finished steps for the build report; called from any task.
final class StepRecorder: ProgressSink, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [GoldBuildReport.Step] = []
    private let forward: any ProgressSink

    init(forwardingTo forward: any ProgressSink) { self.forward = forward }

    func report(_ event: ProgressEvent) {
        if case .taskFinished(let title, let duration) = event { lock.withLock { stored.append(.init(title: title, duration: duration)) } }
        forward.report(event)
    }

    var steps: [GoldBuildReport.Step] { lock.withLock { stored } }
}
