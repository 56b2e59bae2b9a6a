import ArgumentParser
import Foundation
import GoldfleetSupport
import Orchestrator

/// `goldfleet cycle --sync` and `--watch`: the fastest loop, run and printed.
enum CycleSyncRun {
    static func run(inventoryPath: String, applications: [String], hook: String?, watch: Bool, json: Bool,
                    connection: ConnectionOptions) async throws {
        let hook = hook ?? CharmHook.defaultName
        let inventory = try loadInventory(inventoryPath)
        let succeeded = try await Interruption.cancellingOnSignal {
            try await connection.withOrchestrator(inventory: inventory, progress: SilentProgress()) { orchestrator in
                let sessions = try orchestrator.machineSessions(for: inventory)
                do {
                    let succeeded: Bool
                    if watch {
                        try await orchestrator.cycleWatch(inventory, applications: applications, hook: hook, sessions: sessions) { event in
                            emit(json ? jsonLine(event) : rendered(event))
                        }
                        succeeded = true  // Ctrl-C ends watching; that is how it is meant to end
                    } else {
                        let report = try await orchestrator.cycleSync(inventory, applications: applications, hook: hook, sessions: sessions)
                        print(json ? report.json() : rendered(report))
                        succeeded = report.succeeded
                    }
                    await sessions.closeAll()
                    return succeeded
                } catch {
                    await sessions.closeAll()
                    throw error
                }
            }
        }
        if !succeeded { throw ExitCode.failure }
    }

    static func rendered(_ report: SyncCycleReport) -> String {
        var table = Table(header: ["Unit", "Machine", "Files", "Sync", report.hook, "Total"])
        for unit in report.units {
            let files = unit.fullCopy ? "\(unit.uploaded) sent, all copied" : "\(unit.uploaded) sent, \(unit.copied) copied" + (unit.removed > 0 ? ", \(unit.removed) removed" : "")
            let hook = unit.exitCode.map { $0 == 0 ? seconds(unit.hookSeconds) : "exit \($0) after \(seconds(unit.hookSeconds))" } ?? "-"
            table.rows.append([unit.name, unit.machine ?? "-", files, seconds(unit.syncSeconds), hook, unit.error == nil ? seconds(unit.total) : "failed"])
        }
        var text = table.rendered()
        for unit in report.units {
            text += "\n\n" + unitDetail(unit, hook: report.hook)
        }
        return text
    }

    /// A unit's hook output (or why it did not run), indented under a heading.
    static func unitDetail(_ unit: SyncCycleReport.Unit, hook: String) -> String {
        if let error = unit.error {
            return "\(unit.name): \(error)" + (unit.hint.map { "\n  hint: \($0)" } ?? "")
        }
        let cut = unit.outputLines > unit.output.count ? " (last \(unit.output.count) of \(unit.outputLines) lines)" : ""
        let heading = unit.exitCode == 0
            ? "\(unit.name): \(hook) output\(cut):"
            : "\(unit.name): hook \"\(hook)\" failed with exit \(unit.exitCode ?? -1); its output\(cut):"
        return heading + "\n" + (unit.output.isEmpty ? "  (none)" : unit.output.map { "  " + $0 }.joined(separator: "\n"))
    }

    /// One line per watch event; failed units add their output below it.
    static func rendered(_ event: CycleWatchEvent) -> String {
        let time = timestamp()
        switch event {
        case .watching(let roots):
            return "\(time)  watching \(roots.joined(separator: ", ")) — save a file to sync it to every unit; Ctrl-C to stop"
        case .failed(let message, let hint):
            return "\(time)  error: \(message)" + (hint.map { " — hint: \($0)" } ?? "")
        case .ran(let changed, let report):
            let files = changed.count == 1 ? (changed[0] as NSString).lastPathComponent : "\(changed.count) files"
            let failed = report.units.filter { !$0.succeeded }
            let outcome = failed.isEmpty
                ? "ok on \(report.units.count) unit\(report.units.count == 1 ? "" : "s") in \(seconds(report.seconds))"
                : "FAILED on \(failed.map(\.name).joined(separator: ", ")) (\(report.units.count - failed.count) of \(report.units.count) ok) in \(seconds(report.seconds))"
            var text = "\(time)  \(files) changed → \(report.hook): \(outcome)"
            for unit in failed { text += "\n" + unitDetail(unit, hook: report.hook) }
            return text
        }
    }

    static func jsonLine(_ event: CycleWatchEvent) -> String {
        switch event {
        case .ran(_, let report): report.json(oneLine: true)
        case .watching(let roots): encoded(["watching": roots])
        case .failed(let message, _): encoded(["error": [message]])
        }
    }

    private static func encoded(_ value: [String: [String]]) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data(), as: UTF8.self)
    }

    /// Prints at once, also into a pipe (a watcher's output is read while it runs).
    private static func emit(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    private static func seconds(_ value: Double) -> String { String(format: "%.2fs", value) }

    private static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: Date())
    }
}
