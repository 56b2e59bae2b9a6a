import Foundation
import GoldfleetSupport
import Yams

/// Reads and validates inventory files.
///
/// Validation never stops at the first problem: every error and warning is collected, each with
/// file:line:column, key path, what was expected and how to fix it.
public enum InventoryLoader {
    /// Loads a valid inventory or throws `InventoryError` carrying all diagnostics.
    /// Warnings alone do not fail; use `validate(path:)` to see them.
    public static func load(contentsOf path: String) throws -> Inventory {
        let (inventory, diagnostics) = validate(path: path)
        guard let inventory, !diagnostics.hasErrors else {
            throw InventoryError(file: path, diagnostics: diagnostics)
        }
        return inventory
    }

    /// Validates a file; the inventory is non-nil exactly when there are no errors.
    /// Directories, FIFOs, devices, unreadable, oversized and non-UTF-8 files are named as such.
    public static func validate(path: String) -> (Inventory?, [Diagnostic]) {
        let yaml: String
        do {
            yaml = try InputFile.readText(path, limit: YAMLLimits.maximumBytes)
        } catch {
            let isMissing = error.reason == "no such file"
            return (nil, [Diagnostic(severity: .error, file: path, line: nil, column: nil, keyPath: "",
                                     message: error.reason,
                                     hint: isMissing ? "check the path; example inventories live in inventory/"
                                                     : error.hint ?? "check the path and its permissions")])
        }
        let url = URL(fileURLWithPath: path)
        return validate(yaml: yaml, file: path, baseDirectory: url.deletingLastPathComponent().path)
    }

    /// Validates YAML text. `file` is used only in messages; relative paths in the inventory
    /// resolve against `baseDirectory`.
    public static func validate(yaml: String, file: String, baseDirectory: String) -> (Inventory?, [Diagnostic]) {
        let parser = InventoryParser(file: file, baseDirectory: baseDirectory)
        let inventory = parser.parse(yaml: yaml)
        let diagnostics = parser.sortedDiagnostics
        return (diagnostics.hasErrors ? nil : inventory, diagnostics)
    }

    /// Loads YAML text (for tests and for `import-bundle`'s self-check); throws like `load(contentsOf:)`.
    public static func load(yaml: String, file: String, baseDirectory: String) throws -> Inventory {
        let (inventory, diagnostics) = validate(yaml: yaml, file: file, baseDirectory: baseDirectory)
        guard let inventory, !diagnostics.hasErrors else {
            throw InventoryError(file: file, diagnostics: diagnostics)
        }
        return inventory
    }
}
