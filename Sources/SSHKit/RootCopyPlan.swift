/// What a copy from a staging directory (which an SFTP sync keeps equal to the local tree) into
/// a directory only root may write must do, decided from two manifests: the staging one, and the
/// one the last complete copy left in the target. Pure logic, unit-tested without a server.
///
/// Without a trusted target manifest (first copy, a copy cut short, or the target replaced by
/// someone else since) everything staged is copied; files that only the target has then stay.
struct RootCopyPlan: Equatable, Sendable {
    /// Directories (parents first), then files, relative to the staging root, to copy over.
    var copies: [String] = []
    /// Files the last copy put there that are gone from the staging tree.
    var removals: [String] = []
    /// Directories the last copy made that are gone, children first (removed only when empty).
    var directoryRemovals: [String] = []
    /// True when the target's manifest was not trusted and everything is copied.
    var full = false

    static func make(staged: SyncManifest, deployed: SyncManifest?) -> RootCopyPlan {
        var plan = RootCopyPlan(full: deployed == nil)
        let before = deployed ?? .empty
        let knownDirectories = Set(before.directories)
        plan.copies = staged.directories.filter { !knownDirectories.contains($0) }.sorted(by: PathOrder.parentsFirst)
        plan.copies += staged.files.keys.filter { before.files[$0] != staged.files[$0] }.sorted()
        plan.removals = before.files.keys.filter { staged.files[$0] == nil }.sorted()
        let stagedDirectories = Set(staged.directories)
        plan.directoryRemovals = before.directories.filter { !stagedDirectories.contains($0) }.sorted { PathOrder.parentsFirst($1, $0) }
        return plan
    }

    /// The plan as the copy script reads it on stdin: one NUL-terminated record per path, its
    /// first byte saying what to do (`c`opy, `r`emove, remove the `d`irectory). NUL is the one
    /// byte no path holds.
    func records() -> [UInt8] {
        var bytes: [UInt8] = []
        for (kind, paths) in [("c", copies), ("r", removals), ("d", directoryRemovals)] {
            for path in paths { bytes += Array((kind + path).utf8) + [0] }
        }
        return bytes
    }
}
