import Foundation
import Gold
import GoldfleetSupport
import Inventory
import JujuKit
import LXDKit

extension Orchestrator {
    /// `goldfleet up`: converge the environment to the inventory. Creates what is missing,
    /// resumes what a failure or Ctrl-C left half done, only checks what is complete. One
    /// machine failing never stops the others; the report says what happened to each.
    /// Instances of this name made from another inventory file stop it before anything is
    /// touched, unless `adopt` (then they are re-tagged as this inventory's).
    /// What the environment holds that the inventory no longer names (`Drift`) is left and
    /// reported, or with `prune` removed.
    public func up(_ inventory: Inventory, adopt: Bool = false, prune: Bool = false) async throws -> UpReport {
        let lock = try EnvironmentLock.acquire(environment: inventory.name, in: state)
        defer { withExtendedLifetime(lock) {} }
        return try await converge(inventory, only: nil, adopt: adopt, prune: prune)
    }

    /// The body of `up` and `reset`, run under the environment's lock. `only` limits the
    /// machine pipelines to those instances (the juju placement still covers all).
    func converge(_ inventory: Inventory, only: Set<String>?, adopt: Bool, prune: Bool = false) async throws -> UpReport {
        let started = clock.now()
        let password = try PasswordResolver.resolve(inventory.ssh.password)
        try await lxd.requireTrusted()
        let everything = try await lxd.instances(matchingConfig: [:])
        let inventoryPath = InventoryOwnership.canonicalPath(inventory.sourceFile)
        let adopted = try InventoryOwnership(everything.filter { Self.belongs($0, to: inventory.name) })
            .requireOwned(by: inventoryPath, environment: inventory.name, command: "up", adopt: adopt)
        // Placement first: on a cluster the preflight checks each member's pool for its machines.
        let placement = try await memberPlacement(inventory, instances: everything)
        let warnings = try await preflight(inventory, existing: everything, placement: placement)
        for warning in warnings { progress.report(.warning(warning)) }
        for name in adopted {
            try await lxd.updateConfig(name, set: [InstanceTags.inventory: inventoryPath])
            progress.report(.note("adopted \(name) as made from \(inventoryPath)"))
        }

        let existing = Dictionary(everything.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let jujuVersion = try await juju.version()
        try await prepareModel(inventory)
        let registered = try await juju.machines()
        let digests = try wheelhouseDigests(inventory)
        try state.prepare(inventory.name)

        // Clones on one standalone LXD share one DHCP-lease list; a cluster's members each run
        // their own bridge, so there every machine reads its own state.
        let context = MachineContext(
            inventory: inventory, password: password, registered: registered, digests: digests,
            leases: placement == nil ? LXDLeaseBoard(lxd: lxd) : nil)
        let selected = inventory.machines.filter { only?.contains($0.instanceName) ?? true }
        let placed = await mapConcurrently(
            selected, limit: options.parallel,
            whenCancelled: { spec in
                UpReport.Machine.failed(spec, step: .clone, error: CancellationError())
            }
        ) { spec in
            await self.convergeMachine(spec, placement: placement, existing: existing[spec.instanceName], context: context)
        }
        let machines = await explainingOfflineMembers(placed, placement: placement)
        for machine in machines {
            if let failure = machine.failure {
                progress.report(.machineFailed(machine: machine.name, step: MachineStep(rawValue: failure.step) ?? .clone, message: failure.message))
            } else {
                progress.report(.machineFinished(machine: machine.name, summary: machine.ipv4 ?? ""))
            }
        }

        var ids: [String: String] = [:]
        for machine in machines { if let id = machine.jujuMachine { ids[machine.name] = id } }
        // Machines outside `only` keep the ids recorded on them.
        for (name, instance) in existing where ids[name] == nil && !(only?.contains(name) ?? true) {
            if let id = instance.config[InstanceTags.jujuMachine] { ids[name] = id }
        }
        var errors: [UpReport.Failure] = []
        let actions: [UpReport.JujuAction]
        if Task.isCancelled {
            actions = []
            errors.append(.init(step: "juju", message: "interrupted before placing applications", hint: "run `goldfleet up` again; it finishes only what is missing"))
        } else {
            (actions, errors) = await placeApplications(inventory, machineIDs: ids, version: jujuVersion)
        }

        // What the inventory no longer names, read after placing (a `reset` leaves it to `up`).
        let recorded = recordedApplications(of: inventory)
        var left: Drift?
        var pruned: Drift?
        if only == nil, !Task.isCancelled {
            let found = await drift(of: inventory)
            if prune {
                let (removed, failures) = await self.prune(found, inventory: inventory, version: jujuVersion)
                errors += failures
                pruned = removed
                left = found.removing(removed)
            } else {
                left = found
            }
        }
        // goldfleet's applications: the inventory's, and those it left in the model.
        let leftApplications = left.map { $0.unread.isEmpty ? $0.jujuApplications : (recorded ?? []) } ?? (recorded ?? [])
        let applications = Array(Set(inventory.juju.applications.map(\.name) + leftApplications)).sorted()

        var report = UpReport(
            environment: inventory.name, model: inventory.juju.model,
            jujuSimulated: options.jujuSimulated,
            machines: machines.sorted { $0.name < $1.name }, juju: actions, errors: errors,
            seconds: (clock.now() - started).seconds, inventory: inventoryPath,
            left: left, pruned: pruned, applications: applications)
        do {
            try record(report, only: only)
        } catch {
            // `down` finds juju machines of instances deleted behind its back in this report:
            // a run that could not keep it is not a success.
            report.errors.append(.init(
                step: "report", message: "could not write \(state.report(for: report.environment)): \(MachineFailure.text(of: error))",
                hint: "make the state directory writable (or set GOLDFLEET_STATE) and run `goldfleet up` again"))
        }
        return report
    }

    /// Whether `instance` is one of goldfleet's instances of `environment`.
    static func belongs(_ instance: LXDInstance, to environment: String) -> Bool {
        InstanceTags.isManaged(instance.config) && instance.config[InstanceTags.environment] == environment
    }

    /// Keeps the last report in the state directory (`down` finds juju machines of instances
    /// deleted behind its back there). A `reset` of some machines keeps the others' entries.
    private func record(_ report: UpReport, only: Set<String>?) throws {
        let path = state.report(for: report.environment)
        var stored = report
        if only != nil, let data = FileManager.default.contents(atPath: path),
           let previous = try? JSONDecoder().decode(UpReport.self, from: data) {
            let fresh = Set(report.machines.map(\.name))
            stored.machines = (report.machines + previous.machines.filter { !fresh.contains($0.name) }).sorted { $0.name < $1.name }
        }
        try stored.json().write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func wheelhouseDigests(_ inventory: Inventory) throws -> [String: String] {
        var digests: [String: String] = [:]
        for path in Set(inventory.machines.compactMap { $0.wheelhouse?.path }) {
            digests[path] = try WheelhouseDigest.of(directory: path)
        }
        return digests
    }

    /// Creates the model when it is missing, then sets its config (juju treats a repeated
    /// `model-config` as a no-op).
    private func prepareModel(_ inventory: Inventory) async throws {
        if try await juju.ensureModel() {
            progress.report(.note("created juju model \(inventory.juju.model)"))
        }
        if !inventory.juju.modelConfig.isEmpty {
            try await juju.setModelConfig(inventory.juju.modelConfig.map { ($0.key, $0.value) })
        }
    }
}

/// What every machine pipeline of one `up` shares.
struct MachineContext: Sendable {
    let inventory: Inventory
    let password: Secret
    /// Juju's machines before the run, to recognise ones registered earlier.
    let registered: [JujuMachine]
    /// Wheelhouse digests by local path.
    let digests: [String: String]
    /// Shared DHCP leases while machines wait for their address (standalone LXD only).
    let leases: LXDLeaseBoard?
}

extension UpReport.Machine {
    static func failed(_ spec: MachineSpec, step: MachineStep, error: any Error) -> UpReport.Machine {
        UpReport.Machine(
            name: spec.instanceName, group: spec.group, ipv4: nil, jujuMachine: nil, member: nil,
            steps: [:],
            failure: .init(step: step.rawValue, message: MachineFailure.text(of: error),
                           hint: MachineFailure.hint(for: error)),
            unchanged: false)
    }
}
