import CLibSSH2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Low-level SFTP operations, all in blocking mode bounded by the session timeout.
extension LibSSH2Connection {
    static let permissionBits: UInt32 = 0o7777
    private static let typeMask: UInt = 0o170000
    private static let directoryType: UInt = 0o040000

    func sftp() throws(SSHError) -> OpaquePointer {
        guard !isClosed else { throw .sessionClosed(host: host, step: .sftp) }
        if let sftpHandle { return sftpHandle }
        guard let handle = libssh2_sftp_init(session) else {
            throw .sftpFailed(host: host, operation: "start", path: "(subsystem)", detail: lastError)
        }
        sftpHandle = handle
        return handle
    }

    func resetSFTP() {
        guard let sftpHandle, !isClosed else { return }
        setTimeout(.seconds(2))
        libssh2_sftp_shutdown(sftpHandle)
        self.sftpHandle = nil
        restoreIOTimeout()
    }

    /// libssh2's error, or for an SFTP status the server's reason in words.
    func sftpErrorText() -> String {
        guard lastErrno == LIBSSH2_ERROR_SFTP_PROTOCOL, let sftpHandle else { return lastError }
        let code = libssh2_sftp_last_error(sftpHandle)
        switch code {
        case 2: return "no such file or directory"
        case 3: return "permission denied"
        case 4: return "failure (for a rename: the target exists)"
        case 11: return "already exists"
        case 14: return "no space left on the device"
        case 15: return "quota exceeded"
        case 18: return "directory not empty"
        case 19: return "not a directory"
        default: return "SFTP status \(code)"
        }
    }

    var lastSFTPStatus: UInt {
        guard lastErrno == LIBSSH2_ERROR_SFTP_PROTOCOL, let sftpHandle else { return 0 }
        return libssh2_sftp_last_error(sftpHandle)
    }

    func sftpFailure(_ operation: String, _ path: String) -> SSHError {
        .sftpFailed(host: host, operation: operation, path: path, detail: sftpErrorText())
    }

    // MARK: Metadata

    /// `nil` when the path does not exist.
    func remoteStat(_ path: String) throws(SSHError) -> SyncPlan.RemoteEntry? {
        let sftp = try sftp()
        var attributes = LIBSSH2_SFTP_ATTRIBUTES()
        let status = libssh2_sftp_stat_ex(sftp, path, UInt32(path.utf8.count), LIBSSH2_SFTP_STAT, &attributes)
        if status != 0 {
            if lastSFTPStatus == 2 { return nil }
            throw sftpFailure("stat", path)
        }
        return Self.entry(attributes)
    }

    func makeDirectory(_ path: String, mode: UInt32) throws(SSHError) {
        let sftp = try sftp()
        guard libssh2_sftp_mkdir_ex(sftp, path, UInt32(path.utf8.count), Int(mode)) == 0 else {
            throw sftpFailure("mkdir", path)
        }
        // sftp-server applies its umask; set the exact bits.
        try setMode(path, mode)
    }

