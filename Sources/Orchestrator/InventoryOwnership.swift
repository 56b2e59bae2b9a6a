import Foundation
import Gold
import GoldfleetSupport
import LXDKit

/// Which inventory file made each instance of an environment. An environment is its name AND
/// the inventory that made it: two inventory files with the same `name:` never change or delete
/// each other's instances unless told to (`--adopt`).
///
/// The inventory is known by its canonical absolute path (symlinks resolved), recorded in
/// `user.goldfleet.inventory` when an instance is created. A file that moved counts as another
/// inventory: `--adopt` takes its instances over.
public struct InventoryOwnership: Sendable, Equatable {
    /// Instance names by the canonical path of the inventory that made them; `""` for instances
    /// without a recorded inventory.
    public let owners: [String: [String]]

    /// `instances`: the managed instances of one environment.
    public init(_ instances: [LXDInstance]) {
        var owners: [String: [String]] = [:]
        for instance in instances {
            let recorded = instance.config[InstanceTags.inventory].map(Self.canonicalPath) ?? ""
            owners[recorded, default: []].append(instance.name)
        }
        self.owners = owners.mapValues { $0.sorted() }
    }

    /// The path recorded on instances for the inventory file at `path`: absolute, `.` and `..`
    /// gone, symlinks resolved (while the file exists), so every spelling of one file agrees.
    public static func canonicalPath(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let resolved = realpath(absolute, nil) else { return absolute }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The instances made from another inventory than `inventory` (a canonical path), by that
    /// inventory.
    public func foreign(to inventory: String) -> [String: [String]] {
        owners.filter { $0.key != inventory }
    }

    /// The instances made from `inventory` (a canonical path).
    public func made(from inventory: String) -> [String] {
        owners[inventory] ?? []
    }

    /// Throws when instances of `environment` were made from another inventory than the
    /// canonical `inventory`, unless `adopt`; returns the instances to re-tag as `inventory`'s.
    public func requireOwned(by inventory: String, environment: String, command: String, adopt: Bool) throws -> [String] {
        let foreign = foreign(to: inventory)
        guard !foreign.isEmpty else { return [] }
        guard adopt else {
            throw InventoryMismatch(environment: environment, inventory: inventory, owners: foreign, command: command)
        }
        return foreign.values.flatMap { $0 }.sorted()
    }
}

/// An environment's instances were made from another inventory file than the one given (or,
/// for `down NAME`, from several): nothing was touched.
public struct InventoryMismatch: UserFacingError {
    public let environment: String
    /// The canonical inventory given, or nil for `down NAME`.
    public let inventory: String?
    /// The instances in question by the inventory that made them (`""`: not recorded).
    public let owners: [String: [String]]
    /// `up`, `down`, `reset`, `cycle` or `export`.
    public let command: String

    public var message: String {
        let made = owners.keys.sorted().map { "\(Self.label($0)) made \(owners[$0]!.joined(separator: ", "))" }
        if let inventory {
            return "environment `\(environment)` was made from another inventory than \(inventory): "
                + made.joined(separator: "; ") + " — nothing was touched"
        }
        return "environment `\(environment)` holds instances made from \(owners.count) inventory files: "
            + made.joined(separator: "; ") + " — nothing was touched"
    }

    public var hint: String? {
        let others = owners.keys.sorted().filter { !$0.isEmpty }
        if inventory != nil {
            let theirs = others.first.map { " or run `goldfleet \(command) \($0)`" } ?? ""
            return "two inventories share `name: \(environment)`: rename one\(theirs); "
                + "to take these instances over as this inventory's, add `--adopt`"
        }
        let pick = others.map { "`goldfleet \(command) \($0)`" }.joined(separator: " or ")
        guard command == "down" else {
            return "give the inventory file whose machines you mean" + (pick.isEmpty ? "" : " (\(pick))")
        }
        return (pick.isEmpty ? "" : "give the inventory whose instances to remove (\(pick)); ")
            + "`goldfleet down \(environment) --adopt` removes them all"
    }

    static func label(_ inventory: String) -> String {
        inventory.isEmpty ? "an unrecorded inventory (no \(InstanceTags.inventory) tag)" : inventory
    }
}
