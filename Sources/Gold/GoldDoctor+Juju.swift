import JujuKit
import LXDKit

/// The doctor's juju checks: the OS juju's manual provider will see, and which juju versions'
/// LXD provider pick up the images published from the gold.
extension GoldDoctor {
    /// The OS of `/etc/os-release` (read through LXD) against juju's rule: juju provisions and
    /// deploys Ubuntu only, so `juju add-machine ssh:` refuses anything else.
    public static func jujuOSCheck(_ lxd: any LXDOperations, _ instance: String) async throws -> GoldCheck {
        let text: String?
        do {
            text = String(decoding: try await lxd.readFile(instance: instance, path: "/etc/os-release"), as: UTF8.self)
        } catch let error as LXDError where error.kind == .notFound {
            text = nil
        }
        return jujuOSCheck(osRelease: text)
    }

    /// The check for one `/etc/os-release` text (nil: there is none).
    static func jujuOSCheck(osRelease text: String?) -> GoldCheck {
        let name = "juju os"
        let fix = "build an Ubuntu gold: `goldfleet gold build --from ubuntu:24.04 --replace` (the LXD host must reach cloud-images.ubuntu.com over HTTPS); goldfleet's Juju double (GOLDFLEET_JUJU_SIMULATED=1) takes any OS"
        guard let text else {
            return .warning(name, "no /etc/os-release: juju's manual provider cannot tell the OS and will refuse the machine", fix: fix)
        }
        let fields = JujuPlatform.osRelease(text)
        let id = fields["ID"] ?? "unknown"
        let pretty = fields["PRETTY_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? [id, fields["VERSION_ID"]].compactMap { $0 }.joined(separator: " ")
        guard id == "ubuntu" else {
            return .warning(name, "\(pretty) (ID=\(id)) is not Ubuntu: juju's manual provider will refuse it (`juju add-machine ssh:` provisions Ubuntu only)", fix: fix)
        }
        let base = fields["VERSION_ID"].map { "ubuntu@\($0)" } ?? "ubuntu"
        return .passed(name, "\(pretty): juju provisions it as \(base)\(JujuPlatform.series(osRelease: text).map { ", series \($0)" } ?? "")")
    }

    /// Which juju versions will pick up an image published from `gold` (the named snapshot's, or
    /// any of the gold's when none is named), from the images' aliases.
    public static func jujuImageCheck(_ lxd: any LXDOperations, _ gold: GoldReference) async throws -> GoldCheck {
        let images = GoldList.publishedImages(of: gold.instance, in: try await lxd.images())
        return jujuImageCheck(images: images, gold: gold)
    }

    static func jujuImageCheck(images all: [GoldSummary.PublishedImage], gold: GoldReference) -> GoldCheck {
        let name = "juju image"
        let images = all.filter { gold.snapshot == nil || $0.snapshot == gold.snapshot }
        let publish = "`goldfleet gold publish \(gold)` moves juju/<series>/<arch> (juju 2.x) and juju/<os>@<version>/<arch> (juju 3.x) to it"
        let withAliases = images.filter { !$0.jujuReaders.isEmpty }
        guard !withAliases.isEmpty else {
            let what = images.isEmpty ? "no image published from \(gold)" : "no juju/… alias on the images of \(gold)"
            return .skipped(name, "\(what): no juju version's LXD provider picks it up (`goldfleet up` clones the snapshot and needs none); \(publish)")
        }
        let described = withAliases.map { "image \($0.fingerprint.prefix(12)) (\($0.snapshot)): \($0.jujuPickup)" }.joined(separator: "; ")
        guard withAliases.contains(where: { $0.jujuReaders.contains(where: \.isUbuntu) }) else {
            return .warning(name, described, fix: "juju asks only for Ubuntu images: build the gold from ubuntu:24.04 and publish it again")
        }
        return .passed(name, described)
    }
}
