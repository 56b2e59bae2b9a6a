import Inventory

/// The server presented another certificate than the pinned one: goldfleet refused to send it
/// anything. Becomes an `LXDError` of kind `serverCertificateMismatch` (see `LXDError.transport`).
struct LXDCertificateMismatch: Error, Sendable, Equatable {
    let url: String
    /// What the server presented; nil when it presented none.
    let presented: LXDCertificateFingerprint?
    let expected: LXDCertificateFingerprint
    /// Where the expected one was pinned: `the pinned certificate /path` or `server_fingerprint`.
    let source: String

    var detail: String {
        let what = presented.map { "a certificate with SHA-256 fingerprint \($0)" } ?? "no certificate"
        return "the server presented \(what), but \(source) pins \(expected); refused, nothing was sent to it"
    }
}
