import Foundation
import TestSupport
import Testing
@testable import JujuKit
@testable import LXDKit
@testable import Orchestrator

/// `up --prune`'s juju side against a fake juju: units, then applications, then machines; and
/// nothing at all when the drift could not be read whole.
@Suite("Prune: removal order and refusal")
struct PruneTests {
    static func orchestrator(_ runner: FakeJujuRunner) throws -> (Orchestrator, LXDClient) {
        // No LXD here: listing instances fails, so no instance can be deleted by this test.
        let lxd = try LXDClient(endpoint: .unixSocket(path: "/nonexistent/goldfleet-test.socket"), retryPolicy: .never)
        return (Orchestrator(lxd: lxd, juju: JujuCLI(executable: "juju", model: "demo", runner: runner)), lxd)
    }

    @Test("units, then applications, then machines with --force, each with -m and juju's flags", arguments: ["2.9.49", "3.6.4"])
    func order(versionText: String) async throws {
        let version = try #require(JujuVersion(parsing: versionText))
        let runner = FakeJujuRunner()
        let (orchestrator, lxd) = try Self.orchestrator(runner)
        defer { Task { try? await lxd.shutdown() } }
        let (removed, failures) = await orchestrator.prune(PlanDriftTests.drift, inventory: try DriftTests.inventory(), version: version)
        let flag = version.major >= 3 ? ["--no-prompt"] : []
        #expect(runner.argvs == [
            ["juju", "remove-unit", "-m", "demo", "ubuntu/1"] + flag,
            ["juju", "remove-application", "-m", "demo", "postgresql"] + flag,
            ["juju", "remove-machine", "-m", "demo", "2", "--force"] + flag,
            ["juju", "remove-machine", "-m", "demo", "1", "--force"] + flag,
        ])
        #expect(removed.jujuUnits == ["ubuntu/1"] && removed.jujuApplications == ["postgresql"] && removed.jujuMachines == ["2", "1"])
        // The instances stay when LXD cannot be listed again, and the report says so.
        #expect(removed.instances.isEmpty)
        #expect(failures.count == 1 && failures[0].message.hasPrefix("could not list LXD instances"))
    }

    @Test("a juju machine that could not be removed keeps its instance; one already gone counts as removed")
    func machineFailure() async throws {
        let runner = FakeJujuRunner { command in
            switch command.arguments.dropFirst(3).first {
            case "2": JujuFixtures.error("removing machine 2 failed: connection is shut down")
            case "ubuntu/1": JujuFixtures.error(#"removing unit ubuntu/1 failed: unit "ubuntu/1" does not exist"#)
            default: JujuFixtures.ok()
            }
        }
        let (orchestrator, lxd) = try Self.orchestrator(runner)
        defer { Task { try? await lxd.shutdown() } }
        let (removed, failures) = await orchestrator.prune(PlanDriftTests.drift, inventory: try DriftTests.inventory(), version: JujuVersion(major: 3, minor: 6))
        #expect(removed.jujuUnits == ["ubuntu/1"])
        #expect(removed.jujuMachines == ["1"])
        #expect(failures.first?.message.hasPrefix("juju remove-machine 2 --force: ") == true)
        #expect(PlanDriftTests.drift.removing(removed).jujuMachines == ["2"])
    }

    @Test("a drift read only in part prunes nothing and says why")
    func unreadPrunesNothing() async throws {
        let runner = FakeJujuRunner()
        let (orchestrator, lxd) = try Self.orchestrator(runner)
        defer { Task { try? await lxd.shutdown() } }
        var drift = PlanDriftTests.drift
        drift.unread = ["juju status: connection refused"]
        let (removed, failures) = await orchestrator.prune(drift, inventory: try DriftTests.inventory(), version: JujuVersion(major: 3, minor: 6))
        #expect(runner.argvs.isEmpty)
        #expect(removed == Drift())
        #expect(failures.map(\.message) == ["nothing pruned: could not read juju status: connection refused"])
    }

    @Test("drift(of:) says plainly that LXD could not be read")
    func lxdUnreadable() async throws {
        let (orchestrator, lxd) = try Self.orchestrator(FakeJujuRunner())
        defer { Task { try? await lxd.shutdown() } }
        let drift = await orchestrator.drift(of: try DriftTests.inventory())
        #expect(drift.unread.count == 1 && drift.unread[0].hasPrefix("LXD instances: "))
        #expect(drift.isEmpty)
    }
}
