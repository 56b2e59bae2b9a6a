import Foundation
import TestSupport
import Testing
@testable import Inventory
@testable import JujuKit
@testable import LXDKit
@testable import Orchestrator

/// `plan` prints the juju commands `up` runs against the detected juju version (issue 16 item 8).
@Suite("Plan: the juju commands up runs, per juju version")
struct PlanJujuCommandsTests {
    static let versions = ["2.9.49-ubuntu-amd64", "3.6.4-genericlinux-amd64"]

    /// Runs `up`'s juju placement against a fake juju with an empty model and compares its
    /// commands, one by one, with the plan's.
    @Test("the plan's commands are the ones up sends juju", arguments: versions)
    func sameAsUp(versionText: String) async throws {
        let version = try #require(JujuVersion(parsing: versionText))
        let inventory = try InventoryLoader.load(yaml: PlanTests.yaml, file: "shop.yaml", baseDirectory: PlanTests.baseDirectory)
        let runner = FakeJujuRunner(bySubcommand: [
            "status": JujuFixtures.ok(#"{"model":{"name":"shop"},"machines":{},"applications":{}}"#),
        ])
        let lxd = try LXDClient(endpoint: .unixSocket(path: "/nonexistent/goldfleet-test.socket"))
        defer { Task { try? await lxd.shutdown() } }
        let orchestrator = Orchestrator(lxd: lxd, juju: JujuCLI(executable: "juju", model: "shop", runner: runner))
        let ids = ["shop-web-1": "0", "shop-web-2": "1", "shop-db-1": "2"]
        let (_, failures) = await orchestrator.placeApplications(inventory, machineIDs: ids, version: version)
        #expect(failures.isEmpty)
        let sent = runner.commands.map(\.arguments).filter { $0.first != "status" }

        let plan = Plan.make(for: inventory, jujuVersion: version)
        let planned = plan.jujuActions.compactMap { action -> [String]? in
            if case .modelConfig = action { return nil }
            let arguments = action.arguments(version: version) { ids[$0]! }
            return JujuCLI.modelArguments(arguments[0], model: "shop", Array(arguments.dropFirst()))
        }
        #expect(sent == planned)
        let relate = version.major >= 3 ? "integrate" : "add-relation"
        #expect(sent.filter { $0.first == relate }.count == 2)
        // juju 2.9's deploy knows --series, not --base.
        let pg = try #require(sent.first { $0.contains("pg") })
        #expect(Array(pg.suffix(2)) == (version.major >= 3 ? ["--base", "ubuntu@22.04"] : ["--series", "jammy"]))
    }

    @Test("the rendered plan names the version, the model and the relation command", arguments: versions)
    func rendered(versionText: String) throws {
        let version = try #require(JujuVersion(parsing: versionText))
        let inventory = try InventoryLoader.load(yaml: PlanTests.yaml, file: "shop.yaml", baseDirectory: PlanTests.baseDirectory)
        let text = Plan.make(for: inventory, jujuVersion: version).rendered()
        let relate = version.major >= 3 ? "integrate" : "add-relation"
        #expect(text.contains("Juju \(versionText) (from `juju version`), first the model:\n  juju add-model shop --no-switch   # only if juju has no model `shop` yet\n  juju model-config -m shop "))
        #expect(text.contains("    - juju add-machine -m shop ssh:ubuntu@<IPv4 of shop-db-1> (unless juju has a machine for that address)\n"))
        #expect(text.contains("  juju \(relate) -m shop site:db pg:database\n      # unless juju already relates the two\n"))
        let os = version.major >= 3 ? "--base ubuntu@22.04" : "--series jammy"
        #expect(text.contains("  juju deploy -m shop postgresql pg -n 1 --to lxd:<machine of shop-db-1> --channel 14/stable --revision 400 \(os)\n      # only if juju has no application `pg`; otherwise, for each of its units juju lacks: juju add-unit -m shop pg --to lxd:<machine of shop-db-1>\n"))
        #expect(text.contains("  juju deploy -m shop ntp ntp\n      # only if juju has no application `ntp`. Deployed without units, which juju does only for a subordinate charm: juju refuses `-n 0`"))
        #expect(!text.contains(version.major >= 3 ? "add-relation" : "integrate"))
    }

    @Test("without a juju client the plan says which commands depend on the version")
    func unknownVersion() throws {
        let inventory = try InventoryLoader.load(yaml: PlanTests.yaml, file: "shop.yaml", baseDirectory: PlanTests.baseDirectory)
        let text = Plan.make(for: inventory).rendered()
        #expect(text.contains("Juju (version unknown: no juju client answered `juju version`; commands are shown for juju 3.x, and juju 2.9 relates with `add-relation` instead of `integrate`), first the model:\n"))
        #expect(text.contains("  juju integrate -m shop ntp site\n"))
    }
}
