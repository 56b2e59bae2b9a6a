import Crypto
import Foundation
import Gold
import GoldfleetSupport
import Inventory
import LXDKit
import SSHKit

extension Orchestrator {
    /// One machine's pipeline: clone → start → IPv4 → pin host key → SSH login → verify →
    /// juju keys → wheelhouse (→ pip install) → juju add-machine → record. Steps already done
    /// (by tags on the instance, or by what juju knows) are skipped. Never throws: a failure is
    /// returned in the machine's report with its step, message and hint.
    func convergeMachine(_ spec: MachineSpec, existing: LXDInstance?, context: MachineContext) async -> UpReport.Machine {
        var run = PipelineRun(spec: spec, clock: clock, progress: progress)
        do {
            try await run.step(.clone, skipIf: existing != nil) {
                // Ctrl-C lets a clone under way finish: a re-run then finds it done and tagged.
                let request = creationRequest(spec, context.inventory)
                try await runToCompletion { try await self.lxd.createInstance(request, target: spec.target) }
            }
            try await run.step(.start, skipIf: existing?.isRunning == true) {
                try await lxd.start(spec.instanceName)
            }
            let ipv4 = try await run.step(.address) {
                try await lxd.waitForIPv4(spec.instanceName, timeout: options.addressTimeout, leases: context.leases)
            }
            run.report.ipv4 = ipv4
            run.report.member = existing?.member ?? spec.target

            let digest = spec.wheelhouse.flatMap { context.digests[$0.path] }
            var sshSilent = false
            if let existing {
                switch await stillConverged(spec, existing, ipv4: ipv4, digest: digest, context: context) {
                case .alive(let id):
                    run.report.jujuMachine = id
                    run.report.unchanged = true
                    return run.report
                case .sshSilent: sshSilent = true
                case .needsWork: break
                }
            }
            // Until this run registers it, the machine keeps the juju machine an earlier run
            // recorded: a failed re-run's report still tells `down` which one is its.
            if let recorded = existing?.config[InstanceTags.jujuMachine], context.registered.contains(where: { $0.id == recorded }) {
                run.report.jujuMachine = recorded
            }

            let hostKeys = try await run.step(.hostKey) { try await pinHostKeys(spec.instanceName, ipv4: ipv4, environment: context.inventory.name) }
            let session = try await run.step(.login) {
                try await shells.connect(SSHConnectOptions(
                    host: ipv4, user: context.inventory.ssh.user,
                    authentication: .password(context.password),
                    // A machine that ran converged has long booted: when its sshd is silent,
                    // waiting the boot deadline for it only delays the report.
                    expectedHostKeys: hostKeys, connectDeadline: sshSilent ? min(options.sshDeadline, Self.silentSSHGrace) : options.sshDeadline,
                    commandTimeout: options.commandTimeout))
            }
            let id: String
            let home: String
            var manifest: String?
            do {
                home = try await run.step(.verify) { try await verify(session, machine: spec.instanceName) }
                try await run.step(.jujuKeys, skipIf: options.jujuPublicKeys.isEmpty) {
                    _ = try await session.installAuthorizedKeys(options.jujuPublicKeys)
                }
                // juju logs in with its own key now, so registering need not wait for the
                // wheelhouse: the two run side by side (progress shows them in pipeline order).
                async let registration = timed(clock) {
                    try await register(spec, ipv4: ipv4, existing: existing, context: context)
                }
                var wheelhouseError: (any Error)?
                if let wheelhouse = spec.wheelhouse {
                    let remote = Self.remotePath(wheelhouse.remote, user: context.inventory.ssh.user, home: home)
                    do {
                        manifest = try await run.step(.wheelhouse) {
                            _ = try await session.syncDirectory(from: wheelhouse.path, to: remote)
                            return await manifestDigest(spec.instanceName, remote: Self.absolutePath(remote, home: home)) ?? InstanceTags.none
                        }
                        try await run.step(.pipInstall, skipIf: !wheelhouse.pipInstall) {
                            try await pipInstall(session, wheelhouse: remote, machine: spec.instanceName)
                        }
                    } catch {
                        wheelhouseError = error
                    }
                }
                await session.close()
                progress.report(.stepStarted(machine: spec.instanceName, step: .register))
                // A juju add-machine under way is let finish, never killed half done; the report
                // keeps its id so that `down` removes the machine from juju too.
                let registered = await registration
                if let wheelhouseError {
                    run.report.jujuMachine = try? registered.result.get()
                    throw wheelhouseError
                }
                id = try run.finished(.register, registered)
            } catch {
                await session.close()
                throw error
            }

            run.report.jujuMachine = id
            var record = [InstanceTags.jujuMachine: id, InstanceTags.stage: InstanceTags.ready, InstanceTags.home: home]
            if let digest { record[InstanceTags.wheelhouse] = digest }
            if let manifest { record[InstanceTags.wheelhouseManifest] = manifest }
            try await run.step(.record) { try await lxd.updateConfig(spec.instanceName, set: record) }
            return run.report
        } catch {
            // Deleted by someone else mid-pipeline, the machine fails with a network or LXD
            // error that hides the cause: say what happened.
            if run.current > .clone, !(error is CancellationError),
               case .some(.none) = try? await lxd.instance(named: spec.instanceName) {
                return run.failed(OrchestratorError(
                    "the instance was deleted by someone else while `up` worked on it (\(MachineFailure.text(of: error)))",
                    hint: "run `goldfleet up` again to create it anew"))
            }
            return run.failed(error)
        }
    }

