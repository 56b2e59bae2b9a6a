extension LXDClient {
    /// The contents of a file inside an instance, following symlinks (LXD hands back a link's
    /// target instead of its contents, e.g. for `/etc/os-release`).
    public func readFile(instance: String, path: String) async throws -> [UInt8] {
        let action = "reading \(path) in instance \(instance)"
        var current = path
        for _ in 0..<16 {
            let response = try await perform(.GET, LXDPath("instances", instance, "files"), query: [("path", current)], action: action)
            if response.status >= 400 {
                _ = try decode(LXDIgnored.self, from: response, action: action)
            }
            switch response.headers["x-lxd-type"] ?? "file" {
            case "file":
                return response.body
            case "symlink":
                current = Self.resolve(link: String(decoding: response.body, as: UTF8.self), from: current)
            case "directory":
                throw LXDError(kind: .invalidRequest, action: action, endpoint: endpoint.description, detail: "\(current) is a directory")
            case let other:
                throw LXDError(kind: .invalidResponse, action: action, endpoint: endpoint.description, detail: "unexpected file type `\(other)`")
            }
        }
        throw LXDError(kind: .failed, action: action, endpoint: endpoint.description, detail: "too many levels of symbolic links")
    }

    /// Writes (replaces) a file inside an instance with the given permission bits and owner.
    /// `mode` is the numeric mode, e.g. `0o644`.
    ///
    /// Sent in pieces of at most 256 KiB (the first replaces, the rest append): when LXD fails a
    /// write part-way (a full disk) it answers at once and stops reading, and Go's HTTP server
    /// then drops a connection with more than 256 KiB unread, so a bigger request would lose
    /// LXD's error to a reset connection (seen: "I/O on closed channel" instead of "no space
    /// left on device").
    public func writeFile(instance: String, path: String, contents: [UInt8], mode: Int, uid: Int, gid: Int) async throws {
        let action = "writing \(path) in instance \(instance)"
        let octal = String(mode & 0o7777, radix: 8)
        let modeHeader = String(repeating: "0", count: max(0, 4 - octal.count)) + octal
        var offset = 0
        repeat {
            let end = min(contents.count, offset + Self.fileChunkBytes)
            let response = try await perform(
                .POST, LXDPath("instances", instance, "files"), query: [("path", path)], body: .bytes(Array(contents[offset..<end])),
                headers: [("X-LXD-type", "file"), ("X-LXD-write", offset == 0 ? "overwrite" : "append"), ("X-LXD-mode", modeHeader),
                          ("X-LXD-uid", String(uid)), ("X-LXD-gid", String(gid))],
                action: action)
            _ = try decode(LXDIgnored.self, from: response, action: action)
            offset = end
        } while offset < contents.count
    }

    /// The most LXD's Go server drains after an early answer and still keeps the connection.
    static let fileChunkBytes = 256 * 1024

    /// Where a symlink at `linkPath` with content `target` points, as an absolute, normalised path.
    static func resolve(link target: String, from linkPath: String) -> String {
        var components: [Substring] = []
        let joined = target.hasPrefix("/") ? target : (linkPath.split(separator: "/").dropLast().joined(separator: "/") + "/" + target)
        for part in joined.split(separator: "/") {
            switch part {
            case ".", "": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(part)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// The entry at `path` without following symlinks; `nil` when nothing is there. Works on
    /// stopped instances, which is how `doctor` reads a gold without booting it.
    public func fileEntry(instance: String, path: String) async throws -> LXDFileEntry? {
        let action = "reading \(path) in instance \(instance)"
        let response = try await perform(.GET, LXDPath("instances", instance, "files"), query: [("path", path)], action: action)
        if response.status == 404 { return nil }
        if response.status >= 400 {
            do {
                _ = try decode(LXDIgnored.self, from: response, action: action)
            } catch let error as LXDError where error.kind == .notFound {
                return nil
            }
        }
        switch response.headers["x-lxd-type"] ?? "file" {
        case "symlink":
            return .symlink(target: String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        case "directory":
            let names = try decode([String].self, from: response, action: action).metadata ?? []
            return .directory(entries: names.sorted())
        default:
            return .file(response.body)
        }
    }

    /// Deletes a file (or an empty directory) inside an instance; nothing happens when it is
    /// already gone. Works on stopped instances.
    public func deleteFile(instance: String, path: String) async throws {
        let action = "deleting \(path) in instance \(instance)"
        let response = try await perform(.DELETE, LXDPath("instances", instance, "files"), query: [("path", path)], action: action)
        if response.status == 404 { return }
        do {
            _ = try decode(LXDIgnored.self, from: response, action: action)
        } catch let error as LXDError where error.kind == .notFound {
            return
        }
    }
}
