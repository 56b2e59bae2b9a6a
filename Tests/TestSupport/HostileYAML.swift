import Foundation
import Inventory
import Yams

/// Hostile bundles and inventories, generated from a fixed seed so every run sees the same ones:
/// every YAML line break in every string position, tagged scalars, indicators, reserved words,
/// numbers in every spelling, option-like names, long strings, aliases as keys, deep nesting.
public enum HostileYAML {
    /// SplitMix64: small, seedable, and the same sequence on every platform.
    public struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        public init(state: UInt64) { self.state = state }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    public static let lineBreaks = ["\n", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}"]

    /// Strings that would break naive YAML writing, each its own trap.
    public static let strings: [String] = {
        var texts = [
            "#comment", "key: value", "- item", "!tag", "!!int 3", "&anchor", "*alias", "{a: b}", "[a]",
            "yes", "No", "ON", "off", "y", "~", "null", "Null", "true", "0x1F", "1_000", "1:30", ".inf", "-.nan",
            "1e3", "+5", "0o17", "017", "0b101", "2001-12-14", "'single'", "\"double\"", "a\\b", "\t", "\u{0}", "\u{7F}",
            "\u{9B}31m", "\u{1B}[2J", "%YAML 1.1", "---", "...", "@at", "`tick", "|", ">", "?", ":", ",", "=", "<<",
            " lead", "trail ", "", "é", "🚀", "\u{202E}rtl", "\u{E000}", "\u{FEFF}bom", "x\u{FEFF}y", "\u{FFFE}", "a: b # c",
            "--dry-run", "-x", "lxd:0", "a,b", "x]", "y}", "%", "a\u{A0}b",
            String(repeating: "a", count: 1500), String(repeating: "é", count: 700),
        ]
        for brk in lineBreaks {
            texts.append("1\(brk)wheelhouse: {path: /root/.ssh, remote: /}")
            texts.append("x\(brk)ssh:\(brk)  password: {file: /etc/shadow}")
            texts.append("\(brk)lxd: {url: \"https://203.0.113.9:8443\", server_fingerprint: abc}")
            texts.append("a\(brk)")
        }
        return texts
    }()

