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
    /// LXD was stopping and failed the request half-way ("sql: database is closed", seen on 5.0.2
    /// between closing its database and closing its socket): it may have done part of it.
    case failedWhileStopping
    /// The connection broke while the request was in flight: it may or may not have been done.
    case lostInFlight

    /// The outage behind `error`, or nil when the error is something else (TLS, LXD's own
    /// refusal, a timeout, cancellation).
    init?(_ error: any Error) {
        if let answer = error as? LXDStoppingAnswer {
            self = answer.status == 503 ? .refused : .failedWhileStopping
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
        case .failedWhileStopping, .lostInFlight: return safety == .idempotent
        }
    }
}

/// An error answer that shows the daemon is going away: HTTP 503 "LXD is shutting down", or a
/// server error because its database is already closed. Only these words count: a cluster
/// member relays other members' errors, and an offline member must fail at once, not be waited
/// for. Thrown inside the retry loop so the answer counts as an outage; becomes a
/// `daemonUnavailable` error when it is not retried.
struct LXDStoppingAnswer: Error, Sendable {
    var status: Int
    /// LXD's own error text, e.g. `LXD is shutting down`.
    var text: String

    /// The answer as a stopping daemon's, or nil when it is an ordinary one.
    init?(status: Int, body: [UInt8]) {
        guard status >= 500 else { return nil }
        let text = (try? JSONDecoder().decode(LXDResponse<LXDIgnored>.self, from: Data(body)))?.error ?? LXDClient.excerpt(body)
        guard (status == 503 && text.contains("shutting down")) || text.contains("database is closed") else { return nil }
        self.status = status
        self.text = text
    }

    init(status: Int, text: String) {
        self.status = status
        self.text = text
    }
}
