/// Input echoed into a message, made safe for a terminal.
///
/// Inventories and bundles come from others: a value holding an escape sequence (`ESC [2J`,
/// a fake "OK"), a carriage return or a bidirectional override would otherwise act on the
/// terminal that prints the diagnostic, or hide what the file really says. Every such
/// character is shown as a visible escape; backslashes are left alone, so escaping twice
/// changes nothing.
public enum DiagnosticText {
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
        }
        return result
    }

    /// `text` cut in the middle when longer than `maximumBytes`: a value of megabytes echoed
    /// whole would bury the message (and cost time to print). Cheap on huge text: only the
    /// ends are walked.
    public static func shortened(_ text: String, maximumBytes: Int = 1000) -> String {
        guard text.utf8.count > maximumBytes else { return text }
        var head = String.UnicodeScalarView(), tail = String.UnicodeScalarView()
        head.append(contentsOf: text.unicodeScalars.prefix(maximumBytes * 2 / 3))
        tail.append(contentsOf: text.unicodeScalars.suffix(maximumBytes / 3))
        let omitted = text.utf8.count - String(head).utf8.count - String(tail).utf8.count
        return String(head) + "…[\(omitted) bytes omitted]…" + String(tail)
    }

    /// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the
    /// bidirectional embedding, override and isolate controls.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C, 0xFEFF:
            return true
        default:
            return false
        }
    }
}
