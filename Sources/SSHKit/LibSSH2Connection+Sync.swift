import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What one sync did, and the manifest the remote directory now holds.
struct SyncOutcome: Sendable {
    var report: SSHSyncReport
    var manifest: SyncManifest
}

extension LibSSH2Connection {
    /// In flight per file. On a local bridge 512 KiB already runs at scp's speed (scripts/bench,
    /// copy row); each concurrent machine holds one, so bigger only costs memory.
    private static let uploadBufferSize = 512 << 10

    /// Makes `remote` hold the tree under `local`: uploads new and changed files (temporary name,
    /// then rename), removes files an earlier sync wrote that are gone locally, and records what
    /// is there in the remote manifest. See `SyncPlan` for how "unchanged" is decided.
    func syncDirectory(from local: String, to remote: String) throws(SSHError) -> SSHSyncReport {
        try syncDirectoryReturningManifest(from: local, to: remote).report
    }

    /// `syncDirectory`, also returning the manifest `remote` now holds (what a copy from there
    /// onwards must carry, see `SSHSession.syncDirectoryAsRoot`).
    func syncDirectoryReturningManifest(from local: String, to remote: String, excluding: LocalTree.Exclusion? = nil) throws(SSHError) -> SyncOutcome {
        do {
            return try performSync(from: local, to: remote, excluding: excluding)
        } catch {
            // The SFTP channel may be dead (server gone, timeout); the next call starts a new one.
            resetSFTP()
            throw error
        }
    }

    private func performSync(from local: String, to remote: String, excluding: LocalTree.Exclusion?) throws(SSHError) -> SyncOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        let tree: LocalTree
        do { tree = try LocalTree.scan(local, excluding: excluding) } catch {
            throw .wheelhouseRefused(host: host, error)
        }
        let root = Self.normalizedRemoteRoot(remote)
        try makeDirectories(root)
        let listing = try listTree(root)
        let manifestPath = "\(root)/\(SyncManifest.fileName)"
        let manifest = listing[SyncManifest.fileName] == nil ? .empty : SyncManifest.decode(try readSmallFile(manifestPath) ?? [])

        let plan = try SyncPlan.make(local: tree, manifest: manifest, remote: listing) { (file) throws(SSHError) in
            try Self.sha256(ofLocal: "\(local)/\(file.relativePath)", host: host)
        }

        for temporary in plan.strayTemporaries { try removeFile("\(root)/\(temporary)") }
        for directory in plan.directoriesToCreate { try makeDirectory("\(root)/\(directory.relativePath)", mode: directory.mode) }
        for directory in plan.directoriesToChmod { try setMode("\(root)/\(directory.relativePath)", directory.mode) }

        var updated = SyncManifest(files: plan.unchanged, directories: tree.directories.map(\.relativePath))
        // Forget the files about to be replaced first: if the copy is interrupted after a rename,
        // the manifest must not vouch for the old content under that name.
        let replaced = plan.uploads.filter { manifest.files[$0.relativePath] != nil }
        if !replaced.isEmpty {
            var interim = manifest
            for file in replaced { interim.files[file.relativePath] = nil }
            try writeManifest(interim, to: manifestPath)
        }

        var bytes: Int64 = 0
        let buffer = SFTPUploadBuffer(capacity: Self.uploadBufferSize)
        for file in plan.uploads {
            let (digest, sent) = try upload(file, from: local, to: root, buffer: buffer)
            updated.files[file.relativePath] = SyncManifest.Entry(sha256: digest, size: file.size, mode: file.mode)
            bytes += sent
        }
        for path in plan.removals { try removeFile("\(root)/\(path)") }
        for directory in plan.directoriesToRemove { try removeDirectory("\(root)/\(directory)") }

        if updated != manifest { try writeManifest(updated, to: manifestPath) }
        let report = SSHSyncReport(uploaded: plan.uploads.count, unchanged: plan.unchanged.count,
                                   removed: plan.removals.count, bytes: bytes, duration: clock.now - started)
        return SyncOutcome(report: report, manifest: updated)
    }

    /// Streams one local file up, hashing what it reads; returns the SHA-256 and bytes sent.
    private func upload(_ file: LocalTree.File, from localRoot: String, to remoteRoot: String,
                        buffer: SFTPUploadBuffer) throws(SSHError) -> (String, Int64) {
        let localPath = "\(localRoot)/\(file.relativePath)"
        let descriptor = Glibc.open(localPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .localFileFailed(host: host, path: localPath, detail: String(cString: strerror(errno)))
        }
        defer { Glibc.close(descriptor) }
        var hasher = SHA256()
        let host = self.host
        let sent = try writeFileAtomically("\(remoteRoot)/\(file.relativePath)", mode: file.mode, buffer: buffer) {
            (space) throws(SSHError) -> Int in
            let count = read(descriptor, space.baseAddress, space.count)
            guard count >= 0 else {
                throw .localFileFailed(host: host, path: localPath, detail: String(cString: strerror(errno)))
            }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: space[0..<count]))
            return count
        }
        return (Self.hex(hasher.finalize()), sent)
    }

    private func writeManifest(_ manifest: SyncManifest, to path: String) throws(SSHError) {
        let bytes = manifest.encoded()
        var offset = 0
        let buffer = SFTPUploadBuffer(capacity: max(bytes.count, 1))
        _ = try writeFileAtomically(path, mode: 0o644, buffer: buffer) { (space) throws(SSHError) -> Int in
            let count = min(space.count, bytes.count - offset)
            bytes.withUnsafeBytes { source in
                space.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
            }
            offset += count
            return count
        }
    }

    static func sha256(ofLocal path: String, host: String) throws(SSHError) -> String {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .localFileFailed(host: host, path: path, detail: String(cString: strerror(errno))) }
        defer { Glibc.close(descriptor) }
        var hasher = SHA256()
        let capacity = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer, capacity)
            if count == 0 { break }
            guard count > 0 else { throw .localFileFailed(host: host, path: path, detail: String(cString: strerror(errno))) }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: count))
        }
        return hex(hasher.finalize())
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    /// SFTP paths are relative to the home directory; `~/x` means the same, and trailing
    /// slashes are dropped.
    static func normalizedRemoteRoot(_ remote: String) -> String {
        var path = remote
        if path == "~" { return "." }
        if path.hasPrefix("~/") { path.removeFirst(2) }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path.isEmpty ? "." : path
    }
}
