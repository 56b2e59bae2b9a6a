import Foundation
import Testing
@testable import GoldfleetCore

@Suite("Sync plan (manifest diff)")
struct SyncPlanTests {
    typealias Entry = SyncManifest.Entry
    typealias Remote = SyncPlan.RemoteEntry

    static func file(_ path: String, size: Int64 = 10, mode: UInt32 = 0o644) -> LocalTree.File {
        LocalTree.File(relativePath: path, size: size, mode: mode)
    }

    static let hashes = ["a.whl": "aaa", "b.whl": "bbb", "sub/c.whl": "ccc", "run.sh": "rrr"]

    /// A hash function that records which files it was asked about.
    final class Hasher: @unchecked Sendable {
        var asked: [String] = []
        func hash(_ file: LocalTree.File) -> String {
            asked.append(file.relativePath)
            return SyncPlanTests.hashes[file.relativePath] ?? "new"
        }
    }

    static let local = LocalTree(
        files: [file("a.whl"), file("b.whl"), file("run.sh", mode: 0o755), file("sub/c.whl")],
        directories: [LocalTree.Directory(relativePath: "sub", mode: 0o755)])

    /// What the remote side looks like after a complete sync of `local`.
    static let manifest = SyncManifest(
        files: ["a.whl": Entry(sha256: "aaa", size: 10, mode: 0o644), "b.whl": Entry(sha256: "bbb", size: 10, mode: 0o644),
                "run.sh": Entry(sha256: "rrr", size: 10, mode: 0o755), "sub/c.whl": Entry(sha256: "ccc", size: 10, mode: 0o644)],
        directories: ["sub"])
    static let remote: [String: Remote] = [
        "a.whl": Remote(isDirectory: false, size: 10, mode: 0o644), "b.whl": Remote(isDirectory: false, size: 10, mode: 0o644),
        "run.sh": Remote(isDirectory: false, size: 10, mode: 0o755), "sub": Remote(isDirectory: true, size: 4096, mode: 0o755),
        "sub/c.whl": Remote(isDirectory: false, size: 10, mode: 0o644), ".goldfleet-manifest.json": Remote(isDirectory: false, size: 300, mode: 0o644),
    ]

    @Test("first sync: everything uploads, nothing is hashed up front")
    func firstSync() {
        let hasher = Hasher()
        let plan = SyncPlan.make(local: Self.local, manifest: .empty, remote: [:], hash: hasher.hash)
        #expect(plan.uploads.map(\.relativePath) == ["a.whl", "b.whl", "run.sh", "sub/c.whl"])
        #expect(plan.directoriesToCreate.map(\.relativePath) == ["sub"])
        #expect(plan.unchanged.isEmpty && plan.removals.isEmpty)
        #expect(hasher.asked.isEmpty)
    }

    @Test("no change: nothing to do")
    func noChange() {
        let plan = SyncPlan.make(local: Self.local, manifest: Self.manifest, remote: Self.remote, hash: Hasher().hash)
        #expect(plan.uploads.isEmpty)
        #expect(plan.unchanged == Self.manifest.files)
        #expect(plan.removals.isEmpty && plan.directoriesToCreate.isEmpty && plan.directoriesToChmod.isEmpty)
        #expect(plan.strayTemporaries.isEmpty && plan.directoriesToRemove.isEmpty)
    }

    @Test("same size, different content: re-upload")
    func contentChanged() {
        var manifest = Self.manifest
        manifest.files["b.whl"]?.sha256 = "old"
        let plan = SyncPlan.make(local: Self.local, manifest: manifest, remote: Self.remote, hash: Hasher().hash)
        #expect(plan.uploads.map(\.relativePath) == ["b.whl"])
        #expect(plan.unchanged.count == 3)
    }

    @Test("a new size skips hashing; a new mode re-uploads")
    func sizeAndModeChanged() {
        var local = Self.local
        local.files[0].size = 11
        local.files[1].mode = 0o600
        let hasher = Hasher()
        let plan = SyncPlan.make(local: local, manifest: Self.manifest, remote: Self.remote, hash: hasher.hash)
        #expect(plan.uploads.map(\.relativePath) == ["a.whl", "b.whl"])
        #expect(!hasher.asked.contains("a.whl") && !hasher.asked.contains("b.whl"))
    }

    @Test("a file deleted locally is removed remotely, with its directory")
    func deletion() {
        var local = Self.local
        local.files.removeAll { $0.relativePath == "sub/c.whl" }
        local.directories.removeAll()
        let plan = SyncPlan.make(local: local, manifest: Self.manifest, remote: Self.remote, hash: Hasher().hash)
        #expect(plan.removals == ["sub/c.whl"])
        #expect(plan.directoriesToRemove == ["sub"])
        #expect(plan.uploads.isEmpty)
    }

