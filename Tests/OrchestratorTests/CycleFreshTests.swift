import Foundation
import TestSupport
import Testing
@testable import GoldfleetSupport
@testable import Inventory
@testable import JujuKit
@testable import Orchestrator

/// The pure parts of `cycle` fresh: which machines it resets, what it refuses (a machine shared
/// with an application not being cycled), the phases it reads from juju's status log, and the
/// texts of its errors.
@Suite("cycle fresh: machines, refusals, phases")
struct CycleFreshTests {
    /// `sample` (local) on both web machines, `other` (local) and `ubuntu` (Charmhub) on `shared`
    /// with nothing of `sample`'s, `sub` a local subordinate.
    static func inventory(sampleTo: String = "[web]") throws -> Inventory {
        let base = try InventoryFixtures.temporaryDirectory()
        for charm in ["sample", "other", "sub"] {
            try FileManager.default.createDirectory(atPath: "\(base)/\(charm)", withIntermediateDirectories: true)
            try "name: \(charm)\n".write(toFile: "\(base)/\(charm)/metadata.yaml", atomically: true, encoding: .utf8)
        }
        return try InventoryLoader.load(yaml: """
            name: dev
            machines:
              web: {count: 2}
              shared: {count: 1, nesting: true}
            juju:
              applications:
                sample: {charm: ./sample, to: \(sampleTo)}
                other: {charm: ./other, to: [shared-1]}
                ubuntu: {charm: ubuntu, to: [lxd:shared-1]}
                sub: {charm: ./sub, num_units: 0}
            """, file: "dev.yaml", baseDirectory: base)
    }

    static func apps(_ inventory: Inventory, _ names: [String]) throws -> [ApplicationSpec] {
        try Orchestrator.localApplications(inventory, named: names)
    }

    @Test("the machines of the named applications' units, each once")
    func machines() throws {
        let inventory = try Self.inventory(sampleTo: "[web, web-1]")
        #expect(try Orchestrator.freshMachines(for: Self.apps(inventory, ["sample"]), in: inventory) == ["dev-web-1", "dev-web-2"])
    }

