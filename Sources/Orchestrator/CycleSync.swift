import Foundation
import Gold
import GoldfleetSupport
import Inventory
import JujuKit
import SSHKit

/// One unit `cycle --sync` works on: which application's charm, and where the unit runs.
struct SyncTarget: Sendable, Equatable {
    var unit: String
    var application: String
    /// juju's machine id (a subordinate's is its principal's).
    var jujuMachine: String
    /// The environment's instance with that juju machine; nil when it is none of them.
    var instance: String?

    /// `unit-APP-N`, juju's tag for the unit.
    var unitTag: String { "unit-" + unit.replacingOccurrences(of: "/", with: "-") }
    /// Where juju's uniter deploys the unit's charm (agent/tools paths, DataDir/agents/TAG/charm).
    var charmDirectory: String { "/var/lib/juju/agents/\(unitTag)/charm" }
    /// The login user's copy of what was last synced to the unit, below its home directory.
    var stagingDirectory: String { ".goldfleet/charm-sync/\(unitTag)" }

    /// The units of `applications` in `status`, in juju's unit order, subordinates on their
    /// principal's machine; `instances` maps juju machine ids to the environment's instances.
    static func resolve(applications: [String], status: JujuStatus, instances: [String: String]) -> [SyncTarget] {
        let wanted = Set(applications)
        var targets: [SyncTarget] = []
        for application in status.applications {
            for principal in application.units {
                guard let machine = principal.machine else { continue }
                for unit in [principal] + principal.subordinates {
                    let name = String(unit.name.split(separator: "/").first ?? "")
                    guard wanted.contains(name), !targets.contains(where: { $0.unit == unit.name }) else { continue }
                    targets.append(SyncTarget(unit: unit.name, application: name, jujuMachine: machine, instance: instances[machine]))
                }
            }
        }
        return targets.sorted { a, b in
            a.application != b.application
                ? applications.firstIndex(of: a.application)! < applications.firstIndex(of: b.application)!
                : (Int(a.unit.split(separator: "/").last ?? "") ?? 0) < (Int(b.unit.split(separator: "/").last ?? "") ?? 0)
        }
    }
}

extension Orchestrator {
    /// The sessions `cycleSync` uses, for the inventory's user and password and the host keys
    /// `up` pinned. Close them with `closeAll()` when done.
    public func machineSessions(for inventory: Inventory) throws -> MachineSessions {
        MachineSessions(user: inventory.ssh.user, password: try PasswordResolver.resolve(inventory.ssh.password),
                        knownHosts: KnownHostsFile(path: state.knownHosts(for: inventory.name)),
                        commandTimeout: options.commandTimeout)
    }

    /// `goldfleet cycle FILE [APP…] --sync [--hook NAME]` (issue 17): pushes only the changed
    /// files of each local charm into every unit's charm directory (SFTP into a staging
    /// directory of the login user, then one `sudo -n` copy; see
    /// `SSHSession.syncDirectoryAsRoot`), then fires `hook` on every unit through `juju exec`,
    /// all units side by side. A hook that exits non-zero is reported with its output.
    public func cycleSync(_ inventory: Inventory, applications names: [String], hook hookName: String = CharmHook.defaultName,
                          sessions: MachineSessions) async throws -> SyncCycleReport {
        let start = clock.now()
        let applications = try Self.localApplications(inventory, named: names)
        var hooks: [String: CharmHook] = [:]
        for app in applications {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: app.charm, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw OrchestratorError("application `\(app.name)` deploys the packed charm \(app.charm): --sync needs the charm's directory",
                                        hint: "point `charm:` at the charm's directory, or use `cycle --refresh` for a .charm file")
            }
            hooks[app.name] = try CharmHook(hookName, charmDirectory: app.charm)
        }
        async let version = juju.version()
        async let status = juju.status()
        let instances = try await managedInstances(of: inventory.name)
        let byJujuMachine = Dictionary(instances.values.compactMap { instance in
            instance.config[InstanceTags.jujuMachine].map { ($0, instance.name) }
        }, uniquingKeysWith: { first, _ in first })
        let targets = SyncTarget.resolve(applications: applications.map(\.name), status: try await status, instances: byJujuMachine)
        guard !targets.isEmpty else {
            throw OrchestratorError("\(applications.map(\.name).joined(separator: ", ")) has no units in model \(juju.model) to sync",
                                    hint: "deploy it first with `goldfleet up`")
        }
        let jujuVersion = try await version
        let charms = Dictionary(applications.map { ($0.name, $0.charm) }, uniquingKeysWith: { first, _ in first })
        let hooksByApplication = hooks

        let units = await mapConcurrently(targets, limit: options.parallel, whenCancelled: { target in
            var unit = SyncCycleReport.Unit(name: target.unit, machine: target.instance)
            unit.error = "interrupted before it started"
            return unit
        }) { target in
            await self.syncUnit(target, charm: charms[target.application]!, hook: hooksByApplication[target.application]!,
                                version: jujuVersion, sessions: sessions, environment: inventory.name, start: start)
        }
        return SyncCycleReport(hook: hookName, units: units, seconds: (clock.now() - start).seconds)
    }

    /// One unit: sync its charm directory, then run the hook. Never throws: the unit's report
    /// says what failed.
    private func syncUnit(_ target: SyncTarget, charm: String, hook: CharmHook, version: JujuVersion,
                          sessions: MachineSessions, environment: String, start: Duration) async -> SyncCycleReport.Unit {
        var unit = SyncCycleReport.Unit(name: target.unit, machine: target.instance)
        guard let instance = target.instance else {
            unit.error = "\(target.unit) runs on juju machine \(target.jujuMachine), which is not a machine of environment `\(environment)`"
            unit.hint = "--sync reaches the environment's own machines; for units in juju's containers use `cycle --refresh`"
            return unit
        }
        let began = clock.now()
        var host: String?
        do {
            guard let address = try await lxd.state(instance).globalIPv4(nic: "eth0") else {
                throw OrchestratorError("\(instance) has no IPv4 address", hint: "start it (`lxc start \(instance)`) or run `goldfleet up`")
            }
            host = address
            let session = try await sessions.session(address)
            let synced = try await session.syncDirectoryAsRoot(from: charm, staging: target.stagingDirectory,
                                                              to: target.charmDirectory, stamp: ".juju-charm",
                                                              excluding: CharmFiles.isLeftOut)
            unit.uploaded = synced.staged.uploaded
            unit.copied = synced.copied
            unit.removed = synced.removed
            unit.fullCopy = synced.fullCopy
        } catch {
            if let host { await sessions.discard(host) }
            unit.error = "syncing the charm to \(instance): \(MachineFailure.text(of: error))"
            unit.hint = (error as? any UserFacingError)?.hint
            unit.syncSeconds = (clock.now() - began).seconds
            return unit
        }
        let hookStarted = clock.now()
        unit.syncSeconds = (hookStarted - began).seconds
        do {
            let result = try await juju.exec(unit: target.unit, commands: hook.command, version: version)
            let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let trimmed = lines.last == "" ? Array(lines.dropLast()) : lines
            unit.exitCode = result.exitCode
            unit.output = Array(trimmed.suffix(SyncCycleReport.keptLines))
            unit.outputLines = trimmed.count
        } catch {
            unit.error = "running the \(hook.name) hook: \(MachineFailure.text(of: error))"
            unit.hint = (error as? any UserFacingError)?.hint
        }
        unit.hookSeconds = (clock.now() - hookStarted).seconds
        unit.total = (clock.now() - start).seconds
        return unit
    }
}
