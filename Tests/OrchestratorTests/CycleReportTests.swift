import Foundation
import Testing
@testable import JujuKit
@testable import Orchestrator

/// How `cycle` reads juju's answers: hook times from `show-status-log`, a failed hook from `status`.
@Suite("cycle reads juju's status")
struct CycleReportTests {
    @Test("each `running X hook` lasts until the next entry, from the latest upgrade-charm on")
    func hookPhases() {
        let log = [
            JujuStatusLogEntry(status: "executing", message: "running start hook", since: "2026-12-02T00:00:01.5Z"),
            JujuStatusLogEntry(status: "idle", since: "2026-12-02T00:00:02Z"),
            JujuStatusLogEntry(status: "executing", message: "running upgrade-charm hook", since: "2026-12-02T00:01:00.250000000Z"),
            JujuStatusLogEntry(status: "executing", message: "running config-changed hook", since: "2026-12-02T00:01:01.75Z"),
            JujuStatusLogEntry(status: "idle", since: "2026-12-02T00:01:02Z"),
        ]
        #expect(Orchestrator.hookPhases(log, from: "upgrade-charm")
                == [.init(name: "upgrade-charm hook", seconds: 1.5), .init(name: "config-changed hook", seconds: 0.25)])
    }

    @Test("a unit in error names the failed hook; a unit upgrading or executing is not done")
    func unitStates() {
        let error = JujuUnit(name: "a/0", workloadStatus: .init(current: "error", message: "hook failed: \"upgrade-charm\""),
                             agentStatus: .init(current: "idle"))
        #expect(Orchestrator.failedHook(error) == "upgrade-charm")
        #expect(Orchestrator.ranNewCharm(error))
        var upgrading = JujuUnit(name: "a/1", workloadStatus: .init(current: "unknown"), agentStatus: .init(current: "idle"))
        upgrading.upgradingFrom = "local:sample-0"
        #expect(!Orchestrator.ranNewCharm(upgrading))
        let executing = JujuUnit(name: "a/2", workloadStatus: .init(current: "unknown"), agentStatus: .init(current: "executing"))
        #expect(!Orchestrator.ranNewCharm(executing))
        #expect(Orchestrator.ranNewCharm(JujuUnit(name: "a/3", workloadStatus: .init(current: "unknown"), agentStatus: .init(current: "idle"))))
    }
}
