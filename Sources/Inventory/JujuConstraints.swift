/// Juju constraints (`cores=2 mem=8G root-disk=16G`) as far as LXD limits can express them.
///
/// Numbers come from bundles found on the internet: every conversion is range-checked in
/// floating point first, so `cores=1e300` or `mem=inf` is a reported problem, never a trap.
struct JujuConstraints: Equatable {
    var cpu: Int?
    /// In LXD's spelling (`8GiB`).
    var memory: String?
    /// `key=value` items LXD limits cannot express (root-disk, arch, spaces, tags, …).
    var unsupported: [String] = []
    /// Items that could not be read at all.
    var malformed: [String] = []
    /// Items with a number no container can have.
    var outOfRange: [OutOfRange] = []

    struct OutOfRange: Equatable {
        var item: String
        /// What would have been accepted, e.g. "a number of cores from 1 to 1024".
        var expected: String
        /// The inventory key the value would have become (`cpu`, `memory`).
        var inventoryKey: String
    }

    /// More cores than any LXD host offers a container.
    static let maximumCores = 1024
    /// 1 PiB, in MiB.
    static let maximumMemoryMiB = 1024.0 * 1024 * 1024

    init(parsing text: String) {
        for item in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                malformed.append(String(item))
                continue
            }
            switch parts[0] {
            case "cores", "cpu-cores":
                guard let value = Double(parts[1]) else {
                    malformed.append(String(item))
                    continue
                }
                if let cores = Self.cores(value) {
                    cpu = cores
                } else {
                    outOfRange.append(OutOfRange(item: String(item), expected: "a number of cores from 1 to \(Self.maximumCores)",
                                                 inventoryKey: "cpu"))
                }
            case "mem":
                switch Self.memory(parts[1]) {
                case .some(.some(let value)): memory = value
                case .some(.none):
                    outOfRange.append(OutOfRange(item: String(item), expected: "a size from 1M to 1P (juju sizes are MiB unless suffixed M, G, T or P)",
                                                 inventoryKey: "memory"))
                case .none: malformed.append(String(item))
                }
            default:
                unsupported.append(String(item))
            }
        }
    }

    /// Whole cores (juju rounds a fraction up); `nil` outside 1…maximumCores, infinity and NaN.
    static func cores(_ value: Double) -> Int? {
        guard value.isFinite, value >= 1, value <= Double(maximumCores) else { return nil }
        return Int(exactly: value.rounded(.up))
    }

    /// Juju sizes are MiB by default; M/G/T/P suffixes are binary units.
    /// `nil` when the text is no size at all; `.some(nil)` when it is out of range.
    static func memory(_ text: String) -> String?? {
        let units: [String: (lxd: String, mib: Double)] = [
            "M": ("MiB", 1), "G": ("GiB", 1024), "T": ("TiB", 1024 * 1024), "P": ("PiB", 1024 * 1024 * 1024),
        ]
        var number = text
        var unit = (lxd: "MiB", mib: 1.0)
        if let last = text.last, let mapped = units[last.uppercased()] {
            number = String(text.dropLast())
            unit = mapped
        }
        guard let value = Double(number) else { return nil }
        let mib = value * unit.mib
        guard value.isFinite, mib.isFinite, value > 0, mib >= 1, mib <= maximumMemoryMiB else { return .some(nil) }
        // LXD accepts integers only; keep precision by stepping down a unit when fractional.
        if value == value.rounded(), let whole = Int(exactly: value) { return "\(whole)\(unit.lxd)" }
        let smaller: [String: String] = ["GiB": "MiB", "TiB": "GiB", "PiB": "TiB"]
        if let lower = smaller[unit.lxd], let whole = Int(exactly: (value * 1024).rounded(.up)) {
            return "\(whole)\(lower)"
        }
        return Int(exactly: mib.rounded(.up)).map { "\($0)MiB" }
    }
}
