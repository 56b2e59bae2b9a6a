/// Runs `body` to its end even when the calling task is cancelled (Ctrl-C): for steps that must
/// not be stopped halfway, because LXD would carry on anyway or juju would be left half done.
/// A task of its own does not inherit the caller's cancellation; the caller still waits for it.
public func runToCompletion<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await Task { try await body() }.value
}
