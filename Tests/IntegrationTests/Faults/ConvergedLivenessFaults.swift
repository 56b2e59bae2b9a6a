import Foundation
import Testing
@testable import GoldfleetSupport
@testable import LXDKit
@testable import Orchestrator

/// A converged environment in which one machine lost sshd and another its wheelhouse, behind
/// goldfleet's back. A re-run must prove every machine alive before it says "unchanged": the
/// one without sshd fails at the SSH step, the one without a wheelhouse is synced again, the
/// untouched one stays unchanged.
@Suite("Fault: a converged machine broken behind goldfleet's back", .serialized, .integrationLane)
struct ConvergedLivenessFaults {
    @Test("sshd stopped: failed at login; wheelhouse deleted: re-synced; the rest unchanged")
    func brokenConvergedMachinesAreNotOK() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 3}") { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let first = try await env.orchestrator(lxd).up(try env.inventory())
            try #require(first.succeeded, "\(first.json())")
            let (emptied, noSSH, untouched) = ("\(env.name)-web-1", "\(env.name)-web-2", "\(env.name)-web-3")

            // The gold runs systemd with sshd as a plain service (no socket activation), so this
            // closes port 22.
            try await Fault.exec(noSSH, "systemctl stop ssh.service && ! systemctl is-active --quiet ssh.socket")
            try await Fault.exec(emptied, "rm -rf ~ubuntu/wheelhouse")
            let untouchedBefore = try #require(try await lxd.instance(named: untouched)).config
            // status sees both: no banner from sshd, the wheelhouse gone.
            let shown = try await env.orchestrator(lxd).status(environment: env.name, inventory: try env.inventory())
            let rows = Dictionary(uniqueKeysWithValues: shown.machines.map { ($0.name, $0) })
            #expect(rows[noSSH]?.sshReachable == false && rows[noSSH]?.wheelhouseInSync == true)
            #expect(rows[emptied]?.sshReachable == true && rows[emptied]?.wheelhouseInSync == false)
            #expect(rows[untouched]?.sshReachable == true && rows[untouched]?.wheelhouseInSync == true)

            // The default SSH deadline (60 s, for booting machines): a converged machine whose
            // sshd is silent gets the short grace instead.
            let progress = RecordingProgress()
            let rerun = try await env.orchestrator(lxd, progress: progress).up(try env.inventory())
            #expect(!rerun.succeeded)
            let byName = Dictionary(uniqueKeysWithValues: rerun.machines.map { ($0.name, $0) })

            let failed = try #require(byName[noSSH])
            #expect(!failed.unchanged)
            #expect(failed.failure?.step == "login", "\(rerun.json())")
            #expect(failed.failure?.message.hasPrefix("\(noSSH): SSH login failed:") == true, "\(failed.failure?.message ?? "")")
            let waited = failed.failure?.message.firstMatch(of: /within ([0-9.]+) s/).flatMap { Double($0.1) }
            #expect(waited.map { $0 < Orchestrator.silentSSHGrace.seconds + 20 } == true, "\(failed.failure?.message ?? "")")
            // Its juju machine is still its own, and the report (which `down` reads) says so.
            #expect(failed.jujuMachine != nil && failed.jujuMachine == first.machines.first { $0.name == noSSH }?.jujuMachine)
            #expect(progress.events.contains { if case .note(let text) = $0 { text.hasPrefix("\(noSSH) was converged, but sshd does not answer") } else { false } })

            let resynced = try #require(byName[emptied])
            #expect(resynced.failure == nil && !resynced.unchanged, "\(rerun.json())")
            #expect(resynced.steps["wheelhouse"] != nil)
            #expect(resynced.jujuMachine == first.machines.first { $0.name == emptied }?.jujuMachine)
            #expect(try await CorruptManifestFaults.remoteDigests(emptied) == (try await CorruptManifestFaults.localDigests(env)))

            let ok = try #require(byName[untouched])
            #expect(ok.failure == nil && ok.unchanged && ok.steps["login"] == nil && ok.steps["wheelhouse"] == nil, "\(rerun.json())")
            #expect(try #require(try await lxd.instance(named: untouched)).config == untouchedBefore)

            // sshd back: the next run finds all three alive and unchanged.
            try await Fault.exec(noSSH, "systemctl start ssh.service")
            let healed = try await env.orchestrator(lxd).up(try env.inventory())
            #expect(healed.succeeded, "\(healed.json())")
            #expect(healed.machines.allSatisfy { $0.unchanged }, "\(healed.json())")
            #expect(Set(try await env.juju().machines().map(\.id)) == Set(first.machines.compactMap(\.jujuMachine)))
            try await Fault.downLeavesNothing(env, lxd)
        }
    }
}
