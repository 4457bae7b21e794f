import FoundationEssentials
import VigiaModel

/// Turns the bytes of a feed or forum export into entries.
public struct FeedParser: Sendable {
    public init() {}
}
