import LXDKit

/// Removing instances the gold commands created, also when the surrounding task was cancelled.
enum GoldCleanup {
    /// Force-stops and deletes `name`, ignoring errors (it may be stopped or gone already). Runs
    /// in its own task so a Ctrl-C of the caller does not skip it.
    static func deleteInstance(_ name: String, lxd: any LXDOperations) async {
        await Task {
            if let instance = try? await lxd.instance(named: name), instance.isRunning {
                try? await lxd.stop(name, force: true)
            }
            try? await lxd.delete(name)
        }.value
    }
}
