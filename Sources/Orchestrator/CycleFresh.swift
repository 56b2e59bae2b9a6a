import Foundation
import Gold
import GoldfleetSupport
import Inventory
import JujuKit

extension Orchestrator {
    /// `goldfleet cycle FILE [APP…]`, the fresh mode (issue 17): for each local-charm application
    /// (all of them when none is named) the units go (`juju remove-application --force
    /// --no-wait`: their machines are discarded, so their stop hooks are not waited for), their
    /// machines are reset to the gold as `reset` does (re-clone, re-verify, `add-machine`), and
    /// the converge `up` runs deploys the charm again with the same `--to` placements and
    /// relations. Then it waits, reading only `juju status`, until every new unit is idle after
    /// its install/start hooks or one failed, and times each phase from `show-status-log`.
    ///
    /// A machine that also hosts another (not cycled) application is refused before anything
    /// is touched: a fresh machine would silently take that application's unit with it.
    ///
    /// Each unit's phases: `machine fresh` (from the start until its machine was re-cloned,
    /// verified and registered again), `charm uploaded` (from `juju deploy` until the unit's
    /// agent began its install hook), the `install hook` and `start hook` as juju's status log
    /// times them; its total runs from the start until it was idle or in error.
    public func cycleFresh(_ inventory: Inventory, applications names: [String],
                           pollInterval: Duration = .milliseconds(200)) async throws -> CycleReport {
        do {
            return try await cycleFreshSteps(inventory, applications: names, pollInterval: pollInterval)
        } catch {
            // Ctrl-C: whatever stopped first (a wait, a juju command) says the same thing.
            if Task.isCancelled, !(error is OrchestratorError) { try Self.checkInterrupted(inventory) }
            throw error
        }
    }

    private func cycleFreshSteps(_ inventory: Inventory, applications names: [String],
                                 pollInterval: Duration) async throws -> CycleReport {
        let applications = try Self.localApplications(inventory, named: names)
        let selected = try Self.freshMachines(for: applications, in: inventory)
        let lock = try EnvironmentLock.acquire(environment: inventory.name, in: state)
        defer { withExtendedLifetime(lock) {} }
        let start = clock.now()

        let instances = try await managedInstances(of: inventory.name)
        do {
            _ = try InventoryOwnership(Array(instances.values)).requireOwned(
                by: InventoryOwnership.canonicalPath(inventory.sourceFile), environment: inventory.name,
                command: "cycle", adopt: false)
        } catch let mismatch as InventoryMismatch {
            throw OrchestratorError(mismatch.message, hint: "cycle with the inventory that made them, or take them over first with `goldfleet up \(inventory.sourceFile) --adopt`")
        }
        let version = try await juju.version()
        let status = try await juju.status()
        let doomed = selected.compactMap { instances[$0] }
        var recordedIDs: [String: String] = [:]
        for instance in doomed { if let id = instance.config[InstanceTags.jujuMachine] { recordedIDs[id] = instance.name } }
        try Self.requireNoOtherUnits(status, onMachines: recordedIDs, cycled: Set(applications.map(\.name)), inventory: inventory)

        // 1. The applications go. juju removes them in the background: wait until status no
        // longer lists them, or the deploy below would find them still there.
        let present = applications.map(\.name).filter { status.application($0) != nil }
        for name in present {
            try Self.checkInterrupted(inventory)
            progress.report(.note("juju remove-application \(name) --force --no-wait"))
            try await juju.removeApplication(name, force: true, version: version)
        }
        if !present.isEmpty {
            try await waitUntilGone(inventory: inventory, pollInterval: pollInterval) { [juju] in
                let status = try await juju.status()
                return present.filter { status.application($0) != nil }.map { "application \($0)" }
            }
        }

        // 2. Their machines go (juju's and LXD's), as `reset` removes them. juju removes a manual
        // machine in the background too; until it has, `add-machine` for a new clone that got
        // the same address would take the old machine for it.
        try Self.checkInterrupted(inventory)
        if !doomed.isEmpty {
            progress.report(.note("removing \(doomed.map(\.name).sorted().joined(separator: ", ")) (juju machine and instance)"))
        }
        let removal = await remove(doomed, environment: inventory.name, keepJuju: false)
        if let failure = removal.failures.first {
            try Self.checkInterrupted(inventory)
            throw OrchestratorError("cycle could not remove \(failure.message)", hint: failure.hint)
        }
        let removedIDs = Array(recordedIDs.keys)
        if !removedIDs.isEmpty {
            try await waitUntilGone(inventory: inventory, pollInterval: pollInterval) { [juju] in
                let machines = try await juju.machines()
                return removedIDs.filter { id in machines.contains { $0.id == id } }.map { "machine \($0)" }
            }
        }

        // 3. New clones, registered, and the applications deployed onto them with their relations.
        let timeline = CycleTimeline(forwardingTo: progress, clock: clock)
        let converged = try await withProgress(timeline).converge(inventory, only: Set(selected), adopt: false)
        try Self.checkInterrupted(inventory)
        if !converged.succeeded {
            throw Self.convergeFailure(converged, inventory: inventory)
        }

        // 4. Every new unit ran install … start, or one failed.
        let settled = try await settle(applications.map(\.name), since: start, hooks: "its install and start hooks", requireUnits: true, pollInterval: pollInterval)
        var readyAt: [String: Double] = [:]  // juju machine id → seconds from the start
        for machine in converged.machines {
            guard let id = machine.jujuMachine, let ready = timeline.ready(machine.name, recordSeconds: machine.steps[MachineStep.record.rawValue]) else { continue }
            readyAt[id] = (ready - start).seconds
        }
        var report = CycleReport(mode: "fresh", units: [])
        for (application, unit, seconds) in settled {
            var phases: [CycleReport.Phase] = []
            if let id = unit.machine.map(Self.hostMachine(of:)), let ready = readyAt[id] {
                phases.append(.init(name: "machine fresh", seconds: ready))
            }
            let log = try await juju.agentStatusLog(unit: unit.name, entries: 50)
            let deployed = applications.first { $0.name == application }
                .flatMap { app in timeline.noteDate(prefix: "juju deploy \(app.charm) \(app.name)") }
            phases += Self.freshPhases(log, deployStarted: deployed)
            let failed = Self.failedHook(unit)
            let lines = failed == nil ? [] : try await juju.debugLog(unit: unit.name, lines: 20)
            report.units.append(CycleReport.Unit(name: unit.name, phases: phases, total: seconds, failedHook: failed, lastLines: lines))
        }
        return report
    }

