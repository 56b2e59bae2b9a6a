import Foundation
import Yams

/// The parts of a bundle the importer understands, and the inventory they turn into.
///
/// Lookups go through dictionaries built once, so an import is linear in units and
/// applications, not quadratic.
struct BundleModel {
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
        var config: [(key: String, value: YAMLValue)]
        var constraints: JujuConstraints?
        /// What goes to juju's `--constraints`: the items juju can read, as the bundle wrote them.
        var constraintsText: String?
        var constraintsNode: Node?
        var base: String?
        var trust = false
        var expose = false
        var bindings: [(endpoint: String, space: String)] = []
        /// Charm revisions only: a file path in a bundle is never carried (see `readResources`).
        var resources: [(name: String, revision: Int)] = []
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
    private var applicationIndex: [String: Int] = [:]
    private var machineByBundleID: [String: Int] = [:]
    private var machineByGroup: [String: Int] = [:]
    private var newGroupByName: [String: Int] = [:]
    private var machineTotal = 0
    private var reportedMachineLimit = false
    private var resolving: Set<String> = []
    private var annotated: [String] = []
    /// The bundle's `series:`/`default-base:` as a base, for applications without their own.
    private var defaultBase: String?
    /// Machines created for an application's own units (`GROUP-N` → application).
    private var newMachineOwner: [String: String] = [:]

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
                description = entry.value.scalar?.string
            case "name":
                continue  // the default environment name (see `suggestedEnvironmentName`)
            case "variables":
                continue  // anchors only; their values arrive through the aliases
            case "series", "default-base", "base":
                defaultBase = readBase(entry, of: "every application without its own")
            case "bundle":
                if entry.value.scalar?.string == "kubernetes" {
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
        var unitTotal = 0
        for entry in applicationsEntries {
            guard let apps = reader.mapping(entry.value, entry.path, allowNull: true) else { continue }
            if applications.count + apps.count > BundleImporter.maximumApplications {
                reader.error(at: entry.keyNode, entry.path,
                             "\(applications.count + apps.count) applications; goldfleet imports at most \(BundleImporter.maximumApplications)",
                             hint: "split the bundle; a bundle this large is more likely a mistake or an attack than a deployment")
                return
            }
            for app in apps {
                if applicationIndex[app.key] != nil {
                    reader.warning(at: app.keyNode, app.path, "application `\(app.key)` is defined twice; the first definition is used",
                                   hint: "keep it under either `applications:` or `services:`")
                    continue
                }
                guard let application = readApplication(app) else { continue }
                unitTotal += application.numUnits
                if unitTotal > BundleImporter.maximumUnits {
                    reader.error(at: app.keyNode, app.path,
                                 "the bundle has more than \(BundleImporter.maximumUnits) units by here; goldfleet imports at most \(BundleImporter.maximumUnits)",
                                 hint: "lower `num_units`, or split the bundle")
                    return
                }
                applicationIndex[application.name] = applications.count
                applications.append(application)
            }
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
        guard items.count <= BundleImporter.maximumMachines else {
            reader.error(at: entry.keyNode, entry.path,
                         "\(items.count) machines; goldfleet creates at most \(BundleImporter.maximumMachines)",
                         hint: "split the bundle, or remove the machines it does not need")
            return
        }
        for item in items {
            var group = "m" + String(item.key.unicodeScalars.prefix(60).map { InstanceName.isAllowed($0) ? Character($0) : "-" })
            // `a.b` and `a_b` would both be `ma-b`: keep every group name distinct.
            if machineByGroup[group] != nil {
                var suffix = 2
                while machineByGroup["\(group)-\(suffix)"] != nil { suffix += 1 }
                group = "\(group)-\(suffix)"
            }
            var machine = Machine(bundleID: item.key, group: group)
            if !Self.isMachineNumber(item.key) {
                reader.warning(at: item.keyNode, item.path, "machine id `\(item.key)` is not a number",
                               hint: "--map-machines only maps numeric top-level machines")
            }
            for field in reader.mapping(item.value, item.path, allowNull: true) ?? [] {
                switch field.key {
                case "constraints":
                    if let text = field.value.scalar?.string {
                        let constraints = readConstraints(text, field.value, field.path, owner: "machine \(group)")
                        machine.cpu = constraints.cpu
                        machine.memory = constraints.memory
                    }
                case "series", "base":
                    reader.warning(at: field.value, field.path,
                                   "`\(field.key): \(field.value.scalar?.string ?? "…")` is not reproduced; machine \(item.key) is a clone of the gold")
                case "annotations":
                    continue
                default:
                    reader.warning(at: field.keyNode, field.path, "machine key `\(field.key)` is not reproduced")
                }
            }
            machineByBundleID[machine.bundleID] = machines.count
            machineByGroup[machine.group] = machines.count
            machines.append(machine)
        }
        machineTotal = machines.count
    }

    /// ASCII digits only (`isNumber` would also take `½` and `٣`).
    static func isMachineNumber(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    /// `passedToJuju`: an application's constraints, which also go to juju's `--constraints`.
    private func readConstraints(_ text: String, _ node: Node, _ path: String, owner: String,
                                 passedToJuju: Bool = false) -> JujuConstraints {
        let constraints = JujuConstraints(parsing: text)
        for item in constraints.unsupported {
            if passedToJuju {
                reader.warning(at: node, path, "constraint `\(item)` has no LXD limit here; it only reaches juju (`constraints:` → --constraints)",
                               hint: "only cores/cpu-cores (→ cpu) and mem (→ memory) size the containers goldfleet creates")
            } else {
                reader.warning(at: node, path, "constraint `\(item)` has no LXD limit here and is not reproduced",
                               hint: "only cores/cpu-cores (→ cpu) and mem (→ memory) map to container limits")
            }
        }
        for item in constraints.malformed {
            reader.warning(at: node, path, "cannot read constraint `\(item)`; ignored",
                           hint: "write it as juju does, e.g. `cores=2 mem=8G`")
        }
        for problem in constraints.outOfRange {
            reader.warning(at: node, path, "constraint `\(problem.item)` is out of range: expected \(problem.expected); ignored",
                           hint: "fix the constraint in the bundle, or set `\(problem.inventoryKey):` on \(owner) in the inventory")
        }
        return constraints
    }

    /// Refuses a value juju would read as one of its options (`charm: --dry-run`).
    private func refuseOptionLike(_ value: String, what: String, at node: Node, _ path: String) -> Bool {
        guard CommandLineSafety.isOptionLike(value) else { return false }
        reader.error(at: node, path, "\(what) `\(value)` \(CommandLineSafety.rule)",
                     hint: "fix the bundle; no real \(what) starts with `-`")
        return true
    }

    private mutating func readApplication(_ entry: YAMLReader.Entry) -> Application? {
        if refuseOptionLike(entry.key, what: "application name", at: entry.keyNode, entry.path) { return nil }
        if !InventoryParser.isValidApplicationName(entry.key) {
            reader.error(at: entry.keyNode, entry.path, "`\(entry.key)` is not a valid juju application name",
                         hint: "juju would refuse it too: lowercase letters, digits and hyphens, starting with a letter")
            return nil
        }
        guard let fields = reader.mapping(entry.value, entry.path) else { return nil }
        var app = Application(name: entry.key, keyNode: entry.keyNode, path: entry.path, charm: "", numUnits: 0,
                              to: [], config: [])
        var hasCharm = false
        var configIndex: [String: Int] = [:]
        for field in fields {
            switch field.key {
            case "charm":
                guard case .scalar(let scalar) = field.value, !YAMLReader.isNull(field.value), !scalar.string.isEmpty else {
                    reader.warning(at: field.value, field.path, "expected a charm name; application skipped")
                    return nil
                }
                if refuseOptionLike(scalar.string, what: "charm", at: field.value, field.path) { return nil }
                let charm = charmName(scalar.string, field.value, field.path)
                if refuseOptionLike(charm, what: "charm", at: field.value, field.path) { return nil }
                guard !charm.isEmpty else {
                    reader.warning(at: field.value, field.path, "expected a charm name; application skipped")
                    return nil
                }
                hasCharm = true
                app.charm = charm
            case "channel":
                guard case .scalar(let scalar) = field.value, !YAMLReader.isNull(field.value), !scalar.string.isEmpty else {
                    reader.warning(at: field.value, field.path, "expected a channel such as `latest/stable`, got \(YAMLReader.describe(field.value)); not reproduced")
                    continue
                }
                if refuseOptionLike(scalar.string, what: "channel", at: field.value, field.path) { return nil }
                app.channel = scalar.string
            case "revision":
                if let revision = integer(field.value), revision >= 0 {
                    app.revision = revision
                } else {
                    reader.warning(at: field.value, field.path, "expected a revision number, got \(YAMLReader.describe(field.value)); not reproduced")
                }
            case "num_units", "scale":
                if let units = integer(field.value), (0...InventoryParser.maximumCount).contains(units) {
                    app.numUnits = units
                } else {
                    reader.error(at: field.value, field.path,
                                 "expected a unit count from 0 to \(InventoryParser.maximumCount), got \(YAMLReader.describe(field.value))",
                                 hint: "goldfleet creates at most \(InventoryParser.maximumCount) machines per application; lower `\(field.key)`")
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
                    if refuseOptionLike(option.key, what: "config key", at: option.keyNode, option.path) { continue }
                    guard let value = optionValue(option) else { continue }
                    // A later key wins, as in YAML; the inventory gets each key once.
                    if let index = configIndex[option.key] {
                        app.config[index].value = value
                    } else {
                        configIndex[option.key] = app.config.count
                        app.config.append((option.key, value))
                    }
                }
            case "constraints":
                if let text = field.value.scalar?.string {
                    let constraints = readConstraints(text, field.value, field.path, owner: "the machines of \(entry.key)",
                                                      passedToJuju: true)
                    app.constraints = constraints
                    app.constraintsNode = field.value
                    let refused = Set(constraints.malformed + constraints.outOfRange.map(\.item))
                    let kept = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init).filter { !refused.contains($0) }
                    if !kept.isEmpty {
                        let joined = kept.joined(separator: " ")
                        if refuseOptionLike(joined, what: "constraints", at: field.value, field.path) { return nil }
                        app.constraintsText = joined
                    }
                }
            case "annotations":
                annotated.append(entry.key)
            case "series", "base":
                if let base = readBase(field, of: "application `\(entry.key)`") { app.base = base }
            case "expose":
                app.expose = readFlag(field, application: entry.key)
            case "trust":
                app.trust = readFlag(field, application: entry.key)
            case "bindings", "endpoint-bindings":
                app.bindings += readBindings(field, application: entry.key)
            case "resources":
                app.resources = readResources(field, application: entry.key)
            case "exposed-endpoints":
                reader.warning(at: field.keyNode, field.path, "`exposed-endpoints` of `\(entry.key)` is not reproduced",
                               hint: "goldfleet exposes whole applications (`expose: true`); run `juju expose \(entry.key) --endpoints …` after `goldfleet up`")
            case "storage", "devices", "offers", "plan", "requires", "placement":
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
        if app.base == nil { app.base = defaultBase }
        if app.numUnits == 0, app.constraintsText != nil, let node = app.constraintsNode {
            reader.warning(at: node, "\(entry.path).constraints",
                           "`constraints` of `\(entry.key)`, which has no units (a subordinate), are not reproduced",
                           hint: "juju refuses --constraints for a subordinate; its units run where their principal's do")
            app.constraintsText = nil
        }
        if let revision = app.revision, app.channel == nil {
            reader.warning(at: entry.keyNode, "\(entry.path).revision",
                           "revision \(revision) without a channel is not reproduced (juju needs --channel with --revision)",
                           hint: "add `channel:` and `revision:` to the inventory application")
            app.revision = nil
        }
        if app.numUnits == 0, let toNode = app.toNode, !app.to.isEmpty {
            reader.warning(at: toNode, "\(entry.path).to", "placements of an application with no units are ignored")
            app.to = []
        }
        return app
    }

    /// `series: jammy` or `base: ubuntu@22.04` as the base goldfleet passes to juju (`--base`, or
    /// `--series` on 2.9); nil, with a warning, for what juju could not be given.
    private func readBase(_ field: YAMLReader.Entry, of owner: String) -> String? {
        guard case .scalar(let scalar) = field.value, !YAMLReader.isNull(field.value), !scalar.string.isEmpty else {
            reader.warning(at: field.value, field.path, "expected a \(field.key.contains("base") ? "base such as `ubuntu@22.04`" : "series such as `jammy`"), got \(YAMLReader.describe(field.value)); not reproduced")
            return nil
        }
        let text = scalar.string
        if refuseOptionLike(text, what: field.key, at: field.value, field.path) { return nil }
        let base: String?
        if field.key.contains("base") {
            // `ubuntu@22.04`, also written `ubuntu@22.04/stable` (the risk is juju's default).
            let plain = text.split(separator: "/", maxSplits: 1).first.map(String.init) ?? text
            let parts = plain.split(separator: "@", omittingEmptySubsequences: false)
            let valid = parts.count == 2 && parts.allSatisfy { part in
                !part.isEmpty && part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." }
            }
            base = valid ? plain : nil
        } else {
            base = UbuntuRelease.base(series: text)
        }
        guard let base else {
            reader.warning(at: field.value, field.path, "`\(field.key): \(text)` is not a base goldfleet knows; not reproduced for \(owner)",
                           hint: "set `base:` (e.g. `ubuntu@22.04`) on the application in the inventory if the charm needs it")
            return nil
        }
        return base
    }

    /// `expose: true`, `trust: true`; anything but a boolean is a warning and false.
    private func readFlag(_ field: YAMLReader.Entry, application: String) -> Bool {
        guard case .scalar = field.value, field.value.resolvedTagName == .bool, let flag = field.value.bool else {
            reader.warning(at: field.value, field.path, "`\(field.key)` of `\(application)`: expected true or false, got \(YAMLReader.describe(field.value)); not reproduced")
            return false
        }
        return flag
    }

    /// Endpoint → space (`""` is the default space), as juju's `--bind` takes them.
    private func readBindings(_ field: YAMLReader.Entry, application: String) -> [(endpoint: String, space: String)] {
        var bindings: [(endpoint: String, space: String)] = []
        for item in reader.mapping(field.value, field.path, allowNull: true) ?? [] {
            if refuseOptionLike(item.key, what: "endpoint", at: item.keyNode, item.path) { continue }
            guard item.key.isEmpty || InventoryParser.isPlainConfigKey(item.key) else {
                reader.warning(at: item.keyNode, item.path, "binding of `\(application)`: endpoint `\(item.key)` is no endpoint name; not reproduced")
                continue
            }
            guard case .scalar(let scalar) = item.value, item.value.resolvedTagName == .str,
                  InventoryParser.isValidSpaceName(scalar.string) else {
                reader.warning(at: item.value, item.path, "binding of `\(application)`: expected a space name, got \(YAMLReader.describe(item.value)); not reproduced",
                               hint: "space names are lowercase letters, digits and hyphens")
                continue
            }
            if let index = bindings.firstIndex(where: { $0.endpoint == item.key }) {
                bindings[index].space = scalar.string
            } else {
                bindings.append((item.key, scalar.string))
            }
        }
        return bindings
    }

    /// Charm revisions are carried; a file path never is: the bundle came from someone else, and
    /// goldfleet must not read or upload a file the user did not choose.
    private func readResources(_ field: YAMLReader.Entry, application: String) -> [(name: String, revision: Int)] {
        var resources: [(name: String, revision: Int)] = []
        for item in reader.mapping(field.value, field.path, allowNull: true) ?? [] {
            if refuseOptionLike(item.key, what: "resource name", at: item.keyNode, item.path) { continue }
            guard InventoryParser.isPlainConfigKey(item.key) else {
                reader.warning(at: item.keyNode, item.path, "resource `\(item.key)` of `\(application)` is no resource name; not reproduced")
                continue
            }
            if let revision = integer(item.value), revision >= 0 {
                resources.removeAll { $0.name == item.key }
                resources.append((item.key, revision))
                continue
            }
            reader.warning(at: item.value, item.path,
                           "resource `\(item.key)` of `\(application)` is \(YAMLReader.describe(item.value)), not a charm revision; not reproduced — goldfleet never uploads a file a bundle names",
                           hint: "check the file, then add `resources: {\(item.key): PATH}` to `\(application)` in the inventory yourself; juju takes the charm's default resource meanwhile")
        }
        return resources
    }

    /// A whole number in any YAML 1.1 spelling; `nil` for anything else (never a trap).
    private func integer(_ node: Node) -> Int? {
        guard case .scalar(let scalar) = node, node.resolvedTagName == .int else { return nil }
        return YAMLInteger.value(scalar.string)
    }

    /// An option's value as what it means, never its raw source text: a tag only decides the
    /// type, and a value that does not fit its tag is kept as the string it spells.
    private func optionValue(_ option: YAMLReader.Entry) -> YAMLValue? {
        guard case .scalar(let scalar) = option.value else {
            reader.warning(at: option.value, option.path,
                           "option `\(option.key)` is \(YAMLReader.describe(option.value)), not a single value; not reproduced")
            return nil
        }
        let tag = option.value.resolvedTagName
        switch tag {
        case .null:
            reader.warning(at: option.value, option.path, "option `\(option.key)` has no value; left unset")
            return nil
        case .str where scalar.string.hasPrefix("@"):
            // juju's --config reads `key=@FILE` as the contents of FILE (deploy.go's help, 2.9 and 3.x).
            reader.warning(at: option.value, option.path,
                           "option `\(option.key)`: juju would read `\(scalar.string)` as a local file to upload; not reproduced",
                           hint: "goldfleet never uploads a file a bundle names; set the option in the inventory yourself")
            return nil
        case .str where scalar.string.hasPrefix("include-file://") || scalar.string.hasPrefix("include-base64://"):
            reader.warning(at: option.value, option.path,
                           "option `\(option.key)`: `\(scalar.string.prefix(while: { $0 != ":" }))://` reads a file next to the bundle; not reproduced",
                           hint: "goldfleet never reads a file a bundle names; set the option in the inventory yourself")
            return nil
        case .str, .float, .timestamp:
            return .string(scalar.string)
        case .bool:
            if let flag = option.value.bool { return .boolean(flag) }
        case .int:
            if let number = YAMLInteger.value(scalar.string) { return .integer(number) }
        default:
            break
        }
        reader.warning(at: option.value, option.path,
                       "option `\(option.key)`: `\(scalar.string)` is not a \(tag.rawValue.replacingOccurrences(of: "tag:yaml.org,2002:", with: "!!")); imported as a string",
                       hint: "check the value juju should get")
        return .string(scalar.string)
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
        let known = applicationIndex
        func add(_ a: String, _ b: String, _ node: Node, _ path: String) {
            for end in [a, b] {
                let app = String(end.split(separator: ":", maxSplits: 1).first ?? "")
                if known[app] == nil {
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
        warnAboutConstraintsOnExistingMachines()
    }

    /// An application's cpu/mem constraints size only the machines created for it; units placed
    /// on other machines (`to: 0`, `to: other/0`) land on machines with their own limits.
    private func warnAboutConstraintsOnExistingMachines() {
        for app in applications {
            guard let constraints = app.constraints, constraints.cpu != nil || constraints.memory != nil,
                  let node = app.constraintsNode else { continue }
            var others: [String] = []
            for host in hosts[app.name] ?? [] where newMachineOwner[host.machine] != app.name && !others.contains(host.machine) {
                others.append(host.machine)
            }
            guard !others.isEmpty else { continue }
            let shown = others.prefix(5).joined(separator: ", ") + (others.count > 5 ? ", … (\(others.count) in all)" : "")
            reader.warning(at: node, "\(app.path).constraints",
                           "`constraints` of `\(app.name)` do not resize the machines its units are placed on (\(shown)); juju gets them with --constraints, which a placement bypasses",
                           hint: "set `cpu:`/`memory:` on those machines in the inventory if the units need them")
        }
    }

    /// Juju's bundle rules: one directive per unit; fewer directives than units repeat the last
    /// one; none means a new machine per unit.
    private mutating func unitHosts(_ name: String) -> [Host] {
        if let known = hosts[name] { return known }
        guard let index = applicationIndex[name] else { return [] }
        let app = applications[index]
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
        result.reserveCapacity(app.numUnits)
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
        } else if (text == "lxd" || text == "lxc"), applicationIndex[text] == nil {
            // A bare container type: a new container on a new machine.
            return .container(on: newMachine(for: app, nesting: true, directive))
        }
        if text == "new" {
            let machine = newMachine(for: app, nesting: container, directive)
            return container ? .container(on: machine) : .machine(machine)
        }
        if Self.isMachineNumber(text) {
            var index = machineByBundleID[text]
            if index == nil {
                reader.warning(at: directive.node, directive.path,
                               "machine `\(text)` is not declared under `machines:`; added as `m\(text)`")
                index = addMachine(Machine(bundleID: text, group: "m\(text)"), directive)
            }
            guard let index else { return .machine("m\(text)") }
            if container { machines[index].nesting = true }
            let group = machines[index].group
            return container ? .container(on: group) : .machine(group)
        }
        // A unit (`app/2`) or an application (`app`: unit i goes with its unit i).
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        let target = parts.first ?? ""
        let targetUnit = parts.count == 2 ? Int(parts[1]) : unit
        guard applicationIndex[target] != nil, let targetUnit else {
            reader.warning(at: directive.node, directive.path,
                           "placement `\(directive.text)` names no machine or application; \(app.name)/\(unit) gets a new machine")
            return .machine(newMachine(for: app, nesting: false, directive))
        }
        let targetHosts = target == app.name ? [] : unitHosts(target)
        guard targetUnit >= 0, targetUnit < targetHosts.count else {
            reader.warning(at: directive.node, directive.path,
                           "placement `\(directive.text)` refers to unit \(target)/\(targetUnit), which the bundle does not create; \(app.name)/\(unit) gets a new machine")
            return .machine(newMachine(for: app, nesting: false, directive))
        }
        let targetHost = targetHosts[targetUnit]
        if container {
            if case .container = targetHost {
                reader.warning(at: directive.node, directive.path,
                               "`\(directive.text)`: \(target)/\(targetUnit) is itself in a container, and juju does not nest a container in it here; \(app.name)/\(unit) gets its own container beside it, on machine \(targetHost.machine)",
                               hint: "place \(app.name) with `lxd:` on a machine (`lxd:N`) to say so in the bundle")
            }
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
        if let index = machineByGroup[reference] { machines[index].nesting = true }
        if let dash = reference.lastIndex(of: "-"), let index = newGroupByName[String(reference[..<dash])] {
            newGroups[index].nesting = true
        }
    }

    /// Counts one more machine of the inventory; past the limit, one located error.
    private mutating func countMachine(_ directive: (text: String, node: Node, path: String)) -> Bool {
        machineTotal += 1
        guard machineTotal > BundleImporter.maximumMachines else { return true }
        if !reportedMachineLimit {
            reportedMachineLimit = true
            reader.error(at: directive.node, directive.path,
                         "the inventory would need more than \(BundleImporter.maximumMachines) machines by here; goldfleet creates at most \(BundleImporter.maximumMachines)",
                         hint: "place units on shared machines (`to:`), lower `num_units`, or split the bundle")
        }
        return false
    }

    private mutating func addMachine(_ machine: Machine, _ directive: (text: String, node: Node, path: String)) -> Int? {
        guard countMachine(directive) else { return nil }
        machineByBundleID[machine.bundleID] = machines.count
        machineByGroup[machine.group] = machines.count
        machines.append(machine)
        return machines.count - 1
    }

    /// The next machine of the application's own group; returns its `GROUP-N` reference.
    private mutating func newMachine(for app: Application, nesting: Bool,
                                     _ directive: (text: String, node: Node, path: String)) -> String {
        let name = groupName(for: app.name)
        let index: Int
        if let existing = newGroupByName[name] {
            index = existing
        } else {
            var group = NewMachineGroup(name: name)
            group.cpu = app.constraints?.cpu
            group.memory = app.constraints?.memory
            newGroupByName[name] = newGroups.count
            newGroups.append(group)
            index = newGroups.count - 1
        }
        if countMachine(directive) { newGroups[index].count += 1 }
        if nesting { newGroups[index].nesting = true }
        let reference = "\(name)-\(max(1, newGroups[index].count))"
        newMachineOwner[reference] = app.name
        return reference
    }

    /// Group names for new machines must not collide with `mN` machines, declared or added later.
    private func groupName(for application: String) -> String {
        let sanitized = String(application.unicodeScalars.map { InstanceName.isAllowed($0) ? Character($0) : "-" })
        let looksLikeBundleMachine = sanitized.hasPrefix("m") && Self.isMachineNumber(String(sanitized.dropFirst()))
        return machineByGroup[sanitized] != nil || looksLikeBundleMachine ? "\(sanitized)-new" : sanitized
    }

    // MARK: The inventory

    func header(file: String) -> [String] {
        var lines = ["goldfleet inventory imported from \(URL(fileURLWithPath: file).lastPathComponent) by `goldfleet import-bundle`."]
        if let description {
            lines += YAMLWriter.lines(description).prefix(5)
        }
        if !machines.isEmpty {
            lines.append("Bundle machine N is machine mN here (one container each), so after `goldfleet up` the")
            lines.append("bundle itself can be deployed with --map-machines=existing,N=<juju id of mN>.")
        } else {
            lines.append("The bundle names no machines, so there is none to map: after `goldfleet up`,")
            lines.append("`goldfleet export --map-machines` prints --map-machines=existing for `juju deploy BUNDLE`.")
        }
        if !unusedMetadata.isEmpty {
            lines.append("Bundle metadata not carried over: \(unusedMetadata.joined(separator: ", ")).")
        }
        return lines
    }

    func inventory() -> [YAMLEntry] {
        var groups: [YAMLEntry] = machines.map { machine in
            let fields = machineFields(cpu: machine.cpu, memory: machine.memory, nesting: machine.nesting, count: nil)
            return YAMLEntry(machine.group, .mapping(fields.isEmpty ? [YAMLEntry("count", .integer(1))] : fields))
        }
        groups += newGroups.map { group in
            YAMLEntry(group.name,
                      .mapping(machineFields(cpu: group.cpu, memory: group.memory, nesting: group.nesting, count: group.count)),
                      comment: "new machines juju would have created for \(group.name)")
        }
        let apps: [YAMLEntry] = applications.map { app in
            var fields = [YAMLEntry("charm", .string(app.charm))]
            if let channel = app.channel { fields.append(YAMLEntry("channel", .string(channel))) }
            if let revision = app.revision { fields.append(YAMLEntry("revision", .integer(revision))) }
            fields.append(YAMLEntry("num_units", .integer(app.numUnits)))
            let placements = hosts[app.name] ?? []
            if !placements.isEmpty {
                fields.append(YAMLEntry("to", .sequence(placements.map { .string($0.reference) })))
            }
            if !app.config.isEmpty {
                fields.append(YAMLEntry("config", .mapping(app.config.map { YAMLEntry($0.key, $0.value) })))
            }
            if let base = app.base { fields.append(YAMLEntry("base", .string(base))) }
            if let constraints = app.constraintsText { fields.append(YAMLEntry("constraints", .string(constraints))) }
            if app.trust { fields.append(YAMLEntry("trust", .boolean(true))) }
            if app.expose { fields.append(YAMLEntry("expose", .boolean(true))) }
            if !app.bindings.isEmpty {
                fields.append(YAMLEntry("bindings", .mapping(app.bindings.map { YAMLEntry($0.endpoint, .string($0.space)) })))
            }
            if !app.resources.isEmpty {
                fields.append(YAMLEntry("resources", .mapping(app.resources.map { YAMLEntry($0.name, .integer($0.revision)) })))
            }
            return YAMLEntry(app.name, .mapping(fields))
        }
        var juju = [YAMLEntry("applications", .mapping(apps))]
        if !relations.isEmpty {
            juju.append(YAMLEntry("relations", .sequence(relations.map { .sequence([.string($0.0), .string($0.1)]) })))
        }
        return [
            YAMLEntry("name", .string(environmentName)),
            YAMLEntry("gold", .string("gold/snap1")),
            YAMLEntry("machines", .mapping(groups)),
            YAMLEntry("juju", .mapping(juju)),
        ]
    }

    private func machineFields(cpu: Int?, memory: String?, nesting: Bool, count: Int?) -> [YAMLEntry] {
        var fields: [YAMLEntry] = []
        if let count { fields.append(YAMLEntry("count", .integer(count))) }
        if let cpu { fields.append(YAMLEntry("cpu", .integer(cpu))) }
        if let memory { fields.append(YAMLEntry("memory", .string(memory))) }
        if nesting { fields.append(YAMLEntry("nesting", .boolean(true))) }
        return fields
    }
}