    /// A machine that completed an earlier run only needs checking — if it is still alive: its
    /// wheelhouse has not changed locally, juju still has its machine with this address, sshd
    /// answers on port 22, and the wheelhouse goldfleet left on it is still there. Returns its
    /// juju id; nil (with a note saying why) when the pipeline must run again, resuming from the
    /// host key: what is wrong is then repaired, or fails with its step.
    private func stillConverged(_ spec: MachineSpec, _ instance: LXDInstance, ipv4: String, digest: String?, context: MachineContext) async -> Liveness {
        guard instance.isRunning,
              instance.config[InstanceTags.stage] == InstanceTags.ready,
              instance.config[InstanceTags.wheelhouse] == digest,
              let id = instance.config[InstanceTags.jujuMachine]
        else { return .needsWork }
        let reason: String
        var liveness = Liveness.needsWork
        if !context.registered.contains(where: { $0.id == id && $0.matches(host: ipv4) }) {
            reason = "juju no longer has machine \(id) at \(ipv4)"
        } else if let silence = await sshSilence(ipv4) {
            reason = "sshd does not answer (\(silence))"
            liveness = .sshSilent
        } else if let wheelhouse = spec.wheelhouse, !(await wheelhouseStillThere(spec.instanceName, instance, remote: wheelhouse.remote, user: context.inventory.ssh.user)) {
            reason = "the wheelhouse on the machine is not the one goldfleet synced"
        } else {
            return .alive(jujuMachine: id)
        }
        progress.report(.note("\(spec.instanceName) was converged, but \(reason): checking it again"))
        return liveness
    }

    /// What `stillConverged` found.
    enum Liveness {
        /// Nothing to do: the juju machine id.
        case alive(jujuMachine: String)
        /// Converged but sshd sends no banner: the login gets `silentSSHGrace`, not the boot deadline.
        case sshSilent
        case needsWork
    }

    /// How long the login waits for the sshd of a machine that ran converged but did not answer.
    public static let silentSSHGrace: Duration = .seconds(10)