    /// The inventory instances the fresh cycle resets: every machine the applications place a
    /// unit on (or a container in). Refuses a subordinate (it has no machines of its own) and
    /// a machine the inventory also gives another application.
    static func freshMachines(for applications: [ApplicationSpec], in inventory: Inventory) throws -> [String] {
        let cycled = Set(applications.map(\.name))
        var machines: [String] = []
        for app in applications {
            guard !app.placements.isEmpty else {
                throw OrchestratorError(
                    "`\(app.name)` has no units of its own (num_units: 0, a subordinate): a fresh cycle resets the machines of an application's units",
                    hint: "run `goldfleet cycle \(inventory.sourceFile) \(app.name) --refresh` to run the new charm on its existing units")
            }
            for placement in app.placements where !machines.contains(placement.instanceName) {
                machines.append(placement.instanceName)
            }
        }
        for other in inventory.juju.applications where !cycled.contains(other.name) {
            let shared = other.placements.map(\.instanceName).filter { machines.contains($0) }
            if let machine = shared.first,
               let owner = applications.first(where: { $0.placements.contains { $0.instanceName == machine } }) {
                throw sharedMachine(owner.name, machine: machine, other: other.name, otherIsLocal: LocalCharm.isPath(other.charm), inventory: inventory)
            }
        }
        return machines
    }

    /// The same check on what juju shows: a unit of an application not being cycled (one
    /// deployed by hand, or one the inventory no longer names) on a machine about to be reset.
    static func requireNoOtherUnits(_ status: JujuStatus, onMachines machines: [String: String], cycled: Set<String>,
                                    inventory: Inventory) throws {
        for app in status.applications where !cycled.contains(app.name) {
            for unit in app.units {
                guard let placed = unit.machine, let instance = machines[hostMachine(of: placed)] else { continue }
                let owner = inventory.juju.applications.first { cycled.contains($0.name) && $0.placements.contains { $0.instanceName == instance } }
                throw sharedMachine(owner?.name ?? cycled.sorted().joined(separator: ", "), machine: instance, other: app.name,
                                    otherIsLocal: false, inventory: inventory, unit: unit.name)
            }
        }
    }

    static func sharedMachine(_ application: String, machine: String, other: String, otherIsLocal: Bool,
                              inventory: Inventory, unit: String? = nil) -> OrchestratorError {
        let what = unit.map { "juju's unit \($0) of `\(other)`" } ?? "`\(other)`"
        var ways = ["run `goldfleet cycle \(inventory.sourceFile) \(application) --refresh` to upgrade the running units in place"]
        if otherIsLocal { ways.append("cycle both (`goldfleet cycle \(inventory.sourceFile) \(application) \(other)`)") }
        ways.append("give `\(application)` machines of its own in the inventory")
        return OrchestratorError(
            "`\(application)` cannot be cycled fresh: its machine \(machine) also hosts \(what), which is not being cycled and would be lost with the machine",
            hint: ways.joined(separator: ", or "))
    }

