import Yams

/// Typed, position-aware access to a composed YAML tree that records a diagnostic for every
/// problem instead of stopping at the first one.
///
/// Confined to one load call (not shared across tasks), hence a plain final class.
final class YAMLReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    /// Findings past `maximumDiagnostics`, counted instead of kept: a hostile file can hold a
    /// million mistakes, and nobody reads past the first thousand.
    private(set) var suppressed: (errors: Int, warnings: Int) = (0, 0)

    static let maximumDiagnostics = 1000

    init(file: String) {
        self.file = file
    }

    /// One `key: value` pair of a mapping, with the key's own node for precise positions.
    struct Entry {
        var key: String
        var keyNode: Node
        var value: Node
        var path: String
    }

    // MARK: Reporting

    func error(at node: Node?, _ path: String, _ message: String, hint: String? = nil) {
        report(.error, at: node?.mark, path, message, hint: hint)
    }

    func warning(at node: Node?, _ path: String, _ message: String, hint: String? = nil) {
        report(.warning, at: node?.mark, path, message, hint: hint)
    }

    func report(_ severity: Diagnostic.Severity, at mark: Mark?, _ path: String, _ message: String, hint: String?) {
        guard diagnostics.count < Self.maximumDiagnostics else {
            if severity == .error { suppressed.errors += 1 } else { suppressed.warnings += 1 }
            return
        }
        diagnostics.append(
            Diagnostic(
                severity: severity, file: file, line: mark?.line, column: mark?.column,
                keyPath: path, message: message, hint: hint))
    }

    func add(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    /// One line for the findings that were counted but not kept (an error if any was one).
    var suppressedSummary: Diagnostic? {
        let total = suppressed.errors + suppressed.warnings
        guard total > 0 else { return nil }
        return Diagnostic(
            severity: suppressed.errors > 0 ? .error : .warning, file: file, line: nil, column: nil, keyPath: "",
            message: "\(total) more problem\(total == 1 ? "" : "s") (\(suppressed.errors) errors, \(suppressed.warnings) warnings) not shown; only the first \(Self.maximumDiagnostics) are",
            hint: "fix the problems above and validate again")
    }

    // MARK: Shapes

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// What a node is, for "expected X, got Y" messages.
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch node.resolvedTagName {
            case .null: return "nothing (null)"
            case .str: return scalar.string.isEmpty ? "an empty string" : "`\(scalar.string)`"
            default: return scalar.string
            }
        }
    }

    static func isNull(_ node: Node) -> Bool {
        if case .scalar = node, node.resolvedTagName == .null { return true }
        return false
    }

    /// The entries of a mapping; `nil` (and an error) when `node` is something else.
    /// A null value counts as an empty mapping when `allowNull` (e.g. `web:` with all defaults).
    func mapping(_ node: Node, _ path: String, allowNull: Bool = false, expected: String = "a mapping",
                 hint: String? = nil) -> [Entry]? {
        if allowNull, Self.isNull(node) { return [] }
        guard case .mapping(let mapping) = node else {
            error(at: node, path, "expected \(expected), got \(Self.describe(node))", hint: hint)
            return nil
        }
        var entries: [Entry] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode, !Self.isNull(keyNode) else {
                error(at: keyNode, path, "keys must be plain names, got \(Self.describe(keyNode))")
                continue
            }
            entries.append(Entry(key: scalar.string, keyNode: keyNode, value: value,
                                 path: Self.join(path, scalar.string)))
        }
        return entries
    }

    /// Reports every key not in `allowed`, suggesting the closest allowed key.
    func rejectUnknownKeys(_ entries: [Entry], allowed: [String], _ path: String) {
        for entry in entries where !allowed.contains(entry.key) {
            // Past the limit the finding is only counted: skip the suggestion's work.
            guard diagnostics.count < Self.maximumDiagnostics else {
                suppressed.errors += 1
                continue
            }
            let where_ = path.isEmpty ? "at the top level" : "in `\(path)`"
            if let suggestion = EditDistance.suggestion(for: entry.key, among: allowed) {
                error(at: entry.keyNode, entry.path, "unknown key `\(entry.key)`",
                      hint: "did you mean `\(suggestion)`?")
            } else {
                error(at: entry.keyNode, entry.path, "unknown key `\(entry.key)`",
                      hint: "keys allowed \(where_): \(allowed.joined(separator: ", "))")
            }
        }
    }

    func sequence(_ node: Node, _ path: String, expected: String = "a list") -> [Node]? {
        guard case .sequence(let sequence) = node else {
            error(at: node, path, "expected \(expected), got \(Self.describe(node))")
            return nil
        }
        return Array(sequence)
    }

    // MARK: Scalars

    /// A non-empty string. Numbers and booleans are accepted as their text only when
    /// `acceptOtherScalars` (e.g. channel `3.9/stable` is fine, but a name of `1` is suspicious).
    func string(_ node: Node, _ path: String, what: String = "a string", acceptOtherScalars: Bool = true,
                hint: String? = nil) -> String? {
        guard case .scalar(let scalar) = node, !Self.isNull(node) else {
            error(at: node, path, "expected \(what), got \(Self.describe(node))", hint: hint)
            return nil
        }
        if !acceptOtherScalars, node.resolvedTagName != .str {
            error(at: node, path, "expected \(what), got \(Self.describe(node))", hint: hint)
            return nil
        }
        if scalar.string.isEmpty {
            error(at: node, path, "expected \(what), got an empty string", hint: hint)
            return nil
        }
        return scalar.string
    }

    func integer(_ node: Node, _ path: String, atLeast minimum: Int, hint: String? = nil) -> Int? {
        guard case .scalar(let scalar) = node, node.resolvedTagName == .int, let value = Int(scalar.string) else {
            error(at: node, path, "expected an integer ≥ \(minimum), got \(Self.describe(node))", hint: hint)
            return nil
        }
        guard value >= minimum else {
            error(at: node, path, "expected an integer ≥ \(minimum), got \(value)", hint: hint)
            return nil
        }
        return value
    }

    func bool(_ node: Node, _ path: String) -> Bool? {
        guard case .scalar = node, node.resolvedTagName == .bool, let value = node.bool else {
            error(at: node, path, "expected true or false, got \(Self.describe(node))")
            return nil
        }
        return value
    }

    /// Any scalar as the text juju expects on its command line (`true`, `3`, `a b`); null is "".
    func configValue(_ node: Node, _ path: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(at: node, path, "expected a single value, got \(Self.describe(node))",
                  hint: "juju config values are strings, numbers or booleans")
            return nil
        }
        switch node.resolvedTagName {
        case .null: return ""
        case .bool: return (node.bool ?? false) ? "true" : "false"
        default: return scalar.string
        }
    }
}

extension Node {
    /// The YAML type of this node (`str`, `int`, `bool`, `null`, …); quoted scalars are always `str`.
    public var resolvedTagName: Tag.Name {
        // Yams resolves with regular expressions, slow over tens of thousands of scalars. Of
        // its rules, a plain scalar that starts with an ASCII letter can only match the null
        // and bool words; every other such scalar is a string (`Resolver.Rule` has the rest).
        // Likewise decimal digits without a leading zero are exactly an int.
        if case .scalar(let scalar) = self, scalar.tag.rawValue == Tag.Name.implicit.rawValue,
           let first = scalar.string.unicodeScalars.first, first.isASCII {
            if first.properties.isAlphabetic {
                if Self.nullWords.contains(scalar.string) { return .null }
                if Self.boolWords.contains(scalar.string) { return .bool }
                return .str
            }
            if scalar.string.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
               first != "0" || scalar.string.utf8.count == 1 {
                return .int
            }
        }
        return Resolver.default.resolveTag(of: self)
    }

    private static let nullWords: Set<String> = ["null", "Null", "NULL"]
    private static let boolWords: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ]
}
