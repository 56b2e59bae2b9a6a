import Foundation

/// A small stand-in for the `juju` client, run as a separate program like the real one.
///
/// It implements only the subcommands goldfleet uses, with juju's flags, `--format=json` shapes,
/// `ERROR …` messages on stderr and exit codes. Model state lives in `$JUJU_DATA/double/`.
/// `add-machine ssh:USER@HOST` really logs in with OpenSSH and checks/marks the host as juju's
/// manual provider does. A LOCAL charm's hooks really run on its units' machines (UnitAgent);
/// charm-store charms, machine agents and lxd containers are NOT real (recorded only).
struct JujuDouble {
    let environment: [String: String]
    /// What `juju version` prints. `GOLDFLEET_DOUBLE_VERSION` (or the older `JUJU_DOUBLE_VERSION`)
    /// picks the juju line the double speaks: `2.9`/`2.9.x`, `3`/`3.x`, or a full version such as
    /// `2.9.21-ubuntu-amd64`. The line decides the output shapes and the command set.
    let version: String
    let major: Int
    let jujuData: String
    let home: String
    let store: StateStore

    init(environment: [String: String]) {
        self.environment = environment
        let version = Self.fullVersion(environment["GOLDFLEET_DOUBLE_VERSION"] ?? environment["JUJU_DOUBLE_VERSION"])
        self.version = version
        self.major = Int(version.split(separator: ".").first ?? "3") ?? 3
        self.home = environment["HOME"] ?? NSHomeDirectory()
        // juju's own rule: $JUJU_DATA, else $XDG_DATA_HOME/juju, else ~/.local/share/juju.
        if let data = environment["JUJU_DATA"], !data.isEmpty {
            self.jujuData = data
        } else if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            self.jujuData = "\(xdg)/juju"
        } else {
            self.jujuData = "\(home)/.local/share/juju"
        }
        self.store = StateStore(jujuData: jujuData)
    }

    /// `2.9.x` → the 2.9 release the double's 2.9 shapes were read from (juju-2.9.21);
    /// `3.x` (and unset) → 3.5.4 as before. Full versions are kept as given.
    static func fullVersion(_ requested: String?) -> String {
        switch requested?.trimmingCharacters(in: .whitespaces) ?? "" {
        case "", "3", "3.x": "3.5.4-genericlinux-amd64"
        case "2.9", "2.9.x", "2", "2.x": "2.9.21-ubuntu-amd64"
        case let given: given.contains("-") ? given : given + (given.hasPrefix("2.") ? "-ubuntu-amd64" : "-genericlinux-amd64")
        }
    }

    /// The agent version, e.g. `3.5.4` from `3.5.4-genericlinux-amd64`.
    var agentVersion: String { String(version.split(separator: "-").first ?? "") }

    typealias Handler = (JujuDouble, [String]) throws -> Void

    /// The subcommands this juju generation knows. 3.x has `integrate` (alias `relate`) and no
    /// `add-relation`; 2.9 is the other way round.
    var commands: [String: Handler] {
        var table: [String: Handler] = [
            "version": { try $0.versionCommand($1) },
            "models": { try $0.modelsCommand($1) },
            "list-models": { try $0.modelsCommand($1) },
            "add-model": { try $0.addModelCommand($1) },
            "model-config": { try $0.modelConfigCommand($1) },
            "add-machine": { try $0.addMachineCommand($1) },
            "machines": { try $0.machinesCommand($1) },
            "list-machines": { try $0.machinesCommand($1) },
            "remove-machine": { try $0.removeMachineCommand($1) },
            "deploy": { try $0.deployCommand($1) },
            "add-unit": { try $0.addUnitCommand($1) },
            "expose": { try $0.exposeCommand($1) },
            "remove-application": { try $0.removeApplicationCommand($1) },
            "remove-unit": { try $0.removeUnitCommand($1) },
            "status": { try $0.statusCommand($1) },
            "refresh": { try $0.refreshCommand($1) },
            "show-status-log": { try $0.statusLogCommand($1) },
            "debug-log": { try $0.debugLogCommand($1) },
        ]
        // 3.x: `exec` runs commands on units (`run` runs actions); 2.9: `run` runs commands and
        // `upgrade-charm` is still an alias of `refresh`.
        if major >= 3 {
            table["integrate"] = { try $0.relateCommand($1) }
            table["relate"] = { try $0.relateCommand($1) }
            table["exec"] = { try $0.execCommand($1) }
        } else {
            table["add-relation"] = { try $0.relateCommand($1) }
            table["relate"] = { try $0.relateCommand($1) }
            table["run"] = { try $0.execCommand($1) }
            table["upgrade-charm"] = { try $0.refreshCommand($1) }
        }
        return table
    }

    func main(_ arguments: [String]) -> Int32 {
        guard let name = arguments.first, !["help", "--help", "-h"].contains(name) else {
            write("Usage: juju [flags] <command> ...\n(the goldfleet Juju double; commands: \(commands.keys.sorted().joined(separator: ", ")))\n")
            return 0
        }
        if name == "--version" {
            write(version + "\n")
            return 0
        }
        if name.hasPrefix("-") {
            return fail(.usage("option provided but not defined: \(name)"))
        }
        guard let handler = commands[name] else {
            // juju looks for a `juju-NAME` plugin first, then gives up with this message.
            return fail(.usage("juju: \"\(name)\" is not a juju command. See \"juju --help\"."))
        }
        do {
            try ensureClientKey()
            try handler(self, Array(arguments.dropFirst()))
            return 0
        } catch let failure as Failure {
            return fail(failure)
        } catch {
            return fail(.failed("\(error)"))
        }
    }

    // MARK: - Output

    func write(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
    /// juju's progress messages (`created machine N`, `Deployed …`) go to STDERR.
    func inform(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    func fail(_ failure: Failure) -> Int32 {
        // An empty message passes a command's exit code through silently (2.9's `juju run`).
        if !failure.message.isEmpty { FileHandle.standardError.write(Data("ERROR \(failure.message)\n".utf8)) }
        return failure.exitCode
    }

    func printJSON(_ object: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        write(String(decoding: data, as: UTF8.self) + "\n")
    }

    // MARK: - Shared flag handling

    static let modelFlag = ["-m", "--model"]
    static let formatFlag = ["--format", "-o"]

    /// The model a command works on: `-m [controller:][owner/]NAME`, else `$JUJU_MODEL`, else the current model.
    func modelName(_ flags: ParsedFlags) throws -> String {
        let given = flags.value("-m") ?? environment["JUJU_MODEL"].flatMap { $0.isEmpty ? nil : $0 }
        if let given {
            let withoutController = given.split(separator: ":", maxSplits: 1).last.map(String.init) ?? given
            let name = withoutController.split(separator: "/").last.map(String.init) ?? withoutController
            guard try store.locked({ store.modelExists(name) }) else {
                throw Failure.failed("model \(Self.controllerName):admin/\(name) not found")
            }
            return name
        }
        guard let current = try store.locked({ store.currentModel() }), store.modelExists(current) else {
            throw Failure.failed("no current model, use juju switch to select a model")
        }
        return current
    }

    /// `--format json|tabular` (and yaml, which the double does not print).
    func format(_ flags: ParsedFlags, default defaultFormat: String) throws -> String {
        let format = flags.value("--format") ?? defaultFormat
        switch format {
        case "json", "tabular": return format
        case "yaml": throw Failure.failed("the Juju double prints only --format=json and tabular")
        default: throw Failure.usage("invalid value \"\(format)\" for option --format: unknown format \"\(format)\"")
        }
    }

    func since(_ date: Date) -> String { Self.timestamp(date, format: "dd MMM yyyy HH:mm:ss'Z'") }

    static func timestamp(_ date: Date, format: String) -> String {
        if let formatter = formatters[format] { return formatter.string(from: date) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        formatters[format] = formatter
        return formatter.string(from: date)
    }

    /// Building a DateFormatter is slow; the double is single-threaded, so one cache is safe.
    nonisolated(unsafe) private static var formatters: [String: DateFormatter] = [:]

    /// `juju version`.
    func versionCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(boolean: [["--all"]]).parse(arguments)
        guard flags.positional.isEmpty else { throw Failure.usage("unrecognized args: \(Self.goList(flags.positional))") }
        write(version + "\n")
    }

    /// Go's `%q` of a string slice, as juju prints `unrecognized args: ["x"]`.
    static func goList(_ words: [String]) -> String {
        "[" + words.map { "\"\($0)\"" }.joined(separator: " ") + "]"
    }
}
