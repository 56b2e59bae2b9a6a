/// Whether a request may be sent again when the daemon went away while it was in flight.
///
/// A request that never reached the daemon (no socket, connection refused) or that LXD refused
/// while shutting down (HTTP 503) did nothing, so any request may be sent again. One lost
/// mid-flight may have done its work: only an idempotent one may be repeated.
enum LXDRequestSafety: Sendable, Equatable {
    /// Sending it twice is the same as once: reads, waits on an operation, setting fixed keys.
    case idempotent
    /// It may create or change something twice (a create, a start, an exec): never repeated
    /// once it may have reached the daemon. A re-run of `goldfleet up` finishes the job instead.
    case atMostOnce

    static func of(_ method: LXDMethod) -> LXDRequestSafety {
        method == .GET ? .idempotent : .atMostOnce
    }
}
