import Foundation
import Yams

/// Turns a Juju machine bundle into a goldfleet inventory that reproduces its machine layout.
///
/// Bundle machine `N` becomes inventory machine `mN` (count 1), so after `up` the pairs can be
/// handed to `juju deploy BUNDLE --map-machines=existing,N=ID`. Units without a bundle machine
/// (`new`, no `to:`) get machines named after their application. Whatever cannot be reproduced
/// is reported as a warning naming the key; nothing is dropped silently.
public enum BundleImporter {
    public static func importBundle(yaml: String, file: String, environmentName: String) throws
        -> (inventoryYAML: String, warnings: [Diagnostic])
    {
        let reader = YAMLReader(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw BundleImportError(file: file, diagnostics: [YAMLSyntaxDiagnostic.make(from: error, yaml: yaml, file: file)])
        }
        guard let root, case .mapping = root, let top = reader.mapping(root, "") else {
            throw BundleImportError(file: file, diagnostics: [Diagnostic(
                severity: .error, file: file, line: root?.mark?.line, column: root?.mark?.column, keyPath: "",
                message: "expected a bundle (a mapping with `applications:`), got \(root.map(YAMLReader.describe) ?? "an empty file")")])
        }
        var bundle = BundleModel(reader: reader, environmentName: environmentName)
        try bundle.read(top, root: root)
        bundle.resolvePlacements()
        let text = bundle.render(file: file)
        // File order, so the warnings read top to bottom; whole-file notes first.
        let sorted = reader.diagnostics.enumerated().sorted { a, b in
            (a.element.line ?? 0, a.element.column ?? 0, a.offset) < (b.element.line ?? 0, b.element.column ?? 0, b.offset)
        }.map(\.element)
        return (text, sorted)
    }

    /// `existing,0=3,1=4` for `juju deploy BUNDLE --map-machines=…`, from bundle machine id → juju machine id.
    public static func machineMap(_ jujuMachineIDs: [String: String]) -> String {
        let pairs = jujuMachineIDs.sorted { a, b in
            switch (Int(a.key), Int(b.key)) {
            case let (x?, y?): x < y
            default: a.key < b.key
            }
        }
        return (["existing"] + pairs.map { "\($0.key)=\($0.value)" }).joined(separator: ",")
    }

    /// The bundle machine id an imported inventory machine stands for: `m3` → `3`.
    public static func bundleMachineID(ofInventoryMachine group: String) -> String? {
        guard group.hasPrefix("m"), group.count > 1, group.dropFirst().allSatisfy(\.isNumber) else { return nil }
        return String(group.dropFirst())
    }

    /// The map for an inventory produced by `importBundle`, from instance name → juju machine id
    /// (what `juju add-machine` reported). Instances not from bundle machines are skipped.
    public static func machineMap(inventory: Inventory, jujuMachineIDs: [String: String]) -> String {
        var map: [String: String] = [:]
        for machine in inventory.machines {
            guard let bundleID = bundleMachineID(ofInventoryMachine: machine.group),
                  let jujuID = jujuMachineIDs[machine.instanceName] else { continue }
            map[bundleID] = jujuID
        }
        return machineMap(map)
    }

