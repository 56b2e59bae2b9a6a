import Foundation
@testable import Gold
@testable import GoldfleetSupport
@testable import LXDKit
@testable import Orchestrator

/// `TestEnvironment` for the lab cluster: the inventory reaches LXD over HTTPS with the lab's
/// client certificate and the cluster's pinned certificate, and clones the image alias the
/// cluster has (a cluster has no `gold` container). Always runs `down` and removes its folder.
struct ClusterEnvironment: TestWorkspace {
    let name: String
    let directory: String
    let endpoint: ClusterLab.Endpoint

    var environment: [String: String] {
        ["JUJU_DATA": jujuData, "JUJU_DOUBLE_KNOWN_HOSTS": knownHosts, "GOLDFLEET_TEST_RUN": Lab.runID]
    }

    static func with<T: Sendable>(
        machines: String, spread: String = "round-robin", _ body: @Sendable (ClusterEnvironment, LXDClient) async throws -> T
    ) async throws -> T {
        let (endpoint, lxd) = try await ClusterLab.require()
        let name = "gfc-" + UUID().uuidString.prefix(6).lowercased()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        let environment = ClusterEnvironment(name: name, directory: directory, endpoint: endpoint)
        do {
            try environment.prepare()
            try environment.writeInventory(machines: machines, spread: spread)
            let result = try await body(environment, lxd)
            await environment.tearDown(lxd)
            return result
        } catch {
            await environment.tearDown(lxd)
            throw error
        }
    }

    private func prepare() throws {
        try TestEnvironment.makeWorkspace(wheelhouse: wheelhouse, wheels: 3, jujuData: jujuData)
    }

    /// (Re)writes the inventory; the machines section is YAML indented by two spaces.
    func writeInventory(machines: String, spread: String = "round-robin") throws {
        try writeInventory(gold: "{image: \(ClusterLab.image)}", lxd: """
              url: \(endpoint.url)
              client_cert: \(endpoint.clientCertificate)
              client_key: \(endpoint.clientKey)
              server_cert: \(endpoint.serverCertificate)
              pool: default
              spread: \(spread)
            """, machines: machines)
    }

    func orchestrator(_ lxd: LXDClient, progress: any ProgressSink = SilentProgress()) -> Orchestrator {
        orchestrator(lxd, addressTimeout: .seconds(90), progress: progress)
    }

    /// Instances of this environment on the cluster, by name, with their member.
    func instances(_ lxd: LXDClient) async throws -> [String: String] {
        let found = try await lxd.instances(matchingConfig: [InstanceTags.environment: name])
        return Dictionary(uniqueKeysWithValues: found.map { ($0.name, $0.location) })
    }

    func tearDown(_ lxd: LXDClient) async {
        _ = try? await orchestrator(lxd).down(environment: name, adopt: true)
        // Anything a failed `down` left (e.g. on a member that was offline) goes too.
        if let left = try? await lxd.instances(matchingConfig: [InstanceTags.environment: name]) {
            for instance in left {
                try? await lxd.stop(instance.name, force: true)
                try? await lxd.delete(instance.name)
            }
        }
        try? await lxd.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
