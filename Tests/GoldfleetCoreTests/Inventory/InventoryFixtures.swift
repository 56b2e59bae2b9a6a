import Foundation

/// Locates test fixtures and the repository's example inventories.
enum InventoryFixtures {
    static var fixturesDirectory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    static func bundleNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixturesDirectory.appendingPathComponent("bundles").path)
            .filter { $0.hasSuffix(".yaml") }
            .sorted()
    }

    static func bundle(_ name: String) throws -> String {
        try String(contentsOf: fixturesDirectory.appendingPathComponent("bundles/\(name)"), encoding: .utf8)
    }

    static func inventoryPath(_ name: String) -> String {
        fixturesDirectory.appendingPathComponent("inventory/\(name)").path
    }

    /// The repository checkout (for inventory/demo.yaml and inventory/example-full.yaml).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Inventory
            .deletingLastPathComponent()  // GoldfleetCoreTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
    }

    /// A fresh empty directory for relative paths in inline inventories.
    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("goldfleet-inventory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}
