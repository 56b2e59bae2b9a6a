import AsyncHTTPClient
import Foundation
import GoldfleetSupport
import NIOCore

/// The raw answer to one request.
struct LXDHTTPResponse: Sendable {
    var status: Int
    /// Header names lower-cased.
    var headers: [String: String]
    var body: [UInt8]
    /// How many times the daemon went away (and came back) while this request was tried.
    var outages = 0
}

/// The HTTP methods LXD's API uses.
enum LXDMethod: String, Sendable {
    case GET, POST, PUT, PATCH, DELETE
}

/// A request body: LXD's JSON, or raw bytes for file pushes.
enum LXDRequestBody: Sendable {
    case none
    case json(Data)
    case bytes([UInt8])

    static func encode(_ value: some Encodable) throws -> LXDRequestBody {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return .json(try encoder.encode(value))
    }
}

extension LXDClient {
    /// Largest answer read into memory (file pulls, exec logs, JSON).
    static let maximumResponseBytes = 256 * 1024 * 1024

    /// Sends one request and reads the whole answer; transport failures become `LXDError`.
    ///
    /// When a daemon that answered before goes away (a restart), the request is tried again for
    /// up to the retry policy's window, as far as `safety` allows (see `LXDRequestSafety`).
    func perform(
        _ method: LXDMethod, _ path: LXDPath, query: [(String, String)] = [], body: LXDRequestBody = .none,
        headers extraHeaders: [(String, String)] = [], timeout: Duration? = nil, safety: LXDRequestSafety? = nil,
        action: String
    ) async throws -> LXDHTTPResponse {
        do {
            let (response, outages) = try await retryPolicy.run(safety ?? .of(method), memory: answers) {
                try await send(method, path, query: query, body: body, headers: extraHeaders, timeout: timeout)
            }
            var answered = response
            answered.outages = outages
            return answered
        } catch let exhausted as LXDRetryExhausted {
            throw LXDError.transport(exhausted.last, action: action, endpoint: endpoint, note: awayNote)
        } catch {
            // Another request already waited out the window: say so here too.
            throw LXDError.transport(error, action: action, endpoint: endpoint, note: answers.state == .gaveUp ? awayNote : nil)
        }
    }

    private var awayNote: String {
        "LXD did not answer again within \(Int(retryPolicy.window.seconds.rounded())) s"
    }

