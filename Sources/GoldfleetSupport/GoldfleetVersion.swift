/// The version printed by `goldfleet --version` and recorded on every instance goldfleet creates.
public enum GoldfleetVersion {
    public static let current = "0.1.0"
}
