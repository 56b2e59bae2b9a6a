import Foundation
import Testing
@testable import Gold
@testable import Inventory
@testable import LXDKit
@testable import Orchestrator

/// goldfleet against the REAL three-member lab cluster (`scripts/lab-cluster up`): placement
/// over members, `status` with members, a member's daemon stopped mid-run, converge after it is
/// back, `down` leaving nothing; and the TLS errors (untrusted client, wrong pinned server).
/// Serialized: the member fault affects every test on the cluster.
@Suite("Cluster", .serialized, .integrationLane)
struct ClusterTests {
    static let machines = """
          web: {count: 3}
          db: {target: c3}
        """
    static let grown = """
          web: {count: 5}
          db: {target: c3}
        """

    @Test("an untrusted client certificate is refused with the exact trust command")
    func untrustedClient() async throws {
        let endpoint = try ClusterLab.endpoint()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gfc-tls-" + UUID().uuidString.prefix(6)).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.makeCertificate(in: directory)
        var remote = endpoint.remote
        remote.clientCertificatePath = directory + "/client.crt"
        remote.clientKeyPath = directory + "/client.key"
        let lxd = try LXDClient(endpoint: .https(remote))
        defer { Task { try? await lxd.shutdown() } }
        do {
            try await lxd.requireTrusted()
            Issue.record("an untrusted certificate was accepted")
        } catch let error as LXDUntrustedClient {
            #expect(error.message.contains(directory + "/client.crt"))
            #expect(error.hint?.contains("lxc config trust add client.crt") == true)
        }
    }

    @Test("a server certificate other than the pinned one is refused before any request")
    func wrongServerCertificate() async throws {
        let endpoint = try ClusterLab.endpoint()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gfc-pin-" + UUID().uuidString.prefix(6)).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.makeCertificate(in: directory)
        var remote = endpoint.remote
        remote.serverCertificatePath = directory + "/client.crt"   // any other certificate
        let lxd = try LXDClient(endpoint: .https(remote))
        defer { Task { try? await lxd.shutdown() } }
        do {
            _ = try await lxd.serverInfo()
            Issue.record("a server with another certificate than the pinned one was trusted")
        } catch let error as LXDError {
            #expect(error.kind == .serverCertificateMismatch)
            #expect(error.message.contains("but the pinned certificate \(directory)/client.crt pins"))
        }
    }

    @Test("the cluster pinned by its fingerprint alone works; a wrong fingerprint is refused")
    func fingerprintPin() async throws {
        let endpoint = try ClusterLab.endpoint()
        // As a user would get it: openssl's `sha256 Fingerprint=AB:CD:…` line, pasted as is.
        let openssl = try await Lab.run("/usr/bin/openssl", ["x509", "-in", endpoint.serverCertificate, "-noout", "-fingerprint", "-sha256"])
        let fingerprint = try #require(LXDCertificateFingerprint(openssl.stdout), "openssl said: \(openssl.stdout) \(openssl.stderr)")
        var remote = endpoint.remote
        remote.serverCertificatePath = nil
        remote.serverFingerprint = fingerprint
        let members = try await LXDClient.withClient(.https(remote)) { lxd in
            try await lxd.requireTrusted()
            return try await lxd.clusterMembers()
        }
        #expect(members.map(\.name).sorted() == ClusterLab.members)

        remote.serverFingerprint = LXDCertificateFingerprint(String(repeating: "f", count: 64))
        do {
            _ = try await LXDClient.withClient(.https(remote)) { try await $0.serverInfo() }
            Issue.record("a cluster with another fingerprint than the pinned one was trusted")
        } catch let error as LXDError {
            #expect(error.kind == .serverCertificateMismatch)
            #expect(error.message.contains("presented a certificate with SHA-256 fingerprint \(fingerprint), but server_fingerprint pins \(String(repeating: "f", count: 64))"))
        }
    }

