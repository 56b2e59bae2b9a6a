extension LXDClient {
    /// Whether one cluster member's daemon answers right now (`GET /1.0?target=NAME`, which the
    /// member we talk to forwards). The cluster marks a member OFFLINE only after missed
    /// heartbeats (~20 s); this sees a stopped daemon at once.
    public func memberAnswers(_ member: String) async -> Bool {
        (try? await sync(LXDServerInfo.self, LXDPath(), query: [("target", member)], action: "asking member \(member)")) != nil
    }
}
