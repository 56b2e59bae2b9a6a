import Foundation
@testable import GoldfleetSupport
@testable import JujuKit
@testable import LXDKit
@testable import Orchestrator

/// `TestEnvironment` on the private solo daemon: the inventory names its socket and clones its
/// gold image. Always runs `down` (after starting the daemon again if a test left it stopped)
/// and removes its folder.
struct SoloEnvironment: TestWorkspace {
    let name: String
    let directory: String
    let endpoint: SoloLab.Endpoint

    var environment: [String: String] {
        ["JUJU_DATA": jujuData, "JUJU_DOUBLE_KNOWN_HOSTS": knownHosts, "GOLDFLEET_TEST_RUN": Lab.runID]
    }

    static func with<T: Sendable>(machines: String, _ body: @Sendable (SoloEnvironment) async throws -> T) async throws -> T {
        let endpoint = try await SoloLab.require()
        let name = "gfs-" + UUID().uuidString.prefix(6).lowercased()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        let environment = SoloEnvironment(name: name, directory: directory, endpoint: endpoint)
        do {
            try TestEnvironment.makeWorkspace(wheelhouse: environment.wheelhouse, wheels: 3, jujuData: environment.jujuData)
            try environment.writeInventory(machines: machines)
            let result = try await body(environment)
            await environment.tearDown()
            return result
        } catch {
            await environment.tearDown()
            throw error
        }
    }

    private func writeInventory(machines: String) throws {
        try writeInventory(gold: "{image: \(endpoint.image)}", lxd: "  socket: \(endpoint.socket)\n  pool: \(endpoint.pool)", machines: machines)
    }

    func client(retryPolicy: LXDRetryPolicy = .standard) throws -> LXDClient {
        try LXDClient(endpoint: .unixSocket(path: endpoint.socket), retryPolicy: retryPolicy)
    }

    func orchestrator(_ lxd: LXDClient, progress: any ProgressSink = SilentProgress()) -> Orchestrator {
        orchestrator(lxd, addressTimeout: .seconds(60), progress: progress)
    }

    /// Every instance on the solo daemon whose name belongs to this environment, tagged or not.
    func instances(_ lxd: LXDClient) async throws -> [LXDInstance] {
        try await lxd.instances(matchingConfig: [:]).filter { $0.name.hasPrefix(name + "-") }
    }

    /// The ids of the machines in the environment's juju model; none when the model was never made.
    func jujuMachineIDs() async throws -> [String] {
        do {
            return try await juju().machines().map(\.id)
        } catch let error as JujuError where error.reason == .notFound {
            return []
        }
    }

    func tearDown() async {
        _ = await SoloLab.scriptInBackground("start").value
        if let lxd = try? client() {
            _ = try? await orchestrator(lxd).down(environment: name, adopt: true)
            for instance in (try? await instances(lxd)) ?? [] {
                try? await lxd.stop(instance.name, force: true)
                try? await lxd.delete(instance.name)
            }
            try? await lxd.shutdown()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
