import Foundation
import Testing
@testable import Inventory
@testable import SSHKit

/// `cycle --sync`'s copy from the staging directory into a root-owned charm directory: what
/// moves is decided from the two manifests alone.
@Suite("copy into a root-owned directory: only what changed since the last copy")
struct RootCopyPlanTests {
    static func entry(_ sha: String, size: Int64 = 10, mode: UInt32 = 0o644) -> SyncManifest.Entry {
        SyncManifest.Entry(sha256: sha, size: size, mode: mode)
    }

    @Test("without a trusted record of the last copy everything staged is copied, directories first, parents before children")
    func firstCopy() {
        let staged = SyncManifest(files: ["hooks/install": Self.entry("a", mode: 0o755), "metadata.yaml": Self.entry("b"),
                                          "src/lib/x.py": Self.entry("c")],
                                  directories: ["src/lib", "hooks", "src"])
        let plan = RootCopyPlan.make(staged: staged, deployed: nil)
        #expect(plan.full)
        #expect(plan.copies == ["hooks", "src", "src/lib", "hooks/install", "metadata.yaml", "src/lib/x.py"])
        #expect(plan.removals.isEmpty && plan.directoryRemovals.isEmpty)
    }

    @Test("a changed content or mode is copied, an unchanged file is not, a file and directory gone locally are removed")
    func incremental() {
        let deployed = SyncManifest(files: ["hooks/install": Self.entry("a", mode: 0o755), "hooks/start": Self.entry("s", mode: 0o755),
                                            "README": Self.entry("r"), "old/gone.txt": Self.entry("g")],
                                    directories: ["hooks", "old", "old/deeper"])
        let staged = SyncManifest(files: ["hooks/install": Self.entry("a2", mode: 0o755), "hooks/start": Self.entry("s", mode: 0o700),
                                          "README": Self.entry("r"), "new/file": Self.entry("n")],
                                  directories: ["hooks", "new"])
        let plan = RootCopyPlan.make(staged: staged, deployed: deployed)
        #expect(!plan.full)
        #expect(plan.copies == ["new", "hooks/install", "hooks/start", "new/file"])
        #expect(plan.removals == ["old/gone.txt"])
        #expect(plan.directoryRemovals == ["old/deeper", "old"])
    }

    @Test("nothing changed: nothing to do")
    func unchanged() {
        let manifest = SyncManifest(files: ["a": Self.entry("1")], directories: ["d"])
        #expect(RootCopyPlan.make(staged: manifest, deployed: manifest) == RootCopyPlan())
    }

    @Test("the records the copy script reads: NUL-terminated, kind first, any byte but NUL in a path")
    func records() {
        let plan = RootCopyPlan(copies: ["a b", "new\nline"], removals: ["r'q"], directoryRemovals: ["d"])
        #expect(plan.records() == Array("ca b\0cnew\nline\0rr'q\0dd\0".utf8))
        #expect(RootCopyPlan().records().isEmpty)
    }

    @Test("the scripts run through sudo -n with their paths as arguments, a relative staging path below $HOME")
    func commands() {
        let copy = SSHSession.copyCommand(staging: ".goldfleet/charm-sync/unit-a-0", target: "/var/lib/juju/agents/unit-a-0/charm", stamp: ".juju-charm")
        #expect(copy.hasPrefix("sudo -n /bin/bash -c '"))
        #expect(copy.hasSuffix("' goldfleet-copy \"$HOME\"/.goldfleet/charm-sync/unit-a-0 /var/lib/juju/agents/unit-a-0/charm .juju-charm"))
        #expect(SSHSession.shellPath("/srv/x y") == "'/srv/x y'")
        #expect(SSHSession.shellPath("~/stage") == "\"$HOME\"/stage")
        let read = SSHSession.readTargetManifestCommand(target: "/t", stamp: nil)
        #expect(read.hasSuffix("' goldfleet-read /t ''"))
    }
}
