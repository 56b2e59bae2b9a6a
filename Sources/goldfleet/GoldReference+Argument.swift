import ArgumentParser
import Gold

/// `GOLD` or `GOLD/SNAPSHOT` as a command-line argument: anything else (`a/b/c`, `gold/`, an
/// empty name) is a usage error, reported by ArgumentParser before the command runs.
extension GoldReference: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }
}
