import Foundation

extension JujuDouble {
    /// `juju deploy CHARM [APP] [-n K] [--to A,B] [--channel C] [--revision R] [--config k=v]… [--base B]`.
    /// Nothing is downloaded or run: the application and its units are recorded only.
    func deployCommand(_ arguments: [String]) throws {
        let osFlag = major >= 3 ? ["--base"] : ["--series"]
        let flags = try FlagSpec(
            valued: [Self.modelFlag, ["-n", "--num-units"], ["--to"], ["--channel"], ["--revision"], ["--config"], osFlag,
                     ["--constraints"], ["--bind"], ["--storage"], ["--device"], ["--resource"], ["--overlay"], ["--map-machines"]],
            boolean: [["--trust"], ["--force"], ["--dry-run"]]
        ).parse(arguments)
        guard let charm = flags.positional.first else { throw Failure.usage("no charm name specified") }
        if flags.positional.count > 2 { throw Failure.usage("unrecognized args: \(Self.goList(Array(flags.positional.dropFirst(2))))") }
        let units = try unitCount(flags)
        if flags.value("--revision") != nil, flags.value("--channel") == nil {
            throw Failure.usage("specifying a revision requires a channel for future upgrades. Please use --channel")
        }
        var config: [String: String] = [:]
        for pair in flags.all("--config") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw Failure.failed("the Juju double takes --config key=value only (no YAML files): \"\(pair)\"") }
            config[parts[0]] = parts[1]
        }
        let isLocal = charm.hasPrefix(".") || charm.hasPrefix("/")
        let charmName = isLocal
            ? CharmMetadata.localName(charm)
                ?? String((charm.split(separator: "/").last ?? "").replacingOccurrences(of: ".charm", with: ""))
            : String(charm.hasPrefix("ch:") ? charm.dropFirst(3) : Substring(charm))
        let application = flags.positional.count > 1 ? flags.positional[1] : charmName
        let revision = isLocal ? 0 : (Int(flags.value("--revision") ?? "") ?? 1)
        var channel = flags.value("--channel") ?? "stable"
        if major >= 3, !channel.contains("/") { channel = "latest/\(channel)" }
        var placements = Self.placements(flags)
        let model = try modelName(flags)
        // juju reads the charm's metadata first: a subordinate takes no constraints, no --to and
        // no -n other than the default 1, and gets no units (deployer/charm.go, both lines).
        let subordinate = CharmMetadata.read(charm: charm, environment: environment).subordinate
        var unitsToAdd = units
        if subordinate {
            if flags.value("--constraints") != nil {
                throw Failure.failed("cannot use --constraints with subordinate application")
            }
            guard units == 1, flags.all("--to").isEmpty else {
                throw Failure.failed("cannot use --num-units or --to with subordinate application")
            }
            unitsToAdd = 0
            placements = []
        }
        if flags.isSet("--dry-run") { return }

        let record = try store.update(model) { state -> ApplicationRecord in
            guard state.applications[application] == nil else {
                throw Failure.failed("""
                    cannot add application "\(application)": application already exists:
                    deploy application using an alias name:
                        juju deploy <application> <alias>
                    or use remove-application to remove the existing one and try again.
                    """)
            }
            // The application facade checks each placement's machine first (application.go
            // checkMachinePlacement). For `lxd:N` with no machine N juju accepts the deploy and the
            // unit fails later; the double refuses it at once, with the same words.
            let machines = try placements.prefix(unitsToAdd).map { directive in
                do { return try Self.resolvePlacement(directive, in: &state) } catch let failure as Failure {
                    let machine = directive.hasPrefix("lxd:") ? String(directive.dropFirst(4)) : directive
                    throw Failure.failed("cannot deploy \"\(application)\" to machine \(machine): \(failure.message)")
                }
            }
            let firstMachine = machines.first.flatMap { state.machine($0) }
            var osName = firstMachine?.osName ?? "ubuntu", osChannel = firstMachine?.osChannel ?? "22.04"
            if let base = flags.value("--base") {
                let parts = base.split(separator: "@", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw Failure.usage("invalid base string \"\(base)\"") }
                (osName, osChannel) = (parts[0], parts[1])
            }
            var record = ApplicationRecord(
                name: application, charm: charmName, charmOrigin: isLocal ? "local" : "charmhub", revision: revision,
                channel: isLocal ? nil : channel, osName: osName, osChannel: osChannel,
                series: flags.value("--series") ?? firstMachine?.series ?? "jammy", config: config, since: Date())
            record.subordinate = subordinate
            if isLocal { record.charmPath = Self.absolutePath(charm) }
            Self.addUnits(unitsToAdd, placedOn: machines, to: &record, in: &state)
            state.applications[application] = record
            return record
        }
        let where3 = "\(record.osName)@\(record.osChannel)/stable"
        switch (isLocal, major >= 3) {
        case (true, true):
            inform("Located local charm \"\(charmName)\", revision 0")
            inform("Deployed \"\(application)\" from local charm \"\(charmName)\", revision 0 on \(where3)")
        case (false, true):
            inform("Located charm \"\(charmName)\" in charm-hub, channel \(channel)")
            inform("Deployed \"\(application)\" from charm-hub charm \"\(charmName)\", revision \(revision) in channel \(channel) on \(where3)")
        // juju-2.9.21 deployer/charm.go formatDeployingText has no ` on <series>` (later 2.9s add it).
        case (true, false):
            inform("Located local charm \"\(charmName)\", revision 0")
            inform("Deploying \"\(application)\" from local charm \"\(charmName)\", revision 0")
        case (false, false):
            inform("Located charm \"\(charmName)\" in charm-hub, revision \(revision)")
            inform("Deploying \"\(application)\" from charm-hub charm \"\(charmName)\", revision \(revision) in channel \(channel)")
        }
        // A local charm's hooks really run on the units' machines (LocalCharmAgents).
        if isLocal { try runUnitAgents(model: model, application: application, units: record.units.map(\.name), plan: .newUnit) }
    }

    /// A charm path as given on the command line, made absolute against the working directory.
    static func absolutePath(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }

    /// `juju add-unit APP [-n K] [--to A,B]`.
    func addUnitCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(valued: [Self.modelFlag, ["-n", "--num-units"], ["--to"], ["--attach-storage"]]).parse(arguments)
        guard let application = flags.positional.first else { throw Failure.usage("no application specified") }
        if flags.positional.count > 1 { throw Failure.usage("unrecognized args: \(Self.goList(Array(flags.positional.dropFirst())))") }
        let units = try unitCount(flags)
        let placements = Self.placements(flags)
        let model = try modelName(flags)
        let (added, local) = try store.update(model) { state -> ([String], Bool) in
            guard var record = state.applications[application] else {
                throw Failure.failed("application \"\(application)\" not found (not found)")
            }
            if record.subordinate == true {
                throw Failure.failed("cannot add unit to application \"\(application)\": application is a subordinate")
            }
            let machines = try placements.prefix(units).map { try Self.resolvePlacement($0, in: &state) }
            let before = record.units.count
            Self.addUnits(units, placedOn: machines, to: &record, in: &state)
            state.applications[application] = record
            return (record.units.dropFirst(before).map(\.name), record.charmPath != nil)
        }
        if local { try runUnitAgents(model: model, application: application, units: added, plan: .newUnit) }
    }

    /// `juju expose APP [--endpoints E] [--to-cidrs C] [--to-spaces S]` (cmd/juju/application/expose.go,
    /// 2.9 and 3.x); exposing an exposed application again is no error.
    func exposeCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(valued: [Self.modelFlag, ["--endpoints"], ["--to-cidrs"], ["--to-spaces"]]).parse(arguments)
        guard let application = flags.positional.first else { throw Failure.usage("no application name specified") }
        if flags.positional.count > 1 { throw Failure.usage("unrecognized args: \(Self.goList(Array(flags.positional.dropFirst())))") }
        let model = try modelName(flags)
        try store.update(model) { state in
            guard var record = state.applications[application] else {
                throw Failure.failed("application \"\(application)\" not found (not found)")
            }
            record.exposed = true
            state.applications[application] = record
        }
    }

    /// Adds `count` units, the first on `machines`; juju puts the rest "in the default way", on
    /// new machines — which a manual model cannot start (provider/manual/environ.go), so each
    /// such machine stays pending with `manual provider cannot start instances`.
    static func addUnits(_ count: Int, placedOn machines: [String], to record: inout ApplicationRecord, in state: inout ModelState) {
        for index in 0..<count {
            let machine: String
            if index < machines.count {
                machine = machines[index]
            } else {
                machine = String(state.nextMachineNumber)
                state.nextMachineNumber += 1
                state.machines[machine] = MachineRecord(
                    id: machine, instanceID: "pending", agentStatus: "pending", osName: record.osName,
                    osChannel: record.osChannel, series: record.series, architecture: "amd64", memoryMB: 0, cores: 0,
                    since: Date(), provisioningError: "manual provider cannot start instances")
            }
            record.units.append(UnitRecord(name: "\(record.name)/\(record.nextUnitNumber)", machine: machine, since: Date()))
            record.nextUnitNumber += 1
        }
    }

    func unitCount(_ flags: ParsedFlags) throws -> Int {
        guard let text = flags.value("-n") else { return 1 }
        guard let count = Int(text) else { throw Failure.usage("invalid value \"\(text)\" for option -n: strconv.Atoi: parsing \"\(text)\": invalid syntax") }
        guard count >= 1 else { throw Failure.usage("--num-units must be a positive integer") }
        return count
    }

    static func placements(_ flags: ParsedFlags) -> [String] {
        flags.all("--to").flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    /// Turns a `--to` directive into a machine id: `N` and `N/lxd/M` must exist; `lxd:N` records a
    /// new container on N. Other directives need a cloud, which this manual-only controller has not.
    static func resolvePlacement(_ directive: String, in state: inout ModelState) throws -> String {
        if let first = directive.split(separator: "/").first, Int(first) != nil {
            guard state.machine(directive) != nil else { throw Failure.failed("machine \(directive) not found") }
            return directive
        }
        if directive.hasPrefix("lxd:") { return try addContainer(on: String(directive.dropFirst(4)), in: &state) }
        throw Failure.failed("placement directive \"\(directive)\" needs a cloud; this controller only has manual machines (use a machine id or lxd:N)")
    }

    /// `juju integrate A[:ep] B[:ep]` (3.x; alias `relate`) or `juju add-relation …` (2.9).
    /// Without charm metadata the double assumes the implicit `juju-info` endpoint when none is given.
    func relateCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(valued: [Self.modelFlag, ["--via"]]).parse(arguments)
        guard flags.positional.count == 2 else {
            if flags.positional.count > 2 { throw Failure.usage("unrecognized args: \(Self.goList(Array(flags.positional.dropFirst(2))))") }
            throw Failure.usage("a relation must involve two applications")
        }
        let model = try modelName(flags)
        func split(_ word: String) -> (String, String?) {
            let parts = word.split(separator: ":", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : nil)
        }
        let (firstApp, firstEndpoint) = split(flags.positional[0])
        let (secondApp, secondEndpoint) = split(flags.positional[1])
        try store.update(model) { state in
            for app in [firstApp, secondApp] where state.applications[app] == nil {
                throw Failure.failed("application \"\(app)\" not found (not found)")
            }
            let relation = RelationRecord(
                firstApplication: firstApp, firstEndpoint: firstEndpoint ?? secondEndpoint ?? "juju-info",
                secondApplication: secondApp, secondEndpoint: secondEndpoint ?? firstEndpoint ?? "juju-info")
            if state.relations.contains(where: { $0.sameAs(relation) }) {
                // state.AddRelation's AlreadyExists error; the CLI (integrate.go / addrelation.go)
                // turns each `: ` of it into a newline and appends a pointer to `status --relations`.
                throw Failure.failed("cannot add relation \"\(relation.key)\"\nrelation \(relation.key) already exists: \n\nUse 'juju status --relations' to view the current relations.")
            }
            state.relations.append(relation)
        }
    }

    /// `juju remove-application APP… [--force] [--no-wait] [--destroy-storage] [--no-prompt] [--dry-run]`.
    func removeApplicationCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(valued: [Self.modelFlag], boolean: removalFlags(["--force"], ["--no-wait"], ["--destroy-storage"], ["--dry-run"])).parse(arguments)
        guard !flags.positional.isEmpty else { throw Failure.usage("no application specified") }
        let model = try modelName(flags)
        func remove(_ state: inout ModelState, dryRun: Bool) -> ([String], [String]) {
            var messages: [String] = []
            var errors: [String] = []
            for application in flags.positional {
                guard let record = state.applications[application] else {
                    errors.append("removing application \(application) failed: application \"\(application)\" not found")
                    continue
                }
                messages.append("will remove application \(application)")
                messages += record.units.map { "- will remove unit \($0.name)" }
                if dryRun { continue }
                state.applications[application] = nil
                state.relations.removeAll { $0.involves(application) }
            }
            return (messages, errors)
        }
        let confirmed = try confirmRemoval(flags, model: model, what: "application removal") { remove(&$0, dryRun: true) }
        let (messages, errors) = try store.update(model) { remove(&$0, dryRun: flags.isSet("--dry-run")) }
        if !confirmed { messages.forEach(inform) }
        // Successful removals stay done; juju reports the failures and exits 1.
        if !errors.isEmpty { throw Failure.failed(errors.joined(separator: "\n")) }
    }

    /// `juju remove-unit UNIT… [--force] [--no-wait] [--destroy-storage] [--no-prompt] [--dry-run]`
    /// on a machine model (`--num-units` is for k8s models only). The unit goes; its machine and
    /// its application stay, as with juju.
    func removeUnitCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(valued: [Self.modelFlag, ["--num-units"]], boolean: removalFlags(["--force"], ["--no-wait"], ["--destroy-storage"], ["--dry-run"])).parse(arguments)
        guard !flags.positional.isEmpty else { throw Failure.usage("no units specified") }
        if flags.value("--num-units") != nil { throw Failure.failed("--num-units is only supported on k8s models") }
        for name in flags.positional where name.split(separator: "/").count != 2 || Int(name.split(separator: "/")[1]) == nil {
            throw Failure.usage("invalid unit name \"\(name)\"")
        }
        let model = try modelName(flags)
        func remove(_ state: inout ModelState, dryRun: Bool) -> ([String], [String]) {
            var messages: [String] = []
            var errors: [String] = []
            for name in flags.positional {
                let application = String(name.split(separator: "/")[0])
                guard state.applications[application]?.units.contains(where: { $0.name == name }) == true else {
                    errors.append("removing unit \(name) failed: unit \"\(name)\" does not exist")
                    continue
                }
                messages.append("will remove unit \(name)")
                if !dryRun { Self.removeUnit(name, from: &state) }
            }
            return (messages, errors)
        }
        let confirmed = try confirmRemoval(flags, model: model, what: "unit removal") { remove(&$0, dryRun: true) }
        let (messages, errors) = try store.update(model) { remove(&$0, dryRun: flags.isSet("--dry-run")) }
        if !confirmed { messages.forEach(inform) }
        if !errors.isEmpty { throw Failure.failed(errors.joined(separator: "\n")) }
    }

    /// The flags of a remove-* command: 3.x adds `--no-prompt` (modelcmd.RemoveConfirmationCommandBase);
    /// 2.9 has no such flag.
    func removalFlags(_ flags: [String]...) -> [[String]] {
        flags + (major >= 3 ? [["--no-prompt"]] : [])
    }

    /// juju 3.x's confirmation before a removal (cmd/juju/machine/remove.go,
    /// removeapplication.go, cmd/modelcmd/confirmation.go, cmd/helpers.go UserConfirmYes): while
    /// the model's `mode` holds `requires-prompts` (the default) and without `--no-prompt`, it
    /// shows a dry run, asks `Continue [y/N]?` on stderr and reads stdin; anything but y/yes
    /// aborts. Returns whether it asked (and got yes).
    func confirmRemoval(_ flags: ParsedFlags, model: String, what: String,
                        preview: (inout ModelState) -> ([String], [String])) throws -> Bool {
        guard major >= 3, !flags.isSet("--no-prompt"), !flags.isSet("--dry-run") else { return false }
        var state = try store.locked { try store.load(model) }
        let modes = (state.config["mode"] ?? "requires-prompts").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard modes.contains("requires-prompts") else { return false }
        let (lines, errors) = preview(&state)
        if !errors.isEmpty { throw Failure.failed(errors.joined(separator: "\n")) }
        inform("This command will perform the following actions:")
        lines.forEach(inform)
        FileHandle.standardError.write(Data("\nContinue [y/N]? ".utf8))
        let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard answer == "y" || answer == "yes" else { throw Failure.failed("\(what): aborted") }
        return true
    }
}
