/// Gold snapshots are named `snap1`, `snap2`, …; a new one takes the next free number.
public enum GoldSnapshotName {
    /// One past the highest `snapN` among `existing` (other names are ignored), so numbers are
    /// never reused even when an older snapshot was deleted.
    public static func next(after existing: [String]) -> String {
        let numbers = existing.compactMap { name -> Int? in
            guard name.hasPrefix("snap"), let number = Int(name.dropFirst(4)), number >= 0 else { return nil }
            return number
        }
        return "snap\((numbers.max() ?? 0) + 1)"
    }

    /// The newest `snapN` (highest number), or `nil` when there is none.
    public static func latest(in existing: [String]) -> String? {
        existing.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("snap"), let number = Int(name.dropFirst(4)) else { return nil }
            return (number, name)
        }.max { $0.0 < $1.0 }?.1
    }
}
