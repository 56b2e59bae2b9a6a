/// An image LXD fetches itself from an image server when it creates the instance: the
/// `server`/`protocol`/`alias` of the create request's `source` (InstanceSource in LXD's
/// shared/api/instance.go). goldfleet never contacts the server; LXD does.
public struct LXDRemoteImage: Sendable, Equatable {
    /// How LXD talks to the server: `simplestreams` (cloud-images.ubuntu.com and the like) or `lxd`.
    public enum ImageProtocol: String, Sendable, Equatable, CaseIterable {
        case simplestreams
        case lxd
    }

    /// `https://cloud-images.ubuntu.com/releases` (LXD fetches remote images over HTTPS only).
    public var server: String
    public var imageProtocol: ImageProtocol
    /// The image's alias on that server, e.g. `22.04` or `noble`.
    public var alias: String

    public init(server: String, imageProtocol: ImageProtocol = .simplestreams, alias: String) {
        self.server = server
        self.imageProtocol = imageProtocol
        self.alias = alias
    }
}
