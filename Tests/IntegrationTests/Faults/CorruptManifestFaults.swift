import Foundation
import Testing
@testable import LXDKit

/// Garbage in a machine's remote wheelhouse manifest: the next sync trusts nothing it says,
/// resyncs that machine fully and writes a good manifest again.
@Suite("Fault: corrupted remote wheelhouse manifest", .serialized, .integrationLane)
struct CorruptManifestFaults {
    /// `sha256sum` of every file under the remote wheelhouse, manifest excluded, by relative path.
    static func remoteDigests(_ instance: String) async throws -> [String: String] {
        let output = try await Fault.exec(instance, "cd ~ubuntu/wheelhouse && find . -type f ! -name .goldfleet-manifest.json -exec sha256sum {} + | sort -k2")
        return Dictionary(uniqueKeysWithValues: output.stdout.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            return (String(parts[1]).trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "./", with: ""), String(parts[0]))
        })
    }

    static func localDigests(_ env: TestEnvironment) async throws -> [String: String] {
        let output = try await Lab.run("/bin/sh", ["-c", "cd '\(env.wheelhouse)' && find . -type f -exec sha256sum {} + | sort -k2"])
        return Dictionary(uniqueKeysWithValues: output.stdout.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            return (String(parts[1]).trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "./", with: ""), String(parts[0]))
        })
    }

    @Test("a garbage manifest and a same-size damaged file are repaired by the next up")
    func garbageManifestResyncs() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 2}") { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let orchestrator = env.orchestrator(lxd)
            let first = try await orchestrator.up(try env.inventory())
            try #require(first.succeeded, "\(first.json())")
            let damaged = "\(env.name)-web-1"

            // Garbage manifest; a file whose content changed but not its size or name, which a
            // manifest-trusting sync would keep.
            try await Fault.exec(damaged, "cd ~ubuntu/wheelhouse && printf '{not json' > .goldfleet-manifest.json && printf 'XXXX' | dd of=pkg3-1.0-py3-none-any.whl bs=1 seek=100 conv=notrunc 2>/dev/null")
            #expect(try await Self.remoteDigests(damaged) != (try await Self.localDigests(env)))
            // A local change, so `up` syncs again instead of only checking.
            try Data("changed".utf8).write(to: URL(fileURLWithPath: env.wheelhouse + "/nested/extra.txt"))

            let rerun = try await orchestrator.up(try env.inventory())
            #expect(rerun.succeeded, "\(rerun.json())")
            #expect(rerun.machines.allSatisfy { $0.steps["wheelhouse"] != nil && !$0.unchanged })
            let local = try await Self.localDigests(env)
            for machine in rerun.machines {
                let remote = try await Self.remoteDigests(machine.name)
                #expect(remote == local, "\(machine.name): remote \(remote), local \(local)")
            }
            let manifest = try await Fault.exec(damaged, "cat ~ubuntu/wheelhouse/.goldfleet-manifest.json")
            #expect((try? JSONSerialization.jsonObject(with: Data(manifest.stdout.utf8))) != nil)
            // The juju machines are the ones registered the first time.
            #expect(rerun.machines.map(\.jujuMachine) == first.machines.map(\.jujuMachine))
            try await Fault.downLeavesNothing(env, lxd)
        }
    }
}