    /// Creates `path` and its missing parents (like `mkdir -p`).
    func makeDirectories(_ path: String) throws(SSHError) {
        if let existing = try remoteStat(path) {
            guard existing.isDirectory else {
                throw .sftpFailed(host: host, operation: "mkdir", path: path, detail: "it exists and is not a directory")
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != "/" && parent != path { try makeDirectories(parent) }
        do {
            try makeDirectory(path, mode: 0o755)
        } catch {
            // Another session syncing into the same parent may have made it in the meantime.
            if let made = try remoteStat(path), made.isDirectory { return }
            throw error
        }
    }

    func setMode(_ path: String, _ mode: UInt32) throws(SSHError) {
        let sftp = try sftp()
        var attributes = LIBSSH2_SFTP_ATTRIBUTES()
        attributes.flags = UInt(LIBSSH2_SFTP_ATTR_PERMISSIONS)
        attributes.permissions = UInt(mode)
        guard libssh2_sftp_stat_ex(sftp, path, UInt32(path.utf8.count), LIBSSH2_SFTP_SETSTAT, &attributes) == 0 else {
            throw sftpFailure("chmod", path)
        }
    }

    func removeFile(_ path: String) throws(SSHError) {
        let sftp = try sftp()
        guard libssh2_sftp_unlink_ex(sftp, path, UInt32(path.utf8.count)) == 0 else {
            if lastSFTPStatus == 2 { return }
            throw sftpFailure("unlink", path)
        }
    }

    /// Returns false when the directory is not empty (something we did not write is in it).
    @discardableResult
    func removeDirectory(_ path: String) throws(SSHError) -> Bool {
        let sftp = try sftp()
        return libssh2_sftp_rmdir_ex(sftp, path, UInt32(path.utf8.count)) == 0
    }

    /// Moves `source` over `target`. SFTP v3 (all libssh2 1.10 speaks) cannot overwrite, so an
    /// existing target is removed first: the real name then briefly does not exist, but never
    /// names a half-written file.
    func replace(_ target: String, with source: String) throws(SSHError) {
        let sftp = try sftp()
        let flags = Int(LIBSSH2_SFTP_RENAME_OVERWRITE | LIBSSH2_SFTP_RENAME_ATOMIC | LIBSSH2_SFTP_RENAME_NATIVE)
        func rename() -> Int32 {
            libssh2_sftp_rename_ex(sftp, source, UInt32(source.utf8.count), target, UInt32(target.utf8.count), flags)
        }
        if rename() == 0 { return }
        try removeFile(target)
        guard rename() == 0 else { throw sftpFailure("rename to \(target)", source) }
    }

    /// Every file and directory below `root`, keyed by relative path; empty when `root` is missing.
    func listTree(_ root: String) throws(SSHError) -> [String: SyncPlan.RemoteEntry] {
        var result: [String: SyncPlan.RemoteEntry] = [:]
        try list(root: root, relative: "", into: &result)
        return result
    }

    private func list(root: String, relative: String, into result: inout [String: SyncPlan.RemoteEntry]) throws(SSHError) {
        let sftp = try sftp()
        let path = relative.isEmpty ? root : "\(root)/\(relative)"
        guard let directory = libssh2_sftp_open_ex(sftp, path, UInt32(path.utf8.count), 0, 0, LIBSSH2_SFTP_OPENDIR) else {
            if relative.isEmpty && lastSFTPStatus == 2 { return }
            throw sftpFailure("list", path)
        }
        var children: [(String, SyncPlan.RemoteEntry)] = []
        let capacity = 4096
        let name = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        defer { name.deallocate() }
        while true {
            var attributes = LIBSSH2_SFTP_ATTRIBUTES()
            let length = libssh2_sftp_readdir_ex(directory, name, capacity, nil, 0, &attributes)
            if length == 0 { break }
            if length < 0 {
                let failure = sftpFailure("list", path)
                libssh2_sftp_close_handle(directory)
                throw failure
            }
            let entryName = String(decoding: UnsafeRawBufferPointer(start: name, count: Int(length)), as: UTF8.self)
            if entryName == "." || entryName == ".." { continue }
            children.append((relative.isEmpty ? entryName : "\(relative)/\(entryName)", Self.entry(attributes)))
        }
        libssh2_sftp_close_handle(directory)
        for (childPath, entry) in children {
            result[childPath] = entry
            if entry.isDirectory { try list(root: root, relative: childPath, into: &result) }
        }
    }

    private static func entry(_ attributes: LIBSSH2_SFTP_ATTRIBUTES) -> SyncPlan.RemoteEntry {
        SyncPlan.RemoteEntry(
            isDirectory: attributes.permissions & typeMask == directoryType,
            size: Int64(attributes.filesize),
            mode: UInt32(attributes.permissions) & permissionBits)
    }

    // MARK: Content

    /// The whole file, or `nil` when it does not exist or cannot be read.
    func readSmallFile(_ path: String, limit: Int = 64 << 20) throws(SSHError) -> [UInt8]? {
        let sftp = try sftp()
        guard let handle = libssh2_sftp_open_ex(sftp, path, UInt32(path.utf8.count), UInt(LIBSSH2_FXF_READ), 0, LIBSSH2_SFTP_OPENFILE) else {
            return nil
        }
        defer { libssh2_sftp_close_handle(handle) }
        var bytes: [UInt8] = []
        let capacity = 64 * 1024
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        while bytes.count <= limit {
            let count = libssh2_sftp_read(handle, buffer, capacity)
            if count == 0 { return bytes }
            if count < 0 { return nil }
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: count))
        }
        return nil
    }