    /// An environment name from the bundle's `name:` or the file name, made valid for LXD and juju.
    public static func suggestedEnvironmentName(yaml: String, file: String) -> String {
        var candidate = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        if case .mapping(let mapping)? = try? Yams.compose(yaml: yaml),
           let name = mapping["name"]?.string, !name.isEmpty {
            candidate = name
        }
        if candidate == "bundle" {
            candidate = URL(fileURLWithPath: file).deletingLastPathComponent().lastPathComponent
        }
        var cleaned = String(candidate.lowercased().unicodeScalars.map {
            InstanceName.isAllowed($0) ? Character($0) : "-"
        })
        while cleaned.first.map({ $0 == "-" || $0.isNumber }) == true { cleaned.removeFirst() }
        while cleaned.hasSuffix("-") { cleaned.removeLast() }
        if cleaned.isEmpty { cleaned = "bundle" }
        return String(cleaned.prefix(30)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}

/// The parts of a bundle the importer understands, and the inventory they turn into.
private struct BundleModel {
    let reader: YAMLReader
    let environmentName: String

    struct Machine {
        var bundleID: String
        var group: String
        var cpu: Int?
        var memory: String?
        var nesting = false
    }

    struct Application {
        var name: String
        var keyNode: Node
        var path: String
        var charm: String
        var channel: String?
        var revision: Int?
        var numUnits: Int
        var to: [(text: String, node: Node, path: String)]
        var toNode: Node?
        var config: [(key: String, value: String)]
        var constraints: JujuConstraints?
        var constraintsNode: Node?
    }

    /// Where one unit lands, as an inventory reference (`m0`, `etcd-2`).
    enum Host: Equatable {
        case machine(String)
        case container(on: String)

        var reference: String {
            switch self {
            case .machine(let ref): ref
            case .container(let ref): "lxd:\(ref)"
            }
        }
        var machine: String {
            switch self {
            case .machine(let ref), .container(let ref): ref
            }
        }
    }

    /// A group of machines created for units that juju would put on new machines.
    struct NewMachineGroup {
        var name: String
        var count = 0
        var cpu: Int?
        var memory: String?
        var nesting = false
    }

    var description: String?
    var unusedMetadata: [String] = []
    var machines: [Machine] = []
    var applications: [Application] = []
    var relations: [(String, String)] = []
    var hosts: [String: [Host]] = [:]
    var newGroups: [NewMachineGroup] = []
    private var resolving: Set<String> = []
    private var annotated: [String] = []

    init(reader: YAMLReader, environmentName: String) {
        self.reader = reader
        self.environmentName = environmentName
    }

    // MARK: Reading

    static let metadataKeys = ["name", "description", "issues", "source", "website", "docs", "tags", "variables"]

    mutating func read(_ top: [YAMLReader.Entry], root: Node) throws {
        for entry in top {
            switch entry.key {
            case "applications", "services", "machines", "relations":
                continue
            case "description":
                description = entry.value.string
            case "name":
                continue  // the default environment name (see `suggestedEnvironmentName`)
            case "variables":
                continue  // anchors only; their values arrive through the aliases
            case "series", "default-base", "base":
                reader.warning(at: entry.value, entry.path,
                               "`\(entry.key): \(entry.value.string ?? "…")` is not reproduced; every machine is a clone of the gold",
                               hint: "check that the charms support the gold's OS, or pass `base:` per application")
            case "bundle":
                if entry.value.string == "kubernetes" {
                    throw BundleImportError(file: reader.file, diagnostics: [Diagnostic(
                        severity: .error, file: reader.file, line: entry.value.mark?.line, column: entry.value.mark?.column,
                        keyPath: "bundle", message: "a Kubernetes bundle has no machines to reproduce",
                        hint: "import-bundle handles machine bundles only")])
                }
            case "saas":
                reader.warning(at: entry.keyNode, entry.path, "cross-model offers (`saas:`) are not reproduced",
                               hint: "consume the offers by hand after `goldfleet up`")
            case _ where Self.metadataKeys.contains(entry.key):
                unusedMetadata.append(entry.key)
            default:
                reader.warning(at: entry.keyNode, entry.path, "unknown bundle key `\(entry.key)` is not reproduced")
            }
        }
        let applicationsEntries = top.filter { $0.key == "applications" || $0.key == "services" }
        if applicationsEntries.count > 1 {
            reader.warning(at: applicationsEntries[1].keyNode, applicationsEntries[1].path,
                           "both `applications:` and `services:`; their entries are merged")
        }
        if applicationsEntries.isEmpty {
            throw BundleImportError(file: reader.file, diagnostics: [Diagnostic(
                severity: .error, file: reader.file, line: root.mark?.line, column: root.mark?.column, keyPath: "",
                message: "no `applications:` (or legacy `services:`) in this bundle",
                hint: "is this an overlay or a charm's metadata? import-bundle needs a complete bundle")])
        }
        if let entry = top.first(where: { $0.key == "machines" }) { readMachines(entry) }
        for entry in applicationsEntries {
            guard let apps = reader.mapping(entry.value, entry.path, allowNull: true) else { continue }
            for app in apps { if let application = readApplication(app) { applications.append(application) } }
        }
        if !annotated.isEmpty {
            reader.warning(at: nil, "applications.*.annotations",
                           "GUI annotations of \(annotated.count) application\(annotated.count == 1 ? "" : "s") are not reproduced",
                           hint: "they only position icons in the juju dashboard")
        }
        if let entry = top.first(where: { $0.key == "relations" }) { readRelations(entry) }
    }

    private mutating func readMachines(_ entry: YAMLReader.Entry) {
        guard let items = reader.mapping(entry.value, entry.path, allowNull: true) else { return }
        for item in items {
            let sanitized = String(item.key.unicodeScalars.map { InstanceName.isAllowed($0) ? Character($0) : "-" })
            var machine = Machine(bundleID: item.key, group: "m\(sanitized)")
            if !item.key.allSatisfy(\.isNumber) {
                reader.warning(at: item.keyNode, item.path, "machine id `\(item.key)` is not a number",
                               hint: "--map-machines only maps numeric top-level machines")
            }
            for field in reader.mapping(item.value, item.path, allowNull: true) ?? [] {
                switch field.key {
                case "constraints":
                    if let text = field.value.string {
                        let constraints = readConstraints(text, field.value, field.path)
                        machine.cpu = constraints.cpu
                        machine.memory = constraints.memory
                    }
                case "series", "base":
                    reader.warning(at: field.value, field.path,
                                   "`\(field.key): \(field.value.string ?? "…")` is not reproduced; machine \(item.key) is a clone of the gold")
                case "annotations":
                    continue
                default:
                    reader.warning(at: field.keyNode, field.path, "machine key `\(field.key)` is not reproduced")
                }
            }
            machines.append(machine)
        }
    }

    private func readConstraints(_ text: String, _ node: Node, _ path: String) -> JujuConstraints {
        let constraints = JujuConstraints(parsing: text)
        for item in constraints.unsupported {
            reader.warning(at: node, path, "constraint `\(item)` has no LXD limit here and is not reproduced",
                           hint: "only cores/cpu-cores (→ cpu) and mem (→ memory) map to container limits")
        }
        for item in constraints.malformed {
            reader.warning(at: node, path, "cannot read constraint `\(item)`; ignored")
        }
        return constraints
    }

    private mutating func readApplication(_ entry: YAMLReader.Entry) -> Application? {
        guard let fields = reader.mapping(entry.value, entry.path) else { return nil }
        var app = Application(name: entry.key, keyNode: entry.keyNode, path: entry.path, charm: "", numUnits: 0,
                              to: [], config: [])
        var hasCharm = false
        for field in fields {
            switch field.key {
            case "charm":
                guard let text = field.value.string, !text.isEmpty else {
                    reader.warning(at: field.value, field.path, "expected a charm name; application skipped")
                    return nil
                }
                hasCharm = true
                app.charm = charmName(text, field.value, field.path)
            case "channel":
                app.channel = field.value.string
            case "revision":
                app.revision = field.value.int
            case "num_units", "scale":
                if let units = field.value.int, units > InventoryParser.maximumCount {
                    reader.warning(at: field.value, field.path,
                                   "\(units) units is more than goldfleet creates; imported as \(InventoryParser.maximumCount)")
                    app.numUnits = InventoryParser.maximumCount
                } else if let units = field.value.int, units >= 0 {
                    app.numUnits = units
                } else {
                    reader.warning(at: field.value, field.path, "expected a unit count, got \(YAMLReader.describe(field.value)); using 0")
                }
            case "to":
                app.toNode = field.value
                if case .sequence(let items) = field.value {
                    app.to = items.enumerated().compactMap { index, node in
                        placementText(node, "\(field.path)[\(index)]")
                    }
                } else if let single = placementText(field.value, field.path) {
                    app.to = [single]
                }
            case "options", "config":
                for option in reader.mapping(field.value, field.path, allowNull: true) ?? [] {
                    switch option.value {
                    case .scalar(let scalar):
                        switch option.value.resolvedTagName {
                        case .null:
                            reader.warning(at: option.value, option.path, "option `\(option.key)` has no value; left unset")
                        case .str:
                            app.config.append((option.key, YAMLText.string(scalar.string)))
                        case .bool:
                            app.config.append((option.key, option.value.bool == true ? "true" : "false"))
                        default:
                            app.config.append((option.key, scalar.string))
                        }
                    default:
                        reader.warning(at: option.value, option.path,
                                       "option `\(option.key)` is \(YAMLReader.describe(option.value)), not a single value; not reproduced")
                    }
                }
            case "constraints":
                if let text = field.value.string {
                    app.constraints = readConstraints(text, field.value, field.path)
                    app.constraintsNode = field.value
                }
            case "annotations":
                annotated.append(entry.key)
            case "series", "base":
                reader.warning(at: field.value, field.path,
                               "`\(field.key): \(field.value.string ?? "…")` is not reproduced; units run on the gold's OS",
                               hint: "set `base:` on the application in the inventory if the charm needs it")
            case "expose", "exposed-endpoints":
                reader.warning(at: field.keyNode, field.path, "`\(field.key)` is not reproduced",
                               hint: "run `juju expose \(entry.key)` after `goldfleet up`")
            case "trust":
                reader.warning(at: field.keyNode, field.path, "`trust` is not reproduced",
                               hint: "run `juju trust \(entry.key)` after `goldfleet up`")
            case "resources", "bindings", "endpoint-bindings", "storage", "devices", "offers", "plan",
                 "requires", "placement":
                reader.warning(at: field.keyNode, field.path, "`\(field.key)` is not reproduced",
                               hint: "juju uses its defaults for \(entry.key)'s \(field.key)")
            default:
                reader.warning(at: field.keyNode, field.path, "unknown application key `\(field.key)` is not reproduced")
            }
        }
        guard hasCharm else {
            reader.warning(at: entry.keyNode, entry.path, "application `\(entry.key)` has no `charm`; skipped")
            return nil
        }
        if app.revision != nil, app.channel == nil {
            reader.warning(at: entry.keyNode, "\(entry.path).revision",
                           "revision \(app.revision!) without a channel is not reproduced (juju needs --channel with --revision)",
                           hint: "add `channel:` and `revision:` to the inventory application")
            app.revision = nil
        }
        if app.numUnits == 0, let toNode = app.toNode, !app.to.isEmpty {
            reader.warning(at: toNode, "\(entry.path).to", "placements of an application with no units are ignored")
            app.to = []
        }
        return app
    }

    private func placementText(_ node: Node, _ path: String) -> (text: String, node: Node, path: String)? {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            reader.warning(at: node, path, "expected a placement such as `0` or `lxd:1`, got \(YAMLReader.describe(node)); ignored")
            return nil
        }
        return (scalar.string, node, path)
    }

    /// Charmhub name for `ch:NAME`, and the closest thing for charm-store URLs (`cs:~owner/series/name-42`).
    private func charmName(_ text: String, _ node: Node, _ path: String) -> String {
        if text.hasPrefix("ch:") { return String(text.dropFirst(3)) }
        guard text.hasPrefix("cs:") else { return text }
        var name = String(text.dropFirst(3))
        if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
        var dropped = ""
        if let dash = name.lastIndex(of: "-"), name[name.index(after: dash)...].allSatisfy(\.isNumber),
           name.index(after: dash) != name.endIndex {
            dropped = " and its revision"
            name = String(name[..<dash])
        }
        reader.warning(at: node, path,
                       "charm store URL `\(text)` is not reproduced; using the Charmhub charm `\(name)`\(dropped.isEmpty ? "" : " without its revision")",
                       hint: "the charm store is closed; set `channel:` (and `revision:`) on `\(name)` in the inventory")
        return name
    }

    private mutating func readRelations(_ entry: YAMLReader.Entry) {
        guard case .sequence(let items) = entry.value else {
            reader.warning(at: entry.value, entry.path, "expected a list of relations; not reproduced")
            return
        }
        let known = Set(applications.map(\.name))
        func add(_ a: String, _ b: String, _ node: Node, _ path: String) {
            for end in [a, b] {
                let app = String(end.split(separator: ":", maxSplits: 1).first ?? "")
                if !known.contains(app) {
                    reader.warning(at: node, path, "relation `\(a)` ↔ `\(b)` names `\(app)`, which is not an application here; not reproduced")
                    return
                }
            }
            relations.append((a, b))
        }
        // A flat pair (`relations: [a, b]`) is one relation.
        if items.count == 2, let a = items[0].scalar?.string, let b = items[1].scalar?.string {
            add(a, b, entry.value, entry.path)
            return
        }
        for (index, node) in items.enumerated() {
            let path = "\(entry.path)[\(index)]"
            guard case .sequence(let pair) = node, pair.count == 2, let a = pair[0].scalar?.string else {
                reader.warning(at: node, path, "expected a pair of endpoints, got \(YAMLReader.describe(node)); not reproduced")
                continue
            }
            switch pair[1] {
            case .scalar(let b):
                add(a, b.string, node, path)
            case .sequence(let many):
                // Old bundles: `[a, [b, c]]` relates a to each of b and c.
                for other in many { if let b = other.scalar?.string { add(a, b, node, path) } }
            default:
                reader.warning(at: node, path, "expected endpoint names in this relation; not reproduced")
            }
        }
    }

    // MARK: Placement

    mutating func resolvePlacements() {
        for app in applications where hosts[app.name] == nil {
            _ = unitHosts(app.name)
        }
    }

    /// Juju's bundle rules: one directive per unit; fewer directives than units repeat the last
    /// one; none means a new machine per unit.
    private mutating func unitHosts(_ name: String) -> [Host] {
        if let known = hosts[name] { return known }
        guard let app = applications.first(where: { $0.name == name }) else { return [] }
        guard !resolving.contains(name) else {
            reader.warning(at: app.keyNode, app.path, "placements of `\(name)` refer back to itself; using new machines")
            return []
        }
        resolving.insert(name)
        defer { resolving.remove(name) }
        var directives = app.to
        if directives.isEmpty, app.numUnits > 0 {
            directives = [("new", app.toNode ?? app.keyNode, "\(app.path).to")]
        }
        var result: [Host] = []
        for unit in 0..<app.numUnits {
            let directive = directives[min(unit, directives.count - 1)]
            result.append(host(for: directive, unit: unit, of: app))
        }
        hosts[name] = result
        return result
    }

    private mutating func host(for directive: (text: String, node: Node, path: String), unit: Int, of app: Application) -> Host {
        var text = directive.text
        var container = false
        let appNames = Set(applications.map(\.name))
        if let colon = text.firstIndex(of: ":") {
            let kind = String(text[..<colon])
            text = String(text[text.index(after: colon)...])
            switch kind {
            case "lxd": container = true
            case "lxc":
                container = true
                if unit == 0 {
                    reader.warning(at: directive.node, directive.path, "`lxc:` is the old name of `lxd:`; imported as `lxd:`")
                }
            default:
                reader.warning(at: directive.node, directive.path,
                               "`\(kind):` containers are not supported; \(app.name)/\(unit) goes on the machine itself")
            }
        } else if (text == "lxd" || text == "lxc"), !appNames.contains(text) {
            // A bare container type: a new container on a new machine.
            return .container(on: newMachine(for: app, nesting: true))
        }
        if text == "new" {
            let machine = newMachine(for: app, nesting: container)
            return container ? .container(on: machine) : .machine(machine)
        }
        if text.allSatisfy(\.isNumber) {
            var index = machines.firstIndex(where: { $0.bundleID == text })
            if index == nil {
                reader.warning(at: directive.node, directive.path,
                               "machine `\(text)` is not declared under `machines:`; added as `m\(text)`")
                machines.append(Machine(bundleID: text, group: "m\(text)"))
                index = machines.count - 1
            }
            if container { machines[index!].nesting = true }
            let group = machines[index!].group
            return container ? .container(on: group) : .machine(group)
        }
        // A unit (`app/2`) or an application (`app`: unit i goes with its unit i).
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        let target = parts[0]
        let targetUnit = parts.count == 2 ? Int(parts[1]) : unit
        guard appNames.contains(target), let targetUnit else {
            reader.warning(at: directive.node, directive.path,
                           "placement `\(directive.text)` names no machine or application; \(app.name)/\(unit) gets a new machine")
            return .machine(newMachine(for: app, nesting: false))
        }
        let targetHosts = target == app.name ? [] : unitHosts(target)
        guard targetUnit < targetHosts.count else {
            reader.warning(at: directive.node, directive.path,
                           "placement `\(directive.text)` refers to unit \(target)/\(targetUnit), which the bundle does not create; \(app.name)/\(unit) gets a new machine")
            return .machine(newMachine(for: app, nesting: false))
        }
        let targetHost = targetHosts[targetUnit]
        if container {
            markNesting(targetHost.machine)
            return .container(on: targetHost.machine)
        }
        if case .container = targetHost {
            reader.warning(at: directive.node, directive.path,
                           "\(app.name)/\(unit) would share \(target)/\(targetUnit)'s container; it gets its own container on the same machine")
        }
        return targetHost
    }

    private mutating func markNesting(_ reference: String) {
        if let index = machines.firstIndex(where: { $0.group == reference }) { machines[index].nesting = true }
        if let dash = reference.lastIndex(of: "-"),
           let index = newGroups.firstIndex(where: { $0.name == reference[..<dash] }) {
            newGroups[index].nesting = true
        }
    }

    /// The next machine of the application's own group; returns its `GROUP-N` reference.
    private mutating func newMachine(for app: Application, nesting: Bool) -> String {
        let index: Int
        if let existing = newGroups.firstIndex(where: { $0.name == groupName(for: app.name) }) {
            index = existing
        } else {
            var group = NewMachineGroup(name: groupName(for: app.name))
            group.cpu = app.constraints?.cpu
            group.memory = app.constraints?.memory
            newGroups.append(group)
            index = newGroups.count - 1
        }
        newGroups[index].count += 1
        if nesting { newGroups[index].nesting = true }
        return "\(newGroups[index].name)-\(newGroups[index].count)"
    }

    /// Group names for new machines must not collide with `mN` machines.
    private func groupName(for application: String) -> String {
        let sanitized = String(application.unicodeScalars.map { InstanceName.isAllowed($0) ? Character($0) : "-" })
        return machines.contains(where: { $0.group == sanitized }) ? "\(sanitized)-new" : sanitized
    }

    // MARK: Rendering

    func render(file: String) -> String {
        var lines: [String] = []
        lines.append("# goldfleet inventory imported from \(URL(fileURLWithPath: file).lastPathComponent) by `goldfleet import-bundle`.")
        if let description {
            for line in description.split(separator: "\n", omittingEmptySubsequences: false).prefix(5) {
                lines.append("# \(line)".trimmingCharacters(in: .whitespaces))
            }
        }
        if !machines.isEmpty {
            lines.append("# Bundle machine N is machine mN here (one container each), so after `goldfleet up` the")
            lines.append("# bundle itself can be deployed with --map-machines=existing,N=<juju id of mN>.")
        }
        if !unusedMetadata.isEmpty {
            lines.append("# Bundle metadata not carried over: \(unusedMetadata.joined(separator: ", ")).")
        }
        lines.append("name: \(YAMLText.string(environmentName))")
        lines.append("gold: gold/snap1")
        lines.append("")
        lines.append("machines:")
        var groupCount = 0
        for machine in machines {
            groupCount += 1
            lines.append("  \(machine.group):")
            let fields = machineFields(cpu: machine.cpu, memory: machine.memory, nesting: machine.nesting, count: nil)
            lines += fields.isEmpty ? ["    count: 1"] : fields
        }
        for group in newGroups {
            groupCount += 1
            lines.append("  \(group.name):  # new machines juju would have created for \(group.name)")
            lines += machineFields(cpu: group.cpu, memory: group.memory, nesting: group.nesting, count: group.count)
        }
        if groupCount == 0 {
            lines.append("  {}")
        }
        lines.append("")
        lines.append("juju:")
        lines.append("  applications:")
        if applications.isEmpty { lines.append("    {}") }
        for app in applications {
            lines.append("    \(YAMLText.string(app.name)):")
            lines.append("      charm: \(YAMLText.string(app.charm))")
            if let channel = app.channel { lines.append("      channel: \(YAMLText.string(channel))") }
            if let revision = app.revision { lines.append("      revision: \(revision)") }
            lines.append("      num_units: \(app.numUnits)")
            let placements = hosts[app.name] ?? []
            if !placements.isEmpty {
                lines.append("      to: [\(placements.map { YAMLText.string($0.reference) }.joined(separator: ", "))]")
            }
            if !app.config.isEmpty {
                lines.append("      config:")
                for (key, value) in app.config { lines.append("        \(YAMLText.string(key)): \(value)") }
            }
        }
        if !relations.isEmpty {
            lines.append("  relations:")
            for (a, b) in relations {
                lines.append("    - [\(YAMLText.string(a)), \(YAMLText.string(b))]")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func machineFields(cpu: Int?, memory: String?, nesting: Bool, count: Int?) -> [String] {
        var lines: [String] = []
        if let count { lines.append("    count: \(count)") }
        if let cpu { lines.append("    cpu: \(cpu)") }
        if let memory { lines.append("    memory: \(memory)") }
        if nesting { lines.append("    nesting: true") }
        return lines
    }
}