    /// `text` as a YAML double-quoted scalar, written independently of `YAMLWriter` (JSON-style
    /// escapes, which YAML's double-quoted style includes).
    public static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case " "..."~": result.unicodeScalars.append(scalar)
            default:
                if scalar.value > 0xFFFF {
                    result += String(format: "\\U%08X", scalar.value)
                } else {
                    result += String(format: "\\u%04X", scalar.value)
                }
            }
        }
        return result + "\""
    }

    /// One hostile string spelled as YAML in a random way: escaped, tagged, literal block or raw.
    public static func spell<G: RandomNumberGenerator>(_ text: String, indent: String, using generator: inout G) -> String {
        switch Int.random(in: 0..<8, using: &generator) {
        case 0: return "!!int \(quote(text))"
        case 1: return "!custom \(quote(text))"
        case 2: return "!!str \(quote(text))"
        case 3: return ["!!bool", "!!float", "!!null", "!!binary", "!!timestamp"].randomElement(using: &generator)! + " \(quote(text))"
        case 4 where !text.isEmpty && !text.hasPrefix(" ") && text.unicodeScalars.allSatisfy({ $0.value >= 0x20 || $0 == "\n" }):
            // A literal block: the line breaks are real ones in the source.
            let body = text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "\(indent)  \($0)" }.joined(separator: "\n")
            return "|-\n" + body
        default: return quote(text)
        }
    }

    public static let hugeNumbers = [
        "1e300", "9223372036854775807", "9223372036854775808", "-1", "0", "1:2:3:4:5:6:7:8:9:10:11:12:13:14",
        "0x7FFFFFFFFFFFFFFFFF", "99999999999999999999", ".inf", "-.inf", ".nan", "1_000_000_000_000_000_000", "+3", "0o777",
        "3",
    ]

    public static let constraints = [
        "cores=1e300", "cores=9223372036854775807", "mem=inf", "mem=nan", "mem=1e19G", "cores=-3", "mem=-1G",
        "cores=1e-300", "mem=1e308P", "mem=0.0001", "cores=nan", "cores=inf", "mem=18446744073709551616", "mem=1ß",
        "cores=2 mem=8G", "cores=1.5 mem=1.5G", "mem=1P", "mem=1.5P", "cores=1024", "cores=1025", "mem=0x10G",
        "root-disk=1e400G arch=amd64",
    ]

    /// A bundle with hostile values in every position the importer reads.
    public static func bundle<G: RandomNumberGenerator>(using generator: inout G) -> String {
        func pick() -> String { strings.randomElement(using: &generator)! }
        func value(_ indent: String) -> String {
            Int.random(in: 0..<4, using: &generator) == 0
                ? hugeNumbers.randomElement(using: &generator)!
                : spell(pick(), indent: indent, using: &generator)
        }
        var lines = ["description: \(spell(pick() + lineBreaks.randomElement(using: &generator)! + pick(), indent: "", using: &generator))"]
        if Bool.random(using: &generator) { lines.append("name: \(value(""))") }
        lines.append("machines:")
        for id in 0..<Int.random(in: 0...3, using: &generator) {
            let key = Int.random(in: 0..<4, using: &generator) == 0 ? quote(pick()) : "\"\(id)\""
            lines.append("  \(key):")
            lines.append("    constraints: \(quote(constraints.randomElement(using: &generator)!))")
        }
        lines.append("applications:")
        for index in 0..<Int.random(in: 1...4, using: &generator) {
            let name = Int.random(in: 0..<5, using: &generator) == 0 ? quote(pick()) : "app\(index)"
            lines.append("  \(name):")
            let charm = Int.random(in: 0..<3, using: &generator) == 0 ? value("    ") : "ch:charm\(index)"
            lines.append("    charm: \(charm)")
            if Bool.random(using: &generator) { lines.append("    channel: \(value("    "))") }
            if Bool.random(using: &generator) { lines.append("    revision: \(hugeNumbers.randomElement(using: &generator)!)") }
            let units = Int.random(in: 0..<4, using: &generator) == 0 ? hugeNumbers.randomElement(using: &generator)! : "\(Int.random(in: 0...3, using: &generator))"
            lines.append("    num_units: \(units)")
            if Bool.random(using: &generator) {
                lines.append("    to: [\(["\"0\"", "new", "lxd:0", quote(pick()), "app0", "lxd:app0/0"].randomElement(using: &generator)!)]")
            }
            if Bool.random(using: &generator) {
                lines.append("    constraints: \(quote(constraints.randomElement(using: &generator)!))")
            }
            lines.append("    options:")
            for option in 0..<Int.random(in: 1...4, using: &generator) {
                let key = Bool.random(using: &generator) ? quote(pick()) : "opt\(option)"
                lines.append("      \(key): \(value("      "))")
            }
        }
        lines.append("relations:")
        lines.append("  - [app0, \(quote(pick()))]")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Bundles built to hit one class each, plus `count` random ones.
    public static func bundles(count: Int, seed: UInt64) -> [String] {
        var generator = SeededGenerator(state: seed)
        var result = [
            // The issue's reports, verbatim in spirit.
            """
            applications:
              web:
                charm: web
                num_units: 1
                options:
                  port: !!int "1\\nwheelhouse: {path: /root/.ssh, remote: /}"
                  other: !custom "x\\nssh: {password: {file: /etc/shadow}}"
                  third: !!bool "yes\\rlxd: {url: https://203.0.113.9:8443}"
            """,
            "description: \"ok\\rwheelhouse: {path: /root/.ssh}\\u2028ssh: {password: {file: /etc/shadow}}\\u0085lxd: {url: x}\"\napplications: {a: {charm: a}}\n",
            "applications:\n  a:\n    charm: --dry-run\n    num_units: 1\n",
            "applications:\n  a:\n    charm: a\n    channel: --force\n",
            "applications:\n  a:\n    charm: a\n    options: {--config: x}\n",
            "applications:\n  -a:\n    charm: a\n",
            "machines:\n  \"0\": {constraints: \"cores=1e300\"}\napplications: {a: {charm: a, to: [\"0\"], num_units: 1}}\n",
            "machines:\n  \"0\": {constraints: \"cores=9223372036854775807 mem=1e19G\"}\napplications: {a: {charm: a, num_units: 1, to: [\"0\"]}}\n",
            "applications:\n  a: {charm: a, num_units: 1, constraints: \"mem=inf cores=inf\"}\n",
            "applications:\n  a: {charm: a, num_units: \"1:2:3:4:5:6:7:8:9:10:11:12:13:14\"}\n",
            "applications:\n  a: {charm: a, num_units: 1:2:3:4:5:6:7:8:9:10:11:12:13:14}\n",
            "applications:\n  a: {charm: a, revision: 1:2:3:4:5:6:7:8:9:10:11:12:13:14, channel: stable}\n",
            "applications:\n  a: {charm: a, num_units: 100000}\n",
        ]
        for _ in 0..<count { result.append(bundle(using: &generator)) }
        return result
    }

    /// Ten to the power `depth` nodes behind one alias, used as a mapping key under `path`.
    public static func aliasBomb(prefix: String, depth: Int = 7, keyUnder path: String, indent: String) -> String {
        var bomb = prefix + "x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n"
        for level in 1...depth {
            bomb += "x\(level): &x\(level) [" + Array(repeating: "*x\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        return bomb + path + "\(indent)? *x\(depth)\n\(indent): 1\n"
    }

    /// Bundles whose cost is in parsing (alias bombs as keys, deep nesting): run as subprocesses
    /// under a time limit, never in-process.
    public static func slowBundles() -> [String] {
        [
            aliasBomb(prefix: "", keyUnder: "applications:\n  a:\n    charm: a\n    options:\n", indent: "      "),
            "applications:\n  a: {charm: a, options: {x: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "}}\n",
        ]
    }

    /// Hostile values for the holes (`%`) of `inventoryTemplates`: escapes, line separators,
    /// tags, huge numbers, option-like words, paths out, aliases, deep brackets, bidi controls.
    public static let holeFillers: [String] = [
        "\"a\\u2028wheelhouse: {path: /root/.ssh}\"", "\"x\\rssh: {password: {file: /etc/shadow}}\"", "\"\\e[2J\\e]0;t\\a\"",
        "\"\\u0085b\"", "!!int \"1\\nwheelhouse: {}\"", "!custom v", "1e300", "9223372036854775808", "-1", ".inf",
        "--dry-run", "-x", "'../../etc'", "/", "~", "\"a\\0b\"", "*a", "[*a, *a, *a]", "&a [x, x, x, x, x]",
        "{? [a, b] : c}", String(repeating: "[", count: 70) + String(repeating: "]", count: 70), "null", "~root/x",
        "'gold?x/snap&1'", "\"\\u202Eevil\"",
    ]

    /// Inventories with a hole (`%`) in every key or value a user fills in.
    public static let inventoryTemplates: [String] = [
        "name: %\nmachines: {web: {}}\n",
        "name: demo\ngold: %\nmachines: {web: {}}\n",
        "name: demo\nlxd: {pool: %, profiles: [%]}\nmachines: {web: {target: %}}\n",
        "name: demo\nssh: {user: %, password: %}\nmachines: {web: {}}\n",
        "name: demo\nwheelhouse: {path: /tmp, remote: %}\nmachines: {web: {count: %}}\n",
        "name: demo\nx: &a [1, 2]\nmachines: {web: {}}\njuju:\n  model_config: {%: %}\n  applications:\n    app: {charm: %, channel: %, base: %, config: {%: %}, to: [web]}\n",
        "name: demo\nmachines: {web: {}}\njuju:\n  applications: {app: {charm: c, to: [%]}}\n  relations: [[app, %]]\n",
    ]

    /// `count` inventories: a template each, every hole filled with a hostile value (fixed seed).
    public static func templatedInventories(count: Int, seed: UInt64) -> [String] {
        var generator = SeededGenerator(state: seed)
        return (0..<count).map { _ in
            var text = inventoryTemplates.randomElement(using: &generator)!
            while let hole = text.range(of: "%") {
                text.replaceSubrange(hole, with: holeFillers.randomElement(using: &generator)!)
            }
            return text
        }
    }

    /// Inventories that must be validated or refused quickly, never crash `validate`.
    public static func inventories() -> [String] {
        let bomb = aliasBomb(prefix: "name: bomb\nmachines: {web: {}}\n", keyUnder: "juju:\n  model_config:\n", indent: "    ")
        var manyKeys = "name: many\nmachines: {web: {}}\njuju:\n  model_config:\n"
        for index in 0..<20_000 { manyKeys += "    key\(index): \(index)\n" }
        let deep = "name: deep\nmachines: {web: {}}\njuju: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
        var result = [bomb, manyKeys, deep]
        for text in strings.prefix(40) {
            result.append("name: \(quote(text))\nmachines:\n  \(quote(text)): {count: \(quote(text))}\njuju:\n  applications:\n    a: {charm: \(quote(text)), channel: \(quote(text)), num_units: 0, config: {\(quote(text)): \(quote(text))}}\n")
        }
        result.append("name: opt\nmachines: {web: {}}\nssh: {user: --oProxyCommand=x}\njuju:\n  applications:\n    a: {charm: --dry-run, num_units: 1, to: [web], config: {-x: 1}}\n")
        return result
    }

    /// A 10 MB bundle of tens of thousands of applications (refused or imported fast).
    public static func hugeBundle(applications: Int, unitsEach: Int = 1) -> String {
        var text = "applications:\n"
        text.reserveCapacity(applications * 80)
        for index in 0..<applications {
            text += "  app\(index):\n    charm: charm\(index)\n    num_units: \(unitsEach)\n    options: {a: \"\(String(repeating: "x", count: 20))\"}\n"
        }
        return text
    }

    /// As many applications as fit in few bytes each (`a1: {charm: c}`): parsing cost per byte
    /// is highest with many small entries.
    public static func compactApplications(_ count: Int) -> String {
        "applications:\n" + (0..<count).map { "  a\($0): {charm: c}\n" }.joined()
    }

    /// A bundle with many units placed on few declared machines (imported, linear time).
    public static func manyUnits(applications: Int, unitsEach: Int, machines: Int) -> String {
        var text = "machines:\n"
        for id in 0..<machines { text += "  \"\(id)\": {}\n" }
        text += "applications:\n"
        for index in 0..<applications {
            let to = (0..<unitsEach).map { "\"\(($0 + index) % machines)\"" }.joined(separator: ", ")
            text += "  app\(index): {charm: charm\(index), num_units: \(unitsEach), to: [\(to)]}\n"
        }
        return text
    }

    // MARK: Reading back

    /// The tree a YAML parser (Yams) reads from `text`, in the writer's terms; anything the
    /// writer never writes (null, floats, aliases, tags) shows up as an `<unexpected …>` string.
    public static func parsedTree(_ text: String) throws -> YAMLValue {
        guard let node = try Yams.compose(yaml: text) else { return .string("<unexpected empty document>") }
        return tree(node)
    }

    public static func tree(_ node: Node) -> YAMLValue {
        switch node {
        case .scalar(let scalar):
            switch node.resolvedTagName {
            case .str: return .string(scalar.string)
            case .int: return Int(scalar.string).map(YAMLValue.integer) ?? .string("<unexpected int \(scalar.string)>")
            case .bool: return node.bool.map(YAMLValue.boolean) ?? .string("<unexpected bool \(scalar.string)>")
            default: return .string("<unexpected \(node.resolvedTagName) \(scalar.string)>")
            }
        case .mapping(let mapping):
            return .mapping(mapping.map { key, value in
                guard case .scalar(let scalar) = key, key.resolvedTagName == .str else {
                    return YAMLEntry("<unexpected key \(key)>", tree(value))
                }
                return YAMLEntry(scalar.string, tree(value))
            })
        case .sequence(let sequence):
            return .sequence(sequence.map(tree))
        case .alias:
            return .string("<unexpected alias>")
        }
    }
}
