/// A YAML 1.1 integer (`42`, `+3`, `1_000`, `0x1F`, `0o17`, `017`, `0b101`, `1:30`) read without
/// ever trapping. Yams's own `Node.int` multiplies sexagesimal parts unchecked, so a long
/// `1:2:3:…` value crashes it; this returns `nil` for anything that does not fit an `Int`.
enum YAMLInteger {
    static func value(_ text: String) -> Int? {
        var body = Substring(text.replacingOccurrences(of: "_", with: ""))
        var negative = false
        if let sign = body.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        let magnitude: Int?
        if body.contains(":") {
            magnitude = sexagesimal(body)
        } else if let radix = [("0x", 16), ("0o", 8), ("0b", 2)].first(where: { body.hasPrefix($0.0) }) {
            magnitude = digits(body.dropFirst(2), radix: radix.1)
        } else if body.count > 1, body.hasPrefix("0") {
            magnitude = digits(body.dropFirst(), radix: 8)
        } else {
            magnitude = digits(body, radix: 10)
        }
        guard let magnitude else { return nil }
        return negative ? 0 - magnitude : magnitude
    }

    /// Digits only (no sign: `Int(_:radix:)` would accept one in the middle of `0x-5`).
    private static func digits(_ text: Substring, radix: Int) -> Int? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
        return Int(text, radix: radix)
    }

    /// Base 60: `1:30` is 90.
    private static func sexagesimal(_ text: Substring) -> Int? {
        var total = 0
        for part in text.split(separator: ":", omittingEmptySubsequences: false) {
            guard let digit = digits(part, radix: 10) else { return nil }
            let (shifted, overflow) = total.multipliedReportingOverflow(by: 60)
            let (sum, overflowAgain) = shifted.addingReportingOverflow(digit)
            guard !overflow, !overflowAgain else { return nil }
            total = sum
        }
        return total
    }
}