    @Test("machines spread over members, a member stopped mid-run fails only its machines, converge after, down leaves nothing")
    func placementFaultAndConverge() async throws {
        try await ClusterEnvironment.with(machines: Self.machines) { env, lxd in
            let orchestrator = env.orchestrator(lxd)
            let clock = ContinuousClock()

            // 1. Up from nothing: round-robin over c1, c2, c3 in name order; db is pinned to c3.
            var started = clock.now
            let first = try await orchestrator.up(try env.inventory())
            print("cluster: up of 4 machines took \(clock.now - started)")
            try #require(first.succeeded, "\(first.json())")
            let expected = ["\(env.name)-db-1": "c3", "\(env.name)-web-1": "c1", "\(env.name)-web-2": "c2", "\(env.name)-web-3": "c3"]
            #expect(Dictionary(uniqueKeysWithValues: first.machines.map { ($0.name, $0.member ?? "-") }) == expected)
            #expect(try await env.instances(lxd) == expected)
            #expect(first.machines.allSatisfy { $0.ipv4?.hasPrefix("10.99.0.") == true && $0.jujuMachine != nil })

            // 2. Status names each machine's member and reaches it over SSH.
            let status = try await orchestrator.status(environment: env.name, inventory: try env.inventory())
            #expect(Dictionary(uniqueKeysWithValues: status.machines.map { ($0.name, $0.member ?? "-") }) == expected)
            #expect(status.machines.allSatisfy { $0.state == "Running" && $0.sshReachable && $0.wheelhouseInSync == true })

            // 3. Grow to 6 machines while c2's daemon stops: web-5 (placed on c2) and web-2 (on
            //    c2) fail naming c2; the machines on c1 and c3 finish.
            try env.writeInventory(machines: Self.grown)
            let grown = try env.inventory()
            let faulty = try await ClusterLab.withMemberRestored("c2") { () -> UpReport in
                started = clock.now
                async let stopping = ClusterLab.script("stop-member", "c2")
                let report = try await orchestrator.up(grown)
                _ = try await stopping
                print("cluster: up with c2 stopping took \(clock.now - started)")
                let onC2 = report.machines.filter { $0.member == "c2" }
                let elsewhere = report.machines.filter { $0.member != "c2" }
                #expect(onC2.map(\.name).sorted() == ["\(env.name)-web-2", "\(env.name)-web-5"], "\(report.json())")
                #expect(elsewhere.count == 4)
                #expect(elsewhere.allSatisfy { $0.failure == nil }, "\(report.json())")
                let newOnC2 = try #require(onC2.first { $0.name == "\(env.name)-web-5" })
                let failure = try #require(newOnC2.failure, "web-5 on the stopped member did not fail: \(report.json())")
                #expect(failure.message.contains("member c2 is OFFLINE"), "\(failure.message)")
                #expect(failure.hint?.contains("c2") == true)
                for machine in onC2 {
                    if let failure = machine.failure { #expect(failure.message.contains("c2"), "\(failure.message)") }
                }
                // While c2 is down, a re-run fails its machines at once and leaves the rest alone.
                let whileDown = try await orchestrator.up(grown)
                #expect(whileDown.machines.filter { $0.member == "c2" }.allSatisfy { $0.failure?.message.contains("member c2 is OFFLINE") == true }, "\(whileDown.json())")
                // (web-5 if it was never created on c2 is placed on an ONLINE member instead.)
                #expect(whileDown.machines.filter { $0.member != "c2" }.allSatisfy { $0.failure == nil }, "\(whileDown.json())")
                return report
            }
            #expect(!faulty.succeeded)

            // 4. c2 is back (withMemberRestored waited for ONLINE): a re-run converges everything.
            started = clock.now
            let again = try await orchestrator.up(grown)
            print("cluster: converge after start-member took \(clock.now - started)")
            try #require(again.succeeded, "\(again.json())")
            let placed = try await env.instances(lxd)
            #expect(placed.count == 6)
            #expect(placed["\(env.name)-web-2"] == "c2")
            #expect(placed["\(env.name)-web-4"] == "c1")
            #expect(placed["\(env.name)-db-1"] == "c3")

            // 5. Down removes everything from every member.
            let down = try await orchestrator.down(environment: env.name)
            #expect(down.failures.isEmpty, "\(down.failures)")
            #expect(down.removed.count == 6)
            #expect(try await env.instances(lxd).isEmpty)
            let leftovers = try await lxd.instances(matchingConfig: [Lab.testTagKey: Lab.runID])
                .filter { $0.config[InstanceTags.environment] == env.name }
            #expect(leftovers.isEmpty)
        }
    }

    @Test("a target that is not a member fails only that machine, with the members' names")
    func unknownTarget() async throws {
        try await ClusterEnvironment.with(machines: "  web: {}\n  db: {target: c9}\n") { env, lxd in
            let report = try await env.orchestrator(lxd).up(try env.inventory())
            let db = try #require(report.machines.first { $0.name == "\(env.name)-db-1" })
            #expect(db.failure?.message.contains("target `c9` is not a member of the cluster (members: c1, c2, c3)") == true, "\(report.json())")
            #expect(db.failure?.hint?.contains("lxc cluster list") == true)
            let web = try #require(report.machines.first { $0.name == "\(env.name)-web-1" })
            #expect(web.failure == nil, "\(report.json())")
            #expect(web.member == "c1")
        }
    }

    static func makeCertificate(in directory: String) async throws {
        let output = try await Lab.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", directory + "/client.key", "-out", directory + "/client.crt", "-days", "1", "-subj", "/CN=goldfleet-untrusted",
        ])
        guard output.exitCode == 0 else { throw Lab.Unavailable(description: "openssl failed: \(output.stderr)") }
    }
}
