/// Writing YAML scalars by hand, so generated inventories keep a readable order and comments.
enum YAMLText {
    /// Words YAML 1.1 would read as something other than a string.
    private static let reserved: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ]

    /// `text` as a YAML string scalar: plain when unambiguous, double-quoted otherwise.
    static func string(_ text: String) -> String {
        if isPlainSafe(text) { return text }
        return quoted(text)
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        if reserved.contains(text.lowercased()) { return false }
        if looksNumeric(text) { return false }
        let allowed = { (s: Unicode.Scalar) in
            ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
                || "-_./@~+=,;()$^".unicodeScalars.contains(s) || s == " " || s == ":"
        }
        guard text.unicodeScalars.allSatisfy(allowed) else { return false }
        if ["-", " ", ":", "~", "@", ","].contains(Character(first)) || last == " " || last == ":" { return false }
        if text.contains(": ") || text.contains(" #") { return false }
        return true
    }

    /// Numbers in any YAML 1.1 spelling (including `1_000`, `0x1F`, `1:30`, `.5`, `1e3`).
    static func looksNumeric(_ text: String) -> Bool {
        let body = text.hasPrefix("-") || text.hasPrefix("+") ? String(text.dropFirst()) : text
        guard let first = body.first else { return false }
        return first.isNumber || first == "." || body.lowercased() == ".inf" || body.lowercased() == ".nan"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
