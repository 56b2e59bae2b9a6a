/// What one sync has to do, decided from the local tree, the remote manifest and a listing of
/// what is really on the remote side. Pure logic, so it is unit-tested without a server.
struct SyncPlan: Equatable, Sendable {
    /// A file or directory as the remote listing shows it.
    struct RemoteEntry: Equatable, Sendable {
        var isDirectory: Bool
        var size: Int64
        var mode: UInt32
    }

    /// Files to (re)write.
    var uploads: [LocalTree.File] = []
    /// Files already there; their manifest entries carry over.
    var unchanged: [String: SyncManifest.Entry] = [:]
    /// Files we wrote earlier that are gone locally.
    var removals: [String] = []
    /// Half-written files an interrupted sync left behind.
    var strayTemporaries: [String] = []
    /// Missing directories, parents first.
    var directoriesToCreate: [LocalTree.Directory] = []
    /// Directories that exist with other permissions.
    var directoriesToChmod: [LocalTree.Directory] = []
    /// Directories we created earlier that are gone locally, children first.
    var directoriesToRemove: [String] = []

    static let temporaryPrefix = ".goldfleet-tmp-"

    /// Decides per file. A file is unchanged only when the manifest and the real remote file
    /// agree with the local one on size and mode, and the local content hashes to the manifest's
    /// SHA-256; `hash` is called for exactly those candidates (a new or resized file needs no hash).
    static func make<Failure: Error>(
        local: LocalTree, manifest: SyncManifest, remote: [String: RemoteEntry],
        hash: (LocalTree.File) throws(Failure) -> String
    ) throws(Failure) -> SyncPlan {
        var plan = SyncPlan()
        let localFiles = Set(local.files.map(\.relativePath))
        let localDirectories = Set(local.directories.map(\.relativePath))

        for file in local.files {
            if let entry = manifest.files[file.relativePath], entry.size == file.size, entry.mode == file.mode,
               let there = remote[file.relativePath], !there.isDirectory, there.size == file.size, there.mode == file.mode,
               try hash(file) == entry.sha256 {
                plan.unchanged[file.relativePath] = entry
            } else {
                plan.uploads.append(file)
            }
        }

        for directory in local.directories {
            if let there = remote[directory.relativePath], there.isDirectory {
                if there.mode != directory.mode { plan.directoriesToChmod.append(directory) }
            } else {
                plan.directoriesToCreate.append(directory)
            }
        }

        for path in manifest.files.keys.sorted() where !localFiles.contains(path) {
            if let there = remote[path], !there.isDirectory { plan.removals.append(path) }
        }

        for (path, entry) in remote where !entry.isDirectory && isTemporary(path) {
            plan.strayTemporaries.append(path)
        }
        plan.strayTemporaries.sort()

        plan.directoriesToRemove = manifest.directories
            .filter { !localDirectories.contains($0) && remote[$0]?.isDirectory == true }
            .sorted { PathOrder.parentsFirst($1, $0) }
        return plan
    }

    static func isTemporary(_ relativePath: String) -> Bool {
        let name = relativePath.split(separator: "/").last.map(String.init) ?? relativePath
        return name.hasPrefix(temporaryPrefix)
    }
}
