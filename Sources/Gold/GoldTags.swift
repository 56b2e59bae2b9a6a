/// The config keys that mark an instance as a gold. goldfleet sets them in the create request
/// of every gold it builds; `list` finds golds by them and `--replace` deletes only golds that
/// carry both.
public enum GoldTags {
    public static let gold = "user.goldfleet.gold"
    public static let goldValue = "true"

    /// The tags of a gold goldfleet builds.
    public static var creation: [String: String] {
        [InstanceTags.managedBy: InstanceTags.managedByValue, gold: goldValue]
    }

    /// True when goldfleet built it (and so may replace it).
    public static func isGoldfleetGold(_ config: [String: String]) -> Bool {
        InstanceTags.isManaged(config) && config[gold] == goldValue
    }

    /// The image property that names the gold snapshot an image was published from (`gold/snap2`).
    public static let imageSource = "goldfleet.source"
}
