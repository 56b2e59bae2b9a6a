import Foundation
import Testing
@testable import JujuKit
@testable import LXDKit

/// `goldfleet cycle --sync` and `--watch` (issue 17 item 6) against the Juju double, whose units
/// of a local charm really run: the changed files land in every unit's root-owned charm
/// directory, the hook fired through `juju exec` runs the new line, a failing hook shows its
/// output and fails the command, and the watcher syncs a save until Ctrl-C.
@Suite("cycle --sync and --watch push the edit to every unit and run a hook", .serialized, .integrationLane)
struct CycleSyncTests {
    static let twoUnits = "  applications:\n    sample: {charm: ./sample, to: [web]}"

    static func copySample(to env: TestEnvironment) throws {
        try FileManager.default.copyItem(atPath: JujuDoubleLocalCharmTests.repositoryRoot.appendingPathComponent("charms/sample").path,
                                         toPath: env.directory + "/sample")
    }

    static func message(_ instance: String) async throws -> String {
        try await Lab.exec(in: instance, "cat /var/lib/sample/message").stdout
    }

    @Test("2 units: the edited hook line runs on both, only changed files travel, root owns them; a failing hook fails the command with its output")
    func syncLoop() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 2}", juju: Self.twoUnits) { env in
            try Self.copySample(to: env)
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let orchestrator = env.orchestrator(lxd)
            let inventory = try env.inventory()
            let up = try await orchestrator.up(inventory)
            try #require(up.succeeded, "\(up.json())")
            let machines = ["\(env.name)-web-1", "\(env.name)-web-2"]
            let sample = env.directory + "/sample"

            let sessions = try orchestrator.machineSessions(for: inventory)
            try JujuDoubleLocalCharmTests.setMessage("hello from the sample charm, version 2", in: sample)
            let first = try await orchestrator.cycleSync(inventory, applications: [], sessions: sessions)
            #expect(first.succeeded, "\(first.json())")
            #expect(first.units.map(\.name) == ["sample/0", "sample/1"])
            #expect(Set(first.units.compactMap(\.machine)) == Set(machines))
            for unit in first.units {
                #expect(unit.exitCode == 0)
                #expect(unit.fullCopy, "the first sync has no record of an earlier one")
                #expect(unit.output.contains("sample: \(unit.name) installed 0 wheel(s), wrote: hello from the sample charm, version 2"), "\(unit.output)")
            }
            for machine in machines {
                #expect(try await Self.message(machine) == "hello from the sample charm, version 2\n")
            }

            // The next edit: one file travels and is copied; a file deleted locally goes too.
            try JujuDoubleLocalCharmTests.setMessage("hello from the sample charm, version 3", in: sample)
            try FileManager.default.removeItem(atPath: sample + "/wheelhouse/README.md")
            let second = try await orchestrator.cycleSync(inventory, applications: ["sample"], sessions: sessions)
            #expect(second.succeeded, "\(second.json())")
            for unit in second.units {
                #expect(!unit.fullCopy)
                #expect(unit.uploaded == 1 && unit.copied == 1 && unit.removed == 1, "\(unit)")
            }
            for (index, machine) in machines.enumerated() {
                #expect(try await Self.message(machine) == "hello from the sample charm, version 3\n")
                let charm = "/var/lib/juju/agents/unit-sample-\(index)/charm"
                #expect(try await Lab.exec(in: machine, "stat -c '%U %a' \(charm)/hooks/install").stdout == "root 755\n")
                #expect(try await Lab.exec(in: machine, "test -e \(charm)/wheelhouse/README.md", allowFailure: true).exitCode == 1)
                #expect(try await Lab.exec(in: machine, "cat \(charm)/hooks/install").stdout
                        == (try String(contentsOfFile: sample + "/hooks/install", encoding: .utf8)))
            }

            // juju exec runs in the juju-exec action's context, as juju's uniter does.
            let exec = try await env.juju().exec(unit: "sample/1", commands: "echo $(id -u) $JUJU_ACTION_NAME $JUJU_ACTION_TAG ${JUJU_CONTEXT_ID%-*} $PWD",
                                                 version: JujuVersion(major: 3, minor: 6))
            let words = exec.output.split(separator: " ").map(String.init)
            #expect(words.count == 5 && words[0] == "0" && words[1] == "juju-exec" && words[2].hasPrefix("action-")
                    && words[3] == "sample/1-juju-exec" && words[4] == "/var/lib/juju/agents/unit-sample-1/charm\n", "\(exec.output)")

            // A hook that fails: the command shows its output and exits non-zero.
            await sessions.closeAll()
            try JujuDoubleLocalCharmTests.setMessage("broken\"; echo 'about to fail'; exit 1; : \"", in: sample)
            let failed = try await CommandLineTests.goldfleet(["cycle", env.inventoryPath, "--sync"], environment: env.environment)
            #expect(failed.exitCode == 1, "\(failed.stdout)\n\(failed.stderr)")
            for unit in ["sample/0", "sample/1"] {
                #expect(failed.stdout.contains("\(unit): hook \"upgrade-charm\" failed with exit 1; its output:\n  about to fail"), "\(failed.stdout)")
            }
        }
    }

    @Test("--watch: a save is synced and run on the unit, one line per run; Ctrl-C ends it with exit 0")
    func watch() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 1}", juju: Self.twoUnits) { env in
            try Self.copySample(to: env)
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let up = try await env.orchestrator(lxd).up(try env.inventory())
            try #require(up.succeeded, "\(up.json())")

            let watcher = try WatchedProcess(Lab.product("goldfleet"), ["cycle", env.inventoryPath, "--watch"],
                                             environment: ProcessInfo.processInfo.environment.merging(env.environment) { $1 })
            defer { watcher.terminate() }
            try await watcher.waitForOutput(containing: "watching ")
            try JujuDoubleLocalCharmTests.setMessage("hello from the sample charm, watched", in: env.directory + "/sample")
            try await watcher.waitForOutput(containing: "install changed → upgrade-charm: ok on 1 unit")
            #expect(try await Self.message("\(env.name)-web-1") == "hello from the sample charm, watched\n")

            watcher.interrupt()
            let status = try await watcher.waitForExit()
            #expect(status == 0, "\(watcher.output)")
            #expect(watcher.output.components(separatedBy: "changed → ").count == 2, "one run per save: \(watcher.output)")
        }
    }
}

/// A program run in the background whose output is read while it runs.
final class WatchedProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var text = ""

    init(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.text += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    var output: String { lock.withLock { text } }

    func waitForOutput(containing needle: String, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !output.contains(needle) {
            guard ContinuousClock.now < deadline, process.isRunning else {
                throw Lab.Unavailable(description: "waited for `\(needle)`; the output so far:\n\(output)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    func interrupt() { process.interrupt() }

    func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw Lab.Unavailable(description: "still running after SIGINT:\n\(output)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        return process.terminationStatus
    }

    func terminate() {
        if process.isRunning { process.terminate() }
    }
}
