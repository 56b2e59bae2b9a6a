/// What a path inside an instance is, as LXD's files API reports it without following links.
public enum LXDFileEntry: Sendable, Equatable {
    case file([UInt8])
    case symlink(target: String)
    case directory(entries: [String])

    public var isFile: Bool { if case .file = self { true } else { false } }
}
