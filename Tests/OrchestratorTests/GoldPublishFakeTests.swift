import Foundation
import Testing
@testable import Gold
@testable import LXDKit

/// `gold publish` through the seam, against the in-memory LXD: what it asks of LXD and in which
/// order, without a daemon (the real publish is in the integration lane).
@Suite("gold publish through LXDOperations")
struct GoldPublishFakeTests {
    static func lxdWithGold() async throws -> FakeLXD {
        let lxd = FakeLXD()
        await lxd.put(FakeLXD.Instance(name: "gold", files: [
            "/etc/os-release": .file(Array("ID=ubuntu\nVERSION_ID=\"24.04\"\nVERSION_CODENAME=noble\n".utf8)),
        ]))
        try await lxd.takeSnapshot(of: "gold", as: "snap1")
        try await lxd.takeSnapshot(of: "gold", as: "snap2")
        return lxd
    }

    @Test("the newest snapshot is published and both juju aliases point at it; a second publish moves them")
    func aliasesFollowTheNewestImage() async throws {
        let lxd = try await Self.lxdWithGold()
        let first = try await GoldPublisher(lxd: lxd).publish(GoldReference(instance: "gold"))
        #expect(first.source == "gold/snap2")
        #expect(first.aliases == ["juju/noble/amd64", "juju/ubuntu@24.04/amd64"])
        #expect(first.previousFingerprint == nil)
        for alias in first.aliases { #expect(try await lxd.imageAlias(alias)?.target == first.fingerprint) }

        let second = try await GoldPublisher(lxd: lxd).publish(GoldReference(instance: "gold", snapshot: "snap1"))
        #expect(second.previousFingerprint == first.fingerprint)
        for alias in second.aliases { #expect(try await lxd.imageAlias(alias)?.target == second.fingerprint) }
        #expect(try await lxd.images().first { $0.fingerprint == second.fingerprint }?.properties[GoldTags.imageSource] == "gold/snap1")
    }

    @Test("a snapshot that does not exist is refused before anything is published")
    func missingSnapshot() async throws {
        let lxd = try await Self.lxdWithGold()
        await #expect(throws: GoldError.self) {
            try await GoldPublisher(lxd: lxd).publish(GoldReference(instance: "gold", snapshot: "snap9"))
        }
        #expect(try await lxd.images().isEmpty)
    }
}
