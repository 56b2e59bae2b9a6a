import GoldfleetSupport

/// Something LXD refused, or could not be asked: carries LXD's own words when it gave any.
///
/// LXD reports errors as `{"type":"error","error":"…","error_code":N}` on a request, or as the
/// `err` text of a failed background operation; both become this type, classified into the
/// cases goldfleet's users can act on.
public struct LXDError: UserFacingError, Equatable {
    public enum Kind: String, Sendable, Hashable {
        case alreadyExists
        case notFound
        case storagePoolMissing
        case imageAliasMissing
        /// A storage pool or quota ran out of space.
        case diskFull
        /// The daemon did not answer: socket missing, connection refused or reset.
        case daemonUnavailable
        /// The daemon restarted while it ran an operation, and forgot it: its outcome is unknown.
        case daemonRestarted
        /// TLS failed: our certificate or key is unusable, nothing pins the server, or the handshake failed.
        case certificateRejected
        /// The server presented another certificate than the pinned one: goldfleet refused to talk to it.
        case serverCertificateMismatch
        /// The daemon answered but does not trust our client certificate.
        case forbidden
        /// The instance is stopped (or crashed) where it must run.
        case notRunning
        /// A waited-for condition (operation, address) did not come in time.
        case timedOut
        /// The answer was not LXD's JSON.
        case invalidResponse
        /// goldfleet refused to send the request (e.g. an untagged create).
        case invalidRequest
        /// Any other error LXD reported.
        case failed
    }

    public let kind: Kind
    /// What goldfleet was doing, e.g. `creating instance gft-a from gold/snap1`.
    public let action: String
    /// Which daemon, e.g. `the LXD socket /var/lib/lxd/unix.socket`.
    public let endpoint: String
    /// LXD's own error text, verbatim, when LXD gave one.
    public let lxdMessage: String?
    /// Our explanation when LXD said nothing (transport failures, bad answers, timeouts).
    public let detail: String?
    /// LXD's `error_code` (or the operation's status code) when there was one.
    public let statusCode: Int?

    public init(kind: Kind, action: String, endpoint: String, lxdMessage: String? = nil, detail: String? = nil, statusCode: Int? = nil) {
        self.kind = kind
        self.action = action
        self.endpoint = endpoint
        self.lxdMessage = lxdMessage
        self.detail = detail
        self.statusCode = statusCode
    }

    public var message: String {
        let reason = [lxdMessage, detail].compactMap { $0 }.joined(separator: "; ")
        return "\(action) failed on \(endpoint): \(reason.isEmpty ? kind.rawValue : reason)"
    }

    public var hint: String? {
        switch kind {
        case .alreadyExists:
            return "something with that name already exists: pick another name, or delete the old one first (`goldfleet down` for goldfleet's own instances)"
        case .notFound:
            return "check the name: `lxc list` shows instances, `lxc info NAME` an instance's snapshots"
        case .storagePoolMissing:
            return "name an existing pool (see `lxc storage list`) or create it, e.g. `lxc storage create NAME btrfs`"
        case .imageAliasMissing:
            return "see `lxc image alias list`; import the image or publish the gold first"
        case .diskFull:
            return "the storage pool is full or over quota: check `lxc storage info POOL`, delete unused instances and images, or grow the pool"
        case .daemonUnavailable:
            return "is the LXD daemon running? Start LXD (e.g. `systemctl start lxd`, `snap start lxd`, or `scripts/lab` in goldfleet's lab), check it with `lxc info`, then run `goldfleet up` again: it finishes only what is missing"
        case .daemonRestarted:
            return "LXD restarted in the middle of this step; run `goldfleet up` again: it looks at what exists and finishes only what is missing"
        case .certificateRejected:
            return "check the client certificate and key files, and pin the server with its certificate (LXD's server.crt, as `lxc remote add` stores it in servercerts/NAME.crt) or its SHA-256 fingerprint (`lxc info` on the server shows certificate_fingerprint)"
        case .serverCertificateMismatch:
            return "something other than the pinned LXD answers there, or its certificate was replaced. On the server, `lxc info | grep certificate_fingerprint` (or `openssl x509 -in /var/lib/lxd/server.crt -noout -fingerprint -sha256`; snap: /var/snap/lxd/common/lxd/server.crt) shows its real fingerprint; only if that is the presented one, pin it: update `server_fingerprint`/`server_cert`, or for an lxc remote run `lxc remote remove NAME` and `lxc remote add NAME URL` again"
        case .forbidden:
            return "the daemon does not trust goldfleet's client certificate: on the server run `lxc config trust add CLIENT.crt`"
        case .notRunning:
            return "start it first; if it stops by itself while booting, see `lxc info NAME --show-log` (many running containers need higher fs.inotify limits)"
        case .timedOut:
            return "the daemon or the instance is slow or stuck: see `lxc operation list`, `lxc info NAME --show-log` and the daemon's log"
        case .invalidResponse:
            return "the endpoint does not speak LXD's API: check the socket path or remote URL"
        case .invalidRequest:
            return nil
        case .failed:
            return "LXD's own message above says what it refused; `lxc monitor --type=logging` shows more"
        }
    }

    /// Classifies LXD's error text (from an error body or a failed operation). LXD's status codes
    /// are coarse (a missing pool in a create is a failed operation with code 400), so the words
    /// decide first and the code breaks ties.
    public static func kind(forLXDMessage text: String, statusCode: Int?) -> Kind {
        let lower = text.lowercased()
        if lower.contains("no space left on device") || lower.contains("disk quota exceeded") || lower.contains("quota exceeded") {
            return .diskFull
        }
        if lower.contains("storage pool not found") || (lower.contains("storage pool") && (lower.contains("not found") || lower.contains("doesn't exist") || lower.contains("does not exist"))) {
            return .storagePoolMissing
        }
        if lower.contains("image alias not found") || (lower.contains("alias") && lower.contains("not found")) {
            return .imageAliasMissing
        }
        if lower.contains("already exists") { return .alreadyExists }
        if lower.contains("is not running") { return .notRunning }
        if statusCode == 404 || lower.contains("not found") || lower.contains("does not exist") || lower.contains("doesn't exist") {
            return .notFound
        }
        if statusCode == 403 || lower == "forbidden" || lower.contains("not authorized") { return .forbidden }
        return .failed
    }

    /// An error LXD reported in its own words.
    public static func fromLXD(message text: String, statusCode: Int?, action: String, endpoint: String) -> LXDError {
        LXDError(kind: kind(forLXDMessage: text, statusCode: statusCode), action: action, endpoint: endpoint,
                 lxdMessage: text, statusCode: statusCode)
    }
}

extension LXDError {
    /// LXD refused because another operation on the instance is still running
    /// (`Instance is busy running a "create" operation`).
    var isInstanceBusy: Bool {
        lxdMessage?.contains("is busy running a") == true
    }

    /// LXD's 404 for the instance itself (`Instance not found`), not for a path inside it
    /// (`Not Found`).
    public var isInstanceMissing: Bool {
        kind == .notFound && lxdMessage?.lowercased().hasPrefix("instance not found") == true
    }
}
