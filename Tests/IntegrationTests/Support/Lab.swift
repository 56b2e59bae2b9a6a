import Foundation
import Testing
@testable import Gold
@testable import GoldfleetSupport
@testable import LXDKit

/// The real LXD lab that `scripts/lab` sets up. Integration tests FAIL (never skip) when it is
/// missing, with a message that says how to build it.
enum Lab {
    /// The integration lane runs when asked: `scripts/test` (and so CI) sets
    /// `GOLDFLEET_INTEGRATION=1`, and then a missing lab fails every test. A plain `swift test`
    /// on a laptop without LXD runs the unit lane alone.
    static let laneRequested = ProcessInfo.processInfo.environment["GOLDFLEET_INTEGRATION"] == "1"

    static let cacheDirectory = ProcessInfo.processInfo.environment["GOLDFLEET_CACHE"] ?? "/var/cache/goldfleet"
    static let goldSource = "gold/snap1"
    static let goldSourceParts = ("gold", "snap1")
    static let pool = ProcessInfo.processInfo.environment["GOLDFLEET_POOL"] ?? "default"
    /// Config key put on every test container so a sweep can find leftovers.
    static let testTagKey = "user.goldfleet.test"
    /// This test run's id (set by `scripts/test`), the tag's value: the sweep after a run deletes
    /// only that run's containers, never another run's or anything else on the host.
    static let runID = ProcessInfo.processInfo.environment["GOLDFLEET_TEST_RUN"] ?? "manual"

    static let socket = ProcessInfo.processInfo.environment["LXD_SOCKET"] ?? "/var/lib/lxd/unix.socket"

    /// A product built next to the test bundle (`goldfleet`, the Juju double `juju`).
    static func product(_ name: String) -> String {
        let candidates = [
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ].map { $0.appendingPathComponent(name).path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// The `ubuntu` user's password in the lab's gold, from `GOLDFLEET_PASSWORD` or the lab's file.
    static func password() throws -> String {
        if let value = ProcessInfo.processInfo.environment["GOLDFLEET_PASSWORD"], !value.isEmpty { return value }
        let path = "\(cacheDirectory)/ubuntu.password"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Unavailable(description: "the lab password file \(path) is missing — run `scripts/lab` (as root) first")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Checks that the daemon answers and the gold snapshot exists.
    static func require() async throws {
        let info = try await lxc(["query", "/1.0/instances/gold/snapshots/snap1"], allowFailure: true)
        guard info.exitCode == 0 else {
            throw Unavailable(description: """
                the LXD lab is not ready (\(info.stderr.trimmingCharacters(in: .whitespacesAndNewlines))). \
                Integration tests need a real LXD daemon with the gold snapshot \(goldSource): \
                run `scripts/lab` as root, or the README's test command which runs it for you.
                """)
        }
    }

    /// A unique, valid LXD instance name for one test.
    static func uniqueName(_ prefix: String) -> String {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        return "gft-\(prefix)-\(suffix)"
    }

    struct Output { var exitCode: Int32; var stdout: String; var stderr: String }

    /// Runs a shell command inside an instance as root, through LXD's REST exec (no websocket,
    /// so it cannot hang the way `lxc exec` has been seen to on a loaded machine).
    @discardableResult
    static func exec(in instance: String, _ command: String, allowFailure: Bool = false) async throws -> Output {
        let result = try await LXDClient.withClient(.unixSocket(path: socket)) {
            try await $0.exec(instance: instance, command: ["sh", "-c", command])
        }
        let output = Output(exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr)
        if !allowFailure && output.exitCode != 0 {
            throw Unavailable(description: "`\(command)` in \(instance) failed (\(output.exitCode)): \(output.stderr)")
        }
        return output
    }

    /// Runs the `lxc` client. Test code only: the library talks to LXD's REST API itself.
    @discardableResult
    static func lxc(_ arguments: [String], allowFailure: Bool = false) async throws -> Output {
        // `lxc exec` has been seen to hang for many minutes on a loaded machine: bound every call.
        let output = try await run("/usr/bin/timeout", ["-s", "KILL", "180", "/usr/bin/lxc"] + arguments)
        if !allowFailure && output.exitCode != 0 {
            throw Unavailable(description: "lxc \(arguments.joined(separator: " ")) failed: \(output.stderr)")
        }
        return output
    }

    static func run(_ executable: String, _ arguments: [String], input: String? = nil) async throws -> Output {
        let result = try await SystemProcessRunner().run(
            Command(executable, arguments, standardInput: input.map { Array($0.utf8) }))
        return Output(exitCode: result.exitCode, stdout: result.standardOutput, stderr: result.standardError)
    }
}

/// A container cloned from the lab's gold for one test, deleted afterwards.
struct LabContainer: Sendable {
    let name: String
    let ipv4: String

    /// Runs a command inside the container as root (test set-up only, e.g. stopping sshd),
    /// through LXD's REST exec (no websocket, so it cannot hang like `lxc exec` under load).
    @discardableResult
    func exec(_ command: String, allowFailure: Bool = false) async throws -> Lab.Output {
        try await Lab.exec(in: name, command, allowFailure: allowFailure)
    }

    /// Clones the gold snapshot, starts it and waits for an IPv4 on eth0.
    static func launch(_ prefix: String) async throws -> LabContainer {
        let name = Lab.uniqueName(prefix)
        return try await LXDClient.withClient(.unixSocket(path: Lab.socket)) { lxd in
            let (instance, snapshot) = Lab.goldSourceParts
            try await lxd.createInstance(LXDCreateInstance(
                name: name, source: .copy(instance: instance, snapshot: snapshot), pool: Lab.pool,
                // LXD copies the gold's config; a test clone is not a gold.
                config: [Lab.testTagKey: Lab.runID, GoldTags.gold: "false"]))
            do {
                try await lxd.start(name)
                return LabContainer(name: name, ipv4: try await lxd.waitForIPv4(name, timeout: .seconds(90)))
            } catch {
                try? await lxd.stop(name, force: true)
                try? await lxd.delete(name)
                throw error
            }
        }
    }

    func delete() async {
        _ = try? await Lab.lxc(["delete", "--force", name], allowFailure: true)
    }
}

/// Clones `count` containers from the gold for the body and always deletes them, also on failure.
func withLabContainers<T: Sendable>(
    _ prefix: String, count: Int = 1,
    _ body: @Sendable ([LabContainer]) async throws -> T
) async throws -> T {
    try await Lab.require()
    var containers: [LabContainer] = []
    do {
        try await withThrowingTaskGroup(of: LabContainer.self) { group in
            for _ in 0..<count { group.addTask { try await LabContainer.launch(prefix) } }
            for try await container in group { containers.append(container) }
        }
        let result = try await body(containers)
        for container in containers { await container.delete() }
        return result
    } catch {
        for container in containers { await container.delete() }
        throw error
    }
}

extension Trait where Self == ConditionTrait {
    /// On every integration suite: see `Lab.laneRequested`.
    static var integrationLane: Self {
        .enabled(if: Lab.laneRequested, "the integration lane (real LXD, sshd, the Juju double) runs under scripts/test, which sets GOLDFLEET_INTEGRATION=1")
    }
}
