import Testing
@testable import Gold

/// `gold doctor` warns that juju's manual provider refuses a gold that is not Ubuntu, naming the
/// OS it found in /etc/os-release.
@Suite("gold doctor: the OS juju sees")
struct GoldDoctorJujuOSTests {
    static let bookworm = """
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        VERSION_CODENAME=bookworm
        ID=debian
        """
    static let noble = """
        PRETTY_NAME="Ubuntu 24.04.1 LTS"
        NAME="Ubuntu"
        VERSION_ID="24.04"
        VERSION_CODENAME=noble
        ID=ubuntu
        ID_LIKE=debian
        UBUNTU_CODENAME=noble
        """

    @Test("a Debian gold gets a warning naming Debian 12, with the fix to build from ubuntu:24.04")
    func debianWarns() {
        let check = GoldDoctor.jujuOSCheck(osRelease: Self.bookworm)
        #expect(check.name == "juju os")
        #expect(check.status == .warning)
        #expect(check.detail.contains("Debian GNU/Linux 12 (bookworm) (ID=debian) is not Ubuntu"))
        #expect(check.detail.contains("juju's manual provider will refuse it"))
        #expect(check.fix?.contains("--from ubuntu:24.04") == true)
    }

    @Test("an Ubuntu gold passes and says the base juju will record")
    func ubuntuPasses() {
        let check = GoldDoctor.jujuOSCheck(osRelease: Self.noble)
        #expect(check.status == .passed)
        #expect(check.detail == "Ubuntu 24.04.1 LTS: juju provisions it as ubuntu@24.04, series noble")
    }

    @Test("no os-release is a warning too: juju cannot tell the OS")
    func missing() {
        #expect(GoldDoctor.jujuOSCheck(osRelease: nil).status == .warning)
        let alpine = GoldDoctor.jujuOSCheck(osRelease: "ID=alpine\nVERSION_ID=3.20.0\n")
        #expect(alpine.status == .warning)
        #expect(alpine.detail.hasPrefix("alpine 3.20.0 (ID=alpine) is not Ubuntu"))
    }

    @Test("a warning keeps the gold usable: the verdict counts it, the fix is shown")
    func rendered() {
        let report = GoldDoctorReport(subject: "gold/snap1", checks: [GoldDoctor.jujuOSCheck(osRelease: Self.bookworm)])
        #expect(report.passed)
        #expect(report.rendered().contains("WARN  juju os  Debian GNU/Linux 12 (bookworm)"))
        #expect(report.rendered().contains("gold/snap1 is a usable gold (1 warning)"))
    }
}
