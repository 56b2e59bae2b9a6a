import Foundation
import Testing
@testable import GoldfleetSupport
@testable import LXDKit

@Suite("Decoding recorded LXD answers")
struct LXDDecodingTests {
    @Test("server info: version, extensions, drivers, name, not clustered")
    func serverInfo() throws {
        let info = try #require(try LXDFixture.metadata(LXDServerInfo.self, "server-info"))
        #expect(info.apiVersion == "1.0")
        #expect(info.auth == "trusted")
        #expect(info.serverName == "vm")
        #expect(info.serverVersion == "5.0.2")
        #expect(info.clustered == false)
        #expect(info.storageDrivers == ["dir", "btrfs"])
        #expect(info.supports("container_exec_recording"))
        #expect(info.supports("image_compression_algorithm"))
        #expect(info.addresses == ["127.0.0.1:8443"])
    }

    @Test("instance list with recursion=1, filtered on goldfleet's config keys")
    func instanceList() throws {
        let all = try #require(try LXDFixture.metadata([LXDInstance].self, "instances-recursion1"))
        #expect(all.map(\.name).sorted() == ["gft-lxd-rec1", "gold"])
        let tagged = all.filter { $0.matches(config: ["user.goldfleet.env": "rec"]) }
        #expect(tagged.map(\.name) == ["gft-lxd-rec1"])
        #expect(all.filter { $0.matches(config: ["user.goldfleet.env": "other"]) }.isEmpty)
        #expect(all.filter { $0.matches(config: [:]) }.count == 2)
    }

    @Test("one instance: config, profiles, root pool")
    func instance() throws {
        let instance = try #require(try LXDFixture.metadata(LXDInstance.self, "instance"))
        #expect(instance.name == "gft-lxd-rec1")
        #expect(instance.config["user.goldfleet.test"] == "true")
        #expect(instance.profiles == ["default"])
        #expect(instance.rootPool == "default")
        #expect(instance.type == "container")
        #expect(instance.location == "none")
    }

    @Test("state of a running instance has a global IPv4 on eth0")
    func runningState() throws {
        let state = try #require(try LXDFixture.metadata(LXDInstanceState.self, "instance-state-running"))
        #expect(state.status == "Running")
        #expect(state.statusCode == 103)
        #expect(state.globalIPv4(nic: "eth0") == "10.213.73.113")
        #expect(state.globalIPv4(nic: "lo") == nil)
        #expect(state.network["eth0"]?.addresses.contains { $0.family == "inet6" && $0.scope == "link" } == true)
    }

    @Test("a booting instance has only a link-local IPv6, and the summary says so")
    func startingState() throws {
        let state = try #require(try LXDFixture.metadata(LXDInstanceState.self, "instance-state-starting"))
        #expect(state.globalIPv4(nic: "eth0") == nil)
        #expect(state.summary.contains("eth0: inet6 fe80::"))
        #expect(state.summary.contains("(link)"))
    }

    @Test("a stopped instance has network null, decoded as no NICs")
    func stoppedState() throws {
        let state = try #require(try LXDFixture.metadata(LXDInstanceState.self, "instance-state-stopped"))
        #expect(state.status == "Stopped")
        #expect(state.network.isEmpty)
        #expect(state.summary == "Stopped")
    }

    @Test("a create answers with an async operation to wait on")
    func asyncCreate() throws {
        let envelope = try LXDClient.decode(LXDOperation<LXDIgnored>.self, status: 202, body: LXDFixture.bytes("create-op"),
                                            action: "testing", endpoint: LXDFixture.endpoint)
        #expect(envelope.type == "async")
        #expect(envelope.operation == "/1.0/operations/d2787cc3-7b0a-46f0-8676-3a8a8c7d0654")
        #expect(envelope.metadata?.isFinished == false)
    }

    @Test("a finished, successful operation is no failure")
    func successfulOperation() throws {
        let operation = try #require(try LXDFixture.metadata(LXDOperation<LXDIgnored>.self, "op-wait-success"))
        #expect(operation.succeeded)
        #expect(operation.failure(action: "testing", endpoint: LXDFixture.endpoint) == nil)
    }

