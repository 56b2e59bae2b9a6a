import GoldfleetSupport
import JujuKit
import LXDKit

/// What `publish` made.
public struct GoldPublication: Sendable, Equatable {
    /// `gold/snap2`.
    public var source: String
    public var fingerprint: String
    /// Every alias moved to the image: by default juju 2.x's and juju 3.x's.
    public var aliases: [String]
    /// The first of `aliases`.
    public var alias: String { aliases.first ?? "" }
    /// The image the alias pointed at before, if any (left in place: instances or users may
    /// still want it; `lxc image delete` removes it).
    public var previousFingerprint: String?
}

/// `goldfleet gold publish`: makes an image of a gold snapshot and points aliases at it, so
/// `up` (or juju's LXD provider, with the default aliases `juju/<series>/<arch>` for 2.x and
/// `juju/<os>@<version>/<arch>` for 3.x) can launch it.
public struct GoldPublisher: Sendable {
    let lxd: any LXDOperations
    let progress: any ProgressSink

    public init(lxd: any LXDOperations, progress: any ProgressSink = SilentProgress()) {
        self.lxd = lxd
        self.progress = progress
    }

    /// Publishes `gold` (its newest snapshot when none is named) and moves `alias` (default: both
    /// juju aliases, `JujuPlatform.defaultAliases`) to the new image. Each alias is moved only
    /// after the image exists, in one request, so it is never missing. `compression` is LXD's
    /// algorithm; `none` is fastest for a local image.
    public func publish(_ gold: GoldReference, alias requestedAlias: String? = nil, compression: String? = "none") async throws -> GoldPublication {
        guard try await lxd.instance(named: gold.instance) != nil else {
            throw GoldError("gold `\(gold.instance)` does not exist on this LXD", hint: "`goldfleet gold list` shows the golds")
        }
        let snapshots = try await lxd.snapshots(instance: gold.instance)
        let snapshot: String
        if let named = gold.snapshot {
            guard snapshots.contains(named) else {
                throw GoldError("gold `\(gold.instance)` has no snapshot `\(named)`", hint: "`goldfleet gold list` shows its snapshots")
            }
            snapshot = named
        } else {
            guard let latest = GoldSnapshotName.latest(in: snapshots) else {
                throw GoldError("gold `\(gold.instance)` has no snapshot to publish", hint: "take one with `goldfleet gold snapshot \(gold.instance)`")
            }
            snapshot = latest
        }
        let source = "\(gold.instance)/\(snapshot)"

        let platform = try await progress.timedTask("read the series and architecture of \(gold.instance)") {
            try await Self.platform(lxd: lxd, instance: gold.instance)
        }
        let aliases = requestedAlias.map { [$0] } ?? JujuPlatform.defaultAliases(platform)
        let previous = try await lxd.imageAlias(aliases[0])?.target
        let properties = [
            "os": platform.os, "release": platform.series, "architecture": platform.architecture,
            "description": "goldfleet gold \(source) (\(platform.os) \(platform.series) \(platform.architecture))",
            GoldTags.imageSource: source,
        ]
        let fingerprint = try await progress.timedTask("publish \(source)") {
            try await lxd.publishImage(instance: gold.instance, snapshot: snapshot, properties: properties, compression: compression)
        }
        for alias in aliases {
            do {
                try await progress.timedTask("point \(alias) at \(fingerprint.prefix(12))") {
                    try await lxd.setImageAlias(alias, fingerprint: fingerprint, description: "goldfleet gold \(source)")
                }
            } catch {
                throw GoldError("published \(source) as image \(fingerprint.prefix(12)), but could not point alias `\(alias)` at it: \(error)",
                                hint: "the alias still points where it did; retry, or `lxc image alias create \(alias) \(fingerprint.prefix(12))`")
            }
        }
        return GoldPublication(source: source, fingerprint: fingerprint, aliases: aliases, previousFingerprint: previous == fingerprint ? nil : previous)
    }

    /// Series (`VERSION_CODENAME` of /etc/os-release), OS id and Juju's architecture name of an instance.
    public static func platform(lxd: any LXDOperations, instance: String) async throws -> GoldPlatform {
        let text = String(decoding: try await lxd.readFile(instance: instance, path: "/etc/os-release"), as: UTF8.self)
        guard let series = JujuPlatform.series(osRelease: text) else {
            throw GoldError("/etc/os-release of \(instance) names no VERSION_CODENAME", hint: "name the alias yourself with --alias")
        }
        let fields = JujuPlatform.osRelease(text)
        let os = fields["ID"] ?? "linux"
        let architecture = JujuPlatform.architecture(kernel: try await lxd.architecture(ofInstance: instance))
        return GoldPlatform(os: os, series: series, architecture: architecture,
                            version: fields["VERSION_ID"].flatMap { $0.isEmpty ? nil : $0 })
    }
}
