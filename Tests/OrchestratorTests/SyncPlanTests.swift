import Foundation
import Testing
@testable import Inventory
@testable import Orchestrator
@testable import SSHKit

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
    let root = NSTemporaryDirectory() + "gf-tree-\(UUID().uuidString)"
    var fm: FileManager { .default }

    func scanError() -> LocalTree.ScanError? {
        #expect(throws: LocalTree.ScanError.self) { try LocalTree.scan(root) }
        do { _ = try LocalTree.scan(root) } catch { return error }
        return nil
    }

    func digestError() -> String? {
        do { _ = try WheelhouseDigest.of(directory: root); return nil } catch { return "\(error)" }
    }

    @Test("finds nested files, empty files, non-ASCII names and modes; links inside are files; skips our reserved names")
    func scan() throws {
        defer { try? fm.removeItem(atPath: root) }
        try fm.createDirectory(atPath: "\(root)/a/b", withIntermediateDirectories: true)
        _ = fm.createFile(atPath: "\(root)/empty", contents: Data())
        _ = fm.createFile(atPath: "\(root)/a/b/größe-ü.whl", contents: Data("hello".utf8))
        _ = fm.createFile(atPath: "\(root)/run.sh", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        _ = fm.createFile(atPath: "\(root)/.goldfleet-manifest.json", contents: Data("{}".utf8))
        try fm.createSymbolicLink(atPath: "\(root)/link.whl", withDestinationPath: "\(root)/run.sh")
        try fm.createSymbolicLink(atPath: "\(root)/a/relative.whl", withDestinationPath: "b/größe-ü.whl")

        let tree = try LocalTree.scan(root)
        #expect(tree.files.map(\.relativePath) == ["a/b/größe-ü.whl", "a/relative.whl", "empty", "link.whl", "run.sh"])
        #expect(tree.files.first { $0.relativePath == "empty" }?.size == 0)
        #expect(tree.files.first { $0.relativePath == "a/b/größe-ü.whl" }?.size == 5)
        #expect(tree.files.first { $0.relativePath == "a/relative.whl" }?.size == 5)
        #expect(tree.files.first { $0.relativePath == "run.sh" }?.mode == 0o755)
        #expect(tree.files.first { $0.relativePath == "link.whl" }?.mode == 0o755)
        #expect(tree.directories.map(\.relativePath) == ["a", "a/b"])
    }

    @Test("the digest sees what the sync copies: a link's new target changes it")
    func digestFollowsLinks() throws {
        defer { try? fm.removeItem(atPath: root) }
        try fm.createDirectory(atPath: "\(root)/pool", withIntermediateDirectories: true)
        try "one".write(toFile: "\(root)/pool/one.whl", atomically: true, encoding: .utf8)
        try "two".write(toFile: "\(root)/pool/two.whl", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: "\(root)/current.whl", withDestinationPath: "pool/one.whl")
        let first = try WheelhouseDigest.of(directory: root)
        try fm.removeItem(atPath: "\(root)/current.whl")
        try fm.createSymbolicLink(atPath: "\(root)/current.whl", withDestinationPath: "pool/two.whl")
        #expect(try WheelhouseDigest.of(directory: root) != first)
        // An empty directory is synced too, so it counts.
        let withLink = try WheelhouseDigest.of(directory: root)
        try fm.createDirectory(atPath: "\(root)/empty-dir", withIntermediateDirectories: true)
        #expect(try WheelhouseDigest.of(directory: root) != withLink)
    }

    @Test("a link to a file outside the wheelhouse is refused, naming the link and its target")
    func linkOutside() throws {
        let outside = NSTemporaryDirectory() + "gf-secret-\(UUID().uuidString)"
        defer { try? fm.removeItem(atPath: root); try? fm.removeItem(atPath: outside) }
        try fm.createDirectory(atPath: "\(root)/sub", withIntermediateDirectories: true)
        try "secret".write(toFile: outside, atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: "\(root)/sub/id_ed25519", withDestinationPath: outside)
        let error = try #require(scanError())
        #expect(error.path == "\(root)/sub/id_ed25519")
        #expect(error.message.contains("is a symbolic link to \(outside), outside the wheelhouse"))
        #expect(digestError()?.contains("\(root)/sub/id_ed25519: is a symbolic link to \(outside), outside the wheelhouse") == true)

        // `..` that climbs out counts as outside too.
        try fm.removeItem(atPath: "\(root)/sub/id_ed25519")
        try fm.createSymbolicLink(atPath: "\(root)/sub/up", withDestinationPath: "../../\((outside as NSString).lastPathComponent)")
        #expect(scanError()?.message.contains("outside the wheelhouse") == true)
    }

    @Test("links to directories or to nothing are refused by name")
    func otherLinks() throws {
        defer { try? fm.removeItem(atPath: root) }
        try fm.createDirectory(atPath: "\(root)/a", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: "\(root)/a/loop", withDestinationPath: root)
        #expect(scanError()?.message == "wheelhouse entry \(root)/a/loop: is a symbolic link to \(root), a directory; only links to files are copied")
        try fm.removeItem(atPath: "\(root)/a/loop")
        try fm.createSymbolicLink(atPath: "\(root)/dangling", withDestinationPath: "nothing")
        #expect(scanError()?.message == "wheelhouse entry \(root)/dangling: is a symbolic link to nothing, which does not exist")
    }

    @Test("a name that is not UTF-8 is refused by its escaped bytes, in the scan and the digest")
    func nonUTF8Name() throws {
        defer { try? fm.removeItem(atPath: root) }
        try fm.createDirectory(atPath: "\(root)/sub", withIntermediateDirectories: true)
        let name: [UInt8] = Array("\(root)/sub/bad".utf8) + [0xFF, 0xFE] + Array("é.whl".utf8) + [0]
        let descriptor = name.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) } }
        #expect(descriptor >= 0)
        close(descriptor)
        let error = try #require(scanError())
        #expect(error.path == "\(root)/sub/bad\\xFF\\xFEé.whl")
        #expect(error.message.contains("not valid UTF-8"))
        #expect(digestError()?.contains("bad\\xFF\\xFEé.whl") == true)
    }

    @Test("sockets and FIFOs are refused by name")
    func specialFiles() throws {
        defer { try? fm.removeItem(atPath: root) }
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        #expect(mkfifo("\(root)/pipe", 0o644) == 0)
        #expect(scanError()?.message == "wheelhouse entry \(root)/pipe: is a FIFO (named pipe), not a file or directory")
        try fm.removeItem(atPath: "\(root)/pipe")

        let socketPath = "\(root)/sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in socketPath.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        #expect(scanError()?.message == "wheelhouse entry \(socketPath): is a socket, not a file or directory")
    }

    @Test("a missing root is an error")
    func missingRoot() {
        #expect(throws: LocalTree.ScanError.self) { try LocalTree.scan("/nonexistent/\(UUID().uuidString)") }
    }
}
