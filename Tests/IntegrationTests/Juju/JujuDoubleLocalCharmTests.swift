import Foundation
import Testing

/// The double makes a LOCAL charm's hooks really run on the units' machines (issue 17 item 3):
/// the charm copied where juju's uniter puts it, the hooks run as root in juju's order with
/// juju's hook environment, `status` showing what they did, `refresh --path` running
/// upgrade-charm, `juju exec` running in the unit's hook environment.
@Suite("Juju double runs local charms' hooks on real containers", .serialized, .integrationLane)
struct JujuDoubleLocalCharmTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A copy of charms/sample with one real wheel (`gftdemo`, built now) in its wheelhouse.
    static func sampleCharmCopy() async throws -> String {
        let directory = NSTemporaryDirectory() + "gft-sample-" + UUID().uuidString.prefix(8)
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("charms/sample").path, toPath: directory)
        let wheels = try await GoldLab.makeWheelhouse()
        defer { try? FileManager.default.removeItem(atPath: wheels) }
        for wheel in try FileManager.default.contentsOfDirectory(atPath: wheels) {
            try FileManager.default.copyItem(atPath: "\(wheels)/\(wheel)", toPath: "\(directory)/wheelhouse/\(wheel)")
        }
        return directory
    }

    /// Sets the MESSAGE line of the copy's install hook, as a developer's edit would.
    static func setMessage(_ message: String, in charm: String) throws {
        let path = charm + "/hooks/install"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let edited = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("MESSAGE=") ? "MESSAGE=\"\(message)\"" : String($0) }.joined(separator: "\n")
        // In place, as an editor saves: the hook stays executable.
        try edited.write(toFile: path, atomically: false, encoding: .utf8)
    }

    static func ranHooks(_ container: LabContainer, unit: String) async throws -> [String] {
        let log = try await JujuDoubleHarness.exec(
            container, "grep -o 'ran \"[a-z-]*\" hook' /var/log/juju/unit-\(unit.replacingOccurrences(of: "/", with: "-")).log")
        return log.stdout.split(separator: "\n").map { $0.split(separator: "\"")[1] }.map(String.init)
    }

    @Test("the sample charm: install (its wheelhouse pip-installed for root), config-changed, start; exec; refresh runs upgrade-charm")
    func sampleCharm() async throws {
        let harness = try await JujuDoubleHarness.make(line: "3.x")
        defer { harness.cleanup() }
        let charm = try await Self.sampleCharmCopy()
        defer { try? FileManager.default.removeItem(atPath: charm) }
        try await withLabContainers("loop", count: 1) { containers in
            let container = containers[0]
            let (juju, machine) = try await harness.registered(container)
            try await juju.deploy(charm: charm, application: "sample", to: [machine])

            let message = try await JujuDoubleHarness.exec(container, "cat /var/lib/sample/message")
            #expect(message.stdout == "hello from the sample charm, version 1\n")
            let wheel = try await JujuDoubleHarness.exec(container, "python3 -c 'import gftdemo; print(gftdemo.VALUE)'")
            #expect(wheel.stdout == "42\n", "the charm's wheelhouse was not installed for root: \(wheel.stderr)")
            let deployed = try await JujuDoubleHarness.exec(container, "cat /var/lib/juju/agents/unit-sample-0/charm/.juju-charm")
            #expect(deployed.stdout == "local:sample-0\n")
            // juju's order; the sample has no leader-elected hook, so that one is skipped as missing.
            #expect(try await Self.ranHooks(container, unit: "sample/0") == ["install", "config-changed", "start"])

            let status = try await juju.status()
            let unit = try #require(status.application("sample")?.units.first)
            #expect(unit.agentStatus?.current == "idle")
            #expect(unit.workloadStatus?.current == "unknown")

            // juju exec: root, the unit's hook environment, in the charm directory.
            let exec = try await harness.run(["exec", "-m", "gf", "--unit", "sample/0", "--",
                                              "echo $(id -u) $JUJU_UNIT_NAME $JUJU_MODEL_NAME $JUJU_CHARM_DIR $PWD ${JUJU_DISPATCH_PATH-unset}"])
            #expect(exec.exitCode == 0, "\(exec.standardError)")
            let charmDirectory = "/var/lib/juju/agents/unit-sample-0/charm"
            #expect(exec.standardOutput == "0 sample/0 gf \(charmDirectory) \(charmDirectory) unset\n")
            let failing = try await harness.run(["exec", "-m", "gf", "--unit", "sample/0", "--", "echo out; echo err >&2; exit 3"])
            #expect(failing.exitCode == 1)
            #expect(failing.standardOutput == "out\nerr\n")
            #expect(failing.standardError.hasPrefix("ERROR the following task failed:\n - id \""))
            #expect(failing.standardError.contains("\" with return code 3\n\nuse 'juju show-task' to inspect the failure"))

            // The developer edits one line and refreshes: upgrade-charm, then config-changed.
            try Self.setMessage("hello from the sample charm, version 2", in: charm)
            let refresh = try await harness.run(["refresh", "-m", "gf", "sample", "--path", charm])
            #expect(refresh.exitCode == 0, "\(refresh.standardError)")
            #expect(refresh.standardError == "Added local charm \"sample\", revision 1, to the model\n")
            let edited = try await JujuDoubleHarness.exec(container, "cat /var/lib/sample/message")
            #expect(edited.stdout == "hello from the sample charm, version 2\n")
            #expect(try await Self.ranHooks(container, unit: "sample/0")
                    == ["install", "config-changed", "start", "upgrade-charm", "config-changed"])
            #expect(try await juju.status().application("sample")?.units.first?.agentStatus?.current == "idle")
        }
    }

    @Test("a dispatch charm whose install exits 1: error `hook failed: \"install\"` in status, nothing after it; 2.9's `run`")
    func failingDispatchCharm() async throws {
        let harness = try await JujuDoubleHarness.make(line: "2.9")
        defer { harness.cleanup() }
        let charm = NSTemporaryDirectory() + "gft-broken-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: charm, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: charm) }
        try "name: broken\nsummary: fails its install hook\ndescription: test charm\nseries: [jammy]\n"
            .write(toFile: charm + "/metadata.yaml", atomically: true, encoding: .utf8)
        try """
            #!/bin/sh
            echo "$JUJU_DISPATCH_PATH $JUJU_HOOK_NAME $JUJU_UNIT_NAME" >> /var/lib/dispatched
            if [ "$JUJU_DISPATCH_PATH" = hooks/install ]; then echo "install failed on purpose" >&2; exit 1; fi

            """.write(toFile: charm + "/dispatch", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: charm + "/dispatch")

        try await withLabContainers("loop", count: 1) { containers in
            let container = containers[0]
            let (juju, machine) = try await harness.registered(container)
            try await juju.deploy(charm: charm, application: "broken", to: [machine])

            let dispatched = try await JujuDoubleHarness.exec(container, "cat /var/lib/dispatched")
            #expect(dispatched.stdout == "hooks/install install broken/0\n")
            let unit = try #require(try await juju.status().application("broken")?.units.first)
            #expect(unit.workloadStatus?.current == "error")
            #expect(unit.workloadStatus?.message == "hook failed: \"install\"")
            #expect(unit.agentStatus?.current == "idle")
            let log = try await JujuDoubleHarness.exec(container, "cat /var/log/juju/unit-broken-0.log")
            #expect(log.stdout.contains("install failed on purpose"))
            #expect(log.stdout.contains("hook \"install\" (via hook dispatching script: dispatch) failed: exit status 1"))

            // 2.9's `juju run` passes the command's exit code through.
            let run = try await harness.run(["run", "-m", "gf", "--unit", "broken/0", "--", "echo $JUJU_UNIT_NAME; exit 4"])
            #expect(run.exitCode == 4)
            #expect(run.standardOutput == "broken/0\n")
        }
    }
}
