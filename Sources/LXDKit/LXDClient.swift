import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// A client for LXD's REST API over its unix socket or HTTPS. It never runs `lxc`.
///
/// One long-lived HTTP client with a pool of keep-alive connections serves many concurrent
/// requests. Call `shutdown()` when done (or use `withClient`), as AsyncHTTPClient requires.
public final class LXDClient: Sendable {
    public let endpoint: LXDEndpoint
    let http: HTTPClient
    /// Everything before `/1.0/…`: `http+unix://%2Fvar%2Flib%2Flxd%2Funix.socket` or `https://host:8443`.
    let baseURL: String
    /// How long one ordinary request may take.
    let requestTimeout: Duration
    /// Set once the daemon said it trusts us, so `requireTrusted` asks only once per client.
    let trustConfirmed = Mutex(false)
    /// How long a daemon that went away (a restart) is waited for.
    let retryPolicy: LXDRetryPolicy
    let answers = LXDAnswerMemory()

    public init(endpoint: LXDEndpoint, requestTimeout: Duration = .seconds(60), retryPolicy: LXDRetryPolicy = .standard) throws {
        self.endpoint = endpoint
        self.requestTimeout = requestTimeout
        self.retryPolicy = retryPolicy
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10))
        // 8 connections (the default) would queue a fleet's worth of long-polled operation waits.
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        // A dead daemon must fail at once with "connection refused", not be retried until a timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        switch endpoint {
        case .unixSocket(let path):
            guard let url = URL(httpURLWithSocketPath: path, uri: "/") else {
                throw LXDError(kind: .invalidRequest, action: "opening the LXD socket", endpoint: endpoint.description,
                               detail: "the path cannot be used as a socket address")
            }
            var base = url.absoluteString
            if base.hasSuffix("/") { base.removeLast() }
            baseURL = base
        case .https(let remote):
            guard let url = URL(string: remote.url), url.scheme == "https", url.host != nil else {
                throw LXDError(kind: .invalidRequest, action: "connecting to the LXD remote", endpoint: endpoint.description,
                               detail: "`\(remote.url)` is not an https:// URL")
            }
            var base = remote.url
            while base.hasSuffix("/") { base.removeLast() }
            baseURL = base
            let (tls, pin) = try remote.tlsConfiguration()
            configuration.tlsConfiguration = tls
            configuration.http1_1ConnectionDebugInitializer = { channel in pin.verify(channel) }
            configuration.http2ConnectionDebugInitializer = { channel in pin.verify(channel) }
        }
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the connections. The client cannot be used afterwards.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Runs `body` with a client that is shut down afterwards, also when `body` throws.
    public static func withClient<T: Sendable>(
        _ endpoint: LXDEndpoint, _ body: (LXDClient) async throws -> T
    ) async throws -> T {
        let client = try LXDClient(endpoint: endpoint)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
