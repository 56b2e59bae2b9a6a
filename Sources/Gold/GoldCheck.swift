/// One property of a gold that `doctor` checked, what it saw, and how to fix a failure.
public struct GoldCheck: Sendable, Equatable {
    public enum Status: String, Sendable {
        case passed, warning, failed, skipped
    }

    /// Short and stable, e.g. `machine-id`, `password login`.
    public var name: String
    public var status: Status
    /// What was seen.
    public var detail: String
    /// How to fix it, for failures and warnings.
    public var fix: String?

    public init(name: String, status: Status, detail: String, fix: String? = nil) {
        self.name = name
        self.status = status
        self.detail = detail
        self.fix = fix
    }

    public static func passed(_ name: String, _ detail: String) -> GoldCheck { GoldCheck(name: name, status: .passed, detail: detail) }
    public static func failed(_ name: String, _ detail: String, fix: String) -> GoldCheck {
        GoldCheck(name: name, status: .failed, detail: detail, fix: fix)
    }
    public static func warning(_ name: String, _ detail: String, fix: String) -> GoldCheck {
        GoldCheck(name: name, status: .warning, detail: detail, fix: fix)
    }
    public static func skipped(_ name: String, _ detail: String) -> GoldCheck { GoldCheck(name: name, status: .skipped, detail: detail) }
}

/// Everything `doctor` found about one gold.
public struct GoldDoctorReport: Sendable, Equatable {
    /// `gold/snap1` or `gold`.
    public var subject: String
    public var checks: [GoldCheck]
    /// The temporary clone the checks ran on (deleted by the time the report is returned).
    public var temporaryInstance: String?

    public init(subject: String, checks: [GoldCheck], temporaryInstance: String? = nil) {
        self.subject = subject
        self.checks = checks
        self.temporaryInstance = temporaryInstance
    }

    /// True when nothing failed (warnings and skips allowed).
    public var passed: Bool { !checks.contains { $0.status == .failed } }
    public var failures: [GoldCheck] { checks.filter { $0.status == .failed } }

    /// The check of that name, if it ran.
    public func check(_ name: String) -> GoldCheck? { checks.first { $0.name == name } }

    /// A pass/fail list with the fix under each failure or warning, and a verdict line.
    public func rendered() -> String {
        let width = checks.map(\.name.count).max() ?? 0
        var lines = ["gold doctor: \(subject)"]
        for check in checks {
            let mark = switch check.status {
            case .passed: "PASS"
            case .warning: "WARN"
            case .failed: "FAIL"
            case .skipped: "SKIP"
            }
            lines.append("  \(mark)  \(check.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(check.detail)")
            if let fix = check.fix, check.status == .failed || check.status == .warning {
                lines.append("        fix: \(fix)")
            }
        }
        let failed = failures.count
        let warned = checks.filter { $0.status == .warning }.count
        lines.append(failed == 0
            ? "\(subject) is a usable gold" + (warned > 0 ? " (\(warned) warning\(warned == 1 ? "" : "s"))" : "")
            : "\(subject) is NOT a usable gold: \(failed) check\(failed == 1 ? "" : "s") failed")
        return lines.joined(separator: "\n")
    }
}
