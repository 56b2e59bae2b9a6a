/// Values goldfleet passes to other programs as arguments (charm names, channels, config keys,
/// the SSH user) must never be read by that program as one of its options.
public enum CommandLineSafety {
    /// True when `value` would be taken for an option: it starts with `-`.
    public static func isOptionLike(_ value: String) -> Bool { value.hasPrefix("-") }

    /// The rule, as error messages state it.
    public static let rule = "must not start with `-` (a program would read it as an option)"
}
