import Foundation
import GoldfleetCore
import Testing

/// The storage pool runs out of space while cloning. A btrfs pool on a tiny loop file (made for
/// this test only and always deleted) cannot hold even one copy of the gold, so the clone fails
/// with LXD's "No space left on device", which goldfleet names as a full pool.
@Suite("Fault: storage pool out of space", .serialized)
struct PoolFullFaults {
    @Test("a full pool fails the clone with a disk-full error naming machine and step")
    func poolFull() async throws {
        try await Lab.require()
        let pool = "gft-tiny-" + UUID().uuidString.prefix(6).lowercased()
        // 128 MiB: btrfs accepts it; the gold (~280 MiB) does not fit. A cross-pool copy is a
        // full btrfs send, so the error comes within seconds.
        try await Lab.lxc(["storage", "create", pool, "btrfs", "size=128MiB"])
        do {
            try await Self.cloneIntoFullPool(pool)
            try await Lab.lxc(["storage", "delete", pool])
        } catch {
            _ = try? await Lab.lxc(["storage", "delete", pool], allowFailure: true)
            throw error
        }
        #expect(try await Lab.lxc(["storage", "list", "--format", "csv"]).stdout.contains(pool + ",") == false)
    }

    static func cloneIntoFullPool(_ pool: String) async throws {
        try await TestEnvironment.with(machines: "  web: {count: 1}") { env in
            let text = try String(contentsOfFile: env.inventoryPath, encoding: .utf8)
                .replacingOccurrences(of: "  pool: \(Lab.pool)\n", with: "  pool: \(pool)\n")
            try text.write(toFile: env.inventoryPath, atomically: true, encoding: .utf8)
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let machine = "\(env.name)-web-1"

            let report = try await env.orchestrator(lxd).up(try env.inventory())
            #expect(!report.succeeded)
            let failure = try #require(report.machines.first?.failure)
            #expect(failure.step == "clone")
            #expect(failure.message.hasPrefix("\(machine): cloning failed: "), "\(failure.message)")
            #expect(failure.message.contains("No space left on device"))
            #expect(failure.hint == "the storage pool is full or over quota: check `lxc storage info POOL`, delete unused instances and images, or grow the pool")
            // LXD rolled the failed copy back: nothing half made, nothing in juju.
            #expect(try await Fault.instances(of: env, lxd).map(\.name) == [])
            #expect(try await env.juju().machines().isEmpty)
            try await Fault.downLeavesNothing(env, lxd)
        }
    }
}