    @Test("exec with record-output: exit code and log paths")
    func execMetadata() throws {
        let operation = try #require(try LXDFixture.metadata(LXDOperation<LXDExecOperationMetadata>.self, "exec-op-wait"))
        #expect(operation.metadata?.return == 3)
        #expect(operation.metadata?.output?["1"]?.hasSuffix(".stdout") == true)
        #expect(operation.metadata?.output?["2"]?.hasSuffix(".stderr") == true)
    }

    @Test("exec of a missing command fails the operation but still has exit code 127")
    func execMissingCommand() throws {
        let operation = try #require(try LXDFixture.metadata(LXDOperation<LXDExecOperationMetadata>.self, "exec-op-wait-missing-command"))
        #expect(!operation.succeeded)
        #expect(operation.metadata?.return == 127)
        #expect(operation.err == "Command not found")
    }

    @Test("publish returns the image fingerprint")
    func publish() throws {
        struct Published: Decodable, Sendable { var fingerprint: String }
        let operation = try #require(try LXDFixture.metadata(LXDOperation<Published>.self, "publish-op-wait"))
        #expect(operation.metadata?.fingerprint == "b710592a40041cc1f0dd3131921d826e36828cfd0c0ded0c43abe4e3b5c68e5e")
    }

    @Test("image alias")
    func imageAlias() throws {
        let alias = try #require(try LXDFixture.metadata(LXDImageAlias.self, "image-alias"))
        #expect(alias.name == "gft-lxd-rec/alias")
        #expect(alias.target.count == 64)
        #expect(alias.type == "container")
    }

    @Test("storage pools: driver, and space from /resources")
    func storagePools() throws {
        let btrfs = try #require(try LXDFixture.metadata(LXDStoragePoolRecord.self, "storage-pool-btrfs"))
        let dir = try #require(try LXDFixture.metadata(LXDStoragePoolRecord.self, "storage-pool-dir"))
        let resources = try #require(try LXDFixture.metadata(LXDStoragePoolResources.self, "storage-pool-resources"))
        #expect(btrfs.driver == "btrfs")
        #expect(dir.driver == "dir")
        let pool = LXDStoragePool(name: btrfs.name, driver: btrfs.driver, status: btrfs.status ?? "", space: resources.space)
        #expect(pool.isCopyOnWrite)
        #expect(pool.space?.total == 32_212_254_720)
        #expect(pool.space?.used == 360_243_200)
        #expect(pool.space?.free == 32_212_254_720 - 360_243_200)
    }

    @Test("a standalone daemon reports clustering off")
    func clusterOff() throws {
        let cluster = try #require(try LXDFixture.metadata(LXDClusterRecord.self, "cluster-standalone"))
        #expect(cluster.enabled == false)
    }

    @Test("cluster members decode (shape from LXD's API spec: server_name, url, status)")
    func clusterMembers() throws {
        let json = """
            [{"server_name":"c1","url":"https://10.99.0.11:8443","database":true,"status":"Online","message":"Fully operational",
              "architecture":"x86_64","failure_domain":"default","description":"","config":{},"groups":["default"],"roles":["database"]},
             {"server_name":"c2","url":"https://10.99.0.12:8443","database":false,"status":"Offline","message":"No heartbeat",
              "architecture":"x86_64","failure_domain":"default","description":"","config":{},"groups":["default"],"roles":[]}]
            """
        let members = try JSONDecoder().decode([LXDClusterMember].self, from: Data(json.utf8))
        #expect(members.map(\.name) == ["c1", "c2"])
        #expect(members.map(\.isOnline) == [true, false])
        #expect(members[1].url == "https://10.99.0.12:8443")
    }

    @Test("snapshot list gives URLs; patch gives an empty sync answer")
    func snapshotsAndPatch() throws {
        let urls = try #require(try LXDFixture.metadata([String].self, "snapshots"))
        #expect(urls == ["/1.0/instances/gft-lxd-rec1/snapshots/s1"])
        let patch = try LXDClient.decode(LXDIgnored.self, status: 200, body: LXDFixture.bytes("patch"), action: "t", endpoint: "e")
        #expect(patch.type == "sync")
    }
}
