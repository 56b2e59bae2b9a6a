import Foundation

extension JujuDouble {
    /// `juju refresh APP --path CHARM [--force-units]` (2.9 also as `upgrade-charm`): the local
    /// charm becomes the application's next revision, is copied to every unit and each unit runs
    /// `upgrade-charm` then `config-changed` (LocalCharmAgents). A unit in a hook error keeps
    /// waiting for the error to be resolved, as with juju, unless `--force-units`
    /// (worker/uniter/resolver.go nextOpHookError: ForceCharmUpgrade). The double refreshes only
    /// to a local charm: charm-store revisions are out of its reach.
    func refreshCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(
            valued: [Self.modelFlag, ["--path"], ["--channel"], ["--revision"], ["--switch"], ["--config"], ["--resource"],
                     ["--storage"], ["--bind"], major >= 3 ? ["--base"] : ["--series"]],
            boolean: [["--force"], ["--force-units"], ["--trust"], major >= 3 ? ["--force-base"] : ["--force-series"]]
        ).parse(arguments)
        guard let application = flags.positional.first else { throw Failure.usage("no application specified") }
        if flags.positional.count > 1 { throw Failure.usage("unrecognized args: \(Self.goList(Array(flags.positional.dropFirst())))") }
        let model = try modelName(flags)
        guard let given = flags.value("--path") else {
            throw Failure.failed("the Juju double refreshes only to a local charm: use --path")
        }
        let path = Self.absolutePath(given)
        guard CharmMetadata.localMetadata(path) != nil else {
            throw Failure.failed("charm or bundle at \"\(given)\": no metadata.yaml found")
        }
        let forceUnits = flags.isSet("--force-units")
        let (name, revision, units) = try store.update(model) { state -> (String, Int, [String]) in
            guard var app = state.applications[application] else {
                throw Failure.failed("application \"\(application)\" not found (not found)")
            }
            // Each upload of a local charm takes the next revision (AddLocalCharm).
            app.revision += 1
            app.charmPath = path
            app.charmOrigin = "local"
            app.channel = nil
            state.applications[application] = app
            let units = app.units.filter { unit in
                guard let agent = unit.agent else { return false }
                return agent.failedHook == nil || forceUnits
            }
            return (app.charm, app.revision, units.map(\.name))
        }
        inform("Added local charm \"\(name)\", revision \(revision), to the model")
        try runUnitAgents(model: model, application: application, units: units, plan: .upgrade)
    }
}
