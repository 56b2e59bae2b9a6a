import Foundation
import Testing
@testable import LXDKit

/// `goldfleet cycle --refresh` (issue 17 item 2, refresh mode) against the Juju double, whose
/// units of a local charm really run their hooks: the edited line runs on the unit, each phase
/// is timed, and a failing hook stops the cycle with the hook's last lines.
@Suite("cycle --refresh runs the edited charm on every unit", .serialized, .integrationLane)
struct CycleRefreshTests {
    @Test("edit MESSAGE, cycle --refresh: the unit ran upgrade-charm with the new line; a failing hook is reported with its output")
    func refreshLoop() async throws {
        let juju = "  applications:\n    sample: {charm: ./sample, to: [web]}"
        try await TestEnvironment.with(machines: "  web: {count: 1}", juju: juju) { env in
            try FileManager.default.copyItem(atPath: JujuDoubleLocalCharmTests.repositoryRoot.appendingPathComponent("charms/sample").path,
                                             toPath: env.directory + "/sample")
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let orchestrator = env.orchestrator(lxd)
            let inventory = try env.inventory()
            #expect(inventory.juju.applications.first?.charm == env.directory + "/sample")
            let up = try await orchestrator.up(inventory)
            try #require(up.succeeded, "\(up.json())")
            let machine = "\(env.name)-web-1"
            #expect(try await Lab.exec(in: machine, "cat /var/lib/sample/message").stdout == "hello from the sample charm, version 1\n")

            try JujuDoubleLocalCharmTests.setMessage("hello from the sample charm, version 2", in: env.directory + "/sample")
            let report = try await orchestrator.cycleRefresh(inventory, applications: [])
            #expect(report.succeeded, "\(report.json())")
            let unit = try #require(report.units.first)
            #expect(report.units.map(\.name) == ["sample/0"])
            #expect(unit.phases.map(\.name) == ["charm uploaded", "upgrade-charm hook", "config-changed hook"])
            #expect(unit.total > 0)
            #expect(try await Lab.exec(in: machine, "cat /var/lib/sample/message").stdout == "hello from the sample charm, version 2\n")

            try JujuDoubleLocalCharmTests.setMessage("broken\"; echo 'about to fail'; exit 1; : \"", in: env.directory + "/sample")
            let failed = try await orchestrator.cycleRefresh(inventory, applications: ["sample"])
            #expect(!failed.succeeded)
            let broken = try #require(failed.units.first)
            #expect(broken.failedHook == "upgrade-charm")
            #expect(broken.lastLines.contains { $0.hasSuffix("DEBUG unit.sample/0.upgrade-charm about to fail") }, "\(broken.lastLines)")
        }
    }
}
