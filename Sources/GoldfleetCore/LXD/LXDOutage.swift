import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// The daemon was briefly not there for one request: how the request failed decides whether it
/// may be sent again (see `LXDRequestSafety`). Any other failure is not an outage.
enum LXDOutage: Sendable, Equatable {
    /// No connection was made (socket missing, connection refused): the request never left.
    case notSent
    /// LXD answered 503 (e.g. "LXD is shutting down" while it drains its operations before a
    /// restart): it refused the request before doing anything.
    case refused
    /// The connection broke while the request was in flight: it may or may not have been done.
    case lostInFlight

    /// The outage behind `error`, or nil when the error is something else (TLS, LXD's own
    /// refusal, a timeout, cancellation).
    init?(_ error: any Error) {
        if error is LXDServiceUnavailable {
            self = .refused
            return
        }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED, ENOENT: self = .notSent
            case ECONNRESET, EPIPE: self = .lostInFlight
            default: return nil
            }
            return
        }
        if error is NIOConnectionError {
            self = .notSent
            return
        }
        if let http = error as? HTTPClientError {
            switch http {
            case .connectTimeout: self = .notSent
            case .remoteConnectionClosed: self = .lostInFlight
            default: return nil
            }
            return
        }
        if let channel = error as? ChannelError, channel == .ioOnClosedChannel || channel == .outputClosed || channel == .eof {
            self = .lostInFlight
            return
        }
        return nil
    }

    /// Whether a request of this safety may be sent again after this outage.
    func permitsRetry(of safety: LXDRequestSafety) -> Bool {
        switch self {
        case .notSent, .refused: return true
        case .lostInFlight: return safety == .idempotent
        }
    }
}

/// LXD answered HTTP 503 Service Unavailable: thrown inside the retry loop so the answer counts
/// as an outage; becomes an ordinary `LXDError` if LXD keeps answering it.
struct LXDServiceUnavailable: Error, Sendable {
    /// LXD's own error text, e.g. `LXD is shutting down`.
    var text: String
    var response: LXDHTTPResponse
}
