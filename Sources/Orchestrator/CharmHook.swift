import Foundation

/// How `cycle --sync` fires a hook of a local charm on a unit: through `juju exec`, which runs
/// the command as root in the unit's charm directory with the unit's hook context; the command
/// adds what juju gives a hook on top (worker/uniter/runner/runner.go: `JUJU_DISPATCH_PATH=
/// hooks/NAME` for every hook, `dispatch` when the charm has one, else `hooks/NAME`;
/// context.go HookVars: `JUJU_HOOK_NAME`).
public struct CharmHook: Sendable, Equatable {
    public static let defaultName = "upgrade-charm"

    public let name: String
    /// The charm has a `dispatch` file at its root, which juju runs for every hook.
    public let dispatch: Bool

    /// Checks `name` against the charm at `charmDirectory`: a hooks-only charm must have it.
    public init(_ name: String, charmDirectory: String) throws {
        guard Self.isValidName(name) else {
            throw OrchestratorError("`\(name)` is not a hook name",
                                    hint: "hook names are lowercase letters, digits and dashes, e.g. `upgrade-charm`, `config-changed`, `db-relation-changed`")
        }
        self.name = name
        dispatch = FileManager.default.fileExists(atPath: charmDirectory + "/dispatch")
        guard dispatch || FileManager.default.fileExists(atPath: charmDirectory + "/hooks/" + name) else {
            throw OrchestratorError("the charm \(charmDirectory) has no `dispatch` and no `hooks/\(name)`, so juju would run nothing for `\(name)`",
                                    hint: "choose a hook the charm has with `--hook NAME` (its hooks/ directory lists them)")
        }
    }

    /// juju's hook names (hooks/hooks.go kinds, relation and storage hooks with their endpoint
    /// prefix): lowercase letters, digits, dashes and underscores. Nothing a shell would read.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.first != "-" && name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    /// The command line `juju exec` runs in the charm directory.
    public var command: String {
        "JUJU_HOOK_NAME=\(name) JUJU_DISPATCH_PATH=hooks/\(name) " + (dispatch ? "./dispatch" : "./hooks/\(name)")
    }
}
