import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

extension LXDError {
    /// Turns a failure to talk to the daemon at all (no socket, refused, reset, TLS) into an
    /// `LXDError`. Cancellation passes through unchanged so task cancellation still works.
    /// `note` is added to the detail of a daemon that is unavailable (e.g. how long it was waited for).
    static func transport(_ error: any Error, action: String, endpoint: LXDEndpoint, note: String? = nil) -> any Error {
        if error is LXDError || error is CancellationError { return error }
        let place = endpoint.description
        func unavailable(_ detail: String) -> LXDError {
            LXDError(kind: .daemonUnavailable, action: action, endpoint: place, detail: [detail, note].compactMap { $0 }.joined(separator: "; "))
        }
        if let stopping = error as? LXDStoppingAnswer {
            return unavailable(stopping.status == 503 ? "LXD answered 503: \(stopping.text)" : "LXD is stopping: \(stopping.text)")
        }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: return unavailable("connection refused (no daemon is listening)")
            case ENOENT: return unavailable("the socket does not exist (is the daemon running?)")
            case ECONNRESET, EPIPE: return unavailable("the connection was reset (the daemon went away)")
            case EACCES, EPERM: return unavailable("permission denied (run as root or as a member of the lxd group)")
            default: return unavailable(String(describing: io))
            }
        }
        if let mismatch = error as? LXDCertificateMismatch {
            return LXDError(kind: .serverCertificateMismatch, action: action, endpoint: place, detail: mismatch.detail)
        }
        if error is NIOSSLError || error is BoringSSLError {
            var detail = "the TLS handshake failed (\(error))"
            if case .https(let remote) = endpoint {
                detail += ": the server refused the client certificate \(remote.clientCertificatePath), or is not an LXD HTTPS endpoint"
            }
            return LXDError(kind: .certificateRejected, action: action, endpoint: place, detail: detail)
        }
        if let http = error as? HTTPClientError {
            switch http {
            case .remoteConnectionClosed: return unavailable("the daemon closed the connection (it went away)")
            case .connectTimeout: return unavailable("connecting timed out")
            case .tlsHandshakeTimeout: return LXDError(kind: .certificateRejected, action: action, endpoint: place, detail: "the TLS handshake timed out")
            case .deadlineExceeded, .readTimeout, .getConnectionFromPoolTimeout:
                return LXDError(kind: .timedOut, action: action, endpoint: place, detail: "no answer in time (\(http))")
            case .cancelled: return CancellationError()
            default: return LXDError(kind: .failed, action: action, endpoint: place, detail: String(describing: http))
            }
        }
        if error is NIOConnectionError || error is ChannelError {
            return unavailable(String(describing: error))
        }
        return LXDError(kind: .failed, action: action, endpoint: place, detail: String(describing: error))
    }
}