    /// Writes `source` (a reader of local bytes) to a temporary name next to `path`, sets the
    /// mode, then renames it into place.
    func writeFileAtomically(_ path: String, mode: UInt32, buffer: SFTPUploadBuffer,
                             source: (UnsafeMutableRawBufferPointer) throws(SSHError) -> Int) throws(SSHError) -> Int64 {
        let sftp = try sftp()
        let directory = (path as NSString).deletingLastPathComponent
        let temporaryName = SyncPlan.temporaryPrefix + UUID().uuidString.prefix(12).lowercased()
        let temporary = directory.isEmpty ? temporaryName : "\(directory)/\(temporaryName)"
        let flags = UInt(LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_TRUNC)
        guard let handle = libssh2_sftp_open_ex(sftp, temporary, UInt32(temporary.utf8.count), flags,
                                                Int(mode & 0o777 | 0o600), LIBSSH2_SFTP_OPENFILE) else {
            throw sftpFailure("create", temporary)
        }
        var handleOpen = true
        defer {
            // Only reached on failure; the subsystem may be dead, so don't wait long for it.
            if handleOpen {
                setTimeout(.seconds(1))
                libssh2_sftp_close_handle(handle)
                restoreIOTimeout()
            }
        }

        // libssh2 1.10 pipelines a large write: it splits the buffer into many SFTP packets,
        // sends them all and returns when the first are acknowledged. The bytes it has sent but
        // not yet confirmed must be passed again at the start of the next call, so the buffer
        // slides: [start, end) is unconfirmed data, refilled from the source behind it.
        var start = 0, end = 0, total: Int64 = 0, sourceDone = false
        let capacity = buffer.capacity
        while true {
            if !sourceDone && end < capacity {
                let count = try source(UnsafeMutableRawBufferPointer(start: buffer.base + end, count: capacity - end))
                if count == 0 { sourceDone = true } else { end += count }
            }
            if start == end {
                if sourceDone { break }
                continue
            }
            let written = libssh2_sftp_write(handle, buffer.base.assumingMemoryBound(to: CChar.self) + start, end - start)
            guard written >= 0 else { throw sftpFailure("write", temporary) }
            start += written
            total += Int64(written)
            if start == end {
                start = 0
                end = 0
            } else if start >= capacity / 2 {
                // Compact only now and then, so each byte is moved at most once.
                memmove(buffer.base, buffer.base + start, end - start)
                end -= start
                start = 0
            }
        }

        var attributes = LIBSSH2_SFTP_ATTRIBUTES()
        attributes.flags = UInt(LIBSSH2_SFTP_ATTR_PERMISSIONS)
        attributes.permissions = UInt(mode)
        guard libssh2_sftp_fstat_ex(handle, &attributes, 1) == 0 else { throw sftpFailure("chmod", temporary) }
        handleOpen = false
        guard libssh2_sftp_close_handle(handle) == 0 else { throw sftpFailure("close", temporary) }
        try replace(path, with: temporary)
        return total
    }
}

/// One reusable upload buffer per sync.
final class SFTPUploadBuffer {
    let base: UnsafeMutableRawPointer
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { base.deallocate() }
}
