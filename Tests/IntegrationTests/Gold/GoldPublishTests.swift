import Foundation
import Testing
@testable import Gold
@testable import JujuKit
@testable import LXDKit

@Suite("Gold publish and list (real LXD)", .serialized, .integrationLane)
struct GoldPublishTests {
    @Test("publish creates the alias, a re-publish moves it, list shows both images, and a clone from the alias boots")
    func publishAndLaunch() async throws {
        let lxd = try await GoldLab.client()
        try await GoldLab.withCleanup(lxd) { cleanup in
            let gold = Lab.uniqueName("gold")
            cleanup.instance(gold)
            _ = try await GoldLab.build(lxd, try GoldLab.buildOptions(gold))
            let alias = "gft-test/\(UUID().uuidString.lowercased())/amd64"
            cleanup.alias(alias)

            let first = try await GoldPublisher(lxd: lxd).publish(GoldReference(instance: gold, snapshot: "snap1"), alias: alias)
            cleanup.image(first.fingerprint)
            #expect(first.source == "\(gold)/snap1")
            #expect(first.previousFingerprint == nil)
            #expect(try await lxd.imageAlias(alias)?.target == first.fingerprint)
            let image = try #require(try await lxd.images().first { $0.fingerprint == first.fingerprint })
            #expect(image.properties[GoldTags.imageSource] == "\(gold)/snap1")
            #expect(image.properties["release"] == "bookworm")
            #expect(image.properties["architecture"] == "amd64")

            let snap2 = try await GoldSnapshotter.snapshot(lxd: lxd, gold: gold)
            #expect(snap2.snapshot == "snap2")
            // No snapshot named: the newest is published.
            let second = try await GoldPublisher(lxd: lxd).publish(GoldReference(instance: gold), alias: alias)
            cleanup.image(second.fingerprint)
            #expect(second.source == "\(gold)/snap2")
            #expect(try await lxd.imageAlias(alias)?.target == second.fingerprint)
            if second.fingerprint != first.fingerprint {
                #expect(second.previousFingerprint == first.fingerprint)
            }

            let listed = try #require(try await GoldList.golds(lxd: lxd).first { $0.name == gold })
            #expect(listed.builtByGoldfleet)
            #expect(listed.snapshots == ["snap1", "snap2"])
            #expect(listed.images.contains { $0.snapshot == "snap2" && $0.aliases == [alias] })

            let clone = Lab.uniqueName("fromalias")
            cleanup.instance(clone)
            try await lxd.createInstance(LXDCreateInstance(name: clone, source: .image(alias: alias), pool: Lab.pool, config: GoldLab.testConfig))
            try await lxd.start(clone)
            let address = try await lxd.waitForIPv4(clone, timeout: .seconds(60))
            #expect(address.hasPrefix("10.213.73."))
            let id = try await lxd.exec(instance: clone, command: ["cat", "/etc/machine-id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(id.count == 32)
        }
    }

    @Test("the default alias names the gold's series and Juju architecture")
    func defaultAliasFromGold() async throws {
        let lxd = try await GoldLab.client()
        // Reads the lab's gold, never changes it.
        let platform = try await GoldLab.withCleanup(lxd) { _ in try await GoldPublisher.platform(lxd: lxd, instance: "gold") }
        #expect(platform.series == "bookworm")
        #expect(platform.architecture == "amd64")
        #expect(JujuPlatform.defaultAlias(series: platform.series, architecture: platform.architecture) == "juju/bookworm/amd64")
        #expect(platform.version == "12")
        #expect(JujuPlatform.defaultAliases(platform) == ["juju/bookworm/amd64", "juju/debian@12/amd64"])
    }
}
