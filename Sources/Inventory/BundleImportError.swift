import GoldfleetSupport

/// A bundle that cannot be turned into an inventory at all (unreadable YAML, not a bundle,
/// a Kubernetes bundle). Smaller mismatches are warnings on a successful import instead.
public struct BundleImportError: UserFacingError, Equatable {
    public var file: String
    public var diagnostics: [Diagnostic]

    public init(file: String, diagnostics: [Diagnostic]) {
        self.file = file
        self.diagnostics = diagnostics
    }

    public var message: String {
        "cannot import \(file):\n" + diagnostics.map { "  \($0)" }.joined(separator: "\n")
    }

    /// The general shape of a bundle, unless every finding already says how to fix it.
    public var hint: String? {
        if !diagnostics.isEmpty, diagnostics.allSatisfy({ $0.hint != nil }) { return nil }
        return "import-bundle reads machine bundles (`applications:` or `services:`, optional `machines:` and `relations:`)"
    }
}
