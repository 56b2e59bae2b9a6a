import Foundation

/// Locates test fixtures and the repository's example inventories.
public enum InventoryFixtures {
    /// The fixtures every unit-test target shares (Tests/TestSupport/Fixtures).
    public static var fixturesDirectory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    /// One fixture file, by its path under Fixtures/ (`lxd/instance.json`).
    public static func url(_ relativePath: String) -> URL {
        fixturesDirectory.appendingPathComponent(relativePath)
    }

    public static func bundleNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixturesDirectory.appendingPathComponent("bundles").path)
            .filter { $0.hasSuffix(".yaml") }
            .sorted()
    }

    public static func bundle(_ name: String) throws -> String {
        try String(contentsOf: fixturesDirectory.appendingPathComponent("bundles/\(name)"), encoding: .utf8)
    }

    public static func inventoryPath(_ name: String) -> String {
        fixturesDirectory.appendingPathComponent("inventory/\(name)").path
    }

    /// The repository checkout (for inventory/demo.yaml and inventory/example-full.yaml).
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // InventoryFixtures.swift
            .deletingLastPathComponent()  // TestSupport
            .deletingLastPathComponent()  // Tests
    }

    /// A fresh empty directory for relative paths in inline inventories.
    public static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("goldfleet-inventory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}
