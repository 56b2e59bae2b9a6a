/// LXD's response envelope: every answer is `{type, status_code, operation, error_code, error,
/// metadata}`, where `type` is `sync`, `async` (a background operation was started) or `error`.
struct LXDResponse<Metadata: Decodable & Sendable>: Decodable, Sendable {
    var type: String
    var statusCode: Int?
    /// For `async` answers, the path of the operation to wait on.
    var operation: String?
    var errorCode: Int?
    var error: String?
    var metadata: Metadata?

    enum CodingKeys: String, CodingKey {
        case type, operation, error, metadata
        case statusCode = "status_code"
        case errorCode = "error_code"
    }
}

/// A background operation as `GET /1.0/operations/ID(/wait)` reports it.
struct LXDOperation<Metadata: Decodable & Sendable>: Decodable, Sendable {
    var id: String
    var description: String?
    var status: String
    var statusCode: Int
    /// LXD's error text when the operation failed.
    var err: String?
    var metadata: Metadata?

    enum CodingKeys: String, CodingKey {
        case id, description, status, err, metadata
        case statusCode = "status_code"
    }

    /// LXD's status codes: 100 created, 101 started, 103 running, 105 pending, 200 success,
    /// 400 failure, 401 cancelled.
    var isFinished: Bool { statusCode >= 200 }
    var succeeded: Bool { statusCode == 200 }

    /// The error a finished, unsuccessful operation stands for, with LXD's own text.
    func failure(action: String, endpoint: String) -> LXDError? {
        guard isFinished, !succeeded else { return nil }
        let text = err.flatMap { $0.isEmpty ? nil : $0 } ?? "operation \(status)"
        return LXDError.fromLXD(message: text, statusCode: statusCode, action: action, endpoint: endpoint)
    }
}

/// Metadata goldfleet does not look at; decodes from anything, including `null`.
struct LXDIgnored: Decodable, Sendable {
    init() {}
    init(from decoder: any Decoder) throws {}
}
