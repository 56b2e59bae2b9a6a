/// The one rule for showing a juju command line to people (errors, `plan`): config values may be
/// secrets (charm passwords, API tokens), so the value of `--config KEY=VALUE` and of every
/// `KEY=VALUE` given to `model-config` is hidden, leaving `KEY=…`.
public enum JujuRedaction {
    /// One argument as it may be shown.
    public enum Word: Sendable, Equatable {
        case shown(String)
        /// A config setting: only `KEY=` may be shown, followed by `…`.
        case redacted(keyAndEquals: String)
    }

    /// `arguments` (after the executable), each shown or redacted.
    public static func words(_ arguments: [String]) -> [Word] {
        let isModelConfig = arguments.first == "model-config"
        var previous = ""
        return arguments.map { argument in
            defer { previous = argument }
            if previous == "--config" || isModelConfig, let equals = argument.firstIndex(of: "="), !argument.hasPrefix("-") {
                return .redacted(keyAndEquals: String(argument[...equals]))
            }
            return .shown(argument)
        }
    }

    /// The words joined for a message; `quote` renders one shown word (or a redacted key).
    public static func line(_ arguments: [String], quote: (String) -> String) -> [String] {
        words(arguments).map { word in
            switch word {
            case .shown(let text): quote(text)
            case .redacted(let key): quote(key) + "…"
            }
        }
    }
}
