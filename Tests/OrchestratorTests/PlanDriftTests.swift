import Foundation
import Testing
@testable import JujuKit
@testable import Orchestrator

/// `plan` shows what the environment holds that the inventory no longer names, with the
/// commands `up --prune` removes it with, or says plainly what it could not read.
@Suite("Plan: the drift")
struct PlanDriftTests {
    static let drift = Drift(
        instances: [.init(name: "demo-db-1", group: "db", jujuMachine: "2"), .init(name: "demo-web-2", group: "web", jujuMachine: "1")],
        jujuUnits: ["ubuntu/1"], jujuApplications: ["postgresql"], jujuMachines: ["2", "1"])

    @Test("the removals in up --prune's order, with juju's flags per version", arguments: ["2.9.49", "3.6.4"])
    func removals(versionText: String) throws {
        let version = try #require(JujuVersion(parsing: versionText))
        let inventory = try DriftTests.inventory()
        let text = Plan.make(for: inventory, jujuVersion: version, drift: Self.drift).rendered()
        let flag = version.major >= 3 ? " --no-prompt" : ""
        #expect(text.contains("""
            Drift (what the environment holds that the inventory no longer names; `up` leaves it and lists it, `up --prune` removes it, in this order):
              juju remove-unit -m demo ubuntu/1\(flag)
              juju remove-application -m demo postgresql\(flag)
              juju remove-machine -m demo 2 --force\(flag)
              juju remove-machine -m demo 1 --force\(flag)
              delete instance demo-db-1 (group db, goldfleet's, made from this inventory) and goldfleet's known_hosts lines for it
              delete instance demo-web-2 (group web, goldfleet's, made from this inventory) and goldfleet's known_hosts lines for it

            """), "\(text)")
    }

    @Test("no drift, unreadable state, and no live reading are each said plainly")
    func plainly() throws {
        let inventory = try DriftTests.inventory()
        #expect(Plan.make(for: inventory, drift: Drift()).rendered().contains("\n  (none: the live state matches the inventory)\n"))
        let blind = Plan.make(for: inventory, drift: Drift(unread: ["juju status: juju not found: no `juju` on PATH"])).rendered()
        #expect(blind.contains("\n  could not read juju status: juju not found: no `juju` on PATH — this part of the drift is unknown\n"))
        #expect(!blind.contains("(none: the live state matches"))
        #expect(Plan.make(for: inventory).rendered().contains("Drift: not read (the live LXD and juju state were not asked)."))
    }
}
