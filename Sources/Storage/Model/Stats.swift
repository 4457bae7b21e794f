import FoundationEssentials

/// Totals of a store, for `vigia feeds status`, import summaries and benchmarks.
public struct StoreStats: Sendable, Hashable, Codable {
    public var sources = 0
    public var entries = 0
    /// Entries recognised as copies of another entry.
    public var duplicates = 0
    public var mentions = 0
    /// Mentions that count (one per brand per canonical entry and its copies).
    public var countedMentions = 0
    public var alerts = 0
    public var pendingDeliveries = 0
    public var oldestDate: Date?
    public var newestDate: Date?
    /// Size of the database file in bytes (pages in use and free).
    public var databaseBytes: Int64 = 0

    public init() {}
}

/// Which counted mentions to total.
public struct MentionCountRequest: Sendable, Hashable {
    /// Only these brands (empty: every brand).
    public var brands: [String]
    /// Mentions dated at or after this instant.
    public var since: Date?
    /// Mentions dated strictly before this instant.
    public var until: Date?
    /// Total per bucket of this many seconds (aligned on the Unix epoch); nil: one total per brand.
    public var bucketSeconds: Int?

    public init(brands: [String] = [], since: Date? = nil, until: Date? = nil, bucketSeconds: Int? = nil) {
        self.brands = brands
        self.since = since
        self.until = until
        self.bucketSeconds = bucketSeconds
    }
}

/// Counted mentions of one brand (in one bucket), by sentiment.
public struct MentionCount: Sendable, Hashable, Codable {
    public var brand: String
    /// The bucket's start when counted by bucket.
    public var bucketStart: Date?
    public var positive: Int
    public var negative: Int
    public var neutral: Int

    public var total: Int { positive + negative + neutral }

    public init(brand: String, bucketStart: Date? = nil, positive: Int, negative: Int, neutral: Int) {
        self.brand = brand
        self.bucketStart = bucketStart
        self.positive = positive
        self.negative = negative
        self.neutral = neutral
    }
}
