import Testing
@testable import Gold
@testable import LXDKit

@Suite("Rendering the doctor's findings")
struct GoldDoctorReportTests {
    @Test("a passing report lists every check and says the gold is usable")
    func passing() {
        let report = GoldDoctorReport(subject: "gold/snap1", checks: [
            .passed("machine-id", "/etc/machine-id empty: each clone makes its own"),
            .warning("wheelhouse", "no wheels in ~ubuntu/wheelhouse", fix: "bake it in: `goldfleet gold build --wheelhouse DIR`"),
        ])
        #expect(report.passed)
        let text = report.rendered()
        #expect(text.contains("PASS  machine-id"))
        #expect(text.contains("WARN  wheelhouse"))
        #expect(text.contains("fix: bake it in"))
        #expect(text.hasSuffix("gold/snap1 is a usable gold (1 warning)"))
    }

    @Test("a failing report shows the fix under each failure and counts them")
    func failing() {
        let report = GoldDoctorReport(subject: "broken/snap1", checks: [
            .passed("ssh host keys", "none baked in"),
            .failed("machine-id", "/etc/machine-id holds abc", fix: "empty it"),
            .failed("juju agent", "a juju machine agent is installed", fix: "rebuild the gold"),
            .skipped("boot", "not booted"),
        ])
        #expect(!report.passed)
        #expect(report.failures.map(\.name) == ["machine-id", "juju agent"])
        let lines = report.rendered().split(separator: "\n").map(String.init)
        let failure = lines.firstIndex { $0.contains("FAIL  machine-id") }!
        #expect(lines[failure + 1].trimmingCharacters(in: .whitespaces) == "fix: empty it")
        #expect(lines.contains { $0.contains("SKIP  boot") })
        #expect(!lines.contains { $0.contains("fix:") && $0.contains("none baked") })
        #expect(lines.last == "broken/snap1 is NOT a usable gold: 2 checks failed")
    }

    @Test("images published from a gold are found by their goldfleet.source property")
    func publishedImages() {
        let images = [
            LXDImageSummary(fingerprint: "bbb", aliases: ["juju/bookworm/amd64"], properties: [GoldTags.imageSource: "gold/snap2"]),
            LXDImageSummary(fingerprint: "aaa", aliases: [], properties: [GoldTags.imageSource: "gold/snap1"]),
            LXDImageSummary(fingerprint: "ccc", aliases: ["x"], properties: [GoldTags.imageSource: "other/snap1"]),
            LXDImageSummary(fingerprint: "ddd", aliases: ["goldfleet/base/bookworm"], properties: ["os": "debian"]),
        ]
        let found = GoldList.publishedImages(of: "gold", in: images)
        #expect(found.map(\.fingerprint) == ["aaa", "bbb"])
        #expect(found.last?.aliases == ["juju/bookworm/amd64"])
    }
}