    /// One attempt: the raw answer, or the raw transport error. A stopping daemon's answer is
    /// thrown as `LXDStoppingAnswer` so the retry loop sees it as an outage.
    private func send(
        _ method: LXDMethod, _ path: LXDPath, query: [(String, String)], body: LXDRequestBody,
        headers extraHeaders: [(String, String)], timeout: Duration?
    ) async throws -> LXDHTTPResponse {
        var request = HTTPClientRequest(url: baseURL + path.encoded + Self.encodedQuery(query))
        switch method {
        case .GET: request.method = .GET
        case .POST: request.method = .POST
        case .PUT: request.method = .PUT
        case .PATCH: request.method = .PATCH
        case .DELETE: request.method = .DELETE
        }
        request.headers.add(name: "Host", value: "lxd")
        request.headers.add(name: "User-Agent", value: "goldfleet/\(GoldfleetVersion.current)")
        switch body {
        case .none:
            break
        case .json(let data):
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        case .bytes(let bytes):
            // Without an explicit octet-stream type LXD parses a file push as a form and writes
            // an empty file.
            request.headers.add(name: "Content-Type", value: "application/octet-stream")
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        for (name, value) in extraHeaders { request.headers.add(name: name, value: value) }
        let limit = timeout ?? requestTimeout
        let response = try await http.execute(request, timeout: .nanoseconds(Int64(limit.nanosecondsClamped)))
        let buffer = try await response.body.collect(upTo: Self.maximumResponseBytes)
        var headers: [String: String] = [:]
        for (name, value) in response.headers { headers[name.lowercased()] = value }
        let answer = LXDHTTPResponse(status: Int(response.status.code), headers: headers, body: Array(buffer.readableBytesView))
        if let stopping = LXDStoppingAnswer(status: answer.status, body: answer.body) { throw stopping }
        return answer
    }

    /// Decodes LXD's envelope, throwing LXD's own error when the answer is an error.
    func decode<M: Decodable & Sendable>(_ type: M.Type, from response: LXDHTTPResponse, action: String) throws -> LXDResponse<M> {
        try Self.decode(M.self, status: response.status, body: response.body, action: action, endpoint: endpoint.description)
    }

    /// Decodes LXD's envelope from a status and body; an error answer (an HTTP error status or
    /// `"type": "error"`) throws `LXDError` with LXD's own text.
    static func decode<M: Decodable & Sendable>(
        _ type: M.Type, status: Int, body: [UInt8], action: String, endpoint: String
    ) throws -> LXDResponse<M> {
        let decoder = JSONDecoder()
        if status >= 400 {
            if let failure = try? decoder.decode(LXDResponse<LXDIgnored>.self, from: Data(body)), let text = failure.error, !text.isEmpty {
                throw LXDError.fromLXD(message: text, statusCode: failure.errorCode ?? status, action: action, endpoint: endpoint)
            }
            throw LXDError(kind: status == 404 ? .notFound : .failed, action: action, endpoint: endpoint,
                           detail: "HTTP \(status): \(excerpt(body))", statusCode: status)
        }
        let envelope: LXDResponse<M>
        do {
            envelope = try decoder.decode(LXDResponse<M>.self, from: Data(body))
        } catch {
            throw LXDError(kind: .invalidResponse, action: action, endpoint: endpoint,
                           detail: "not LXD's JSON (\(error)): \(excerpt(body))")
        }
        if envelope.type == "error" {
            throw LXDError.fromLXD(message: envelope.error ?? "unknown error", statusCode: envelope.errorCode, action: action, endpoint: endpoint)
        }
        return envelope
    }

    /// A request answered synchronously; returns its metadata.
    func sync<M: Decodable & Sendable>(
        _ type: M.Type, _ path: LXDPath, method: LXDMethod = .GET, query: [(String, String)] = [],
        body: LXDRequestBody = .none, action: String
    ) async throws -> M {
        let response = try await perform(method, path, query: query, body: body, action: action)
        guard let metadata = try decode(M.self, from: response, action: action).metadata else {
            throw LXDError(kind: .invalidResponse, action: action, endpoint: endpoint.description, detail: "the answer had no metadata")
        }
        return metadata
    }

    /// Like `sync`, but a 404 is `nil`.
    func syncIfPresent<M: Decodable & Sendable>(_ type: M.Type, _ path: LXDPath, query: [(String, String)] = [], action: String) async throws -> M? {
        do {
            return try await sync(M.self, path, query: query, action: action)
        } catch let error as LXDError where error.statusCode == 404 {
            return nil
        }
    }

    /// A request that may start a background operation; waits for it and returns the finished
    /// operation. A failed operation throws LXD's message unless `failureIsError` is false.
    @discardableResult
    func operate<M: Decodable & Sendable>(
        _ metadata: M.Type, _ method: LXDMethod, _ path: LXDPath, query: [(String, String)] = [],
        body: LXDRequestBody = .none, safety: LXDRequestSafety? = nil, action: String, failureIsError: Bool = true,
        deadline: Duration = .seconds(600)
    ) async throws -> LXDOperation<M>? {
        let response = try await perform(method, path, query: query, body: body, safety: safety, action: action)
        let envelope = try decode(LXDIgnored.self, from: response, action: action)
        guard envelope.type == "async", let operation = envelope.operation, !operation.isEmpty else { return nil }
        return try await waitForOperation(operation, metadata: M.self, action: action, failureIsError: failureIsError, deadline: deadline)
    }

    /// Waits with `GET /1.0/operations/ID/wait?timeout=N` (a long poll), repeating until the
    /// operation ends or `deadline` passes.
    func waitForOperation<M: Decodable & Sendable>(
        _ operationPath: String, metadata: M.Type, action: String, failureIsError: Bool = true, deadline: Duration = .seconds(600)
    ) async throws -> LXDOperation<M> {
        let clock = ContinuousClock()
        let end = clock.now + deadline
        let path = LXDPath(returnedByServer: operationPath.split(separator: "?").first.map(String.init) ?? operationPath)
        var outages = 0
        while true {
            let remaining = clock.now.duration(to: end)
            let pollSeconds = max(1, min(30, Int(remaining.components.seconds)))
            let response = try await perform(.GET, path.appending("wait"), query: [("timeout", String(pollSeconds))],
                                             timeout: .seconds(pollSeconds + 15), action: action)
            outages += response.outages
            // A daemon that restarted (killed, or crashed) forgets its operations: the outcome
            // of this one cannot be known any more.
            if response.status == 404, outages > 0 {
                throw LXDError(kind: .daemonRestarted, action: action, endpoint: endpoint.description,
                               detail: "LXD restarted while operation \(path) ran and no longer knows it; whether it finished is unknown")
            }
            guard let operation = try decode(LXDOperation<M>.self, from: response, action: action).metadata else {
                throw LXDError(kind: .invalidResponse, action: action, endpoint: endpoint.description, detail: "operation \(path) has no state")
            }
            if operation.isFinished {
                if failureIsError, let failure = operation.failure(action: action, endpoint: endpoint.description) { throw failure }
                return operation
            }
            if clock.now >= end {
                throw LXDError(kind: .timedOut, action: action, endpoint: endpoint.description,
                               detail: "operation \(operation.id) (\(operation.description ?? "")) still \(operation.status) after \(deadline)")
            }
        }
    }

    // MARK: URL pieces

    static func encodedQuery(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?" + query.map { name, value in
            "\(name.addingPercentEncoding(withAllowedCharacters: queryAllowed) ?? name)=\(value.addingPercentEncoding(withAllowedCharacters: queryAllowed) ?? value)"
        }.joined(separator: "&")
    }

    private static let queryAllowed: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~/:@")
        return set
    }()

    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(empty body)" : text
    }
}

extension Duration {
    /// Nanoseconds, clamped to what `Int64` holds.
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        if seconds >= Int64.max / 1_000_000_000 { return Int64.max }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
