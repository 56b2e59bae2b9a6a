import Foundation
import Yams

/// Builds an `Inventory` from YAML, recording every problem it meets on the way.
///
/// Works in two passes: first each section on its own (types, unknown keys, ranges), then the
/// cross-references (placements → machines, relations → applications, generated names).
final class InventoryParser {
    private let reader: YAMLReader
    private let baseDirectory: String
    private let file: String

    init(file: String, baseDirectory: String) {
        self.file = file
        self.reader = YAMLReader(file: file)
        self.baseDirectory = baseDirectory
    }

    static let topLevelKeys = ["name", "gold", "lxd", "ssh", "wheelhouse", "machines", "juju"]
    static let lxdKeys = ["pool", "profiles", "socket", "remote", "url", "client_cert", "client_key",
                          "server_cert", "server_fingerprint", "spread"]
    static let sshKeys = ["user", "password"]
    static let wheelhouseKeys = ["path", "remote", "pip_install"]
    static let machineKeys = ["count", "cpu", "memory", "nesting", "wheelhouse", "target"]
    static let jujuKeys = ["model", "model_config", "applications", "relations"]
    static let applicationKeys = ["charm", "channel", "revision", "base", "config", "num_units", "to",
                                  "constraints", "trust", "expose", "bindings", "resources"]
    static let defaultGold = GoldSource.snapshot(instance: "gold", snapshot: "snap1")
    /// A guard against typos like `count: 10000` expanding into thousands of instances.
    static let maximumCount = 1000
    /// The same guard over all machines together (200 machines of 1000 each is no environment).
    static let maximumTotalCount = 1000
    /// Units placed by all applications together (`to: [web]` places one on each of web's
    /// instances, so a few lines could otherwise expand into millions).
    static let maximumUnits = 10_000

    /// Diagnostics in file order; file-level ones (no line) first.
    /// When there were too many to keep, a last one says how many more there were.
    var sortedDiagnostics: [Diagnostic] {
        reader.diagnostics.enumerated().sorted { a, b in
            let ka = (a.element.line ?? 0, a.element.column ?? 0, a.offset)
            let kb = (b.element.line ?? 0, b.element.column ?? 0, b.offset)
            return ka < kb
        }.map(\.element) + (reader.suppressedSummary.map { [$0] } ?? [])
    }

    // MARK: Entry point

