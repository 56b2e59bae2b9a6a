import Foundation
import GoldfleetSupport
import JujuKit

/// The outcome of `up` (also written as `--json` and to the state directory): per machine what
/// happened, how long each step took, and what failed with its hint.
public struct UpReport: Sendable, Codable, Equatable, JSONReport {
    public struct Failure: Sendable, Codable, Equatable {
        public var step: String
        public var message: String
        public var hint: String?
    }

    public struct Machine: Sendable, Codable, Equatable {
        public var name: String
        public var group: String
        public var ipv4: String?
        public var jujuMachine: String?
        public var member: String?
        /// Seconds per step that ran (steps skipped because already done are absent).
        public var steps: [String: Double]
        public var failure: Failure?
        /// True when nothing needed doing (a converged re-run).
        public var unchanged: Bool
    }

    public struct JujuAction: Sendable, Codable, Equatable {
        public var command: String
        public var outcome: String
        public var seconds: Double
    }

    public var environment: String
    public var model: String
    public var jujuSimulated: Bool
    public var machines: [Machine]
    public var juju: [JujuAction]
    public var errors: [Failure]
    public var seconds: Double
    /// The canonical path of the inventory file this run converged (nil in older reports):
    /// `down` of another inventory with the same name leaves this report's juju machines alone.
    public var inventory: String?
    /// What the environment holds that the inventory no longer names, left in place (after
    /// `--prune`: what could not be removed); nil when not read (`reset`, older reports).
    public var left: Drift?
    /// What `up --prune` removed.
    public var pruned: Drift?
    /// The applications goldfleet deployed into the model for this inventory and has not
    /// removed (the inventory's, and those it left): the next run knows them as its own.
    public var applications: [String]?

    public var succeeded: Bool { machines.allSatisfy { $0.failure == nil } && errors.isEmpty }
}
