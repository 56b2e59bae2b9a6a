import Foundation
import Testing
@testable import LXDKit

/// juju's ssh (OpenSSH, with Debian's `HashKnownHosts yes` and the default `UpdateHostKeys`)
/// learns every host key type of a machine, hashed, into the known_hosts goldfleet shares with
/// it. After `down`, a new clone that gets the same address must not meet those stale lines
/// ("REMOTE HOST IDENTIFICATION HAS CHANGED"), and a line the user added for the address stays.
@Suite("Fault: a new machine on an address juju's ssh knew", .serialized, .integrationLane)
struct ReusedAddressFaults {
    @Test("up, OpenSSH login with UpdateHostKeys, down, a new clone on the same address: add-machine succeeds")
    func reusedAddress() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 1}") { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            // A fixed address for both clones: a profile whose NIC asks LXD's DHCP for it.
            let profile = "gfr-\(env.name)"
            let address = try await Self.freeAddress()
            try await Lab.lxc(["profile", "create", profile])
            do {
                try await Lab.lxc(["profile", "device", "add", profile, "eth0", "nic", "network=lxdbr0", "name=eth0", "ipv4.address=\(address)"])
                try env.writeInventory(gold: Lab.goldSource, lxd: "  pool: \(Lab.pool)\n  profiles: [default, \(profile)]",
                                       machines: "  web: {count: 1}")
                try await Self.run(env, lxd, address: address)
                _ = try? await env.orchestrator(lxd).down(environment: env.name)
                try await Lab.lxc(["profile", "delete", profile])
            } catch {
                _ = try? await env.orchestrator(lxd).down(environment: env.name)
                _ = try? await Lab.lxc(["profile", "delete", profile], allowFailure: true)
                throw error
            }
        }
    }

    private static func run(_ env: TestEnvironment, _ lxd: LXDClient, address: String) async throws {
        let first = try await env.orchestrator(lxd).up(try env.inventory())
        try #require(first.succeeded, "\(first.json())")
        let machine = try #require(first.machines.first)
        try #require(machine.ipv4 == address, "the profile's address was not used: \(first.json())")

        // juju's ssh logs in: OpenSSH adds the key types goldfleet did not pin, hashed.
        let login = try await openSSH(env, address)
        #expect(login.exitCode == 0, "\(login.stderr)")
        let learnt = try String(contentsOfFile: env.knownHosts, encoding: .utf8)
        #expect(learnt.split(separator: "\n").contains { $0.hasPrefix("|1|") }, "UpdateHostKeys added nothing:\n\(learnt)")

        // The user's own line for that address (another machine's key) is not goldfleet's to remove.
        let keyPath = env.directory + "/other-host-key"
        _ = try await Lab.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", keyPath])
        let userLine = "\(address) " + (try String(contentsOfFile: keyPath + ".pub", encoding: .utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try (learnt + userLine + "\n").write(toFile: env.knownHosts, atomically: true, encoding: .utf8)

        let down = try await env.orchestrator(lxd).down(environment: env.name)
        #expect(down.failures.isEmpty, "\(down.failures)")
        let left = try String(contentsOfFile: env.knownHosts, encoding: .utf8)
        #expect(left == userLine + "\n", "left after down:\n\(left)")

        // A new clone gets the same address; juju's ssh (the double runs real OpenSSH with
        // StrictHostKeyChecking=yes against that file) must accept it.
        let second = try await env.orchestrator(lxd).up(try env.inventory())
        #expect(second.succeeded, "\(second.json())")
        let reborn = try #require(second.machines.first)
        #expect(reborn.ipv4 == address)
        #expect(reborn.jujuMachine != nil)
        #expect(try await env.juju().machines().count == 1)
        let again = try await openSSH(env, address)
        #expect(again.exitCode == 0, "\(again.stderr)")
        #expect(!again.stderr.contains("REMOTE HOST IDENTIFICATION HAS CHANGED"))
    }

    /// OpenSSH as juju's ssh runs on Debian/Ubuntu: juju's key, strict checking against the
    /// shared known_hosts, `UpdateHostKeys` and `HashKnownHosts` on.
    static func openSSH(_ env: TestEnvironment, _ address: String) async throws -> Lab.Output {
        try await Lab.run("/usr/bin/ssh", [
            "-i", env.jujuData + "/ssh/juju_id_rsa",
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=\(env.knownHosts)", "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "UpdateHostKeys=yes", "-o", "HashKnownHosts=yes", "-o", "ConnectTimeout=10",
            "-T", "ubuntu@\(address)", "true",
        ])
    }

    /// An address on the lab bridge that no lease or instance holds.
    static func freeAddress() async throws -> String {
        let leases = try await Lab.lxc(["network", "list-leases", "lxdbr0", "--format", "csv"]).stdout
        let instances = try await Lab.lxc(["list", "--format", "csv", "-c", "4"]).stdout
        let used = leases + instances
        let bridge = try await Lab.lxc(["network", "get", "lxdbr0", "ipv4.address"]).stdout  // e.g. 10.213.73.1/24
        let prefix = bridge.split(separator: "/")[0].split(separator: ".").prefix(3).joined(separator: ".")
        for _ in 0..<50 {
            let candidate = "\(prefix).\(Int.random(in: 200...250))"
            if !used.contains(candidate + ",") && !used.contains(candidate + " ") && !used.contains(candidate + "\n") { return candidate }
        }
        throw Lab.Unavailable(description: "no free address in \(prefix).200-250")
    }
}
