import Foundation

/// What goldfleet prints for `--json`: keys sorted, slashes as they are, pretty unless one line
/// is asked for (a watcher's event stream).
public enum JSONText {
    public static func of(_ value: some Encodable, oneLine: Bool = false) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = oneLine ? [.sortedKeys, .withoutEscapingSlashes] : [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }
}

/// A report a command prints with `--json`.
public protocol JSONReport: Encodable {}

extension JSONReport {
    public func json(oneLine: Bool = false) -> String { JSONText.of(self, oneLine: oneLine) }
}
