import Foundation
import Testing
@testable import GoldfleetSupport
@testable import SSHKit

@Suite("Wheelhouse sync over SFTP against real sshd", .serialized, .integrationLane)
struct SFTPSyncIntegrationTests {
    /// Lists `sha256  path` then `mode path` for every entry under a directory, the same way on
    /// both sides, so the local and remote trees compare as text.
    static let treeListing = """
        find . -mindepth 1 -type f ! -name .goldfleet-manifest.json -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum; \
        find . -mindepth 1 ! -name .goldfleet-manifest.json -printf '%m %p\\n' | LC_ALL=C sort
        """

    static func localListing(_ directory: String) async throws -> String {
        let result = try await SystemProcessRunner().run(Command("/bin/sh", ["-c", "cd '\(directory)' && \(treeListing)"]))
        return result.standardOutput
    }

    static func remoteListing(_ session: SSHSession, _ directory: String) async throws -> String {
        try await session.execute("cd \(directory) && \(treeListing)").stdout
    }

    static func write(_ path: String, _ bytes: [UInt8], mode: Int = 0o644) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: mode]) else {
            throw Lab.Unavailable(description: "cannot write \(path)")
        }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for index in words.indices { words[index] = generator.next() }
        }
        for index in (count / 8 * 8)..<count { bytes[index] = UInt8.random(in: 0...255) }
        return bytes
    }

    @Test("a tree with empty files, nested dirs, non-ASCII names, a 50 MB file and modes arrives intact; resyncs do only what changed")
    func syncAndResync() async throws {
        try await withLabContainers("sync") { containers in
            let session = try await SSHLab.connect(containers[0])
            let local = try SSHLab.temporaryDirectory("tree")
            defer { try? FileManager.default.removeItem(atPath: local) }
            try Self.write("\(local)/empty.txt", [])
            try Self.write("\(local)/nested/a/b/c/deep.whl", Self.randomBytes(70_001))
            try Self.write("\(local)/nested/a/empty-too", [])
            try Self.write("\(local)/ünïcødé 名前 (1).whl", Self.randomBytes(12_345))
            try Self.write("\(local)/bin/run.sh", Array("#!/bin/sh\necho hi\n".utf8), mode: 0o755)
            try Self.write("\(local)/private.key", Self.randomBytes(100), mode: 0o600)
            try Self.write("\(local)/big.bin", Self.randomBytes(50_000_000))
            try FileManager.default.createDirectory(atPath: "\(local)/empty-dir", withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: "\(local)/nested/a")
            let totalBytes: Int64 = 70_001 + 12_345 + 18 + 100 + 50_000_000

            let first = try await session.syncDirectory(from: local, to: "wheelhouse")
            #expect(first.uploaded == 7 && first.unchanged == 0 && first.removed == 0)
            #expect(first.bytes == totalBytes)
            #expect(try await Self.remoteListing(session, "wheelhouse") == (try await Self.localListing(local)))
            let run = try await session.execute("wheelhouse/bin/run.sh")
            #expect(run.stdout == "hi\n")

            let again = try await session.syncDirectory(from: local, to: "wheelhouse")
            #expect(again.uploaded == 0 && again.unchanged == 7 && again.removed == 0 && again.bytes == 0)

            // One change with the same size (only the hash can tell), one deletion, one mode change.
            try Self.write("\(local)/ünïcødé 名前 (1).whl", Self.randomBytes(12_345))
            try FileManager.default.removeItem(atPath: "\(local)/nested/a/b")
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: "\(local)/private.key")
            let changed = try await session.syncDirectory(from: local, to: "wheelhouse")
            #expect(changed.uploaded == 2 && changed.unchanged == 4 && changed.removed == 1)
            #expect(changed.bytes == 12_345 + 100)
            #expect(try await Self.remoteListing(session, "wheelhouse") == (try await Self.localListing(local)))
            #expect(try await session.execute("test -e wheelhouse/nested/a/b").exitStatus != 0)

            // A link to a file outside the wheelhouse (a private key, say) is refused, by name,
            // before anything is copied; one pointing inside is copied as that file.
            let outside = try SSHLab.temporaryDirectory("outside")
            defer { try? FileManager.default.removeItem(atPath: outside) }
            try Self.write("\(outside)/id_ed25519", Array("secret".utf8), mode: 0o600)
            try FileManager.default.createSymbolicLink(atPath: "\(local)/current.whl", withDestinationPath: "ünïcødé 名前 (1).whl")
            try FileManager.default.createSymbolicLink(atPath: "\(local)/nested/id_ed25519", withDestinationPath: "\(outside)/id_ed25519")
            let refused = await #expect(throws: SSHError.self) { try await session.syncDirectory(from: local, to: "wheelhouse") }
            #expect(refused?.message == "cannot copy to \(containers[0].ipv4): wheelhouse entry \(local)/nested/id_ed25519: is a symbolic link to \(outside)/id_ed25519, outside the wheelhouse \(local); goldfleet does not copy files from outside it")
            #expect(try await session.execute("test -e wheelhouse/nested/id_ed25519 || test -e wheelhouse/current.whl").exitStatus != 0)
            try FileManager.default.removeItem(atPath: "\(local)/nested/id_ed25519")
            let linked = try await session.syncDirectory(from: local, to: "wheelhouse")
            #expect(linked.uploaded == 1 && linked.bytes == 12_345)
            #expect(try await session.execute("cmp wheelhouse/current.whl 'wheelhouse/ünïcødé 名前 (1).whl' && test ! -L wheelhouse/current.whl").exitStatus == 0)
            await session.close()
        }
    }

    @Test("an interrupted copy, a leftover temporary file and a corrupt manifest all heal on the next sync")
    func interruptedAndCorrupted() async throws {
        try await withLabContainers("sync") { containers in
            let container = containers[0]
            let keys = try await SSHLab.hostKeys(of: container)
            let options = try SSHLab.options(for: container, keys: keys)
            let local = try SSHLab.temporaryDirectory("interrupt")
            defer { try? FileManager.default.removeItem(atPath: local) }
            try Self.write("\(local)/small.whl", Self.randomBytes(1000))
            try Self.write("\(local)/big.bin", Self.randomBytes(80_000_000))

            // Kill the SFTP server in the middle of the big file. libssh2 1.10 only notices a dead
            // subsystem through the session timeout, so keep that short here.
            var impatient = options
            impatient.ioTimeout = .seconds(4)
            let session = try await SSHSession.connect(impatient)
            // Kill as soon as the big file's temporary copy exists, however fast the machine is.
            async let killer: Bool = {
                for _ in 0..<400 {
                    let attempt = try await container.exec(
                        "ls -A /home/ubuntu/wh 2>/dev/null | grep -q goldfleet-tmp && pkill -x sftp-server && echo killed", allowFailure: true)
                    if attempt.stdout.contains("killed") { return true }
                    try await Task.sleep(for: .milliseconds(20))
                }
                return false
            }()
            var interruption: (any Error)?
            do { _ = try await session.syncDirectory(from: local, to: "wh") } catch { interruption = error }
            let killed = try await killer
            #expect(killed)
            await session.close()

            let state = try await container.exec("cd /home/ubuntu/wh && ls -A && stat -c '%s %n' big.bin 2>/dev/null || true")
            if let interruption {
                #expect((interruption as? SSHError)?.step == .sftp)
                // Never a half file under the real name.
                #expect(!state.stdout.contains("big.bin") || state.stdout.contains("80000000 big.bin"), "\(state.stdout)")
            } else {
                Issue.record("the copy finished before sftp-server was killed; interruption not exercised")
            }

            let fresh = try await SSHSession.connect(options)
            _ = try await fresh.syncDirectory(from: local, to: "wh")
            #expect(try await Self.remoteListing(fresh, "wh") == (try await Self.localListing(local)))
            #expect(try await fresh.execute("ls -A wh | grep -c goldfleet-tmp || true").stdout == "0\n")

            // A leftover temporary file and garbage in the manifest.
            try await container.exec("head -c 5000 /dev/urandom > /home/ubuntu/wh/.goldfleet-tmp-deadbeef && echo '{\"version\": 1, garbage' > /home/ubuntu/wh/.goldfleet-manifest.json")
            let healed = try await fresh.syncDirectory(from: local, to: "wh")
            #expect(healed.uploaded == 2 && healed.unchanged == 0)
            #expect(try await fresh.execute("test -e wh/.goldfleet-tmp-deadbeef").exitStatus != 0)
            let settled = try await fresh.syncDirectory(from: local, to: "wh")
            #expect(settled.uploaded == 0 && settled.unchanged == 2)

            // A file damaged behind our back (size differs) is noticed although the manifest vouches for it.
            try await container.exec("truncate -s 100 /home/ubuntu/wh/big.bin")
            let repaired = try await fresh.syncDirectory(from: local, to: "wh")
            #expect(repaired.uploaded == 1)
            #expect(try await Self.remoteListing(fresh, "wh") == (try await Self.localListing(local)))
            await fresh.close()
        }
    }
}
