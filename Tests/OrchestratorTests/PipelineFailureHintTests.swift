import Testing
@testable import GoldfleetSupport
@testable import Inventory
@testable import Orchestrator

/// A machine's failure in the `up` report keeps the hint of the error that stopped it.
@Suite("Pipeline failure hints")
struct PipelineFailureHintTests {
    @Test("the report carries the underlying error's hint")
    func keepsHint() {
        let spec = MachineSpec(instanceName: "env-web-1", group: "web", index: 1)
        let run = PipelineRun(spec: spec, clock: .system, progress: SilentProgress())
        let failed = run.failed(OrchestratorError("boom", hint: "do this"))
        #expect(failed.failure?.hint == "do this")
        #expect(failed.failure?.message == "\(spec.instanceName): cloning failed: boom")
    }
}
