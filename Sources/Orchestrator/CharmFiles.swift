/// What `cycle --sync` and `--watch` leave out of a charm directory: version control data and
/// the files editors keep beside the one being edited. Syncing them would copy what the charm
/// never uses, and an editor's lock or swap file changing while you type would start a run (an
/// Emacs lock is a link to nothing, which the sync refuses). A file once synced and now left
/// out counts as gone, so it is removed from the units.
public enum CharmFiles {
    static let directories: Set<String> = [".git", ".hg", ".svn", ".bzr", "__pycache__", ".tox", ".mypy_cache", ".pytest_cache"]

    public static func isLeftOut(_ name: String) -> Bool {
        directories.contains(name)
            || name.hasPrefix(".#")                                      // Emacs lock
            || (name.hasPrefix("#") && name.hasSuffix("#"))              // Emacs auto-save
            || name.hasSuffix("~")                                       // backups (Emacs, vim)
            || [".swp", ".swo", ".swx"].contains { name.hasPrefix(".") && name.hasSuffix($0) }  // vim swap
            || name == "4913"                                            // vim's probe before writing
    }
}
