import Foundation
@testable import Gold
@testable import GoldfleetSupport
@testable import Inventory
@testable import JujuKit
@testable import LXDKit
@testable import Orchestrator

/// What every test environment shares — on the lab's daemon (`TestEnvironment`), the solo
/// daemon (`SoloEnvironment`) or the cluster (`ClusterEnvironment`): the files in its own
/// folder, an inventory written there, and an orchestrator wired to its Juju double.
protocol TestWorkspace: Sendable {
    var name: String { get }
    var directory: String { get }
    /// The environment variables the Juju double (and the goldfleet binary) run with.
    var environment: [String: String] { get }
}

extension TestWorkspace {
    var inventoryPath: String { directory + "/inventory.yaml" }
    var wheelhouse: String { directory + "/wheelhouse" }
    var jujuData: String { directory + "/juju" }
    var knownHosts: String { directory + "/juju-known_hosts" }
    var state: StateDirectory { StateDirectory(root: directory + "/state") }

    /// Writes the inventory: `lxd` is the body of its `lxd:` section and `machines` the body of
    /// `machines:`, each indented by two spaces; `juju` is more YAML for the `juju:` section.
    func writeInventory(gold: String, lxd: String, machines: String, juju: String = "") throws {
        try """
            name: \(name)
            gold: \(gold)
            lxd:
            \(lxd)
            ssh:
              password: {file: \(Lab.cacheDirectory)/ubuntu.password}
            wheelhouse:
              path: wheelhouse
            machines:
            \(machines)
            juju:
              model: \(name)
            \(juju)
            """.write(toFile: inventoryPath, atomically: true, encoding: .utf8)
    }

    func inventory() throws -> Inventory {
        try InventoryLoader.load(contentsOf: inventoryPath)
    }

    func juju() -> JujuCLI {
        JujuCLI(executable: Lab.product("juju"), model: name, environment: environment)
    }

    /// An orchestrator with this environment's juju double and files; its instances carry the
    /// test run's tag, so `scripts/test` sweeps whatever a failed test leaves.
    func orchestrator(_ lxd: LXDClient, addressTimeout: Duration = .seconds(120),
                      progress: any ProgressSink = SilentProgress()) -> Orchestrator {
        var options = Orchestrator.Options(
            addressTimeout: addressTimeout,
            jujuPublicKeys: JujuClientKeys.publicKeys(home: directory, jujuData: jujuData),
            jujuKnownHosts: knownHosts, jujuSimulated: true)
        options.extraConfig = [Lab.testTagKey: Lab.runID]
        return Orchestrator(lxd: lxd, juju: juju(), state: state, progress: progress, options: options)
    }
}
