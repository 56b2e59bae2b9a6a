import Testing
@testable import JujuKit

@Suite("Juju's names for a gold's platform")
struct JujuPlatformTests {
    @Test("kernel architectures map to Juju's names", arguments: [
        ("x86_64", "amd64"), ("aarch64", "arm64"), ("ppc64le", "ppc64el"), ("s390x", "s390x"), ("amd64", "amd64"), ("riscv64", "riscv64"),
    ])
    func architecture(kernel: String, juju: String) {
        #expect(JujuPlatform.architecture(kernel: kernel) == juju)
    }

    @Test("unknown architectures pass through")
    func unknownArchitecture() {
        #expect(JujuPlatform.architecture(kernel: "mips64\n") == "mips64")
    }

    @Test("the series is VERSION_CODENAME of os-release, quoted or not")
    func series() {
        let debian = """
            PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
            NAME="Debian GNU/Linux"
            VERSION_ID="12"
            VERSION="12 (bookworm)"
            VERSION_CODENAME=bookworm
            ID=debian
            """
        #expect(JujuPlatform.series(osRelease: debian) == "bookworm")
        #expect(JujuPlatform.osRelease(debian)["ID"] == "debian")
        #expect(JujuPlatform.osRelease(debian)["VERSION_ID"] == "12")
        #expect(JujuPlatform.series(osRelease: "ID=ubuntu\nVERSION_CODENAME=\"jammy\"\n") == "jammy")
        #expect(JujuPlatform.series(osRelease: "ID=ubuntu\nUBUNTU_CODENAME=noble\n") == "noble")
        #expect(JujuPlatform.series(osRelease: "ID=alpine\n") == nil)
    }

    /// juju 2.x: container/lxd/image.go `seriesLocalAlias` (juju-2.9.21); juju 3.x:
    /// `baseLocalAlias(base.DisplayString(), arch, container)` (branch 3.6), `stable` left out.
    @Test("publish's default aliases are the ones juju 2.x and 3.x look for")
    func defaultAliasesPerJujuLine() {
        let jammy = GoldPlatform(os: "ubuntu", series: "jammy", architecture: "amd64", version: "22.04")
        #expect(JujuPlatform.defaultAliases(jammy) == ["juju/jammy/amd64", "juju/ubuntu@22.04/amd64"])
        let bookworm = GoldPlatform(os: "debian", series: "bookworm", architecture: "arm64", version: "12")
        #expect(JujuPlatform.defaultAliases(bookworm) == ["juju/bookworm/arm64", "juju/debian@12/arm64"])
        #expect(JujuPlatform.defaultAliases(GoldPlatform(os: "debian", series: "trixie", architecture: "amd64")) == ["juju/trixie/amd64"])
        #expect(JujuPlatform.jujuLines(readingAlias: "juju/jammy/amd64") == "juju 2.x")
        #expect(JujuPlatform.jujuLines(readingAlias: "juju/ubuntu@24.04/amd64") == "juju 3.x")
        #expect(JujuPlatform.jujuLines(readingAlias: "my-gold") == nil)
    }

    @Test("the default alias is juju/<series>/<arch>")
    func defaultAlias() {
        #expect(JujuPlatform.defaultAlias(series: "bookworm", architecture: JujuPlatform.architecture(kernel: "x86_64")) == "juju/bookworm/amd64")
    }
}