    /// Why sshd on `ipv4` sent no banner; nil when it did.
    private func sshSilence(_ ipv4: String) async -> String? {
        do {
            _ = try await shells.banner(host: ipv4)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Whether the sync manifest the last `up` left in the machine's wheelhouse is still there,
    /// byte for byte (read through LXD: no login).
    func wheelhouseStillThere(_ name: String, _ instance: LXDInstance, remote: String, user: String) async -> Bool {
        guard let recorded = instance.config[InstanceTags.wheelhouseManifest], let home = instance.config[InstanceTags.home] else {
            return false
        }
        let found = await manifestDigest(name, remote: Self.absolutePath(Self.remotePath(remote, user: user, home: home), home: home))
        return (found ?? InstanceTags.none) == recorded
    }

    /// SHA-256 of the sync manifest in the remote wheelhouse `remote` (an absolute path); nil when
    /// there is none (an empty wheelhouse leaves none).
    private func manifestDigest(_ instance: String, remote: String) async -> String? {
        let path = remote + "/" + SyncManifest.fileName
        guard let bytes = try? await lxd.readFile(instance: instance, path: path) else { return nil }
        return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// The machine's juju id: the one recorded on the instance while juju still has it, else
    /// what `juju add-machine` gives (which returns an existing machine for this address).
    private func register(_ spec: MachineSpec, ipv4: String, existing: LXDInstance?, context: MachineContext) async throws -> String {
        if let recorded = existing?.config[InstanceTags.jujuMachine],
           context.registered.contains(where: { $0.id == recorded }) {
            return recorded
        }
        // Ctrl-C lets an add-machine under way finish: juju's manual provisioning cannot be
        // stopped halfway without leaving a mess.
        return try await runToCompletion {
            try await self.juju.addMachine(user: context.inventory.ssh.user, host: ipv4, known: context.registered)
        }
    }

    /// The create request: limits from the inventory, goldfleet's tags, the pool and profiles,
    /// all in one request so the instance never exists untagged.
    func creationRequest(_ spec: MachineSpec, _ inventory: Inventory) -> LXDCreateInstance {
        var config: [String: String] = [:]
        for entry in spec.instanceConfig(environment: inventory.name) { config[entry.key] = entry.value }
        config.merge(options.extraConfig) { $1 }
        config.merge(InstanceTags.creation(
            environment: inventory.name, machine: spec.group,
            inventory: InventoryOwnership.canonicalPath(inventory.sourceFile),
            model: inventory.juju.model)) { $1 }
        let source: LXDCreateInstance.Source = switch inventory.gold {
        case .snapshot(let instance, let snapshot): .copy(instance: instance, snapshot: snapshot)
        case .image(let alias): .image(alias: alias)
        }
        return LXDCreateInstance(
            name: spec.instanceName, source: source, pool: inventory.lxd.pool,
            profiles: inventory.lxd.profiles, config: config)
    }

    /// Reads the clone's own host keys through LXD (no trust on first use), waiting for the
    /// first-boot key generation, and pins them in the environment's and juju's known_hosts.
    private func pinHostKeys(_ instance: String, ipv4: String, environment: String) async throws -> [SSHHostKey] {
        let deadline = clock.now() + options.sshDeadline
        var keys: [SSHHostKey] = []
        while true {
            // `ssh-keygen -A` writes the ed25519 key last: once it is there, all are. Reading
            // earlier could pin only an RSA key, which OpenSSH 9 no longer signs with SHA-1.
            let ed25519 = try await hostKeyFile(instance, "ed25519")
            let timedOut = clock.now() >= deadline
            if let ed25519, !ed25519.isEmpty {
                keys = [try SSHHostKey(openSSHLine: String(decoding: ed25519, as: UTF8.self))]
                break
            }
            if timedOut {
                // A gold without ed25519 keys: take whatever host keys it has.
                for type in ["ecdsa", "rsa"] {
                    guard let bytes = try await hostKeyFile(instance, type), !bytes.isEmpty else { continue }
                    keys.append(try SSHHostKey(openSSHLine: String(decoding: bytes, as: UTF8.self)))
                }
                guard keys.isEmpty else { break }
                throw OrchestratorError(
                    "no SSH host key appeared in /etc/ssh of \(instance) within \(options.sshDeadline)",
                    hint: "the gold must generate host keys on first boot (`ssh-keygen -A` before sshd); check it with `goldfleet gold doctor`")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        for path in [state.knownHosts(for: environment)] + (options.jujuKnownHosts.map { [$0] } ?? []) {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            try KnownHostsFile(path: path).add(host: ipv4, keys: keys, label: KnownHostsFile.label(environment: environment, instance: instance))
        }
        return keys
    }

    /// One public host key file of the clone, or nil while it is not there (yet). LXD itself
    /// being away, or the instance gone, is an error at once: waiting out the SSH deadline
    /// would blame the gold.
    private func hostKeyFile(_ instance: String, _ type: String) async throws -> [UInt8]? {
        do {
            return try await lxd.readFile(instance: instance, path: "/etc/ssh/ssh_host_\(type)_key.pub")
        } catch let error as LXDError where error.kind == .daemonUnavailable || error.kind == .daemonRestarted
                    || error.isInstanceMissing {
            throw error
        } catch {
            return nil
        }
    }

    /// Checks what juju and charms need, in one round trip; returns the user's home directory.
    private func verify(_ session: any MachineShell, machine: String) async throws -> String {
        let script = """
            sudo -n true 2>/dev/null || exit 10
            command -v python3 >/dev/null 2>&1 || exit 11
            [ -x /usr/bin/pip3 ] || python3 -c 'import pip' 2>/dev/null || exit 12
            free=$(df -Pk "$HOME" | awk 'NR==2 {print $4}')
            [ "${free:-0}" -ge 262144 ] || { echo "$free"; exit 13; }
            printf '%s' "$HOME"
            """
        let result = try await session.execute(script, stdin: nil, timeout: options.commandTimeout)
        switch result.exitStatus {
        case 0: return result.stdout
        case 10: throw OrchestratorError("`sudo -n true` asks for a password on \(machine)",
                                         hint: "juju's manual provider needs passwordless sudo: add `ubuntu ALL=(ALL) NOPASSWD:ALL` in /etc/sudoers.d/ of the gold")
        case 11: throw OrchestratorError("python3 is missing on \(machine)", hint: "install python3 in the gold")
        case 12: throw OrchestratorError("pip is missing on \(machine) (no pip3, and `import pip` fails)", hint: "install python3-pip in the gold")
        case 13: throw OrchestratorError("only \(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) KiB free in the home directory of \(machine); at least 256 MiB are needed",
                                         hint: "free space in the storage pool, or give the pool more room")
        default: throw OrchestratorError("verifying \(machine) failed (exit \(result.exitStatus)): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    private func pipInstall(_ session: any MachineShell, wheelhouse: String, machine: String) async throws {
        let result = try await session.execute(Self.pipInstallCommand(wheelhouse: wheelhouse), stdin: nil, timeout: options.commandTimeout)
        guard result.exitStatus == 0 else {
            let last = result.stderr.split(separator: "\n").last.map(String.init) ?? ""
            throw OrchestratorError("offline pip install on \(machine) failed: \(last)",
                                    hint: "the wheelhouse must hold every dependency as a wheel for this Python (pip download -d DIR …)")
        }
    }

    /// Installs the wheelhouse for the system Python, as root: charm hooks run as root with the
    /// system Python and never see a `--user` install. PIP_BREAK_SYSTEM_PACKAGES lets pip ≥ 23
    /// install into a Python the distribution marks externally managed (Debian 12, Ubuntu 24.04);
    /// older pips ignore it (`--break-system-packages` would be an unknown option to them).
    static func pipInstallCommand(wheelhouse: String) -> String {
        let quoted = Command.quoted(wheelhouse)
        return "sudo -n env PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --no-index --find-links \(quoted) \(quoted)/*.whl"
    }

    /// `path` as an absolute path: SFTP resolves a relative one against the home directory.
    static func absolutePath(_ path: String, home: String) -> String {
        var absolute = path.hasPrefix("/") ? path : home + "/" + path
        while absolute.count > 1 && absolute.hasSuffix("/") { absolute.removeLast() }
        return absolute
    }

    /// SFTP does not expand `~`: resolve `~/x` and `~user/x` (for the login user) to the home.
    static func remotePath(_ path: String, user: String, home: String) -> String {
        if path == "~" || path == "~\(user)" { return home }
        for prefix in ["~/", "~\(user)/"] where path.hasPrefix(prefix) {
            return home + "/" + path.dropFirst(prefix.count)
        }
        return path
    }
}

/// Times the steps of one machine and keeps its report.
struct PipelineRun {
    var report: UpReport.Machine
    private(set) var current: MachineStep = .clone
    let clock: MonotonicClock
    let progress: any ProgressSink

    init(spec: MachineSpec, clock: MonotonicClock, progress: any ProgressSink) {
        report = UpReport.Machine(
            name: spec.instanceName, group: spec.group, ipv4: nil, jujuMachine: nil,
            member: spec.target, steps: [:], failure: nil, unchanged: false)
        self.clock = clock
        self.progress = progress
    }

    @discardableResult
    mutating func step<T>(_ step: MachineStep, skipIf skip: Bool, _ body: () async throws -> T) async throws -> T? {
        current = step
        if skip { return nil }
        try Task.checkCancellation()
        progress.report(.stepStarted(machine: report.name, step: step))
        let (value, duration) = try await clock.measure(body)
        report.steps[step.rawValue] = duration.seconds
        return value
    }

    @discardableResult
    mutating func step<T>(_ step: MachineStep, _ body: () async throws -> T) async throws -> T {
        try await self.step(step, skipIf: false, body)!
    }

    /// Takes the outcome of a step that ran beside the others (see `timed`).
    mutating func finished<T>(_ step: MachineStep, _ outcome: (result: Result<T, any Error>, seconds: Double)) throws -> T {
        current = step
        let value = try outcome.result.get()
        report.steps[step.rawValue] = outcome.seconds
        return value
    }

    func failed(_ error: any Error) -> UpReport.Machine {
        var failed = report
        failed.failure = .init(
            step: current.rawValue, message: MachineFailure(machine: report.name, step: current, underlying: error).message,
            hint: MachineFailure.hint(for: error))
        return failed
    }
}

/// Runs a step that goes on beside the pipeline's own steps, measuring it the same way.
/// A failed step's time is not recorded (`finished` throws first), so it is 0.
func timed<T: Sendable>(_ clock: MonotonicClock, _ body: () async throws -> T) async -> (result: Result<T, any Error>, seconds: Double) {
    do {
        let (value, duration) = try await clock.measure(body)
        return (.success(value), duration.seconds)
    } catch {
        return (.failure(error), 0)
    }
}
