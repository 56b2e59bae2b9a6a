import Foundation

/// A charm given in the inventory as a path — a charm directory or a packed `.charm` (zip) —
/// instead of a Charmhub name. juju's own rule tells them apart: a local charm's path starts
/// with `.` or `/` (charm.IsValidLocalCharmOrBundlePath). Relative paths are resolved against
/// the inventory's directory, like `wheelhouse.path`, and `up` deploys the absolute path.
public enum LocalCharm {
    public static func isPath(_ charm: String) -> Bool { charm.hasPrefix(".") || charm.hasPrefix("/") }

    /// The files that make a directory or an archive a charm: juju reads `metadata.yaml`;
    /// charmcraft's `charmcraft.yaml` can carry the same metadata.
    static let metadataFiles = ["metadata.yaml", "charmcraft.yaml"]

    /// What is wrong with the charm at `resolved` (written as `written`), or nil when it looks deployable.
    static func problem(at resolved: String, written: String) -> (message: String, hint: String)? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
            return ("local charm `\(resolved)` does not exist",
                    "fix the path (relative paths start at the inventory's directory), or pack the charm with `charmcraft pack` and point at the .charm file")
        }
        let names: [String]
        let what: String
        if isDirectory.boolValue {
            names = (try? FileManager.default.contentsOfDirectory(atPath: resolved)) ?? []
            what = "directory"
        } else {
            guard let entries = ZipDirectory.entryNames(ofFile: resolved) else {
                return ("local charm `\(resolved)` is neither a directory nor a .charm (zip) archive",
                        "point `charm:` at the charm's directory or at the .charm file `charmcraft pack` wrote")
            }
            names = entries
            what = "archive"
        }
        guard !metadataFiles.contains(where: { names.contains($0) }) else { return nil }
        return ("local charm \(what) `\(resolved)` has no metadata.yaml and no charmcraft.yaml",
                "a charm's root holds metadata.yaml (what juju reads) or charmcraft.yaml; is `\(written)` the charm's top directory?")
    }
}

/// The names in a zip archive's central directory — all a `.charm` check needs, without
/// unpacking it. Reads the end-of-central-directory record (APPNOTE 4.3.16) and the central
/// directory headers (4.3.12); nil when the file is not a zip.
enum ZipDirectory {
    static func entryNames(ofFile path: String) -> [String]? {
        guard let data = FileManager.default.contents(atPath: path), data.count >= 22 else { return nil }
        let bytes = [UInt8](data)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        // The record sits at the end, followed by a comment of at most 65535 bytes.
        let lowest = max(0, bytes.count - 22 - 65_535)
        guard let end = stride(from: bytes.count - 22, through: lowest, by: -1).first(where: { u32($0) == 0x0605_4b50 }) else {
            return nil
        }
        let count = u16(end + 10)
        var offset = u32(end + 16)
        var names: [String] = []
        for _ in 0..<count {
            guard offset + 46 <= bytes.count, u32(offset) == 0x0201_4b50 else { return nil }
            let nameLength = u16(offset + 28), extraLength = u16(offset + 30), commentLength = u16(offset + 32)
            guard offset + 46 + nameLength <= bytes.count else { return nil }
            names.append(String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self))
            offset += 46 + nameLength + extraLength + commentLength
        }
        return names
    }
}
