import Foundation
import Testing

/// The real LXD lab that `scripts/lab` sets up. Integration tests FAIL (never skip) when it is
/// missing, with a message that says how to build it.
enum Lab {
    static let cacheDirectory = ProcessInfo.processInfo.environment["GOLDFLEET_CACHE"] ?? "/var/cache/goldfleet"
    static let goldSource = "gold/snap1"
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

    /// Runs the `lxc` client. Test code only: the library talks to LXD's REST API itself.
    @discardableResult
    static func lxc(_ arguments: [String], allowFailure: Bool = false) async throws -> Output {
        let output = try await run("/usr/bin/lxc", arguments)
        if !allowFailure && output.exitCode != 0 {
            throw Unavailable(description: "lxc \(arguments.joined(separator: " ")) failed: \(output.stderr)")
        }
        return output
    }

    static func run(_ executable: String, _ arguments: [String], input: String? = nil) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: executable)
                    process.arguments = arguments
                    let out = Pipe(), err = Pipe(), inp = Pipe()
                    process.standardOutput = out
                    process.standardError = err
                    process.standardInput = input == nil ? FileHandle.nullDevice : inp
                    try process.run()
                    if let input {
                        inp.fileHandleForWriting.write(Data(input.utf8))
                        try? inp.fileHandleForWriting.close()
                    }
                    nonisolated(unsafe) var errData = Data()
                    let group = DispatchGroup()
                    group.enter()
                    DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
                    let outData = out.fileHandleForReading.readDataToEndOfFile()
                    group.wait()
                    process.waitUntilExit()
                    return Output(exitCode: process.terminationStatus,
                                  stdout: String(decoding: outData, as: UTF8.self),
                                  stderr: String(decoding: errData, as: UTF8.self))
                })
            }
        }
    }
}

/// A container cloned from the lab's gold for one test, deleted afterwards.
struct LabContainer: Sendable {
    let name: String
    let ipv4: String

    /// Runs a command inside the container as root (test set-up only, e.g. stopping sshd).
    @discardableResult
    func exec(_ command: String, allowFailure: Bool = false) async throws -> Lab.Output {
        try await Lab.lxc(["exec", name, "--", "sh", "-c", command], allowFailure: allowFailure)
    }

    /// Clones the gold snapshot, starts it and waits for an IPv4 on eth0.
    static func launch(_ prefix: String) async throws -> LabContainer {
        let name = Lab.uniqueName(prefix)
        try await Lab.lxc(["copy", Lab.goldSource, name, "-s", Lab.pool, "-c", "\(Lab.testTagKey)=\(Lab.runID)"])
        try await Lab.lxc(["start", name])
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let state = try await Lab.lxc(["query", "/1.0/instances/\(name)/state"])
            if let address = firstIPv4(inStateJSON: state.stdout) { return LabContainer(name: name, ipv4: address) }
            try await Task.sleep(for: .milliseconds(200))
        }
        _ = try? await Lab.lxc(["delete", "--force", name], allowFailure: true)
        throw Lab.Unavailable(description: "container \(name) got no IPv4 within 60 s")
    }

    func delete() async {
        _ = try? await Lab.lxc(["delete", "--force", name], allowFailure: true)
    }

    private static func firstIPv4(inStateJSON text: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let network = object["network"] as? [String: Any],
              let eth0 = network["eth0"] as? [String: Any],
              let addresses = eth0["addresses"] as? [[String: Any]] else { return nil }
        return addresses.first { $0["family"] as? String == "inet" && $0["scope"] as? String == "global" }?["address"] as? String
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
