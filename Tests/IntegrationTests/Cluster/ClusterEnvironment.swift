import Foundation
import GoldfleetCore

/// `TestEnvironment` for the lab cluster: the inventory reaches LXD over HTTPS with the lab's
/// client certificate and the cluster's pinned certificate, and clones the image alias the
/// cluster has (a cluster has no `gold` container). Always runs `down` and removes its folder.
struct ClusterEnvironment: Sendable {
    let name: String
    let directory: String
    let endpoint: ClusterLab.Endpoint
    var inventoryPath: String { directory + "/inventory.yaml" }
    var wheelhouse: String { directory + "/wheelhouse" }
    var jujuData: String { directory + "/juju" }
    var knownHosts: String { directory + "/juju-known_hosts" }
    var state: StateDirectory { StateDirectory(root: directory + "/state") }

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
        try """
            name: \(name)
            gold: {image: \(ClusterLab.image)}
            lxd:
              url: \(endpoint.url)
              client_cert: \(endpoint.clientCertificate)
              client_key: \(endpoint.clientKey)
              server_cert: \(endpoint.serverCertificate)
              pool: default
              spread: \(spread)
            ssh:
              password: {file: \(Lab.cacheDirectory)/ubuntu.password}
            wheelhouse:
              path: wheelhouse
            machines:
            \(machines)
            juju:
              model: \(name)
            """.write(toFile: inventoryPath, atomically: true, encoding: .utf8)
    }

    func inventory() throws -> Inventory {
        try InventoryLoader.load(contentsOf: inventoryPath)
    }

    func orchestrator(_ lxd: LXDClient, progress: any ProgressSink = SilentProgress()) -> Orchestrator {
        var options = Orchestrator.Options(
            addressTimeout: .seconds(90),
            jujuPublicKeys: JujuClientKeys.publicKeys(home: directory, jujuData: jujuData),
            jujuKnownHosts: knownHosts, jujuSimulated: true)
        options.extraConfig = [Lab.testTagKey: Lab.runID]
        return Orchestrator(
            lxd: lxd, juju: JujuCLI(executable: Lab.product("juju"), model: name, environment: environment),
            state: state, progress: progress, options: options)
    }

    /// Instances of this environment on the cluster, by name, with their member.
    func instances(_ lxd: LXDClient) async throws -> [String: String] {
        let found = try await lxd.instances(matchingConfig: [InstanceTags.environment: name])
        return Dictionary(uniqueKeysWithValues: found.map { ($0.name, $0.location) })
    }

    func tearDown(_ lxd: LXDClient) async {
        _ = try? await orchestrator(lxd).down(environment: name)
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
