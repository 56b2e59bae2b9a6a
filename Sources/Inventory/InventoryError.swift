import GoldfleetSupport

/// An inventory that cannot be used, carrying every problem found in it (not just the first),
/// so one run of `goldfleet validate` shows the user everything there is to fix.
public struct InventoryError: UserFacingError, Equatable {
    public var file: String
    /// All diagnostics, errors and warnings, in file order.
    public var diagnostics: [Diagnostic]

    public init(file: String, diagnostics: [Diagnostic]) {
        self.file = file
        self.diagnostics = diagnostics
    }

    public var message: String {
        let errors = diagnostics.errors
        let count = errors.count == 1 ? "1 error" : "\(errors.count) errors"
        return "\(file) has \(count):\n" + diagnostics.map { "  \($0)" }.joined(separator: "\n")
    }

    public var hint: String? {
        "fix the lines above, then check again with `goldfleet validate \(file)`"
    }
}
