import Foundation

extension JujuDouble {
    static let controllerName = "double"
    static let controllerUUID = "deadbeef-0bad-400d-8000-4b1d0d0b1e00"

    /// `juju models [--format json|tabular]`.
    func modelsCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(valued: [Self.formatFlag, ["-c", "--controller"]], boolean: [["--all"], ["--uuid"], ["--exact-time"]]).parse(arguments)
        guard flags.positional.isEmpty else { throw Failure.usage("unrecognized args: \(Self.goList(flags.positional))") }
        let format = try format(flags, default: "tabular")
        let (models, current) = try store.locked {
            (try store.modelNames().map { try store.load($0) }, store.currentModel())
        }
        if format == "json" {
            let entries: [[String: Any]] = models.map { model in
                [
                    "name": "admin/\(model.name)", "short-name": model.name, "model-uuid": model.uuid,
                    "model-type": "iaas", "controller-uuid": Self.controllerUUID, "controller-name": Self.controllerName,
                    "is-controller": model.name == "controller", "owner": "admin", "cloud": "manual", "region": "default",
                    "type": "iaas", "life": "alive",
                    "status": ["current": "available", "since": since(model.created)],
                    "access": "admin", "last-connection": "just now", "sla-owner": "admin", "agent-version": agentVersion,
                ]
            }
            var body: [String: Any] = ["models": entries]
            if let current { body["current-model"] = current }
            try printJSON(body)
        } else {
            var text = "Controller: \(Self.controllerName)\n\nModel       Cloud/Region    Type  Status     Machines  Access  Last connection\n"
            for model in models {
                let name = model.name + (model.name == current ? "*" : "")
                text += "\(name.padding(toLength: 12, withPad: " ", startingAt: 0))manual/default  iaas  available  \(String(model.machines.count).padding(toLength: 10, withPad: " ", startingAt: 0))admin   just now\n"
            }
            write(text)
        }
    }

    /// `juju add-model NAME [--no-switch] [--config k=v] [--credential C] [-c CONTROLLER] [CLOUD[/REGION]]`.
    func addModelCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(valued: [["--config"], ["--credential"], ["-c", "--controller"], ["--owner"], ["--target-controller"]],
                                 boolean: [["--no-switch"]]).parse(arguments)
        guard let name = flags.positional.first else { throw Failure.usage("model name is required") }
        if flags.positional.count > 2 { throw Failure.usage("unrecognized args: \(Self.goList(Array(flags.positional.dropFirst(2))))") }
        guard name.range(of: #"^[a-z0-9]+(-[a-z0-9]+)*$"#, options: .regularExpression) != nil else {
            throw Failure.usage("\"\(name)\" is not a valid name: model names may only contain lowercase letters, digits and hyphens")
        }
        try store.locked {
            guard !store.modelExists(name) else {
                throw Failure.failed("failed to create new model: model \"\(name)\" for admin already exists (already exists)")
            }
            var model = ModelState(name: name)
            for pair in flags.all("--config") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { model.config[parts[0]] = parts[1] }
            }
            try store.save(model)
            if !flags.isSet("--no-switch") { try store.setCurrentModel(name) }
        }
        inform("Added '\(name)' model on manual/default with credential 'manual' for user 'admin'")
    }

    /// `juju model-config [-m MODEL] [KEY | KEY=VALUE … ] [--reset K,…]`.
    func modelConfigCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(valued: [Self.modelFlag, Self.formatFlag, ["--reset"], ["--file"]], boolean: [["--ignore-read-only-fields"], ["--no-color"], ["--color"]]).parse(arguments)
        let model = try modelName(flags)
        let assignments = flags.positional.filter { $0.contains("=") }
        let keys = flags.positional.filter { !$0.contains("=") }
        let resets = flags.all("--reset").flatMap { $0.split(separator: ",").map(String.init) }
        if !assignments.isEmpty || !resets.isEmpty {
            guard keys.isEmpty else { throw Failure.usage("can only retrieve a single value, or all values") }
            try store.update(model) { state in
                for pair in assignments {
                    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    state.config[parts[0]] = parts.count > 1 ? parts[1] : ""
                }
                for key in resets { state.config[key] = nil }
            }
            return
        }
        let state = try store.locked { try store.load(model) }
        if let key = keys.first {
            guard keys.count == 1 else { throw Failure.usage("can only retrieve a single value, or all values") }
            guard let value = state.config[key] else {
                throw Failure.failed("\"\(key)\" seems to be neither a file nor a key of the currently targeted model: \"admin/\(model)\"")
            }
            write(value + "\n")
            return
        }
        if try format(flags, default: "tabular") == "json" {
            try printJSON(state.config.mapValues { ["Value": $0, "Source": "model"] })
        } else {
            var text = "Attribute  From   Value\n"
            for key in state.config.keys.sorted() { text += "\(key)  model  \(state.config[key]!)\n" }
            write(text)
        }
    }
}