    func parse(yaml: String) -> Inventory? {
        let root: Node?
        do {
            root = try YAMLLimits.compose(yaml: yaml)
        } catch {
            reader.add(YAMLSyntaxDiagnostic.make(from: error, yaml: yaml, file: file))
            return nil
        }
        guard let root, !YAMLReader.isNull(root) else {
            reader.add(Diagnostic(
                severity: .error, file: file, line: nil, column: nil, keyPath: "",
                message: "the inventory is empty",
                hint: "start from inventory/demo.yaml; at least `name:` and `machines:` are needed"))
            return nil
        }
        guard let top = reader.mapping(root, "", expected: "a mapping of settings (name:, machines:, …)",
                                       hint: "an inventory starts with keys such as `name:` and `machines:`")
        else { return nil }
        reader.rejectUnknownKeys(top, allowed: Self.topLevelKeys, "")
        let section = { (key: String) in top.first { $0.key == key } }

        let name = section("name").flatMap(parseName)
        currentEnvironmentName = name
        if section("name") == nil {
            reader.error(at: root, "name", "missing required key `name`",
                         hint: "add `name: demo`; it prefixes every instance name and is the default model name")
        }
        // An invalid `gold` has been reported; the default only keeps the other checks going.
        let gold = section("gold").flatMap(parseGold) ?? Self.defaultGold
        let lxd = section("lxd").map(parseLXD) ?? LXDSettings()
        let ssh = section("ssh").map(parseSSH) ?? SSHSettings()
        sshUser = ssh.user
        let wheelhouse = section("wheelhouse").flatMap { entry -> WheelhouseSettings? in
            parseWheelhouse(entry.value, entry.path, inheriting: nil)
        }
        var groups: [MachineGroup] = []
        if let entry = section("machines") {
            groups = parseMachines(entry, globalWheelhouse: wheelhouse)
        } else {
            reader.error(at: root, "machines", "missing required key `machines`",
                         hint: "add e.g. `machines: {web: {count: 2}}`")
        }
        groupsByName = Dictionary(groups.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let total = groups.reduce(0) { $0 + $1.count }
        var machines: [MachineSpec] = []
        if total > Self.maximumTotalCount, let entry = section("machines") {
            reader.error(at: entry.keyNode, entry.path,
                         "the machines add up to \(total) instances; goldfleet creates at most \(Self.maximumTotalCount) in one environment",
                         hint: "lower the counts, or split the machines into several environments (each an inventory with its own `name:`)")
        } else {
            machines = expand(groups, environment: name)
        }

        let modelDefault = name ?? "goldfleet"
        let juju = section("juju").map { parseJuju($0, groups: groups, modelDefault: modelDefault) }
            ?? JujuSettings(model: modelDefault)
        if !hasExplicitModel, let name, let nameEntry = section("name") {
            checkModelName(name, nameEntry.value, "name", isDefault: true)
        }

        guard let name else { return nil }
        return Inventory(name: name, sourceFile: file, gold: gold, lxd: lxd, ssh: ssh,
                         wheelhouse: wheelhouse, machines: machines, juju: juju)
    }

    // MARK: name, gold

    private func parseName(_ entry: YAMLReader.Entry) -> String? {
        guard let name = reader.string(entry.value, entry.path, what: "an environment name",
                                       acceptOtherScalars: false,
                                       hint: "use letters, digits and hyphens, e.g. `name: demo`")
        else { return nil }
        if let problem = InstanceName.problem(with: name) {
            reader.error(at: entry.value, entry.path,
                         DiagnosticText.shortened(problem).replacingOccurrences(of: "instance name", with: "environment name"),
                         hint: "the name prefixes every LXD instance name; use letters, digits and hyphens, starting with a letter")
            return nil
        }
        return name
    }

    private func parseGold(_ entry: YAMLReader.Entry) -> GoldSource? {
        let formHint = "write `gold: gold/snap1` (INSTANCE/SNAPSHOT), `gold: {snapshot: gold/snap1}` or `gold: {image: ALIAS}`"
        if case .mapping = entry.value {
            guard let entries = reader.mapping(entry.value, entry.path) else { return nil }
            reader.rejectUnknownKeys(entries, allowed: ["snapshot", "image"], entry.path)
            let known = entries.filter { ["snapshot", "image"].contains($0.key) }
            guard known.count == 1, let only = known.first else {
                reader.error(at: entry.value, entry.path,
                             known.isEmpty ? "expected `snapshot:` or `image:`" : "give either `snapshot:` or `image:`, not both",
                             hint: formHint)
                return nil
            }
            guard let text = reader.string(only.value, only.path, acceptOtherScalars: false) else { return nil }
            if only.key == "image" {
                if let problem = LXDName.imageAliasProblem(text) {
                    reader.error(at: only.value, only.path, "image alias `\(text)` \(problem)",
                                 hint: "use the alias as `lxc image alias list` shows it, e.g. `goldfleet/base/bookworm`")
                    return nil
                }
                return .image(alias: text)
            }
            return snapshot(text, only.value, only.path, hint: formHint)
        }
        guard let text = reader.string(entry.value, entry.path, what: "a gold source", acceptOtherScalars: false,
                                       hint: formHint) else { return nil }
        return snapshot(text, entry.value, entry.path, hint: formHint)
    }

    private func snapshot(_ text: String, _ node: Node, _ path: String, hint: String) -> GoldSource? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            reader.error(at: node, path, "expected INSTANCE/SNAPSHOT, got `\(text)`", hint: hint)
            return nil
        }
        let instance = String(parts[0]), snapshotName = String(parts[1])
        if let problem = LXDName.instanceProblem(instance) {
            reader.error(at: node, path, "gold instance name `\(instance)` is not a valid LXD instance name: it \(problem)", hint: hint)
            return nil
        }
        if let problem = LXDName.snapshotProblem(snapshotName) {
            reader.error(at: node, path, "gold snapshot name `\(snapshotName)` is not a valid LXD snapshot name: it \(problem)", hint: hint)
            return nil
        }
        return .snapshot(instance: instance, snapshot: snapshotName)
    }

    // MARK: lxd

    private func parseLXD(_ entry: YAMLReader.Entry) -> LXDSettings {
        var settings = LXDSettings()
        guard let entries = reader.mapping(entry.value, entry.path, allowNull: true) else { return settings }
        reader.rejectUnknownKeys(entries, allowed: Self.lxdKeys, entry.path)
        func value(_ key: String) -> YAMLReader.Entry? { entries.first { $0.key == key } }
        if let pool = value("pool"), let text = reader.string(pool.value, pool.path, what: "a storage pool name") {
            if let problem = LXDName.poolProblem(text) {
                reader.error(at: pool.value, pool.path, "storage pool name `\(text)` \(problem)",
                             hint: "use the name `lxc storage list` shows")
            } else {
                settings.pool = text
            }
        }
        if let profiles = value("profiles"), let list = reader.sequence(profiles.value, profiles.path,
                                                                          expected: "a list of profile names") {
            settings.profiles = list.enumerated().compactMap { index, node -> String? in
                let path = "\(profiles.path)[\(index)]"
                guard let name = reader.string(node, path, what: "a profile name") else { return nil }
                if let problem = LXDName.profileProblem(name) {
                    reader.error(at: node, path, "profile name `\(name)` \(problem)", hint: "use a name `lxc profile list` shows")
                    return nil
                }
                return name
            }
        }
        if let spread = value("spread"), let text = reader.string(spread.value, spread.path) {
            if let strategy = SpreadStrategy(rawValue: text) {
                settings.spread = strategy
            } else {
                reader.error(at: spread.value, spread.path, "unknown spread strategy `\(text)`",
                             hint: "use one of: \(SpreadStrategy.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let endpoints = entries.filter { ["socket", "remote", "url"].contains($0.key) }
        if endpoints.count > 1 {
            reader.error(at: endpoints[1].keyNode, endpoints[1].path,
                         "`\(endpoints[0].key)` and `\(endpoints[1].key)` both say where LXD is",
                         hint: "keep one of `socket:`, `remote:` or `url:`")
        }
        let tlsKeys = ["client_cert", "client_key", "server_cert", "server_fingerprint"]
        let tlsEntries = entries.filter { tlsKeys.contains($0.key) }
        var tls = LXDTLSSettings()
        for tlsEntry in tlsEntries {
            guard let text = reader.string(tlsEntry.value, tlsEntry.path) else { continue }
            switch tlsEntry.key {
            case "client_cert": tls.clientCertificatePath = resolve(text)
            case "client_key":
                tls.clientKeyPath = resolve(text)
                warnIfNotPrivate(resolve(text), tlsEntry.value, tlsEntry.path, what: "client key")
            case "server_cert": tls.serverCertificatePath = resolve(text)
            default:
                if let fingerprint = LXDCertificateFingerprint(text) {
                    tls.serverFingerprint = fingerprint.hex
                } else {
                    reader.error(at: tlsEntry.value, tlsEntry.path, "expected the server certificate's full SHA-256 fingerprint (64 hex digits, colons allowed), got `\(text)`",
                                 hint: LXDCertificateFingerprint.whereToFind)
                }
            }
        }
        switch endpoints.first {
        case let socket? where socket.key == "socket":
            if let path = reader.string(socket.value, socket.path, what: "a unix socket path") {
                settings.location = .socket(path: resolve(path))
            }
        case let remote? where remote.key == "remote":
            if let name = reader.string(remote.value, remote.path, what: "an lxc remote name") {
                settings.location = .remote(name: name)
            }
        case let url?:
            if let text = reader.string(url.value, url.path, what: "an https:// URL") {
                if !text.hasPrefix("https://") {
                    reader.error(at: url.value, url.path, "expected an https:// URL, got `\(text)`",
                                 hint: "LXD's remote API is HTTPS only, e.g. `url: https://10.0.0.5:8443`")
                }
                if tls.clientCertificatePath == nil || tls.clientKeyPath == nil {
                    reader.error(at: url.keyNode, url.path, "an https endpoint needs `client_cert` and `client_key`",
                                 hint: "add the paths of a client certificate trusted by that LXD (`lxc config trust add`)")
                }
                // goldfleet refuses to talk to an unpinned server (LXDConnection), so say it here, with the line.
                if tls.serverCertificatePath == nil && !tlsEntries.contains(where: { $0.key == "server_fingerprint" }) {
                    reader.error(at: url.keyNode, url.path, "an https endpoint needs the server's certificate pinned",
                                 hint: "add `server_fingerprint:` (\(LXDCertificateFingerprint.whereToFind)) or `server_cert:` (a copy of its server.crt)")
                }
                settings.location = .url(text, tls: tls)
            }
        case nil:
            break
        }
        if endpoints.first?.key != "url" {
            for tlsEntry in tlsEntries {
                reader.error(at: tlsEntry.keyNode, tlsEntry.path, "`\(tlsEntry.key)` only applies with `url:`",
                             hint: "remove it, or add `url: https://HOST:8443`")
            }
        }
        return settings
    }

    // MARK: ssh

    private func parseSSH(_ entry: YAMLReader.Entry) -> SSHSettings {
        var settings = SSHSettings()
        guard let entries = reader.mapping(entry.value, entry.path, allowNull: true) else { return settings }
        reader.rejectUnknownKeys(entries, allowed: Self.sshKeys, entry.path)
        if let user = entries.first(where: { $0.key == "user" }),
           let name = reader.string(user.value, user.path, what: "a user name", acceptOtherScalars: false) {
            if CommandLineSafety.isOptionLike(name) {
                reader.error(at: user.value, user.path, "user `\(name)` \(CommandLineSafety.rule)",
                             hint: "write the login name of the machines' user, e.g. `user: ubuntu`")
            } else if let bad = name.unicodeScalars.first(where: { !Self.isUserNameScalar($0) }) {
                reader.error(at: user.value, user.path, "user `\(name)` contains `\(bad)`; a user name is ASCII letters, digits, `_`, `-` and `.`",
                             hint: "write the login name of the machines' user, e.g. `user: ubuntu`")
            } else {
                settings.user = name
            }
        }
        if let password = entries.first(where: { $0.key == "password" }),
           let source = parsePassword(password) {
            settings.password = source
        }
        return settings
    }

    static func isUserNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "_-.".unicodeScalars.contains(scalar)
    }

    private func parsePassword(_ entry: YAMLReader.Entry) -> PasswordSource? {
        let formHint = "write `password: {env: GOLDFLEET_PASSWORD}` or `password: {file: /path/to/password}`"
        if case .scalar = entry.value, !YAMLReader.isNull(entry.value) {
            // Never echo the value: it is a secret.
            guard case .scalar(let scalar) = entry.value, !scalar.string.isEmpty else {
                reader.error(at: entry.value, entry.path, "the password is empty", hint: formHint)
                return nil
            }
            if let problem = PasswordResolver.problem(with: scalar.string) {
                reader.error(at: entry.value, entry.path, "the password \(problem)", hint: PasswordResolver.nulFix)
                return nil
            }
            reader.warning(at: entry.value, entry.path, "the password is written in the inventory",
                           hint: "anyone who can read this file can log in; \(formHint)")
            return .inline(scalar.string)
        }
        guard let entries = reader.mapping(entry.value, entry.path, expected: "{env: NAME} or {file: PATH}",
                                           hint: formHint) else { return nil }
        reader.rejectUnknownKeys(entries, allowed: ["env", "file"], entry.path)
        let known = entries.filter { ["env", "file"].contains($0.key) }
        guard known.count == 1, let only = known.first else {
            reader.error(at: entry.value, entry.path,
                         known.isEmpty ? "expected `env:` or `file:`" : "give either `env:` or `file:`, not both",
                         hint: formHint)
            return nil
        }
        guard let text = reader.string(only.value, only.path, acceptOtherScalars: false) else { return nil }
        // An environment variable cannot hold a NUL (POSIX strings end at it), so only the
        // inline and file forms need the check.
        if only.key == "env" { return .environment(text) }
        let path = resolve(text)
        if !FileManager.default.fileExists(atPath: path) {
            reader.warning(at: only.value, only.path, "password file `\(path)` does not exist (yet)",
                           hint: "create it before `goldfleet up`, or fix the path")
            return .file(path)
        }
        do {
            _ = try PasswordResolver.resolve(.file(path))
        } catch let missing as PasswordResolver.Missing {
            if missing.isNUL {
                reader.error(at: only.value, only.path, "the password in `\(path)` \(missing.reason)", hint: PasswordResolver.nulFix)
                return nil
            }
            reader.warning(at: only.value, only.path, "password file `\(path)` \(missing.reason)",
                           hint: missing.hint ?? "fix it before `goldfleet up`")
        } catch {
            reader.warning(at: only.value, only.path, "password file `\(path)` cannot be used: \(error)",
                           hint: "fix it before `goldfleet up`")
        }
        warnIfNotPrivate(path, only.value, only.path, what: "password file")
        return .file(path)
    }

    // MARK: wheelhouse

    /// A wheelhouse section; with `inheriting`, missing keys come from the global one.
    private func parseWheelhouse(_ node: Node, _ path: String, inheriting global: WheelhouseSettings?)
        -> WheelhouseSettings?
    {
        guard let entries = reader.mapping(node, path, expected: "a mapping {path:, remote:, pip_install:}") else {
            return nil
        }
        reader.rejectUnknownKeys(entries, allowed: Self.wheelhouseKeys, path)
        func value(_ key: String) -> YAMLReader.Entry? { entries.first { $0.key == key } }
        var localPath = global?.path
        var valid = true
        if let entry = value("path") {
            if let text = reader.string(entry.value, entry.path, what: "a directory path") {
                let resolved = resolve(text)
                var isDirectory: ObjCBool = false
                if !FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) {
                    reader.error(at: entry.value, entry.path, "wheelhouse directory `\(resolved)` does not exist",
                                 hint: "create it (e.g. `pip wheel -w \(text) -r requirements.txt`) or fix the path; relative paths start at the inventory's directory")
                    valid = false
                } else if !isDirectory.boolValue {
                    reader.error(at: entry.value, entry.path, "`\(resolved)` is a file, not a directory",
                                 hint: "point `path:` at the directory holding the .whl files")
                    valid = false
                }
                localPath = resolved
            } else {
                valid = false
            }
        } else if global == nil {
            reader.error(at: node, path, "missing required key `path`",
                         hint: "add `path: wheelhouse` (a directory of .whl files, relative to the inventory)")
            valid = false
        }
        var settings = WheelhouseSettings(path: localPath ?? "",
                                          remote: global?.remote ?? WheelhouseSettings.defaultRemote,
                                          pipInstall: global?.pipInstall ?? false)
        if let entry = value("remote"), let text = reader.string(entry.value, entry.path, what: "a remote directory") {
            if let refusal = WheelhouseRemote.problem(text, user: sshUser) {
                reader.error(at: entry.value, entry.path, "destination `\(text)` \(refusal.problem)", hint: refusal.fix)
                valid = false
            } else {
                settings.remote = text
            }
        }
        if let entry = value("pip_install"), let flag = reader.bool(entry.value, entry.path) {
            settings.pipInstall = flag
        }
        return valid ? settings : nil
    }

    // MARK: machines

    /// A machine group as written, before expansion.
    struct MachineGroup {
        var name: String
        var keyNode: Node
        var count: Int
        var cpu: Int?
        var memory: String?
        var nesting: Bool
        var wheelhouse: WheelhouseSettings?
        var target: String?
    }

    private func parseMachines(_ entry: YAMLReader.Entry, globalWheelhouse: WheelhouseSettings?) -> [MachineGroup] {
        guard let entries = reader.mapping(entry.value, entry.path, expected: "a mapping of machine names",
                                           hint: "e.g. `machines: {web: {count: 2}, db: {}}`") else { return [] }
        if entries.isEmpty {
            reader.error(at: entry.value, entry.path, "no machines are defined",
                         hint: "add at least one, e.g. `machines: {web: {}}`")
        }
        return entries.map { parseMachine($0, globalWheelhouse: globalWheelhouse) }
    }

    private func parseMachine(_ entry: YAMLReader.Entry, globalWheelhouse: WheelhouseSettings?) -> MachineGroup {
        var group = MachineGroup(name: entry.key, keyNode: entry.keyNode, count: 1, nesting: false,
                                 wheelhouse: globalWheelhouse)
        guard let entries = reader.mapping(entry.value, entry.path, allowNull: true,
                                           expected: "a mapping (count:, cpu:, memory:, nesting:, …)") else {
            return group
        }
        reader.rejectUnknownKeys(entries, allowed: Self.machineKeys, entry.path)
        // `key: null` (or an empty value) means "use the default", as if the key were absent.
        for field in entries where !YAMLReader.isNull(field.value) {
            switch field.key {
            case "count":
                if let count = reader.integer(field.value, field.path, atLeast: 1,
                                              hint: "a machine needs at least one instance; remove the machine to have none") {
                    if count > Self.maximumCount {
                        reader.error(at: field.value, field.path, "\(count) instances is more than goldfleet creates (at most \(Self.maximumCount))",
                                     hint: "split the environment, or check for a typo")
                    } else {
                        group.count = count
                    }
                }
            case "cpu":
                group.cpu = reader.integer(field.value, field.path, atLeast: 1, hint: "number of CPUs (limits.cpu)")
            case "memory":
                group.memory = parseMemory(field)
            case "nesting":
                group.nesting = reader.bool(field.value, field.path) ?? false
            case "target":
                if let member = reader.string(field.value, field.path, what: "a cluster member name") {
                    if let problem = LXDName.memberProblem(member) {
                        reader.error(at: field.value, field.path, "cluster member name `\(member)` \(problem)",
                                     hint: "use a name `lxc cluster list` shows")
                    } else {
                        group.target = member
                    }
                }
            case "wheelhouse":
                if case .scalar = field.value, field.value.resolvedTagName == .bool {
                    group.wheelhouse = (field.value.bool ?? false) ? globalWheelhouse : nil
                    if field.value.bool == true && globalWheelhouse == nil {
                        reader.error(at: field.value, field.path, "`wheelhouse: true` but there is no global `wheelhouse:`",
                                     hint: "give this machine its own `wheelhouse: {path: DIR}` or add a top-level one")
                    }
                } else {
                    group.wheelhouse = parseWheelhouse(field.value, field.path, inheriting: globalWheelhouse)
                }
            default:
                break
            }
        }
        return group
    }

    /// LXD `limits.memory` accepts a number with an optional byte unit, or a percentage.
    private func parseMemory(_ entry: YAMLReader.Entry) -> String? {
        let hint = "write an amount with a unit, e.g. `memory: 2GiB` or `memory: 512MiB`"
        guard let text = reader.string(entry.value, entry.path, what: "a memory size", hint: hint) else { return nil }
        let units = ["", "B", "kB", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "PiB", "%"]
        let digits = text.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = String(text.dropFirst(digits.count))
        guard !digits.isEmpty, Double(digits) != nil, units.contains(unit), Double(digits)! > 0 else {
            var fix = hint
            if let suggestion = EditDistance.suggestion(for: unit, among: units.filter { !$0.isEmpty }) {
                fix = "did you mean `\(digits)\(suggestion)`?"
            }
            reader.error(at: entry.value, entry.path, "expected a memory size, got `\(text)`", hint: fix)
            return nil
        }
        return text
    }

    private func expand(_ groups: [MachineGroup], environment: String?) -> [MachineSpec] {
        var machines: [MachineSpec] = []
        var owners: [String: String] = [:]  // lowercased instance name → group that made it
        for group in groups {
            guard let environment else { continue }
            let longest = InstanceName.make(environment: environment, group: group.name, index: group.count)
            if let problem = InstanceName.problem(with: longest) {
                var hint = "machine names may use letters, digits and hyphens"
                if longest.utf8.count > InstanceName.maximumLength {
                    hint = "names are `<name>-<machine>-<n>`; shorten `name` (\(environment.utf8.count) characters) or the machine name `\(group.name)`"
                }
                reader.error(at: group.keyNode, "machines.\(group.name)", "generated \(problem)", hint: hint)
                continue
            }
            for index in 1...group.count {
                let instanceName = InstanceName.make(environment: environment, group: group.name, index: index)
                if let owner = owners[instanceName.lowercased()] {
                    reader.error(at: group.keyNode, "machines.\(group.name)",
                                 "instance name `\(instanceName)` is also generated by machine `\(owner)`",
                                 hint: "instance names are hostnames and ignore case; rename one of the machines")
                    break
                }
                owners[instanceName.lowercased()] = group.name
                machines.append(MachineSpec(
                    instanceName: instanceName, group: group.name, index: index, cpu: group.cpu,
                    memory: group.memory, nesting: group.nesting, wheelhouse: group.wheelhouse, target: group.target))
            }
        }
        return machines
    }

    // MARK: juju

    private func parseJuju(_ entry: YAMLReader.Entry, groups: [MachineGroup], modelDefault: String) -> JujuSettings {
        var settings = JujuSettings(model: modelDefault)
        guard let entries = reader.mapping(entry.value, entry.path, allowNull: true) else { return settings }
        reader.rejectUnknownKeys(entries, allowed: Self.jujuKeys, entry.path)
        func value(_ key: String) -> YAMLReader.Entry? { entries.first { $0.key == key } }
        if let model = value("model") {
            hasExplicitModel = true
            if let name = reader.string(model.value, model.path, what: "a model name", acceptOtherScalars: false) {
                settings.model = name
                checkModelName(name, model.value, model.path, isDefault: false)
            }
        }
        if let config = value("model_config"),
           let configEntries = reader.mapping(config.value, config.path, allowNull: true) {
            // One lookup per key: a user key replaces a default in place (files with tens of
            // thousands of keys must not take quadratic time).
            var positions = Dictionary(settings.modelConfig.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
            for item in configEntries {
                guard checkConfigKey(item), let text = reader.configValue(item.value, item.path) else { continue }
                if let index = positions[item.key] {
                    settings.modelConfig[index].value = text
                } else {
                    positions[item.key] = settings.modelConfig.count
                    settings.modelConfig.append(ConfigEntry(item.key, text))
                }
            }
        }
        var applicationNames: [String] = []
        if let applications = value("applications"),
           let appEntries = reader.mapping(applications.value, applications.path, allowNull: true,
                                           expected: "a mapping of application names") {
            applicationNames = appEntries.map(\.key)
            settings.applications = appEntries.compactMap { parseApplication($0, groups: groups) }
        }
        if let relations = value("relations") {
            settings.relations = parseRelations(relations, applications: applicationNames)
        }
        return settings
    }

    /// A config key becomes `KEY=VALUE` on juju's command line: it must not read as an option,
    /// and an `=` in it would move the split between key and value.
    private func checkConfigKey(_ item: YAMLReader.Entry) -> Bool {
        let fix = "write the key as the charm or model defines it, e.g. `enable-os-upgrade`"
        if refusedAsOption(item.key, item.keyNode, item.path, what: "config key", fix: fix) { return false }
        if !Self.isPlainConfigKey(item.key) {
            reader.error(at: item.keyNode, item.path, "config key `\(item.key)` must be a non-empty name without `=`, spaces or control characters (juju reads `KEY=VALUE`)",
                         hint: fix)
            return false
        }
        return true
    }

    /// Non-empty, no `=`, no whitespace or control characters (one pass over the bytes; the
    /// Unicode properties only for non-ASCII keys).
    static func isPlainConfigKey(_ key: String) -> Bool {
        guard !key.isEmpty, key.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "=") }) else { return false }
        return key.utf8.allSatisfy { $0 < 0x80 }
            || !key.unicodeScalars.contains { $0.properties.isWhitespace || (0x80...0x9F).contains($0.value) }
    }

    /// Reports `value` when a program would take it for an option (`CommandLineSafety`).
    private func refusedAsOption(_ value: String, _ node: Node, _ path: String, what: String, fix: String) -> Bool {
        guard CommandLineSafety.isOptionLike(value) else { return false }
        reader.error(at: node, path, "\(what) `\(value)` \(CommandLineSafety.rule)", hint: fix)
        return true
    }

    /// Juju model names: lowercase letters, digits and hyphens, starting with a letter or digit.
    private func checkModelName(_ name: String, _ node: Node, _ path: String, isDefault: Bool) {
        let valid = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
            && !name.hasPrefix("-")
        guard !valid else { return }
        reader.error(at: node, path, "`\(name)` is not a valid juju model name\(isDefault ? " (the model defaults to the environment name)" : "")",
                     hint: isDefault ? "use a lowercase `name:`, or set `juju: {model: \(name.lowercased())}`"
                                     : "use lowercase letters, digits and hyphens")
    }

    private func parseApplication(_ entry: YAMLReader.Entry, groups: [MachineGroup]) -> ApplicationSpec? {
        guard let entries = reader.mapping(entry.value, entry.path, expected: "a mapping (charm:, num_units:, to:, …)")
        else { return nil }
        reader.rejectUnknownKeys(entries, allowed: Self.applicationKeys, entry.path)
        func value(_ key: String) -> YAMLReader.Entry? { entries.first { $0.key == key } }
        var valid = true
        var charm = ""
        if let charmEntry = value("charm") {
            if let text = reader.string(charmEntry.value, charmEntry.path, what: "a charm name or path") {
                charm = text
                if refusedAsOption(text, charmEntry.value, charmEntry.path, what: "charm",
                                   fix: "write the charm's name (e.g. `postgresql`), or a local charm as a path starting with `./`") {
                    valid = false
                } else if LocalCharm.isPath(text) {
                    // A local charm (LocalCharm.swift): resolved like `wheelhouse.path`, checked here.
                    charm = resolve(text)
                    if let problem = LocalCharm.problem(at: charm, written: text) {
                        reader.error(at: charmEntry.value, charmEntry.path, problem.message, hint: problem.hint)
                        valid = false
                    }
                }
            } else { valid = false }
        } else {
            reader.error(at: entry.keyNode, entry.path, "missing required key `charm`",
                         hint: "add `charm: NAME` (Charmhub) or `charm: ./path/to/charm.charm`")
            valid = false
        }
        if !Self.isValidApplicationName(entry.key) {
            reader.error(at: entry.keyNode, entry.path, "`\(entry.key)` is not a valid juju application name",
                         hint: "use lowercase letters, digits and hyphens, starting with a letter; no part after a hyphen may be only digits")
            valid = false
        }
        var spec = ApplicationSpec(name: entry.key, charm: charm, numUnits: 0, placements: [])
        if let channel = value("channel") {
            spec.channel = reader.string(channel.value, channel.path, what: "a channel such as `latest/stable`")
            if let text = spec.channel, refusedAsOption(text, channel.value, channel.path, what: "channel",
                                                        fix: "write a channel such as `latest/stable` or `14/edge`") {
                valid = false
            }
        }
        if let base = value("base") {
            spec.base = reader.string(base.value, base.path, what: "a base such as `ubuntu@22.04`")
            if let text = spec.base, refusedAsOption(text, base.value, base.path, what: "base",
                                                     fix: "write a base such as `ubuntu@22.04`") {
                valid = false
            }
        }
        if let revision = value("revision") {
            spec.revision = reader.integer(revision.value, revision.path, atLeast: 0)
            if spec.revision != nil, value("channel") == nil {
                reader.error(at: revision.keyNode, revision.path, "`revision` needs a `channel`",
                             hint: "juju deploys a specific revision only together with --channel; add `channel: latest/stable`")
                valid = false
            }
        }
        if let config = value("config"), let items = reader.mapping(config.value, config.path, allowNull: true) {
            spec.config = items.compactMap { item in
                guard checkConfigKey(item) else { valid = false; return nil }
                return reader.configValue(item.value, item.path).map { ConfigEntry(item.key, $0) }
            }
        }
        if !parseDeployOptions(entries, into: &spec) { valid = false }
        var numUnits: Int?
        if let units = value("num_units") {
            numUnits = reader.integer(units.value, units.path, atLeast: 0,
                                      hint: "0 deploys without units (subordinates)")
            if numUnits == nil { valid = false }
        }
        var placements: [Placement] = []
        if let to = value("to") {
            guard let resolved = resolvePlacements(to, groups: groups) else { return nil }
            placements = resolved
        }
        let units = numUnits ?? (value("to") == nil ? 1 : placements.count)
        if units > placements.count {
            let node = value("num_units")?.value ?? value("to")?.value ?? entry.keyNode
            let path = value("num_units")?.path ?? value("to")?.path ?? entry.path
            let given = placements.isEmpty ? "no placement (`to:`)"
                : "only \(placements.count) placement\(placements.count == 1 ? "" : "s") (\(placements.map(\.instanceName).joined(separator: ", ")))"
            reader.error(at: node, path, "\(units) unit\(units == 1 ? "" : "s") but \(given)",
                         hint: "juju cannot create machines in a goldfleet model, so every unit needs a placement; add machines to `to:` (a machine name places one unit on each of its instances) or lower `num_units`")
            valid = false
        } else if units < placements.count, let to = value("to") {
            if units > 0 {
                reader.warning(at: to.value, to.path,
                               "\(placements.count) placements for \(units) unit\(units == 1 ? "" : "s"); only the first \(units) are used",
                               hint: "raise `num_units` or trim `to:`")
            } else {
                reader.warning(at: to.value, to.path, "placements are ignored for an application with 0 units",
                               hint: "remove `to:` (subordinates follow their principal)")
            }
            placements = Array(placements.prefix(units))
        }
        spec.numUnits = units
        spec.placements = placements
        return valid ? spec : nil
    }

    /// `constraints`, `trust`, `expose`, `bindings` and `resources`: what `juju deploy` (and
    /// `juju expose`) take besides the charm and its placement. False when one is refused.
    private func parseDeployOptions(_ entries: [YAMLReader.Entry], into spec: inout ApplicationSpec) -> Bool {
        var valid = true
        for entry in entries {
            switch entry.key {
            case "constraints":
                guard let text = reader.string(entry.value, entry.path, what: "juju constraints such as `cores=2 mem=8G`",
                                               acceptOtherScalars: false) else { valid = false; continue }
                if refusedAsOption(text, entry.value, entry.path, what: "constraints", fix: "write them as juju does, e.g. `cores=2 mem=8G`") {
                    valid = false
                    continue
                }
                let malformed = JujuConstraints(parsing: text).malformed
                if !malformed.isEmpty || text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\t" }) {
                    reader.error(at: entry.value, entry.path,
                                 "cannot read constraint\(malformed.count == 1 ? "" : "s") \(malformed.isEmpty ? "(a control character)" : malformed.map { "`\($0)`" }.joined(separator: ", "))",
                                 hint: "juju reads space-separated `key=value` items, e.g. `cores=2 mem=8G root-disk=16G`")
                    valid = false
                    continue
                }
                spec.constraints = text
            case "trust":
                guard let flag = reader.bool(entry.value, entry.path) else { valid = false; continue }
                spec.trust = flag
            case "expose":
                guard let flag = reader.bool(entry.value, entry.path) else { valid = false; continue }
                spec.expose = flag
            case "bindings":
                guard let items = reader.mapping(entry.value, entry.path, allowNull: true,
                                                 expected: "a mapping of endpoint → space (`\"\"` for the default space)")
                else { valid = false; continue }
                for item in items {
                    if !item.key.isEmpty, !checkDeployKey(item, what: "endpoint", fix: "write the endpoint as the charm names it, e.g. `db`") {
                        valid = false
                        continue
                    }
                    guard let space = reader.string(item.value, item.path, what: "a space name", acceptOtherScalars: false)
                    else { valid = false; continue }
                    guard Self.isValidSpaceName(space) else {
                        reader.error(at: item.value, item.path, "`\(space)` is not a juju space name",
                                     hint: "space names are lowercase letters, digits and hyphens, e.g. `alpha`; `juju spaces` lists them")
                        valid = false
                        continue
                    }
                    spec.bindings.append(ConfigEntry(item.key, space))
                }
            case "resources":
                guard let items = reader.mapping(entry.value, entry.path, allowNull: true,
                                                 expected: "a mapping of resource name → revision or file")
                else { valid = false; continue }
                for item in items {
                    guard checkDeployKey(item, what: "resource name", fix: "write the resource as the charm names it") else {
                        valid = false
                        continue
                    }
                    if item.value.resolvedTagName == .int {
                        guard let revision = reader.integer(item.value, item.path, atLeast: 0) else { valid = false; continue }
                        spec.resources.append(ConfigEntry(item.key, String(revision)))
                        continue
                    }
                    guard let text = reader.string(item.value, item.path, what: "a resource revision or a file path",
                                                   acceptOtherScalars: false) else { valid = false; continue }
                    let path = resolve(text)
                    var isDirectory: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                        reader.error(at: item.value, item.path, "no file `\(path)` to upload as resource `\(item.key)`",
                                     hint: "give a charm revision (a number) or the path of the file, relative to the inventory")
                        valid = false
                        continue
                    }
                    spec.resources.append(ConfigEntry(item.key, path))
                }
            default:
                continue
            }
        }
        return valid
    }

    /// Endpoint and resource names end up as `NAME=VALUE` on juju's command line, like config keys.
    private func checkDeployKey(_ item: YAMLReader.Entry, what: String, fix: String) -> Bool {
        if refusedAsOption(item.key, item.keyNode, item.path, what: what, fix: fix) { return false }
        guard Self.isPlainConfigKey(item.key) else {
            reader.error(at: item.keyNode, item.path, "\(what) `\(item.key)` must be a non-empty name without `=`, spaces or control characters (juju reads `NAME=VALUE`)",
                         hint: fix)
            return false
        }
        return true
    }

    /// Juju space names: lowercase letters and digits, in parts joined by single hyphens.
    static func isValidSpaceName(_ name: String) -> Bool {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        return parts.allSatisfy { part in
            !part.isEmpty && part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
    }

    /// Juju's rule: `[a-z][a-z0-9]*` parts joined by hyphens, and no part after the first may be
    /// digits only (it would read like a unit number).
    static func isValidApplicationName(_ name: String) -> Bool {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, let initial = first.unicodeScalars.first, ("a"..."z").contains(initial) else {
            return false
        }
        return parts.enumerated().allSatisfy { index, part in
            !part.isEmpty
                && part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
                && (index == 0 || part.unicodeScalars.contains { ("a"..."z").contains($0) })
        }
    }

    /// Expands `to:` entries into concrete instances: `web` (every instance of the group),
    /// `web-2` / `web:2` (one instance), `lxd:X` (a new container on each instance X names).
    private func resolvePlacements(_ entry: YAMLReader.Entry, groups: [MachineGroup]) -> [Placement]? {
        guard !reportedTooManyUnits else { return nil }
        let nodes: [(Node, String)]
        if case .sequence(let sequence) = entry.value {
            nodes = sequence.enumerated().map { ($1, "\(entry.path)[\($0)]") }
        } else if case .scalar = entry.value, !YAMLReader.isNull(entry.value) {
            nodes = [(entry.value, entry.path)]
        } else {
            reader.error(at: entry.value, entry.path, "expected a list of machines, got \(YAMLReader.describe(entry.value))",
                         hint: "e.g. `to: [web, lxd:db-1]`")
            return nil
        }
        var placements: [Placement] = []
        var valid = true
        for (node, path) in nodes {
            let numberHint = "name an inventory machine (e.g. `web` or `web-1`); juju machine numbers are assigned by goldfleet"
            guard let text = reader.string(node, path, what: "a machine name", acceptOtherScalars: false,
                                           hint: numberHint) else { valid = false; continue }
            var reference = Substring(text)
            var inContainer = false
            // `lxd:X` is always a container; `NAME:N` (digits) is an instance; other `word:` prefixes
            // are container types goldfleet does not offer.
            if let colon = text.firstIndex(of: ":"), text[..<colon].allSatisfy(\.isLetter),
               text[..<colon] == "lxd" || !text[text.index(after: colon)...].allSatisfy(\.isNumber) {
                let kind = text[..<colon]
                guard kind == "lxd" else {
                    reader.error(at: node, path, "unsupported container type `\(kind)` in `\(text)`",
                                 hint: "only `lxd:MACHINE` containers are supported")
                    valid = false
                    continue
                }
                inContainer = true
                reference = text[text.index(after: colon)...]
            }
            guard let instances = instances(named: String(reference), in: groups, node: node, path: path) else {
                valid = false
                continue
            }
            guard unitsPlaced + instances.names.count <= Self.maximumUnits else {
                if !reportedTooManyUnits {
                    reader.error(at: node, path, "the applications place more than \(Self.maximumUnits) units in all; goldfleet deploys at most that many",
                                 hint: "a machine name in `to:` places one unit on each of its instances; check `to:` and `num_units`")
                    reportedTooManyUnits = true
                }
                return nil
            }
            unitsPlaced += instances.names.count
            if inContainer {
                if let group = groupsByName[instances.group], !group.nesting {
                    reader.error(at: node, path, "`\(text)` puts a container on machine `\(group.name)`, which has no nesting",
                                 hint: "add `nesting: true` under `machines.\(group.name)`")
                    valid = false
                    continue
                }
                placements += instances.names.map { .lxdContainer(onInstance: $0) }
            } else {
                placements += instances.names.map { .machine(instanceName: $0) }
            }
        }
        return valid ? placements : nil
    }

    private func instances(named reference: String, in groups: [MachineGroup], node: Node, path: String)
        -> (group: String, names: [String])?
    {
        let environment = currentEnvironmentName
        func instanceName(_ group: MachineGroup, _ index: Int) -> String {
            InstanceName.make(environment: environment ?? "", group: group.name, index: index)
        }
        if let group = groupsByName[reference] {
            return (group.name, (1...group.count).map { instanceName(group, $0) })
        }
        // `web-2` or `web:2`; also the full instance name `<env>-web-2`.
        for separator in ["-", ":"] {
            guard let cut = reference.range(of: separator, options: .backwards),
                  let index = Int(reference[cut.upperBound...]) else { continue }
            var groupName = String(reference[..<cut.lowerBound])
            if let environment, groupName.hasPrefix(environment + "-"), groupsByName[groupName] == nil {
                groupName = String(groupName.dropFirst(environment.count + 1))
            }
            guard let group = groupsByName[groupName] else { continue }
            guard (1...group.count).contains(index) else {
                reader.error(at: node, path, "machine `\(group.name)` has \(group.count) instance\(group.count == 1 ? "" : "s"); `\(reference)` does not exist",
                             hint: "use \(group.name)-1…\(group.name)-\(group.count), or raise `machines.\(group.name).count`")
                return nil
            }
            return (group.name, [instanceName(group, index)])
        }
        let names = groups.map(\.name)
        let hint: String
        if let suggestion = EditDistance.suggestion(for: reference, among: names) {
            hint = "did you mean `\(suggestion)`?"
        } else if names.isEmpty {
            hint = "define machines under `machines:` first"
        } else {
            hint = "machines are: \(EditDistance.list(names)) (or `NAME-N` for one instance)"
        }
        reader.error(at: node, path, "no machine named `\(reference)`", hint: hint)
        return nil
    }

    /// Machine groups by name, set by `parse` once they are read (an inventory may place
    /// thousands of units; each placement is one lookup).
    private var groupsByName: [String: MachineGroup] = [:]

    /// Set by `parse` before the juju section is read (placements need instance names).
    private var currentEnvironmentName: String?
    /// Units placed so far, against `maximumUnits`; the limit is reported once.
    private var unitsPlaced = 0
    private var reportedTooManyUnits = false
    /// Set by `parse` once `ssh` is read: `~USER/` in a wheelhouse destination must be this user.
    private var sshUser = SSHSettings.defaultUser
    /// Whether `juju.model` was given (otherwise the environment name must be a valid model name).
    private var hasExplicitModel = false

    private func parseRelations(_ entry: YAMLReader.Entry, applications: [String]) -> [RelationSpec] {
        guard let list = reader.sequence(entry.value, entry.path,
                                         expected: "a list of pairs such as `[wordpress:db, mysql:db]`") else { return [] }
        var relations: [RelationSpec] = []
        var seen: Set<[String]> = []  // both ends, sorted: `a b` and `b a` are the same relation
        let applications = Set(applications)
        for (index, node) in list.enumerated() {
            let path = "\(entry.path)[\(index)]"
            guard case .sequence(let pair) = node, pair.count == 2 else {
                reader.error(at: node, path, "expected a pair of applications, got \(YAMLReader.describe(node))",
                             hint: "write `- [app-a:endpoint, app-b:endpoint]` or `- [app-a, app-b]`")
                continue
            }
            let ends = pair.enumerated().map { parseRelationEnd($1, "\(path)[\($0)]", applications: applications) }
            guard let first = ends[0], let second = ends[1] else { continue }
            if first.application == second.application {
                reader.error(at: node, path, "`\(first.application)` is related to itself",
                             hint: "peer relations are created by juju automatically; remove this entry")
                continue
            }
            let relation = RelationSpec(first, second)
            guard seen.insert([first.description, second.description].sorted()).inserted else {
                reader.warning(at: node, path, "relation `\(relation)` is listed twice", hint: "remove the repeat")
                continue
            }
            relations.append(relation)
        }
        return relations
    }

    private func parseRelationEnd(_ node: Node, _ path: String, applications: Set<String>) -> RelationSpec.End? {
        let form = "write `APPLICATION` or `APPLICATION:ENDPOINT`"
        guard let text = reader.string(node, path, what: "`application:endpoint`", acceptOtherScalars: false,
                                       hint: form) else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let isName = { (part: String) in
            !part.isEmpty && part.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
            }
        }
        guard parts.count <= 2, parts.allSatisfy(isName) else {
            reader.error(at: node, path, "`\(text)` is not an application or application:endpoint", hint: form)
            return nil
        }
        guard applications.contains(parts[0]) else {
            let names = applications.sorted()
            let hint = EditDistance.suggestion(for: parts[0], among: names).map { "did you mean `\($0)`?" }
                ?? (names.isEmpty ? "define it under `juju.applications`"
                    : "applications are: \(EditDistance.list(names))")
            reader.error(at: node, path, "no application named `\(parts[0])`", hint: hint)
            return nil
        }
        return RelationSpec.End(application: parts[0], endpoint: parts.count == 2 ? parts[1] : nil)
    }

    // MARK: Paths

    private func warnIfNotPrivate(_ path: String, _ node: Node, _ keyPath: String, what: String) {
        if let warning = SecretFileMode.warning(atPath: path, what: what) {
            reader.warning(at: node, keyPath, warning.message, hint: warning.fix)
        }
    }

    private func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "~" || path.hasPrefix("~/") {
            return NSString(string: path).expandingTildeInPath
        }
        return URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).standardizedFileURL.path
    }
}
