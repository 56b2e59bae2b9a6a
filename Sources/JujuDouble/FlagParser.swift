/// Parses flags the way juju's gnuflag does: `--name value`, `--name=value`, `-n value`,
/// flags interspersed with positional arguments, `--` ends flags, and an unknown flag is
/// `option provided but not defined: --bogus` (exit 2).
struct FlagSpec {
    /// Flags that take a value, with every spelling (e.g. `["-m", "--model"]`).
    var valued: [[String]] = []
    /// Boolean flags.
    var boolean: [[String]] = []
}

struct ParsedFlags {
    var values: [String: [String]] = [:]
    var booleans: Set<String> = []
    var positional: [String] = []

    /// The last value given for a flag, by its canonical (first) spelling.
    func value(_ name: String) -> String? { values[name]?.last }
    /// Every value given for a repeatable flag, in order.
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func isSet(_ name: String) -> Bool { booleans.contains(name) }
}

extension FlagSpec {
    /// Flags every juju command accepts (logging controls).
    static let common: [[String]] = [["--debug"], ["--verbose"], ["--quiet"], ["--show-log"]]

    func parse(_ arguments: [String]) throws -> ParsedFlags {
        var parsed = ParsedFlags()
        let bools = boolean + Self.common
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                parsed.positional += arguments[index...]
                break
            }
            guard argument.hasPrefix("-"), argument != "-" else {
                parsed.positional.append(argument)
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            if let spellings = valued.first(where: { $0.contains(name) }) {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else if index < arguments.count {
                    value = arguments[index]
                    index += 1
                } else {
                    throw Failure.usage("option needs an argument: \(name)")
                }
                parsed.values[spellings[0], default: []].append(value)
            } else if let spellings = bools.first(where: { $0.contains(name) }) {
                if let inlineValue, inlineValue != "true" {
                    if inlineValue == "false" { continue }
                    throw Failure.usage("invalid value \"\(inlineValue)\" for flag \(name): parse error")
                }
                parsed.booleans.insert(spellings[0])
            } else {
                throw Failure.usage("option provided but not defined: \(name)")
            }
        }
        return parsed
    }
}
