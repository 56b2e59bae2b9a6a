import Foundation
import GoldfleetSupport
import Orchestrator

/// How command results look on a terminal.
enum Reports {
    static func printUp(_ report: UpReport, json: Bool, timings: Bool) {
        if json { return print(report.json()) }
        // A MEMBER column only on a cluster, where machines have one.
        let clustered = report.machines.contains { $0.member != nil }
        var table = Table(header: ["MACHINE"] + (clustered ? ["MEMBER"] : []) + ["IPV4", "JUJU", "RESULT"])
        for machine in report.machines {
            let result: String
            if let failure = machine.failure {
                result = "FAILED at \(failure.step): \(failure.message)" + (failure.hint.map { "\n      hint: \($0)" } ?? "")
            } else {
                result = machine.unchanged ? "ok (unchanged)" : String(format: "ok (%.1fs)", machine.steps.values.reduce(0, +))
            }
            table.rows.append([machine.name] + (clustered ? [machine.member ?? "-"] : []) + [machine.ipv4 ?? "-", machine.jujuMachine ?? "-", result])
        }
        print(table.rendered())
        for action in report.juju where action.outcome != "ok" {
            print("juju: \(action.command): \(action.outcome)")
        }
        for error in report.errors { print(ErrorOutput.lines(message: "\(error.step): \(error.message)", hint: error.hint)) }
        if let pruned = report.pruned, !pruned.isEmpty {
            print("\npruned (no longer in the inventory):")
            for line in pruned.lines { print("  removed \(line)") }
        }
        if let left = report.left {
            if !left.isEmpty {
                print("\nleft in place (no longer in the inventory; `goldfleet up --prune` removes it):")
                for line in left.lines { print("  left \(line)") }
            }
            for unread in left.unread { print("drift unknown: could not read \(unread)") }
        }
        if timings { print("\n" + timingTable(report)) }
        let failed = report.machines.filter { $0.failure != nil }.count
        let simulated = report.jujuSimulated ? " (Juju was SIMULATED)" : ""
        if report.succeeded {
            print(String(format: "\n%@: %d machine(s) ready in %.1fs%@", report.environment, report.machines.count, report.seconds, simulated))
        } else {
            print(String(format: "\n%@: INCOMPLETE after %.1fs — %d of %d machine(s) failed, %d other error(s); fix them and run `goldfleet up` again%@",
                         report.environment, report.seconds, failed, report.machines.count, report.errors.count, simulated))
        }
    }

    static func timingTable(_ report: UpReport) -> String {
        let steps = MachineStep.allCases.filter { step in report.machines.contains { $0.steps[step.rawValue] != nil } }
        var table = Table(header: ["MACHINE"] + steps.map(\.rawValue) + ["total"])
        for machine in report.machines {
            table.rows.append([machine.name] + steps.map { step in
                machine.steps[step.rawValue].map { String(format: "%.2f", $0) } ?? "-"
            } + [String(format: "%.2f", machine.steps.values.reduce(0, +))])
        }
        var juju = Table(header: ["JUJU COMMAND", "SECONDS", "OUTCOME"])
        juju.rows = report.juju.map { [$0.command, String(format: "%.2f", $0.seconds), $0.outcome] }
        return table.rendered() + (juju.rows.isEmpty ? "" : "\n\n" + juju.rendered())
    }
}
