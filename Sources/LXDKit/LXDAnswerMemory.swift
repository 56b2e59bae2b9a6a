import Foundation

/// Remembers whether this client's daemon has answered, so only a daemon that went away is
/// waited for: one that never answered is not running (fail at once), and once an outage
/// outlasted the retry window the next requests fail at once too, until it answers again.
final class LXDAnswerMemory: @unchecked Sendable {
    enum State: Sendable, Equatable {
        case neverAnswered
        case answered
        /// An outage outlasted the retry window.
        case gaveUp
    }

    private let lock = NSLock()
    private var current: State

    init(_ state: State = .neverAnswered) { current = state }

    var state: State { lock.withLock { current } }

    /// True when a failed request may be retried: the daemon answered before and was not given up on.
    var waitsForReturn: Bool { state == .answered }

    func answered() { lock.withLock { current = .answered } }

    func gaveUp() {
        // Only a daemon that answered can be given up on; one that answers meanwhile stays answered.
        lock.withLock { if current == .answered { current = .gaveUp } }
    }
}
