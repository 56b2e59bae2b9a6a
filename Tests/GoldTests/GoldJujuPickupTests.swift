import Testing
@testable import Gold
@testable import JujuKit

/// `gold list` and `gold doctor` say which juju versions will pick a published image up, from its
/// aliases: `juju/<series>/<arch>` is read by juju 2.x, `juju/<os>@<version>/<arch>` by juju 3.x
/// (container/lxd/image.go, juju-2.9.21 and branch 3.6), and juju asks only for Ubuntu.
@Suite("which juju picks a gold's image up")
struct GoldJujuPickupTests {
    static func image(_ aliases: [String], snapshot: String = "snap1") -> GoldSummary.PublishedImage {
        GoldSummary.PublishedImage(fingerprint: "0123456789abcdef0123", snapshot: snapshot, aliases: aliases)
    }

    @Test("each alias form names its juju line and what it is for")
    func readers() {
        #expect(JujuPlatform.reader(ofAlias: "juju/jammy/amd64") == JujuAliasReader(line: "juju 2.x", base: "jammy", architecture: "amd64", isUbuntu: true))
        #expect(JujuPlatform.reader(ofAlias: "juju/ubuntu@22.04/amd64")
                == JujuAliasReader(line: "juju 3.x", base: "ubuntu@22.04", architecture: "amd64", isUbuntu: true))
        #expect(JujuPlatform.reader(ofAlias: "juju/bookworm/amd64")?.isUbuntu == false)
        #expect(JujuPlatform.reader(ofAlias: "juju/debian@12/amd64")?.isUbuntu == false)
        #expect(JujuPlatform.reader(ofAlias: "goldfleet/base/bookworm") == nil)
        #expect(JujuPlatform.reader(ofAlias: "juju//amd64") == nil)
        #expect(JujuPlatform.reader(ofAlias: "juju/jammy/amd64/vm") == nil)
    }

    @Test("an Ubuntu gold published with both default aliases is picked up by juju 2.x and 3.x")
    func ubuntuImage() {
        let image = Self.image(["juju/jammy/amd64", "juju/ubuntu@22.04/amd64"])
        #expect(image.jujuPickup == "juju 2.x (series jammy), juju 3.x (base ubuntu@22.04)")
    }

    @Test("a Debian gold's juju aliases are named, and that no juju will ask for them")
    func debianImage() {
        let image = Self.image(["juju/bookworm/amd64", "juju/debian@12/amd64"])
        #expect(image.jujuPickup == "no juju (juju 2.x would read it for series bookworm, but deploys Ubuntu only); "
                + "no juju (juju 3.x would read it for base debian@12, but deploys Ubuntu only)")
        #expect(Self.image(["my-gold"]).jujuPickup == "none (no juju/… alias)")
    }

    @Test("doctor: the examined snapshot's images and who picks them up")
    func doctorCheck() {
        let gold = GoldReference(instance: "gold", snapshot: "snap2")
        let images = [Self.image(["juju/noble/amd64", "juju/ubuntu@24.04/amd64"], snapshot: "snap2"), Self.image(["old"], snapshot: "snap1")]
        let check = GoldDoctor.jujuImageCheck(images: images, gold: gold)
        #expect(check.name == "juju image")
        #expect(check.status == .passed)
        #expect(check.detail == "image 0123456789ab (snap2): juju 2.x (series noble), juju 3.x (base ubuntu@24.04)")

        let debian = GoldDoctor.jujuImageCheck(images: [Self.image(["juju/bookworm/amd64"], snapshot: "snap2")], gold: gold)
        #expect(debian.status == .warning)
        #expect(debian.detail.contains("deploys Ubuntu only"))

        // Only images of the snapshot examined count.
        let unpublished = GoldDoctor.jujuImageCheck(images: [Self.image(["juju/noble/amd64"], snapshot: "snap1")], gold: gold)
        #expect(unpublished.status == .skipped)
        #expect(unpublished.detail.hasPrefix("no image published from gold/snap2: no juju version's LXD provider picks it up"))
        #expect(unpublished.detail.contains("goldfleet gold publish gold/snap2"))
    }
}
