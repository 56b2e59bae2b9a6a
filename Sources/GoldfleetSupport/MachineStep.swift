/// The steps of one machine's pipeline in `up`, in order.
public enum MachineStep: String, Sendable, Codable, CaseIterable, Comparable {
    case clone
    case start
    case address
    case hostKey = "host-key"
    case login
    case verify
    case jujuKeys = "juju-keys"
    case wheelhouse
    case pipInstall = "pip-install"
    case register
    case record

    /// What a person sees on the progress line.
    public var title: String {
        switch self {
        case .clone: "cloning"
        case .start: "starting"
        case .address: "waiting for IPv4"
        case .hostKey: "pinning host key"
        case .login: "SSH login"
        case .verify: "verifying"
        case .jujuKeys: "installing juju keys"
        case .wheelhouse: "syncing wheelhouse"
        case .pipInstall: "pip install (offline)"
        case .register: "juju add-machine"
        case .record: "recording"
        }
    }

    public static func < (lhs: MachineStep, rhs: MachineStep) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
