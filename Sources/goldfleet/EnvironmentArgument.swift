import ArgumentParser
import Foundation
import Inventory

/// `NAME` or `INVENTORY.yaml`: commands that act on an existing environment accept either.
struct EnvironmentArgument: ParsableArguments {
    @Argument(help: "The environment's name, or its inventory file.") var environment: String

    var isInventoryFile: Bool {
        environment.hasSuffix(".yaml") || environment.hasSuffix(".yml") || FileManager.default.fileExists(atPath: environment)
    }

    /// The inventory, when a file was given.
    func inventory() throws -> Inventory? {
        isInventoryFile ? try loadInventory(environment) : nil
    }

    func name(_ inventory: Inventory?) -> String { inventory?.name ?? environment }
}
