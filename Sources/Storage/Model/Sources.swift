import FoundationEssentials
import VigiaModel

/// Where entries come from.
public enum SourceKind: String, Sendable, Hashable, Codable {
    /// A feed or endpoint polled by the daemon.
    case feed
    /// A file loaded by `vigia import`.
    case `import`
}

/// A source to register (or find again) by its URL.
public struct NewSource: Sendable, Hashable {
    public var kind: SourceKind
    /// The feed URL, or for an import the file's absolute `file://` URL. Unique.
    public var url: String
    public var format: FeedFormat?
    public var title: String?
    /// How often to poll, in seconds (nil: the configured default).
    public var pollInterval: Int?

    public init(kind: SourceKind, url: String, format: FeedFormat? = nil, title: String? = nil, pollInterval: Int? = nil) {
        self.kind = kind
        self.url = url
        self.format = format
        self.title = title
        self.pollInterval = pollInterval
    }
}

/// A stored source with its polling state (written by the fetcher, shown by `vigia feeds status`).
public struct SourceRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var kind: SourceKind
    public var url: String
    public var format: FeedFormat?
    public var title: String?
    /// The site the feed belongs to.
    public var siteLink: String?
    /// Polling interval in seconds (nil: the configured default).
    public var pollInterval: Int?
    /// Inactive sources are kept with their entries but never polled.
    public var active: Bool
    /// The `ETag` of the last 200 response, for conditional GET.
    public var etag: String?
    /// The `Last-Modified` of the last 200 response, for conditional GET.
    public var lastModified: String?
    /// The HTTP status of the last poll (0 when no response arrived).
    public var lastStatus: Int?
    /// What went wrong on the last failed poll.
    public var lastError: String?
    public var lastPolledAt: Date?
    public var lastSuccessAt: Date?
    /// Failed polls in a row (drives the backoff).
    public var consecutiveFailures: Int
    /// When the source is next due.
    public var nextPollAt: Date?
    /// Recent publishing rate, to adapt the interval.
    public var itemsPerDay: Double?
    public var addedAt: Date
    /// Where a permanent redirect (301/308) moved the feed; polled instead of ``url`` when set.
    public var fetchURL: String?
    /// Hash of the last body, to skip unchanged bodies from servers that ignore conditional GET.
    public var contentHash: Int64?
    /// No poll before this date: a server's `Retry-After`, or the backoff after failures.
    public var holdUntil: Date?
    /// When the current run of failures began (nil while the feed works).
    public var failingSince: Date?
    /// New entries stored from this source, ever.
    public var entriesTotal: Int

    /// The URL to request: where a permanent redirect moved the feed, else the configured URL.
    public var effectiveURL: String { fetchURL ?? url }

    public init(
        id: Int64, kind: SourceKind, url: String, format: FeedFormat? = nil, title: String? = nil,
        siteLink: String? = nil, pollInterval: Int? = nil, active: Bool = true, etag: String? = nil,
        lastModified: String? = nil, lastStatus: Int? = nil, lastError: String? = nil,
        lastPolledAt: Date? = nil, lastSuccessAt: Date? = nil, consecutiveFailures: Int = 0,
        nextPollAt: Date? = nil, itemsPerDay: Double? = nil, addedAt: Date, fetchURL: String? = nil,
        contentHash: Int64? = nil, holdUntil: Date? = nil, failingSince: Date? = nil, entriesTotal: Int = 0
    ) {
        self.id = id
        self.kind = kind
        self.url = url
        self.format = format
        self.title = title
        self.siteLink = siteLink
        self.pollInterval = pollInterval
        self.active = active
        self.etag = etag
        self.lastModified = lastModified
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.lastPolledAt = lastPolledAt
        self.lastSuccessAt = lastSuccessAt
        self.consecutiveFailures = consecutiveFailures
        self.nextPollAt = nextPollAt
        self.itemsPerDay = itemsPerDay
        self.addedAt = addedAt
        self.fetchURL = fetchURL
        self.contentHash = contentHash
        self.holdUntil = holdUntil
        self.failingSince = failingSince
        self.entriesTotal = entriesTotal
    }
}

/// A file of a folder source as it was when read: a file with another size or time is read again.
public struct FolderFile: Sendable, Hashable {
    public var sourceID: Int64
    public var name: String
    public var size: Int64
    /// Modification time, in whole seconds.
    public var modified: Int64

    public init(sourceID: Int64, name: String, size: Int64, modified: Int64) {
        self.sourceID = sourceID
        self.name = name
        self.size = size
        self.modified = modified
    }
}
