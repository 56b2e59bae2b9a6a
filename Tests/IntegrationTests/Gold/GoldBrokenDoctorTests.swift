import Foundation
import Testing
@testable import Gold
@testable import JujuKit
@testable import LXDKit

@Suite("Gold doctor on golds broken on purpose (real LXD)", .serialized, .integrationLane)
struct GoldBrokenDoctorTests {
    /// One way to break a clone of a good gold, and the check that must catch it.
    struct Breakage: Sendable, CustomStringConvertible {
        var description: String
        var failingCheck: String
        var messageFragment: String
        var apply: @Sendable (LXDClient, String) async throws -> Void
    }

    static let breakages: [Breakage] = [
        Breakage(description: "machine-id kept", failingCheck: "machine-id", messageFragment: "every clone would share it") { lxd, name in
            try await lxd.writeFile(instance: name, path: "/etc/machine-id", contents: Array("0123456789abcdef0123456789abcdef\n".utf8),
                                    mode: 0o444, uid: 0, gid: 0)
        },
        Breakage(description: "password login off", failingCheck: "password login", messageFragment: "refuses password") { lxd, name in
            try await lxd.writeFile(instance: name, path: GoldFiles.sshdDropInPath,
                                    contents: Array("PasswordAuthentication no\nKbdInteractiveAuthentication no\n".utf8), mode: 0o644, uid: 0, gid: 0)
        },
        Breakage(description: "juju agent present", failingCheck: "juju agent", messageFragment: "jujud-machine-0.service") { lxd, name in
            try await lxd.writeFile(instance: name, path: "/etc/systemd/system/jujud-machine-0.service",
                                    contents: Array("[Unit]\nDescription=juju agent for machine-0\n[Service]\nExecStart=/bin/true\n".utf8),
                                    mode: 0o644, uid: 0, gid: 0)
        },
        Breakage(description: "host keys baked in", failingCheck: "ssh host keys", messageFragment: "baked in") { lxd, name in
            // Boot once: the first-boot unit makes keys, and a plain stop keeps them on disk.
            try await lxd.start(name)
            let keys = try await lxd.exec(instance: name, command: [
                "sh", "-c", "for i in $(seq 1 150); do ls /etc/ssh/ssh_host_*_key >/dev/null 2>&1 && exit 0; sleep 0.2; done; exit 1",
            ])
            guard keys.exitCode == 0 else { throw Lab.Unavailable(description: "no host keys within 30 s of boot: \(keys.stderr)") }
            try await lxd.stop(name, force: false)
        },
    ]

    @Test("doctor fails each broken gold with the right check and a fix")
    func brokenGolds() async throws {
        let lxd = try await GoldLab.client()
        try await GoldLab.withCleanup(lxd) { cleanup in
            let good = Lab.uniqueName("gold")
            cleanup.instance(good)
            _ = try await GoldLab.build(lxd, try GoldLab.buildOptions(good))
            for (index, breakage) in Self.breakages.enumerated() {
                let broken = Lab.uniqueName("broken")
                cleanup.instance(broken)
                try await GoldLab.copy(lxd, from: good, snapshot: "snap1", to: broken)
                try await breakage.apply(lxd, broken)
                // Half of them through a snapshot, half as the stopped instance itself.
                let reference: GoldReference
                if index % 2 == 0 {
                    let snapshot = try await GoldSnapshotter.snapshot(lxd: lxd, gold: broken).snapshot
                    reference = GoldReference(instance: broken, snapshot: snapshot)
                } else {
                    reference = GoldReference(instance: broken)
                }
                let report = try await GoldDoctor(lxd: lxd, options: GoldLab.doctorOptions()).examine(reference)
                #expect(!report.passed, "\(breakage): \(report.rendered())")
                let check = report.check(breakage.failingCheck)
                #expect(check?.status == .failed, "\(breakage): \(report.rendered())")
                #expect(check?.detail.contains(breakage.messageFragment) == true, "\(breakage): \(check?.detail ?? "no check")")
                #expect(check?.fix?.isEmpty == false)
                #expect(report.rendered().contains("FAIL  \(breakage.failingCheck)"))
                if let temporary = report.temporaryInstance {
                    #expect(try await lxd.instance(named: temporary) == nil, "doctor clones are always deleted")
                }
            }
        }
    }

    @Test("quick checks read a stopped gold's machine-id and host keys without booting it")
    func quickChecks() async throws {
        let lxd = try await GoldLab.client()
        try await GoldLab.withCleanup(lxd) { cleanup in
            let good = Lab.uniqueName("gold")
            cleanup.instance(good)
            _ = try await GoldLab.build(lxd, try GoldLab.buildOptions(good))
            #expect(try await GoldDoctor.quickChecks(lxd: lxd, gold: good).allSatisfy { $0.status == .passed })
            try await lxd.writeFile(instance: good, path: "/etc/ssh/ssh_host_rsa_key", contents: Array("not a key\n".utf8), mode: 0o600, uid: 0, gid: 0)
            let checks = try await GoldDoctor.quickChecks(lxd: lxd, gold: good)
            #expect(checks.first { $0.name == "ssh host keys" }?.status == .failed)
            #expect(checks.first { $0.name == "machine-id" }?.status == .passed)
            #expect(try await lxd.instance(named: good)?.status == "Stopped")
        }
    }

    @Test("build refuses an image that carries a juju machine agent, and removes the half-built instance")
    func buildRefusesJujuImage() async throws {
        let lxd = try await GoldLab.client()
        try await GoldLab.withCleanup(lxd) { cleanup in
            let good = Lab.uniqueName("gold")
            cleanup.instance(good)
            _ = try await GoldLab.build(lxd, try GoldLab.buildOptions(good))
            let used = Lab.uniqueName("jujuused")
            cleanup.instance(used)
            try await GoldLab.copy(lxd, from: good, snapshot: "snap1", to: used)
            try await Self.breakages[2].apply(lxd, used)
            try await lxd.createSnapshot(instance: used, name: "snap1")
            let alias = "gft-test/\(UUID().uuidString.lowercased())/amd64"
            cleanup.alias(alias)
            let image = try await GoldPublisher(lxd: lxd).publish(GoldReference(instance: used, snapshot: "snap1"), alias: alias)
            cleanup.image(image.fingerprint)

            let name = Lab.uniqueName("gold")
            cleanup.instance(name)
            var options = try GoldLab.buildOptions(name)
            options.baseImage = alias
            let refused = await #expect(throws: GoldError.self) { try await GoldLab.build(lxd, options) }
            #expect(refused?.message.contains("juju machine agent") == true, "\(refused?.message ?? "")")
            #expect(refused?.message.contains("jujud-machine-0.service") == true)
            #expect(try await lxd.instance(named: name) == nil, "the half-built instance is removed")
        }
    }
}
