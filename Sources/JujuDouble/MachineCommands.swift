import Foundation

extension JujuDouble {
    /// `juju add-machine [ssh:[USER@]HOST | lxd[:N]] [-n K] [--base B] [--constraints C] …`
    func addMachineCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(
            valued: [Self.modelFlag, ["-n"], ["--base"], ["--constraints"], ["--disks"], ["--private-key"], ["--public-key"]]
        ).parse(arguments)
        if flags.positional.count > 1 { throw Failure.usage("unrecognized args: \(Self.goList(Array(flags.positional.dropFirst())))") }
        let placement = flags.positional.first
        if placement != nil, flags.value("-n") != nil {
            throw Failure.usage("cannot use -n when specifying a placement directive")
        }
        let model = try modelName(flags)
        guard let placement else {
            // This controller only knows manual machines: there is no cloud to start one in.
            throw Failure.failed("use \"juju add-machine ssh:[user@]<host>\" to provision machines")
        }
        if placement.hasPrefix("ssh:") {
            let target = String(placement.dropFirst(4))
            // juju's splitUserHost: the user before the first `@`, if any.
            let parts = target.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let (login, host) = parts.count == 2 ? (parts[0], parts[1]) : (nil, target)
            guard !host.isEmpty else { throw Failure.usage("invalid placement directive \"\(placement)\"") }
            let id = try addManualMachine(host: host, login: login, model: model, privateKey: flags.value("--private-key") ?? clientKeyPath)
            inform("created machine \(id)")
        } else if placement == "lxd" || placement.hasPrefix("lxd:") {
            let parent = String(placement.dropFirst(4))
            guard !parent.isEmpty else {
                throw Failure.failed("use \"juju add-machine ssh:[user@]<host>\" to provision machines")
            }
            let id = try store.update(model) { state in try Self.addContainer(on: parent, in: &state) }
            inform("created container \(id)")
        } else {
            throw Failure.failed("use \"juju add-machine ssh:[user@]<host>\" to provision machines")
        }
    }

    /// The manual provider's flow (sshprovisioner.ProvisionMachine): the ubuntu-user check, the
    /// provisioned check and detection (three ssh sessions), then the record (pending), then the
    /// provisioning script (the fourth); if that fails the record is removed again, as juju does.
    func addManualMachine(host: String, login: String?, model: String, privateKey: String) throws -> String {
        let provisioner = ManualProvisioner(host: host, login: login, privateKey: privateKey,
                                            knownHosts: knownHostsPath, major: major,
                                            sessionLog: environment["JUJU_DOUBLE_SSH_LOG"].flatMap { $0.isEmpty ? nil : $0 })
        try provisioner.initUbuntuUser(authorizedKeys: authorizedKeys)
        try provisioner.checkProvisioned()
        let hardware = try provisioner.detect()
        let (id, uuid) = try store.update(model) { state -> (String, String) in
            let id = String(state.nextMachineNumber)
            state.nextMachineNumber += 1
            state.machines[id] = MachineRecord(
                id: id, instanceID: "manual:\(host)", host: host, addresses: [host], hostname: nil,
                agentStatus: "pending", osName: hardware.osID, osChannel: hardware.versionID,
                series: hardware.series, architecture: hardware.architecture,
                memoryMB: hardware.memoryMB, cores: hardware.cores, since: Date())
            return (id, state.uuid)
        }
        let hostname: String
        do {
            hostname = try provisioner.provision(machineID: id, modelUUID: uuid)
        } catch {
            _ = try? store.update(model) { state in state.machines[id] = nil }
            throw error
        }
        try store.update(model) { state in
            state.machines[id]?.agentStatus = "started"
            state.machines[id]?.hostname = hostname.isEmpty ? nil : hostname
            state.machines[id]?.since = Date()
        }
        return id
    }

    /// Records container `N/lxd/K` on machine N. No LXD container is created: the double only
    /// keeps the record, which stays `pending` (no agent will ever start in it).
    static func addContainer(on parentID: String, in state: inout ModelState) throws -> String {
        guard var parent = state.machine(parentID), !parentID.contains("/") else {
            throw Failure.failed("machine \(parentID) not found")
        }
        let id = "\(parentID)/lxd/\(parent.nextContainerNumber)"
        parent.nextContainerNumber += 1
        parent.containers[id] = MachineRecord(
            id: id, instanceID: "pending", agentStatus: "pending", osName: parent.osName, osChannel: parent.osChannel,
            series: parent.series, architecture: parent.architecture, memoryMB: 0, cores: 0, since: Date())
        state.machines[parentID] = parent
        return id
    }

    /// `juju machines [-m MODEL] [--format json|tabular]`.
    func machinesCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(valued: [Self.modelFlag, Self.formatFlag], boolean: [["--utc"], ["--color"], ["--no-color"]]).parse(arguments)
        guard flags.positional.isEmpty else { throw Failure.usage("unrecognized args: \(Self.goList(flags.positional))") }
        let model = try modelName(flags)
        let format = try format(flags, default: "tabular")
        let state = try store.locked { try store.load(model) }
        if format == "json" {
            try printJSON(["model": model, "machines": machinesJSON(state)])
        } else {
            write(machinesTable(state))
        }
    }

    /// `juju remove-machine ID… [--force] [--keep-instance] [--no-wait] [--no-prompt] [--dry-run]`.
    ///
    /// Without `--force` a machine with units or containers is refused. A removed manual machine
    /// keeps its traces on the host (/var/lib/juju, the jujud unit file): as with juju, the same
    /// host cannot simply be added again.
    func removeMachineCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(valued: [Self.modelFlag], boolean: removalFlags(["--force"], ["--keep-instance"], ["--no-wait"], ["--dry-run"])).parse(arguments)
        guard !flags.positional.isEmpty else { throw Failure.usage("no machines specified") }
        for id in flags.positional where id.split(separator: "/").isEmpty || Int(id.split(separator: "/")[0]) == nil {
            throw Failure.usage("invalid machine id \"\(id)\"")
        }
        let model = try modelName(flags)
        let force = flags.isSet("--force")
        func remove(_ state: inout ModelState, dryRun: Bool) -> ([String], [String]) {
            var messages: [String] = []
            var errors: [String] = []
            for id in flags.positional {
                guard let machine = state.machine(id) else {
                    errors.append("removing machine \(id) failed: machine \(id) not found")
                    continue
                }
                let units = state.units(onMachine: id)
                if !force, !units.isEmpty {
                    errors.append("removing machine failed: machine \(id) has unit(s) \(units.map { "\"\($0)\"" }.joined(separator: ", ")) assigned")
                    continue
                }
                if !force, !machine.containers.isEmpty {
                    errors.append("removing machine failed: machine \(id) is hosting containers \(machine.containers.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", "))")
                    continue
                }
                if dryRun {
                    messages.append("will remove machine \(id)")
                    continue
                }
                for name in units { Self.removeUnit(name, from: &state) }
                Self.removeMachine(id, from: &state)
                messages.append("will remove machine \(id)")
                for unit in units { messages.append("- will remove unit \(unit)") }
            }
            return (messages, errors)
        }
        let confirmed = try confirmRemoval(flags, model: model, what: "machine removal") { remove(&$0, dryRun: true) }
        let (messages, errors) = try store.update(model) { remove(&$0, dryRun: flags.isSet("--dry-run")) }
        // Once confirmed, juju does not list the removals again (remove.go `logAll`).
        if !confirmed { messages.forEach(inform) }
        // Successful removals stay done; juju reports the failures and exits 1.
        if !errors.isEmpty { throw Failure.failed(errors.joined(separator: "\n")) }
    }

    static func removeMachine(_ id: String, from state: inout ModelState) {
        let parts = id.split(separator: "/")
        if parts.count == 1 {
            state.machines[id] = nil
        } else {
            let parentID = parts.dropLast(2).joined(separator: "/")
            guard var parent = state.machine(parentID), parts.count == 3 else { return }
            parent.containers[id] = nil
            state.machines[parentID] = parent
        }
    }

    static func removeUnit(_ name: String, from state: inout ModelState) {
        let application = String(name.split(separator: "/")[0])
        state.applications[application]?.units.removeAll { $0.name == name }
    }
}