    /// The phases juju's status log shows for a new unit: `charm uploaded` from the deploy until
    /// the agent began its install hook (the log carries the machine's clock, the deploy
    /// goldfleet's: a skew between them is clamped at 0), then the install and start hooks.
    static func freshPhases(_ log: [JujuStatusLogEntry], deployStarted: Date?) -> [CycleReport.Phase] {
        var phases: [CycleReport.Phase] = []
        if let deployStarted,
           let install = log.last(where: { $0.status == "executing" && $0.message == "running install hook" })?.date {
            phases.append(.init(name: "charm uploaded", seconds: max(0, install.timeIntervalSince(deployStarted))))
        }
        return phases + hookPhases(log, from: "install").filter { $0.name == "install hook" || $0.name == "start hook" }
    }

    /// Polls juju (`remaining` answers what is still there) until nothing is left.
    private func waitUntilGone(inventory: Inventory, pollInterval: Duration,
                               remaining: @Sendable () async throws -> [String]) async throws {
        let deadline = clock.now() + options.commandTimeout
        while true {
            try Self.checkInterrupted(inventory)
            let left = try await remaining()
            if left.isEmpty { return }
            guard clock.now() < deadline else {
                throw OrchestratorError("juju still has \(left.joined(separator: ", ")) after \(Int(options.commandTimeout.seconds))s",
                                        hint: "see `juju status`: a dying application or machine waits for its agent; `goldfleet cycle` again continues")
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// Ctrl-C: what is done stays done; the next `cycle` starts over and converges.
    static func checkInterrupted(_ inventory: Inventory) throws {
        guard Task.isCancelled else { return }
        throw OrchestratorError("cycle interrupted", hint: "run `goldfleet cycle \(inventory.sourceFile)` again: it resets what is left and converges")
    }

    /// Why the converge after the reset did not succeed: the first machine failure or juju
    /// error, and how many there were.
    static func convergeFailure(_ report: UpReport, inventory: Inventory) -> OrchestratorError {
        var problems = report.machines.compactMap { machine in machine.failure.map { (message: $0.message, hint: $0.hint) } }
        problems += report.errors.map { (message: $0.message, hint: $0.hint) }
        let first = problems.first ?? (message: "the machines did not converge", hint: nil)
        let more = problems.count > 1 ? " (and \(problems.count - 1) more problem(s))" : ""
        return OrchestratorError("cycle could not bring the machines back: \(first.message)\(more)",
                                 hint: first.hint ?? "run `goldfleet cycle \(inventory.sourceFile)` again")
    }

    /// The same orchestrator reporting to `sink`.
    func withProgress(_ sink: any ProgressSink) -> Orchestrator {
        Orchestrator(lxd: lxd, juju: juju, shells: shells, state: state, progress: sink, clock: clock, options: options)
    }
}

/// Passes progress on and remembers when things happened: each machine's last step (the
/// pipeline's `record` comes last, so its start plus its duration is when the machine was
/// ready) and each note (a juju command begins with its note).
final class CycleTimeline: ProgressSink, @unchecked Sendable {
    private let inner: any ProgressSink
    private let clock: MonotonicClock
    private let lock = NSLock()
    private var recordStarted: [String: Duration] = [:]
    private var notes: [(date: Date, text: String)] = []

    init(forwardingTo inner: any ProgressSink, clock: MonotonicClock) {
        self.inner = inner
        self.clock = clock
    }

    func report(_ event: ProgressEvent) {
        lock.withLock {
            switch event {
            case .stepStarted(let machine, .record): recordStarted[machine] = clock.now()
            case .note(let text): notes.append((Date(), text))
            default: break
            }
        }
        inner.report(event)
    }

    /// When `machine` was ready, on the orchestrator's clock.
    func ready(_ machine: String, recordSeconds: Double?) -> Duration? {
        lock.withLock { recordStarted[machine].map { $0 + .seconds(recordSeconds ?? 0) } }
    }

    /// When the first note that is `prefix`, or starts with it and a space, came.
    func noteDate(prefix: String) -> Date? {
        lock.withLock { notes.first { $0.text == prefix || $0.text.hasPrefix(prefix + " ") }?.date }
    }
}
