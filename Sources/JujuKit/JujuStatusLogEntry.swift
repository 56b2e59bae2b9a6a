import Foundation

/// One entry of `juju show-status-log --format=json` (cmd/juju/status/history.go
/// DetailedStatus): a status, its message, when it was set (RFC 3339) and whose it is.
public struct JujuStatusLogEntry: Sendable, Hashable, Decodable {
    public var status: String?
    public var message: String?
    public var since: String?
    public var type: String?

    public init(status: String?, message: String? = nil, since: String?, type: String? = "juju-unit") {
        self.status = status
        self.message = message
        self.since = since
        self.type = type
    }

    /// `since` as a date. Go writes up to nine digits of a second's fraction, more than
    /// ISO8601DateFormatter reads: the fraction is added separately.
    public var date: Date? {
        guard let since else { return nil }
        var whole = since, fraction = 0.0
        if let dot = since.firstIndex(of: ".") {
            let digits = since[since.index(after: dot)...].prefix { $0.isNumber }
            fraction = Double("0." + digits) ?? 0
            whole = String(since[..<dot]) + String(since[since.index(after: dot)...].dropFirst(digits.count))
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: whole).map { $0.addingTimeInterval(fraction) }
    }
}
