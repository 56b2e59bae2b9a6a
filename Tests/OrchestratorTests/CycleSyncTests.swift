import Foundation
import Testing
@testable import JujuKit
@testable import Orchestrator
@testable import SSHKit

/// The pure parts of `cycle --sync` and `--watch`: which units, which command, which files,
/// what a save changed.
@Suite("cycle --sync: units, hook command, left-out files, the watcher's fingerprint")
struct CycleSyncTests {
    @Test("units of the named applications in unit order, subordinates on their principal's machine, other machines flagged")
    func targets() {
        let status = JujuStatus(applications: [
            JujuApplication(name: "web", units: [
                JujuUnit(name: "web/10", machine: "3", subordinates: [JujuUnit(name: "agent/1")]),
                JujuUnit(name: "web/2", machine: "1", subordinates: [JujuUnit(name: "agent/0")]),
            ]),
            JujuApplication(name: "agent", subordinateTo: ["web"]),
            JujuApplication(name: "db", units: [JujuUnit(name: "db/0", machine: "0/lxd/0")]),
        ])
        let targets = SyncTarget.resolve(applications: ["web", "agent", "db"], status: status, instances: ["1": "e-web-1", "3": "e-web-2"])
        #expect(targets.map(\.unit) == ["web/2", "web/10", "agent/0", "agent/1", "db/0"])
        #expect(targets.map(\.instance) == ["e-web-1", "e-web-2", "e-web-1", "e-web-2", nil])
        #expect(targets[3].jujuMachine == "3")
        #expect(targets[0].charmDirectory == "/var/lib/juju/agents/unit-web-2/charm")
        #expect(targets[0].stagingDirectory == ".goldfleet/charm-sync/unit-web-2")
        #expect(SyncTarget.resolve(applications: ["web"], status: status, instances: [:]).map(\.unit) == ["web/2", "web/10"])
    }

    @Test("a dispatch charm runs ./dispatch, a hooks-only one its hook file, both with juju's hook variables")
    func hookCommand() throws {
        let charm = NSTemporaryDirectory() + "gft-hook-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: charm + "/hooks", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: charm) }
        _ = FileManager.default.createFile(atPath: charm + "/hooks/upgrade-charm", contents: Data())
        #expect(try CharmHook("upgrade-charm", charmDirectory: charm).command
                == "JUJU_HOOK_NAME=upgrade-charm JUJU_DISPATCH_PATH=hooks/upgrade-charm ./hooks/upgrade-charm")
        #expect(throws: OrchestratorError.self) { try CharmHook("install", charmDirectory: charm) }
        _ = FileManager.default.createFile(atPath: charm + "/dispatch", contents: Data())
        #expect(try CharmHook("install", charmDirectory: charm).command == "JUJU_HOOK_NAME=install JUJU_DISPATCH_PATH=hooks/install ./dispatch")
        for bad in ["", "-x", "Install", "a b", "x;rm", "../x", "$(id)"] {
            #expect(!CharmHook.isValidName(bad), "\(bad)")
        }
        #expect(CharmHook.isValidName("db-relation-changed") && CharmHook.isValidName("data-storage-attached"))
    }

    @Test("version control and editor files are left out of the sync and do not wake the watcher")
    func leftOut() throws {
        for name in [".git", "__pycache__", ".#install", "#install#", "install~", ".install.swp", ".install.swx", "4913"] {
            #expect(CharmFiles.isLeftOut(name), "\(name)")
        }
        for name in ["install", "dispatch", "src", ".jujuignore", "swp", "lib~x", "metadata.yaml"] {
            #expect(!CharmFiles.isLeftOut(name), "\(name)")
        }
        let root = NSTemporaryDirectory() + "gft-left-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: root + "/.git/objects", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/hooks", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "x".write(toFile: root + "/.git/objects/a", atomically: false, encoding: .utf8)
        try "v1".write(toFile: root + "/hooks/install", atomically: false, encoding: .utf8)
        let before = try TreeFingerprint.of([root])
        // vim's swap file appears as you type; Emacs locks the buffer with a link to nothing.
        try "swap".write(toFile: root + "/hooks/.install.swp", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/hooks/.#install", withDestinationPath: "me@host.123:456")
        #expect(try TreeFingerprint.of([root]) == before)
        #expect(try LocalTree.scan(root, excluding: CharmFiles.isLeftOut).files.map(\.relativePath) == ["hooks/install"])
        #expect(throws: LocalTree.ScanError.self) { try LocalTree.scan(root) }
    }

    @Test("the watcher sees an edit in place, a new file and a removed one, and nothing when nothing changed")
    func fingerprint() throws {
        let root = NSTemporaryDirectory() + "gft-watch-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: root + "/hooks", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "v1\n".write(toFile: root + "/hooks/install", atomically: false, encoding: .utf8)
        try "x".write(toFile: root + "/metadata.yaml", atomically: false, encoding: .utf8)
        let first = try TreeFingerprint.of([root])
        #expect(try TreeFingerprint.of([root]) == first)
        // Same size, written again: only the modification time tells.
        try "v2\n".write(toFile: root + "/hooks/install", atomically: false, encoding: .utf8)
        var later = try TreeFingerprint.of([root])
        if later == first {  // within the file system's timestamp granularity: make it visible
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: root + "/hooks/install")
            later = try TreeFingerprint.of([root])
        }
        #expect(later.changes(since: first) == [root + "/hooks/install"])
        try FileManager.default.removeItem(atPath: root + "/metadata.yaml")
        try "n".write(toFile: root + "/hooks/start", atomically: true, encoding: .utf8)
        #expect(try TreeFingerprint.of([root]).changes(since: later) == [root + "/hooks/start", root + "/metadata.yaml"])
    }
}
