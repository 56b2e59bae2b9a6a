import Foundation

/// What juju reads from a charm's metadata before it deploys: whether the charm is a
/// subordinate (cmd/juju/application/deployer/charm.go, `charmInfo.Meta.Subordinate`).
///
/// Local charms (a directory or a `.charm` archive) are read as juju reads them, from
/// `metadata.yaml`. Charmhub is out of reach, so for charm names the double knows the
/// subordinates among well-known Charmhub charms (each declares `subordinate: true` in its
/// metadata), plus any named in `JUJU_DOUBLE_SUBORDINATE_CHARMS` (comma-separated).
struct CharmMetadata {
    var subordinate: Bool

    static let knownSubordinates: Set<String> = [
        "ntp", "nrpe", "telegraf", "filebeat", "landscape-client", "ubuntu-advantage", "grafana-agent",
        "canonical-livepatch", "logrotated", "hw-health", "juju-lint", "openstack-loadbalancer",
    ]

    static func read(charm: String, environment: [String: String]) -> CharmMetadata {
        if charm.hasPrefix(".") || charm.hasPrefix("/") {
            return CharmMetadata(subordinate: localMetadata(charm).map(declaresSubordinate) ?? false)
        }
        let name = charm.hasPrefix("ch:") ? String(charm.dropFirst(3)) : charm
        let extra = (environment["JUJU_DOUBLE_SUBORDINATE_CHARMS"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return CharmMetadata(subordinate: knownSubordinates.contains(name) || extra.contains(name))
    }

    /// `metadata.yaml` of a charm directory or `.charm` archive.
    static func localMetadata(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { return try? String(contentsOfFile: path + "/metadata.yaml", encoding: .utf8) }
        guard let result = try? capture("/usr/bin/unzip", ["-p", path, "metadata.yaml"]), result.exitCode == 0 else { return nil }
        return result.stdout
    }

    /// The `name:` of a local charm's metadata.yaml: juju names the charm (and, by default, the
    /// application) after it, not after the path.
    static func localName(_ path: String) -> String? {
        guard let yaml = localMetadata(path) else { return nil }
        for line in yaml.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0] == "name" {
                let name = parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                if !name.isEmpty { return name }
            }
        }
        return nil
    }

    /// A top-level `subordinate: true` line.
    static func declaresSubordinate(_ yaml: String) -> Bool {
        yaml.split(separator: "\n").contains { line in
            let parts = line.split(separator: ":", maxSplits: 1)
            return parts.count == 2 && parts[0] == "subordinate"
                && parts[1].trimmingCharacters(in: .whitespaces).lowercased() == "true"
        }
    }
}
