/// One finding about an inventory or bundle file, pointing at the exact place it was found.
///
/// Rendered like a compiler message so editors and terminals can jump to it:
/// `inventory/demo.yaml:12:5: error: machines.web.count: expected an integer ≥ 1, got 0 — hint: …`
///
/// Its texts quote the input, so control characters in them are escaped (`DiagnosticText`)
/// when the diagnostic is made, whoever makes it.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Equatable {
        case error
        case warning
    }

    public var severity: Severity
    public var file: String
    /// 1-based line; `nil` when the finding concerns the whole file (e.g. it cannot be read).
    public var line: Int?
    /// 1-based column (Unicode scalars, as libyaml counts them).
    public var column: Int?
    /// Dotted path to the key, e.g. `machines.web.count` or `juju.relations[2]`; empty for the file.
    public var keyPath: String
    public var message: String
    public var hint: String?

    public init(
        severity: Severity, file: String, line: Int?, column: Int?,
        keyPath: String, message: String, hint: String? = nil
    ) {
        self.severity = severity
        self.file = DiagnosticText.escaped(file)
        self.line = line
        self.column = column
        self.keyPath = DiagnosticText.escaped(DiagnosticText.shortened(keyPath))
        self.message = DiagnosticText.escaped(DiagnosticText.shortened(message))
        self.hint = hint.map { DiagnosticText.escaped(DiagnosticText.shortened($0)) }
    }

    public var isError: Bool { severity == .error }

    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        var text = "\(location): \(severity.rawValue): "
        if !keyPath.isEmpty { text += "\(keyPath): " }
        text += message
        if let hint { text += " — hint: \(hint)" }
        return text
    }
}

extension Array where Element == Diagnostic {
    public var errors: [Diagnostic] { filter(\.isError) }
    public var warnings: [Diagnostic] { filter { !$0.isError } }
    public var hasErrors: Bool { contains(where: \.isError) }
}
