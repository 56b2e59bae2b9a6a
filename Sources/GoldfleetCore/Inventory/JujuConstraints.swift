/// Juju constraints (`cores=2 mem=8G root-disk=16G`) as far as LXD limits can express them.
struct JujuConstraints: Equatable {
    var cpu: Int?
    /// In LXD's spelling (`8GiB`).
    var memory: String?
    /// `key=value` items LXD limits cannot express (root-disk, arch, spaces, tags, …).
    var unsupported: [String] = []
    /// Items that could not be read at all.
    var malformed: [String] = []

    init(parsing text: String) {
        for item in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                malformed.append(String(item))
                continue
            }
            switch parts[0] {
            case "cores", "cpu-cores":
                if let value = Double(parts[1]), value >= 1 { cpu = Int(value.rounded(.up)) } else { malformed.append(String(item)) }
            case "mem":
                if let value = Self.memory(parts[1]) { memory = value } else { malformed.append(String(item)) }
            default:
                unsupported.append(String(item))
            }
        }
    }

    /// Juju sizes are MiB by default; M/G/T/P suffixes are binary units.
    static func memory(_ text: String) -> String? {
        let units: [Character: String] = ["M": "MiB", "G": "GiB", "T": "TiB", "P": "PiB"]
        var number = text
        var unit = "MiB"
        if let last = text.last, let mapped = units[Character(last.uppercased())] {
            number = String(text.dropLast())
            unit = mapped
        }
        guard let value = Double(number), value > 0 else { return nil }
        // LXD accepts integers only; keep precision by stepping down a unit when fractional.
        if value == value.rounded() { return "\(Int(value))\(unit)" }
        let smaller: [String: String] = ["GiB": "MiB", "TiB": "GiB", "PiB": "TiB"]
        if let lower = smaller[unit] { return "\(Int((value * 1024).rounded()))\(lower)" }
        return "\(Int(value.rounded(.up)))\(unit)"
    }
}
