import Foundation
import Testing
@testable import LXDKit
@testable import Orchestrator

/// A storage pool without room for the machines. A btrfs pool on a tiny loop file (made for this
/// test only and always deleted) cannot hold even one copy of the gold: `up` refuses before
/// cloning anything, naming the pool, its free space and what the machines need. (LXD's own
/// "No space left on device" mid-copy is mapped to a disk-full error, tested in the LXD suite.)
@Suite("Fault: storage pool out of space", .serialized, .integrationLane)
struct PoolFullFaults {
    @Test("a pool without room is refused before anything is cloned, naming pool and space")
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

            let error = await #expect(throws: OrchestratorError.self) {
                _ = try await env.orchestrator(lxd).up(try env.inventory())
            }
            let message = try #require(error?.message)
            #expect(message.hasPrefix("`\(env.name)` cannot be brought up on this host:\n  - storage pool `\(pool)` has "), "\(message)")
            #expect(message.contains(" MiB free; 1 new machine(s) need about 1024 MiB — free space in the pool or grow it (`lxc storage set \(pool) size=…`)"), "\(message)")
            #expect(error?.hint == "nothing was created; fix the problems above and run `goldfleet up` again")
            _ = machine
            // Nothing made, nothing in juju.
            #expect(try await Fault.instances(of: env, lxd).map(\.name) == [])
            try await Fault.downLeavesNothing(env, lxd)
        }
    }
}
