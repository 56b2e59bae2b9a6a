import Foundation
import GoldfleetSupport
import Orchestrator

/// Shows the progress of every command (`up`, `reset`, the gold commands): on a terminal one
/// live line per machine with its current step; otherwise plain timestamped lines (CI logs).
/// Secrets never reach it: events carry no credentials.
final class ProgressPrinter: ProgressSink, @unchecked Sendable {
    private let lock = NSLock()
    private let live: Bool
    private var order: [String] = []
    private var lines: [String: String] = [:]
    private var drawn = 0
    private let started = Date()

    init(live: Bool = isatty(STDERR_FILENO) == 1) {
        self.live = live
    }

    /// Timestamped lines even on a terminal: for the gold commands, which have no machine lines
    /// to keep live.
    static func plain() -> ProgressPrinter { ProgressPrinter(live: false) }

    func report(_ event: ProgressEvent) {
        lock.withLock {
            switch event {
            case .stepStarted(let machine, let step): update(machine, "… \(step.title)")
            case .machineFinished(let machine, let summary): update(machine, "✓ ready \(summary)")
            case .machineFailed(let machine, let step, let message): update(machine, "✗ \(step.title): \(message)")
            case .taskStarted(let title): message("… \(title)")
            case .taskFinished(let title, let duration): message("✓ \(title) (\(String(format: "%.2f", duration.seconds)) s)")
            case .note(let text): message("• \(text)")
            case .warning(let text): message("warning: \(text)")
            }
        }
    }

    private func update(_ machine: String, _ text: String) {
        if lines[machine] == nil { order.append(machine) }
        lines[machine] = text
        if live { redraw() } else { write("\(stamp()) \(machine): \(text)") }
    }

    private func message(_ text: String) {
        guard live else { return write("\(stamp()) \(text)") }
        clear()
        write(text)
        redraw()
    }

    private func clear() {
        if drawn > 0 { FileHandle.standardError.write(Data("\u{1B}[\(drawn)A\u{1B}[0J".utf8)) }
        drawn = 0
    }

    private func redraw() {
        clear()
        let width = order.map(\.count).max() ?? 0
        for machine in order {
            write(machine.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + (lines[machine] ?? ""))
        }
        drawn = order.count
    }

    private func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private func stamp() -> String {
        String(format: "[%6.2fs]", Date().timeIntervalSince(started))
    }
}
