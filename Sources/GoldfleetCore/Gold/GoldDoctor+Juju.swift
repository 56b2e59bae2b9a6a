/// The doctor's juju checks: the OS juju's manual provider will see.
extension GoldDoctor {
    /// The OS of `/etc/os-release` (read through LXD) against juju's rule: juju provisions and
    /// deploys Ubuntu only, so `juju add-machine ssh:` refuses anything else.
    public static func jujuOSCheck(_ lxd: LXDClient, _ instance: String) async throws -> GoldCheck {
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
}
