import Foundation

/// A YAML value goldfleet writes: the model of a generated file, rendered only by `YAMLWriter`.
///
/// Strings stay strings whatever they contain; the writer decides how to spell them.
public indirect enum YAMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case mapping([YAMLEntry])
    case sequence([YAMLValue])

    /// The same tree without comments (what a YAML parser gives back).
    var withoutComments: YAMLValue {
        switch self {
        case .mapping(let entries):
            .mapping(entries.map { YAMLEntry($0.key, $0.value.withoutComments) })
        case .sequence(let items):
            .sequence(items.map(\.withoutComments))
        default:
            self
        }
    }
}

/// One `key: value` of a mapping, with an optional comment written after the key.
public struct YAMLEntry: Equatable, Sendable {
    var key: String
    var value: YAMLValue
    var comment: String?

    public init(_ key: String, _ value: YAMLValue, comment: String? = nil) {
        self.key = key
        self.value = value
        self.comment = comment
    }
}

/// The one way goldfleet writes YAML text. Every key and every string goes through `scalar`,
/// which writes it plain only when YAML cannot read it as anything else, and double-quoted with
/// escapes otherwise; every comment goes through `comment`, which cannot end its line. So no
/// value, however hostile, can become a key, a tag, an anchor or a second document.
enum YAMLWriter {
    /// Simple keys longer than this are written as explicit `? key` entries (YAML caps simple
    /// keys at 1024 characters).
    static let longKey = 1000
    /// Sequences of scalars shorter than this are written inline (`[a, b]`).
    static let inlineSequenceWidth = 100

    /// A document: comment lines, then the top-level mapping; a blank line sets off each section.
    static func document(header: [String], _ entries: [YAMLEntry]) -> String {
        var lines = header.map { "# " + comment($0) }.map { $0 == "# " ? "#" : $0 }
        for entry in entries {
            if case .mapping(let nested) = entry.value, !nested.isEmpty, !lines.isEmpty { lines.append("") }
            if case .sequence(let nested) = entry.value, !nested.isEmpty, !lines.isEmpty { lines.append("") }
            write(entry, indent: 0, into: &lines)
        }
        if entries.isEmpty { lines.append("{}") }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Scalars

    /// Words YAML 1.1 reads as booleans or null when plain.
    private static let reserved: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"]

    /// `value` as one YAML token that reads back as exactly `value`.
    static func scalar(_ value: YAMLValue) -> String? {
        switch value {
        case .string(let text): isPlainSafe(text) ? text : quoted(text)
        case .integer(let number): String(number)
        case .boolean(let flag): flag ? "true" : "false"
        case .mapping(let entries) where entries.isEmpty: "{}"
        case .sequence(let items) where items.isEmpty: "[]"
        default: nil
        }
    }

    /// Plain only for ASCII words that start with a letter and hold no indicator, space or
    /// reserved spelling: such text is a string to YAML 1.1 and 1.2, in block and flow context.
    static func isPlainSafe(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, scalars.count <= 200 else { return false }
        guard ("a"..."z").contains(first) || ("A"..."Z").contains(first), last != ":" else { return false }
        guard !reserved.contains(text.lowercased()) else { return false }
        return scalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "-_./@+=:".unicodeScalars.contains(scalar)
        }
    }

    /// A double-quoted scalar; everything that is not plainly printable is an escape.
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
                if needsEscape(scalar) {
                    result += escape(scalar)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// Control and format characters (C0, DEL, C1 with U+0085, bidi controls, the BOM), YAML's
    /// other line breaks (U+2028, U+2029) and unassigned code points.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value >= 0x20 && scalar.value < 0x7F { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .unassigned, .surrogate, .privateUse:
            return true
        default:
            return scalar.value == 0x7F
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        switch scalar.value {
        case ..<0x100: return "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
        case ..<0x10000: return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: return "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
        }
    }

    // MARK: Comments

    /// One comment line's text: every YAML line break and every control or format character
    /// becomes a space, so the comment cannot end early and start a line of YAML.
    static func comment(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            result.unicodeScalars.append(needsEscape(scalar) || scalar == "\t" ? " " : scalar)
        }
        return result.trimmingCharacters(in: .whitespaces)
    }

    /// Text split at every YAML line break (`\n`, `\r\n`, `\r`, U+0085, U+2028, U+2029).
    static func lines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n")
            .split(omittingEmptySubsequences: false) { character in
                character.unicodeScalars.contains { ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains($0) }
            }
            .map(String.init)
    }

    // MARK: Blocks

    private static func write(_ entry: YAMLEntry, indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        let key = scalar(.string(entry.key))!
        let note = entry.comment.map { Self.comment($0) }.flatMap { $0.isEmpty ? nil : "  # \($0)" } ?? ""
        let explicit = key.utf8.count > longKey
        if let inline = inlineValue(entry.value) {
            if explicit {
                lines.append("\(pad)? \(key)\(note)")
                lines.append("\(pad): \(inline)")
            } else {
                lines.append("\(pad)\(key): \(inline)\(note)")
            }
            return
        }
        if explicit {
            lines.append("\(pad)? \(key)\(note)")
            lines.append("\(pad):")
        } else {
            lines.append("\(pad)\(key):\(note)")
        }
        writeBlock(entry.value, indent: indent + 2, into: &lines)
    }

    /// A scalar, an empty collection, or a short sequence of scalars, on the key's own line.
    private static func inlineValue(_ value: YAMLValue) -> String? {
        if let single = scalar(value) { return single }
        guard case .sequence(let items) = value else { return nil }
        let parts = items.compactMap { item -> String? in
            if case .mapping = item { return nil }
            if case .sequence = item { return nil }
            return scalar(item)
        }
        guard parts.count == items.count else { return nil }
        let text = "[" + parts.joined(separator: ", ") + "]"
        return text.utf8.count <= inlineSequenceWidth ? text : nil
    }

    private static func writeBlock(_ value: YAMLValue, indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .mapping(let entries):
            for entry in entries { write(entry, indent: indent, into: &lines) }
        case .sequence(let items):
            for item in items {
                if let inline = inlineValue(item) {
                    lines.append("\(pad)- \(inline)")
                } else {
                    lines.append("\(pad)-")
                    writeBlock(item, indent: indent + 2, into: &lines)
                }
            }
        default:
            lines.append(pad + (scalar(value) ?? "null"))
        }
    }
}
