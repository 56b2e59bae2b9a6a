import Foundation

extension JujuDouble {
    /// `juju debug-log --replay --no-tail [--include unit-APP-N]… [-n N]`: the hook output of
    /// local-charm units, as the uniter logs it (hook output at DEBUG under `unit.APP/N.HOOK`,
    /// then `ran "HOOK" hook (via …)` or `hook "HOOK" (via …) failed: exit status N` from
    /// juju.worker.uniter.operation), in debug-log's line format `ENTITY: HH:MM:SS LEVEL MODULE MESSAGE`.
    /// The double keeps the last lines of each hook's output (the machine's unit log has all of
    /// it); it never tails: it prints what it has and exits.
    func debugLogCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(
            valued: [Self.modelFlag, ["-i", "--include"], ["-x", "--exclude"], ["-n", "--lines", "--limit"], ["-l", "--level"],
                     ["--include-module"], ["--exclude-module"], ["--include-label"], ["--exclude-label"], ["--format"]],
            boolean: [["--replay"], ["--no-tail"], ["--tail"], ["--ms"], ["--date"], ["--utc"], ["--location"], ["--color"], ["--no-color"],
                      ["--firehose"]]
        ).parse(arguments)
        let model = try modelName(flags)
        let state = try store.locked { try store.load(model) }
        let includes = Set(flags.all("-i").flatMap { $0.split(separator: ",").map(String.init) })
        var lines: [(Date, String)] = []
        for app in state.applications.values {
            for unit in app.units {
                let entity = "unit-" + unit.name.replacingOccurrences(of: "/", with: "-")
                guard includes.isEmpty || includes.contains(entity) || includes.contains(unit.name) || includes.contains(app.name) else { continue }
                for run in unit.agent?.hooks ?? [] where run.handler != "missing" {
                    let end = run.started.addingTimeInterval(run.seconds)
                    func line(_ date: Date, _ level: String, _ module: String, _ text: String) -> (Date, String) {
                        (date, "\(entity): \(Self.timestamp(date, format: "HH:mm:ss")) \(level) \(module) \(text)")
                    }
                    lines += run.output.map { line(end, "DEBUG", "unit.\(unit.name).\(run.name)", $0) }
                    let via = run.handler == "dispatch" ? "hook dispatching script: dispatch" : "explicit, bespoke hook script"
                    lines.append(run.exitCode == 0
                        ? line(end, "INFO", "juju.worker.uniter.operation", "ran \"\(run.name)\" hook (via \(via))")
                        : line(end, "ERROR", "juju.worker.uniter.operation", "hook \"\(run.name)\" (via \(via)) failed: exit status \(run.exitCode)"))
                }
            }
        }
        let sorted = lines.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1)
        let count = Int(flags.value("-n") ?? "") ?? sorted.count
        write(sorted.suffix(count).map { $0 + "\n" }.joined())
    }
}
