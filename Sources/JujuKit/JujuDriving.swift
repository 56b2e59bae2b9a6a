/// What goldfleet's orchestrator asks of juju, one model at a time: the model itself, manual
/// machines, applications and their units and relations, and what `cycle` reads back.
/// `JujuCLI` (the `juju` command line) is the production implementation; unit tests of the
/// orchestrator use an in-memory one.
///
/// Implementations keep juju's contracts: `addMachine` returns the machine juju already has for
/// that host instead of adding a second; removing something juju does not have throws a
/// `JujuError` whose reason is `.notFound`.
public protocol JujuDriving: Sendable {
    /// The model every call works on.
    var model: String { get }
    /// The same driver pointed at another model.
    func inModel(_ model: String) -> any JujuDriving

    func version() async throws -> JujuVersion
    /// Creates the model unless it exists; true when it was created.
    @discardableResult
    func ensureModel() async throws -> Bool
    func setModelConfig(_ pairs: [(String, String)]) async throws
    func status() async throws -> JujuStatus

    func machines() async throws -> [JujuMachine]
    /// Registers `user@host` as a manual machine and returns its id (an existing one for the
    /// host when juju has it; `known` saves listing the machines again).
    func addMachine(user: String, host: String, known: [JujuMachine]?) async throws -> String
    func removeMachine(_ id: String, force: Bool, version: JujuVersion?) async throws

    func deploy(charm: String, application: String?, to placements: [String], numUnits: Int?,
                channel: String?, revision: Int?, config: [String: String], base: String?,
                options: JujuCLI.DeployOptions, version: JujuVersion?) async throws
    func addUnit(_ application: String, to placements: [String], numUnits: Int?) async throws
    func expose(_ application: String) async throws
    /// Relates two applications (or `app:endpoint`s); an existing relation is success.
    func relate(_ first: String, _ second: String, version: JujuVersion) async throws
    func removeApplication(_ application: String, force: Bool, version: JujuVersion?) async throws
    func removeUnit(_ unit: String, version: JujuVersion?) async throws

    /// The local charm at `path` as the application's next revision.
    func refresh(_ application: String, path: String) async throws
    /// The unit agent's recent statuses, oldest first.
    func agentStatusLog(unit: String, entries: Int) async throws -> [JujuStatusLogEntry]
    /// The unit's last log lines.
    func debugLog(unit: String, lines: Int) async throws -> [String]
    /// `juju exec --unit UNIT -- COMMANDS` (`run` on 2.9): a command in the unit's hook context, as root.
    func exec(unit: String, commands: String, version: JujuVersion) async throws -> JujuExecResult
}

extension JujuCLI: JujuDriving {
    public func inModel(_ model: String) -> any JujuDriving {
        JujuCLI(executable: executable, model: model, runner: runner, environment: environment)
    }
}
