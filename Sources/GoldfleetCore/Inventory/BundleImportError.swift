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

    public var hint: String? {
        "import-bundle reads machine bundles (`applications:` or `services:`, optional `machines:` and `relations:`)"
    }
}
