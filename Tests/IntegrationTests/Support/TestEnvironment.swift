import Foundation
import Testing
@testable import LXDKit

/// A goldfleet environment for one test: its own inventory, wheelhouse, juju double data,
/// known_hosts and state directory in a temporary folder. `TestEnvironment.with` always runs
/// `down` and removes the folder afterwards, also when the test fails.
struct TestEnvironment: TestWorkspace {
    let name: String
    let directory: String
    /// The juju line the double speaks (`GOLDFLEET_DOUBLE_VERSION`); nil: the double's default (3.x).
    var jujuLine: String? = nil

    var environment: [String: String] {
        var variables = [
            "JUJU_DATA": jujuData,
            "JUJU_DOUBLE_KNOWN_HOSTS": knownHosts,
            "GOLDFLEET_STATE": state.root,
            "GOLDFLEET_JUJU": Lab.product("juju"),
            "GOLDFLEET_JUJU_SIMULATED": "1",
            "GOLDFLEET_TEST_RUN": Lab.runID,
        ]
        if let jujuLine { variables["GOLDFLEET_DOUBLE_VERSION"] = jujuLine }
        return variables
    }

    static func with<T: Sendable>(
        machines: String, juju: String = "", jujuLine: String? = nil, _ body: @Sendable (TestEnvironment) async throws -> T
    ) async throws -> T {
        try await Lab.require()
        let name = "gfe-" + UUID().uuidString.prefix(6).lowercased()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        let environment = TestEnvironment(name: name, directory: directory, jujuLine: jujuLine)
        try environment.prepare(machines: machines, juju: juju)
        do {
            let result = try await body(environment)
            try await environment.tearDown()
            return result
        } catch {
            try? await environment.tearDown()
            throw error
        }
    }

    private func prepare(machines: String, juju: String) throws {
        try Self.makeWorkspace(wheelhouse: wheelhouse, wheels: 5, jujuData: jujuData)
        try writeInventory(gold: Lab.goldSource, lxd: "  pool: \(Lab.pool)", machines: machines, juju: juju)
    }

    /// A small wheelhouse (wheels plus a nested file) and juju's client key pair, as
    /// `juju bootstrap` leaves it.
    static func makeWorkspace(wheelhouse: String, wheels: Int, jujuData: String) throws {
        let files = FileManager.default
        try files.createDirectory(atPath: wheelhouse + "/nested", withIntermediateDirectories: true)
        try files.createDirectory(atPath: jujuData + "/ssh", withIntermediateDirectories: true)
        for index in 1...wheels {
            try Data(repeating: UInt8(index), count: index * 10_000).write(to: URL(fileURLWithPath: "\(wheelhouse)/pkg\(index)-1.0-py3-none-any.whl"))
        }
        try Data("nested".utf8).write(to: URL(fileURLWithPath: wheelhouse + "/nested/extra.txt"))
        let keygen = Process()
        keygen.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
        keygen.arguments = ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", jujuData + "/ssh/juju_id_rsa"]
        try keygen.run()
        keygen.waitUntilExit()
    }

    func tearDown() async throws {
        let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
        _ = try? await orchestrator(lxd).down(environment: name, adopt: true)
        try? await lxd.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
