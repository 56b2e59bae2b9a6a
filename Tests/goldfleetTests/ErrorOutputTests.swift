import Testing

@testable import goldfleet
@testable import Inventory
@testable import Gold
@testable import Orchestrator

@Suite("error output")
struct ErrorOutputTests {
    @Test("a failure is `error: MESSAGE` then `hint: HINT`")
    func messageAndHint() {
        #expect(ErrorOutput.lines(for: GoldError("gold `g` already exists", hint: "pass --replace"))
                == "error: gold `g` already exists\nhint: pass --replace")
        #expect(ErrorOutput.lines(for: OrchestratorError("no machines")) == "error: no machines")
    }

    @Test("an error without a message and hint prints its description, with the same prefix")
    func plainError() {
        struct Odd: Error, CustomStringConvertible { var description: String { "odd thing" } }
        #expect(ErrorOutput.lines(for: Odd()) == "error: odd thing")
    }

    @Test("an unusable --password-env names the option and says how to fix it, never the value")
    func passwordEnvironment() throws {
        do {
            _ = try PasswordResolver.resolve(.environment("GFT_NO_SUCH_VARIABLE"), environment: [:])
            Issue.record("resolved an unset variable")
        } catch let missing as PasswordResolver.Missing {
            let error = CommandLineError.passwordUnavailable(missing, option: "--password-env")
            #expect(error.message == "no SSH password: environment variable GFT_NO_SUCH_VARIABLE is not set (--password-env)")
            #expect(error.hint == "export GFT_NO_SUCH_VARIABLE=… first, or use --password-file")
        }
    }
}