    @Test("a machine shared with a Charmhub application is refused, naming both, the machine and --refresh")
    func sharedWithCharmhub() throws {
        let inventory = try Self.inventory()
        let error = try #require(throws: OrchestratorError.self) {
            try Orchestrator.freshMachines(for: Self.apps(inventory, ["other"]), in: inventory)
        }
        #expect(error.message == "`other` cannot be cycled fresh: its machine dev-shared-1 also hosts `ubuntu`, which is not being cycled and would be lost with the machine")
        #expect(error.hint == "run `goldfleet cycle dev.yaml other --refresh` to upgrade the running units in place, or give `other` machines of its own in the inventory")
    }

    @Test("a machine shared with another local application: the hint also offers to cycle both")
    func sharedWithLocal() throws {
        let inventory = try Self.inventory(sampleTo: "[web, shared-1]")
        let error = try #require(throws: OrchestratorError.self) {
            try Orchestrator.freshMachines(for: Self.apps(inventory, ["sample"]), in: inventory)
        }
        #expect(error.message.hasPrefix("`sample` cannot be cycled fresh: its machine dev-shared-1 also hosts `other`"))
        #expect(error.hint?.contains("cycle both (`goldfleet cycle dev.yaml sample other`)") == true)
    }

    @Test("a subordinate has no machines of its own: refused with --refresh as the way")
    func subordinate() throws {
        let inventory = try Self.inventory()
        let error = try #require(throws: OrchestratorError.self) {
            try Orchestrator.freshMachines(for: Self.apps(inventory, ["sub"]), in: inventory)
        }
        #expect(error.message.hasPrefix("`sub` has no units of its own"))
        #expect(error.hint == "run `goldfleet cycle dev.yaml sub --refresh` to run the new charm on its existing units")
    }

    @Test("a unit juju shows on a machine about to be reset, of an application not cycled, is refused; subordinates and other machines are not")
    func otherUnitsInJuju() throws {
        let inventory = try Self.inventory()
        let machines = ["0": "dev-web-1", "1": "dev-web-2"]
        let ours = JujuStatus(applications: [
            JujuApplication(name: "sample", units: [JujuUnit(name: "sample/0", machine: "0", subordinates: [JujuUnit(name: "ntp/0")]),
                                                    JujuUnit(name: "sample/1", machine: "1")]),
            JujuApplication(name: "ntp", subordinateTo: ["sample"]),
            JujuApplication(name: "grafana", units: [JujuUnit(name: "grafana/0", machine: "7")]),
        ])
        try Orchestrator.requireNoOtherUnits(ours, onMachines: machines, cycled: ["sample"], inventory: inventory)

        var byHand = ours
        byHand.applications.append(JujuApplication(name: "mine", units: [JujuUnit(name: "mine/0", machine: "1/lxd/0")]))
        let error = try #require(throws: OrchestratorError.self) {
            try Orchestrator.requireNoOtherUnits(byHand, onMachines: machines, cycled: ["sample"], inventory: inventory)
        }
        #expect(error.message == "`sample` cannot be cycled fresh: its machine dev-web-2 also hosts juju's unit mine/0 of `mine`, which is not being cycled and would be lost with the machine")
    }

    @Test("phases: charm uploaded from the deploy to the install hook's start, then install and start only")
    func phases() {
        let log = [
            JujuStatusLogEntry(status: "executing", message: "running install hook", since: "2026-12-02T00:00:01.5Z"),
            JujuStatusLogEntry(status: "executing", message: "running leader-elected hook", since: "2026-12-02T00:00:03Z"),
            JujuStatusLogEntry(status: "executing", message: "running config-changed hook", since: "2026-12-02T00:00:03.25Z"),
            JujuStatusLogEntry(status: "executing", message: "running start hook", since: "2026-12-02T00:00:03.5Z"),
            JujuStatusLogEntry(status: "idle", since: "2026-12-02T00:00:03.75Z"),
        ]
        let deployed = Date(timeIntervalSince1970: 1_796_169_600)  // 2026-12-02T00:00:00Z
        #expect(Orchestrator.freshPhases(log, deployStarted: deployed) == [
            .init(name: "charm uploaded", seconds: 1.5), .init(name: "install hook", seconds: 1.5), .init(name: "start hook", seconds: 0.25),
        ])
        // A machine clock behind goldfleet's never makes a phase negative.
        #expect(Orchestrator.freshPhases(log, deployStarted: deployed.addingTimeInterval(60)).first == .init(name: "charm uploaded", seconds: 0))
        // A failed install: the hook lasts until the error; no start.
        let failed = [log[0], JujuStatusLogEntry(status: "error", message: "hook failed: \"install\"", since: "2026-12-02T00:00:02Z")]
        #expect(Orchestrator.freshPhases(failed, deployStarted: nil) == [.init(name: "install hook", seconds: 0.5)])
    }

    @Test("a converge that failed names the first problem, how many more, and keeps its hint")
    func convergeFailure() throws {
        let inventory = try Self.inventory()
        var report = UpReport(environment: "dev", model: "dev", jujuSimulated: true, machines: [], juju: [], errors: [], seconds: 1)
        report.machines.append(UpReport.Machine(
            name: "dev-web-1", group: "web", ipv4: nil, jujuMachine: nil, member: nil, steps: [:],
            failure: .init(step: "login", message: "dev-web-1: SSH login failed: timed out", hint: "check sshd in the gold"), unchanged: false))
        report.errors.append(.init(step: "deploy sample", message: "1 unit(s) of sample not placed", hint: nil))
        let error = Orchestrator.convergeFailure(report, inventory: inventory)
        #expect(error.message == "cycle could not bring the machines back: dev-web-1: SSH login failed: timed out (and 1 more problem(s))")
        #expect(error.hint == "check sshd in the gold")
    }

    @Test("the timeline: a machine is ready when its record step ended; a deploy began with its note")
    func timeline() {
        let timeline = CycleTimeline(forwardingTo: SilentProgress(), clock: MonotonicClock { .seconds(10) })
        timeline.report(.stepStarted(machine: "dev-web-1", step: .register))
        #expect(timeline.ready("dev-web-1", recordSeconds: nil) == nil)
        timeline.report(.stepStarted(machine: "dev-web-1", step: .record))
        #expect(timeline.ready("dev-web-1", recordSeconds: 0.5) == .milliseconds(10_500))
        timeline.report(.note("juju deploy /c/sample sample2 --to 0"))
        #expect(timeline.noteDate(prefix: "juju deploy /c/sample sample") == nil)
        timeline.report(.note("juju deploy /c/sample sample --to 0,1"))
        #expect(timeline.noteDate(prefix: "juju deploy /c/sample sample") != nil)
    }
}
