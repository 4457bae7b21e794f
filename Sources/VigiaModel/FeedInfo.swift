import FoundationEssentials

/// What a feed says about itself.
public struct FeedInfo: Sendable, Hashable, Codable {
    public var title: String?
    /// The absolute link to the site the feed belongs to.
    public var link: String?
    /// The declared language (`language`, `dc:language`, `xml:lang`).
    public var language: String?
    /// When the feed was last updated (its published date when it has no updated date).
    public var updated: Date?
    /// The feed's description or subtitle, as text.
    public var subtitle: String?
    /// Polling hints the feed gives: RSS `ttl` or `sy:updatePeriod`/`sy:updateFrequency`, in seconds.
    public var suggestedInterval: Int?

    public init(
        title: String? = nil, link: String? = nil, language: String? = nil,
        updated: Date? = nil, subtitle: String? = nil, suggestedInterval: Int? = nil
    ) {
        self.title = title
        self.link = link
        self.language = language
        self.updated = updated
        self.subtitle = subtitle
        self.suggestedInterval = suggestedInterval
    }
}

/// The formats Vigía reads.
public enum FeedFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case rss, rdf, atom, jsonFeed = "jsonfeed", opml
    case stackExchange = "stackexchange", discourse, reddit, csv, jsonl

    /// A short human name for messages.
    public var displayName: String {
        switch self {
        case .rss: "RSS"
        case .rdf: "RSS 1.0 (RDF)"
        case .atom: "Atom"
        case .jsonFeed: "JSON Feed"
        case .opml: "OPML"
        case .stackExchange: "Stack Exchange data dump"
        case .discourse: "Discourse JSON"
        case .reddit: "Reddit listing JSON"
        case .csv: "CSV"
        case .jsonl: "JSON Lines"
        }
    }
}

/// A parsed document: what the feed says about itself and its entries.
public struct ParsedFeed: Sendable, Hashable {
    /// The format that was read (sniffed or forced).
    public var format: FeedFormat
    /// The format's version when it has one (`2.0`, `0.91`, `1.0`, `0.3`…).
    public var version: String?
    /// True when the document was not well-formed or had to be repaired.
    public var bozo: Bool
    /// Why `bozo` is true, for people.
    public var bozoReasons: [String]
    public var feed: FeedInfo
    public var entries: [FeedEntry]
    /// Records of an export that could not be read and were skipped (the rest is kept); the
    /// first 1,000 of them.
    public var skippedRecords: [SkippedRecord]
    /// How many records were skipped, all of them.
    public var skippedRecordCount: Int
    /// How many entries the document held (equal to `entries.count` unless they were streamed).
    public var entryCount: Int

    public init(
        format: FeedFormat, version: String? = nil, bozo: Bool = false, bozoReasons: [String] = [],
        feed: FeedInfo = FeedInfo(), entries: [FeedEntry] = [], skippedRecords: [SkippedRecord] = [],
        entryCount: Int? = nil, skippedRecordCount: Int? = nil
    ) {
        self.format = format
        self.version = version
        self.bozo = bozo
        self.bozoReasons = bozoReasons
        self.feed = feed
        self.entries = entries
        self.skippedRecords = skippedRecords
        self.entryCount = entryCount ?? entries.count
        self.skippedRecordCount = max(skippedRecordCount ?? 0, skippedRecords.count)
    }
}

/// A record of an export that was skipped, with where it is and why.
public struct SkippedRecord: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 1-based line the record starts on.
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(line): \(reason)" }
}
