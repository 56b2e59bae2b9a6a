import Foundation

extension JujuDouble {
    /// `juju exec --unit APP/N[,…] | --application APP | --machine N -- COMMANDS` (3.x) and
    /// `juju run …` (2.9), over real OpenSSH to the targets' machines.
    ///
    /// As juju runs them (cmd/juju/action/exec.go and common.go, branch 3.6; the uniter's
    /// runner.go runCommandsWithTimeout, DavinZhang/juju 80e39615): on a unit, as root, with
    /// `/bin/bash -s` reading the commands, in the charm directory, with the unit's hook
    /// environment (no hook name, no dispatch path) of the `juju-exec` action (`juju-run` on
    /// 2.9) whose task it is (juju/juju runner.go runJujuExecAction, context.go HookVars:
    /// JUJU_ACTION_NAME/UUID/TAG); on a machine, as ubuntu. Several words are
    /// joined as juju's utils.CommandString joins them. Output ("plain"): stdout then stderr of
    /// each target, under `NAME:` when there are several. 3.x fails with "the following task
    /// failed" when a command exits non-zero; 2.9's `run` passes a single target's exit code through.
    func execCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(
            valued: [Self.modelFlag, Self.formatFlag, ["-u", "--unit"], ["-a", "--app", "--application"], ["--machine"],
                     ["--wait"], ["--execution-group"], ["--timeout"]],
            boolean: [["--all"], ["--operator"], ["--parallel"], ["--background"], ["--no-color"], ["--color"], ["--utc"]]
        ).parse(arguments)
        guard !flags.positional.isEmpty else { throw Failure.failed("no commands specified") }
        let commands = flags.positional.count == 1 ? flags.positional[0] : Self.commandString(flags.positional)
        func list(_ name: String) -> [String] { flags.all(name).flatMap { $0.split(separator: ",").map(String.init) } }
        let (units, applications, machines) = (list("-u"), list("-a"), list("--machine"))
        guard !units.isEmpty || !applications.isEmpty || !machines.isEmpty else {
            throw Failure.failed("You must specify a target, either through --all, --machine, --application or --unit")
        }
        let model = try modelName(flags)
        let state = try store.locked { try store.load(model) }

        struct Target { var name: String; var host: String; var script: String }
        var targets: [Target] = []
        var unitNames = units
        for application in applications {
            guard let app = state.applications[application] else { throw Failure.failed("application \"\(application)\" not found") }
            unitNames += app.units.map(\.name)
        }
        // Task ids follow the operation id, from one sequence per model (like juju's action ids),
        // one task per target in the order given.
        let firstTask = try store.update(model) { state -> Int in
            let operation = state.nextTaskID ?? 1
            state.nextTaskID = operation + 1 + unitNames.count + machines.count
            return operation + 1
        }
        let actionName = major >= 3 ? "juju-exec" : "juju-run"
        for name in unitNames {
            let appName = String(name.split(separator: "/").first ?? "")
            guard let unit = state.applications[appName]?.units.first(where: { $0.name == name }) else {
                throw Failure.failed("unit \"\(name)\" not found")
            }
            guard let machineID = unit.machine, let machine = state.machine(machineID), let host = machine.host else {
                throw Failure.failed("unit \"\(name)\" is not assigned to a started machine")
            }
            let env = HookEnvironment(unit: name, machineID: machineID, model: model, modelUUID: state.uuid,
                                      agentVersion: agentVersion, osName: machine.osName)
            let q = ManualProvisioner.shellQuoted
            let action = HookEnvironment.Action(name: actionName, id: firstTask + targets.count)
            let script = "cd \(q(env.charmDirectory)) 2>/dev/null || cd /; exec \(env.envCommand(hook: nil, action: action)) /bin/bash -s"
            targets.append(Target(name: name, host: host, script: "sudo -n /bin/bash -c \(q(script))"))
        }
        for id in machines {
            guard let machine = state.machine(id), let host = machine.host else { throw Failure.failed("machine \(id) not found") }
            targets.append(Target(name: id, host: host, script: "/bin/bash -s"))
        }

        let all = targets
        nonisolated(unsafe) var results = [Captured?](repeating: nil, count: all.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: all.count) { index in
            let target = all[index]
            let ssh = ManualProvisioner(host: target.host, login: nil, privateKey: clientKeyPath, knownHosts: knownHostsPath, major: major,
                                        sessionLog: environment["JUJU_DOUBLE_SSH_LOG"].flatMap { $0.isEmpty ? nil : $0 })
            let result = (try? ssh.ssh(target.script, input: commands))
                ?? Captured(exitCode: 255, stdout: "", stderr: "cannot reach \(target.host)\n")
            lock.withLock { results[index] = result }
        }

        func newline(_ text: String) -> String { text.isEmpty || text.hasSuffix("\n") ? text : text + "\n" }
        if major < 3, targets.count == 1, let result = results[0] {
            write(result.stdout)
            FileHandle.standardError.write(Data(result.stderr.utf8))
            if result.exitCode != 0 { throw Failure(message: "", exitCode: result.exitCode) }
            return
        }
        var text = ""
        var failed: [String] = []
        for (index, target) in targets.enumerated().sorted(by: { Self.naturalOrder($0.element.name, $1.element.name) }) {
            let result = results[index] ?? Captured(exitCode: 1, stdout: "", stderr: "")
            let output = newline(result.stdout) + newline(result.stderr)
            text += targets.count > 1 ? "\(target.name):\n\(output)\n" : output
            if result.exitCode != 0 { failed.append(" - id \"\(firstTask + index)\" with return code \(result.exitCode)") }
        }
        write(text)
        if !failed.isEmpty {
            let plural = failed.count > 1 ? "s" : ""
            throw Failure.failed("the following task\(plural) failed:\n\(failed.sorted().joined(separator: "\n"))\n\nuse 'juju show-task' to inspect the failure\(plural)\n")
        }
    }

    /// Unit and machine names in natural order (`app/2` before `app/10`), as juju's naturalsort.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        func key(_ name: String) -> (String, Int) {
            let parts = name.split(separator: "/")
            return (parts.count > 1 ? String(parts[0]) : "", Int(parts.last ?? "") ?? 0)
        }
        return key(a) < key(b)
    }

    /// juju/utils CommandString: words with white space in double quotes, `"` escaped.
    static func commandString(_ words: [String]) -> String {
        words.map { word in
            let escaped = word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return word.contains(where: \.isWhitespace) || word.isEmpty ? "\"\(escaped)\"" : escaped
        }.joined(separator: " ")
    }
}
