import Foundation
import Testing
@testable import Gold
@testable import GoldfleetSupport
@testable import LXDKit
@testable import Orchestrator

/// The `goldfleet` binary as a user runs it: exit codes, messages, Ctrl-C.
@Suite("goldfleet command line", .serialized, .integrationLane)
struct CommandLineTests {
    static func goldfleet(_ arguments: [String], environment: [String: String] = [:]) async throws -> Lab.Output {
        try await Lab.run("/usr/bin/env", environment.map { "\($0)=\($1)" } + [Lab.product("goldfleet")] + arguments)
    }

    @Test("--version and --help answer")
    func versionAndHelp() async throws {
        let version = try await Self.goldfleet(["--version"])
        #expect(version.exitCode == 0)
        #expect(version.stdout == GoldfleetVersion.current + "\n")
        let help = try await Self.goldfleet(["--help"])
        #expect(help.exitCode == 0)
        for command in ["validate", "plan", "up", "status", "list", "reset", "down", "export", "import-bundle", "gold"] {
            #expect(help.stdout.contains("  \(command) "), "help lists \(command)")
        }
    }

    @Test("a bad inventory is refused before anything is touched, with file:line and a fix")
    func badInventory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gf-bad-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/bad.yaml"
        try "name: bad\nmachines:\n  web: {count: 0}\nwheelhous: x\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await Self.goldfleet(["up", path])
        #expect(result.exitCode != 0)
        #expect(result.stderr.contains("bad.yaml:3:"))
        #expect(result.stderr.contains("did you mean `wheelhouse`?"))
        #expect(try await Lab.lxc(["list", "bad-", "-c", "n", "--format", "csv"]).stdout.isEmpty)
    }

    @Test("a missing password says where it was looked for, never a value")
    func missingPassword() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 1}") { env in
            let text = try String(contentsOfFile: env.inventoryPath, encoding: .utf8)
                .replacingOccurrences(of: "password: {file: \(Lab.cacheDirectory)/ubuntu.password}", with: "password: {env: GF_TEST_NO_SUCH_VAR}")
            try text.write(toFile: env.inventoryPath, atomically: true, encoding: .utf8)
            let result = try await Self.goldfleet(["up", env.inventoryPath], environment: env.environment)
            #expect(result.exitCode == 1)
            // The one error shape: `error: MESSAGE`, then `hint: FIX`, never ArgumentParser's `Error:`.
            let lines = result.stderr.split(separator: "\n").map(String.init)
            #expect(lines.contains("error: no SSH password: environment variable GF_TEST_NO_SUCH_VAR is not set"), "\(result.stderr)")
            #expect(lines.contains { $0.hasPrefix("hint: export GF_TEST_NO_SUCH_VAR=") }, "\(result.stderr)")
            #expect(!result.stderr.contains("Error:"), "\(result.stderr)")
        }
    }

    @Test("Ctrl-C mid-up leaves only tagged instances, and a re-run converges")
    func interruptThenConverge() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 3}") { env in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Lab.product("goldfleet"))
            process.arguments = ["up", env.inventoryPath]
            process.environment = ProcessInfo.processInfo.environment.merging(env.environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            try await Task.sleep(for: .milliseconds(1500))
            process.interrupt()
            while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
            #expect(process.terminationStatus != 0)

            // Whatever exists carries goldfleet's tags.
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let all = try await lxd.instances(matchingConfig: [:]).filter { $0.name.hasPrefix(env.name + "-") }
            #expect(all.allSatisfy { InstanceTags.isManaged($0.config) && $0.config[InstanceTags.environment] == env.name })

            let rerun = try await Self.goldfleet(["up", env.inventoryPath, "--json"], environment: env.environment)
            #expect(rerun.exitCode == 0, "\(rerun.stdout)\n\(rerun.stderr)")
            let report = try JSONDecoder().decode(UpReport.self, from: Data(rerun.stdout.utf8))
            #expect(report.succeeded && report.machines.count == 3)
        }
    }
}
