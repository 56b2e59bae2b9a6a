import ArgumentParser
import Foundation
import GoldfleetSupport

/// The one way goldfleet shows a failure: `error: MESSAGE`, then `hint: HINT` when there is one.
/// Every command's errors end up here (see `Goldfleet.main`); reports that list several
/// failures use `lines(message:hint:)` so they read the same.
enum ErrorOutput {
    /// `error: …` and, on the next line, `hint: …`.
    static func lines(message: String, hint: String?) -> String {
        "error: \(message)" + (hint.map { "\nhint: \($0)" } ?? "")
    }

    /// What `error` says to a person: its message and hint, or its description.
    static func lines(for error: any Error) -> String {
        if let error = error as? any UserFacingError { return lines(message: error.message, hint: error.hint) }
        return lines(message: String(describing: error), hint: nil)
    }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// ArgumentParser's own errors: `ValidationError`, `ExitCode`, `CleanExit`, and the internal
    /// ones `--help` and parse mistakes come as (`CommandError`, thrown also from `run()` of its
    /// help command), which only it can print.
    static func isArgumentParsers(_ error: any Error) -> Bool {
        String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }

    /// Ends the process for an error a command threw. ArgumentParser's own errors (usage
    /// mistakes, `ExitCode`, `--help`) keep its output; everything else is printed here.
    static func exit(with error: any Error) -> Never {
        if isArgumentParsers(error) { Goldfleet.exit(withError: error) }
        if error is CancellationError { exit(with: CommandLineError.interrupted) }
        write(lines(for: error))
        Foundation.exit((error as? CommandLineError)?.status ?? EXIT_FAILURE)
    }
}
