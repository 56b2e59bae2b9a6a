/// What a gold runs, in Juju's names: `debian`, `bookworm`, `amd64`, version `12`.
public struct GoldPlatform: Sendable, Equatable {
    public var os: String
    public var series: String
    public var architecture: String
    /// `VERSION_ID` (`22.04`), which juju 3.x names bases by.
    public var version: String?

    public init(os: String, series: String, architecture: String, version: String? = nil) {
        self.os = os
        self.series = series
        self.architecture = architecture
        self.version = version
    }
}
