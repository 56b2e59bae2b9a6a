import ArgumentParser
import Foundation
import GoldfleetSupport
import Orchestrator

struct CycleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cycle",
        abstract: "Run a changed local charm on its units and show how long each phase took.",
        discussion: """
            Fresh (the default): removes the applications (`juju remove-application --force \
            --no-wait`), resets their machines to the gold as `reset` does (re-clone, re-verify, \
            `juju add-machine`), deploys the local charm again with the same `--to` placements \
            and relations, and waits until every unit ran its install and start hooks. A machine \
            that also hosts another application is refused before anything is touched (a fresh \
            machine would take that unit with it): use --refresh, cycle both, or give the charm \
            machines of its own.
            With --refresh: `juju refresh APP --path CHARM` for each local-charm application (all \
            when none is named), then waits until every unit ran upgrade-charm and config-changed.
            Prints each unit's phase times and total; on a failed hook, the unit's last log lines, \
            and exits non-zero. Ctrl-C stops after the step in flight; `cycle` again converges.
            With --sync: pushes only the changed files of each local charm into every unit's charm \
            directory, then runs a hook (--hook, default upgrade-charm) on every unit through \
            `juju exec`, showing each unit's output and times; a failing hook exits non-zero. \
            --watch does that on every save until Ctrl-C.
            """)

    @Argument(help: "The inventory file.") var inventory: String
    @Argument(help: "Applications to cycle (local charms; all of them when none is named).") var applications: [String] = []
    @Flag(help: "Refresh the running units in place (the upgrade-charm path).") var refresh = false
    @Flag(help: "Push only the changed charm files into every unit's charm directory and run a hook there.") var sync = false
    @Flag(help: "Like --sync, on every save in the charm directories, until Ctrl-C.") var watch = false
    @Option(help: "The hook --sync and --watch run (default: upgrade-charm).") var hook: String?
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print a machine-readable report.") var json = false

    func validate() throws {
        if hook != nil, !(sync || watch) { throw ValidationError("--hook goes with --sync or --watch") }
        if (sync || watch), refresh { throw ValidationError("--sync and --watch do not go with --refresh") }
        if let hook, !CharmHook.isValidName(hook) {
            throw ValidationError("--hook `\(hook)` is not a hook name (lowercase letters, digits and dashes, e.g. upgrade-charm)")
        }
    }

    func run() async throws {
        if sync || watch {
            return try await CycleSyncRun.run(inventoryPath: inventory, applications: applications, hook: hook, watch: watch,
                                              json: json, connection: connection)
        }
        let inventory = try loadInventory(inventory)
        let progress: any ProgressSink = json ? SilentProgress() : ProgressPrinter()
        let report = try await Interruption.cancellingOnSignal {
            try await connection.withOrchestrator(inventory: inventory, progress: progress) { orchestrator in
                refresh ? try await orchestrator.cycleRefresh(inventory, applications: applications)
                    : try await orchestrator.cycleFresh(inventory, applications: applications)
            }
        }
        if json {
            print(report.json())
        } else {
            print(Self.rendered(report))
        }
        if !report.succeeded { throw ExitCode.failure }
    }

    static func rendered(_ report: CycleReport) -> String {
        var table = Table(header: ["Unit", "Phases", "Total"])
        for unit in report.units {
            let phases = unit.phases.map { "\($0.name) \(String(format: "%.2fs", $0.seconds))" }.joined(separator: ", ")
            table.rows.append([unit.name, phases, String(format: "%.2fs", unit.total)])
        }
        var text = table.rendered()
        for unit in report.units {
            guard let hook = unit.failedHook else { continue }
            text += "\n\n\(unit.name): hook \"\(hook)\" failed; its last lines:\n" + unit.lastLines.map { "  " + $0 }.joined(separator: "\n")
        }
        return text
    }
}