    @Test("the manifest is not trusted over the real files: missing or altered remote files re-upload")
    func remoteDisagrees() {
        var remote = Self.remote
        remote["a.whl"] = nil
        remote["b.whl"]?.size = 3
        remote["run.sh"]?.mode = 0o644
        let plan = SyncPlan.make(local: Self.local, manifest: Self.manifest, remote: remote, hash: Hasher().hash)
        #expect(plan.uploads.map(\.relativePath) == ["a.whl", "b.whl", "run.sh"])
    }

    @Test("files we never wrote are left alone; stray temporaries are cleaned up")
    func foreignAndTemporaryFiles() {
        var remote = Self.remote
        remote["notes.txt"] = Remote(isDirectory: false, size: 5, mode: 0o644)
        remote[".goldfleet-tmp-1234abcd"] = Remote(isDirectory: false, size: 5, mode: 0o600)
        remote["sub/.goldfleet-tmp-99"] = Remote(isDirectory: false, size: 5, mode: 0o600)
        let plan = SyncPlan.make(local: Self.local, manifest: Self.manifest, remote: remote, hash: Hasher().hash)
        #expect(plan.removals.isEmpty)
        #expect(plan.strayTemporaries == [".goldfleet-tmp-1234abcd", "sub/.goldfleet-tmp-99"])
    }

    @Test("an empty (lost or corrupt) manifest means a full upload, never a removal")
    func emptyManifest() {
        let plan = SyncPlan.make(local: Self.local, manifest: .empty, remote: Self.remote, hash: Hasher().hash)
        #expect(plan.uploads.count == 4)
        #expect(plan.removals.isEmpty)
    }

    @Test("directories: created parents first, chmodded when the mode differs, removed children first")
    func directories() {
        let local = LocalTree(files: [], directories: [
            LocalTree.Directory(relativePath: "x", mode: 0o755), LocalTree.Directory(relativePath: "x/y", mode: 0o700),
            LocalTree.Directory(relativePath: "sub", mode: 0o700),
        ])
        let manifest = SyncManifest(files: [:], directories: ["old", "old/deeper", "sub"])
        var remote = Self.remote
        remote["old"] = Remote(isDirectory: true, size: 0, mode: 0o755)
        remote["old/deeper"] = Remote(isDirectory: true, size: 0, mode: 0o755)
        let plan = SyncPlan.make(local: local, manifest: manifest, remote: remote, hash: Hasher().hash)
        #expect(plan.directoriesToCreate.map(\.relativePath) == ["x", "x/y"])
        #expect(plan.directoriesToChmod.map(\.relativePath) == ["sub"])
        #expect(plan.directoriesToRemove == ["old/deeper", "old"])
    }
}

@Suite("Sync manifest")
struct SyncManifestTests {
    @Test("round-trips through JSON with stable, sorted output")
    func roundTrip() {
        let manifest = SyncPlanTests.manifest
        let bytes = manifest.encoded()
        #expect(SyncManifest.decode(bytes) == manifest)
        #expect(bytes == manifest.encoded())
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\"sub/c.whl\""))
    }

    @Test("anything unreadable is an empty manifest, never a crash",
          arguments: ["", "{", "null", "[]", "{\"version\":2,\"files\":{}}", "{\"files\":{\"a\":{\"sha256\":1}}}", "\u{0}\u{1}garbage"])
    func corrupt(text: String) {
        #expect(SyncManifest.decode(Array(text.utf8)) == .empty)
    }
}

@Suite("Local tree scan")
struct LocalTreeTests {
    @Test("finds nested files, empty files, non-ASCII names and modes; skips our reserved names")
    func scan() throws {
        let root = NSTemporaryDirectory() + "gf-tree-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: "\(root)/a/b", withIntermediateDirectories: true)
        _ = fm.createFile(atPath: "\(root)/empty", contents: Data())
        _ = fm.createFile(atPath: "\(root)/a/b/größe-ü.whl", contents: Data("hello".utf8))
        _ = fm.createFile(atPath: "\(root)/run.sh", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        _ = fm.createFile(atPath: "\(root)/.goldfleet-manifest.json", contents: Data("{}".utf8))
        try fm.createSymbolicLink(atPath: "\(root)/link.whl", withDestinationPath: "\(root)/run.sh")
        try fm.createSymbolicLink(atPath: "\(root)/dangling", withDestinationPath: "\(root)/nothing")
        try fm.createSymbolicLink(atPath: "\(root)/a/loop", withDestinationPath: root)

        let tree = try LocalTree.scan(root)
        #expect(tree.files.map(\.relativePath) == ["a/b/größe-ü.whl", "empty", "link.whl", "run.sh"])
        #expect(tree.files.first { $0.relativePath == "empty" }?.size == 0)
        #expect(tree.files.first { $0.relativePath == "a/b/größe-ü.whl" }?.size == 5)
        #expect(tree.files.first { $0.relativePath == "run.sh" }?.mode == 0o755)
        #expect(tree.directories.map(\.relativePath) == ["a", "a/b"])
    }

    @Test("a missing root is an error")
    func missingRoot() {
        #expect(throws: LocalTree.ScanError.self) { try LocalTree.scan("/nonexistent/\(UUID().uuidString)") }
    }
}
