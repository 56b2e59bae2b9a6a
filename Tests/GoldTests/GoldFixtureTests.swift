import Foundation
import TestSupport
import Testing
@testable import Gold
@testable import LXDKit

/// Answers recorded from the lab's LXD 5.0.2 daemon (`curl --unix-socket … lxd/1.0/…`) after
/// `goldfleet gold build` and `goldfleet gold publish`.
@Suite("Decoding what the gold commands read from LXD")
struct GoldFixtureTests {
    static func metadata<M: Decodable & Sendable>(_ type: M.Type, _ name: String) throws -> M? {
        let url = InventoryFixtures.url("gold/\(name).json")
        return try LXDClient.decode(M.self, status: 200, body: Array(Data(contentsOf: url)), action: "testing", endpoint: "test").metadata
    }

    @Test("the image list gives fingerprints, aliases and properties; published golds are found by goldfleet.source")
    func images() throws {
        let images = try #require(try Self.metadata([LXDImageSummary].self, "images-recursion1"))
        #expect(images.count == 2)
        #expect(images.contains { $0.aliases.map(\.name) == ["goldfleet/base/bookworm"] })
        let published = GoldList.publishedImages(of: "gft-gold-fx31681", in: images)
        #expect(published.count == 1)
        #expect(published.first?.snapshot == "snap1")
        #expect(published.first?.aliases == ["gft-test/fx29841/amd64"])
        let image = try #require(images.first { $0.fingerprint == published.first?.fingerprint })
        #expect(image.properties["release"] == "bookworm")
        #expect(image.properties["architecture"] == "amd64")
        #expect(image.architecture == "x86_64")
    }

    @Test("a directory listing of a built gold's /etc/ssh has no host keys")
    func directory() throws {
        let names = try #require(try Self.metadata([String].self, "files-directory"))
        #expect(names.contains("sshd_config.d"))
        #expect(!names.contains { $0.hasPrefix("ssh_host_") })
    }

    @Test("an image alias names its target fingerprint")
    func alias() throws {
        let alias = try #require(try Self.metadata(LXDImageAlias.self, "image-alias"))
        #expect(alias.name == "gft-test/fx29841/amd64")
        #expect(alias.target.count == 64)
    }
}
