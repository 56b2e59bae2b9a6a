import JujuKit
import LXDKit

/// One gold as `goldfleet gold list` shows it.
public struct GoldSummary: Sendable, Equatable {
    public struct PublishedImage: Sendable, Equatable {
        public var fingerprint: String
        /// The snapshot it was published from.
        public var snapshot: String
        public var aliases: [String]

        /// Every juju line whose LXD provider reads one of the aliases.
        public var jujuReaders: [JujuAliasReader] { aliases.compactMap(JujuPlatform.reader(ofAlias:)) }

        /// Which juju versions will pick the image up, in words: `juju 2.x (series jammy), juju 3.x
        /// (base ubuntu@22.04)`; `none` without a juju alias.
        public var jujuPickup: String {
            let readers = jujuReaders
            guard !readers.isEmpty else { return "none (no juju/… alias)" }
            let asking = readers.filter(\.isUbuntu)
            return asking.isEmpty ? readers.map(\.description).joined(separator: "; ") : asking.map(\.description).joined(separator: ", ")
        }
    }

    public var name: String
    public var status: String
    /// True when goldfleet built it (it carries goldfleet's tags).
    public var builtByGoldfleet: Bool
    public var snapshots: [String]
    public var images: [PublishedImage]
}

/// Finds golds: instances tagged `user.goldfleet.gold=true` that have snapshots, plus any named
/// explicitly. A copy inherits its source's `user.*` keys, so clones of a gold carry the tag too:
/// goldfleet's machines (with an environment tag) and snapshot-less copies are left out.
public enum GoldList {
    public static func golds(lxd: any LXDOperations, named names: [String] = []) async throws -> [GoldSummary] {
        let all = try await lxd.instances(matchingConfig: [:])
        var chosen = all.filter { $0.config[GoldTags.gold] == GoldTags.goldValue && $0.config[InstanceTags.environment] == nil }
        for name in names where !chosen.contains(where: { $0.name == name }) {
            guard let instance = all.first(where: { $0.name == name }) else {
                throw GoldError("instance `\(name)` does not exist on this LXD", hint: "`lxc list` shows the instances")
            }
            chosen.append(instance)
        }
        let images = try await lxd.images()
        var summaries: [GoldSummary] = []
        for instance in chosen.sorted(by: { $0.name < $1.name }) {
            let snapshots: [String]
            do {
                snapshots = try await lxd.snapshots(instance: instance.name)
            } catch let error as LXDError where error.kind == .notFound && !names.contains(instance.name) {
                continue  // deleted since the listing
            }
            if snapshots.isEmpty && !names.contains(instance.name) { continue }
            summaries.append(GoldSummary(
                name: instance.name, status: instance.status, builtByGoldfleet: GoldTags.isGoldfleetGold(instance.config),
                snapshots: sortedSnapshots(snapshots), images: publishedImages(of: instance.name, in: images)))
        }
        return summaries
    }

    /// The images whose `goldfleet.source` property names a snapshot of `gold`.
    static func publishedImages(of gold: String, in images: [LXDImageSummary]) -> [GoldSummary.PublishedImage] {
        images.compactMap { image in
            guard let source = image.properties[GoldTags.imageSource], let reference = GoldReference(parsing: source),
                  reference.instance == gold, let snapshot = reference.snapshot else { return nil }
            return .init(fingerprint: image.fingerprint, snapshot: snapshot, aliases: image.aliases.map(\.name).sorted())
        }.sorted { ($0.snapshot, $0.fingerprint) < ($1.snapshot, $1.fingerprint) }
    }

    /// `snap2` before `snap10`.
    static func sortedSnapshots(_ names: [String]) -> [String] {
        names.sorted { a, b in
            let na = a.hasPrefix("snap") ? Int(a.dropFirst(4)) : nil
            let nb = b.hasPrefix("snap") ? Int(b.dropFirst(4)) : nil
            switch (na, nb) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return a < b
            }
        }
    }
}
