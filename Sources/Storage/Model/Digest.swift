import FoundationEssentials

/// Counted mentions of a brand in one language.
public struct LanguageCount: Sendable, Hashable, Codable {
    public var brand: String
    /// The ISO 639-1 code, or nil when the language was not identified.
    public var language: String?
    public var count: Int

    public init(brand: String, language: String?, count: Int) {
        self.brand = brand
        self.language = language
        self.count = count
    }
}

/// One period's digest for one scope (the brands of one time zone).
public struct DigestRun: Sendable, Hashable {
    /// Unique per scope and period, e.g. `Europe/Madrid/2026-11-22T07:00:00Z`.
    public var key: String
    /// The time zone whose brands the digest covers.
    public var scope: String
    public var periodStart: Date
    public var periodEnd: Date

    public init(key: String, scope: String, periodStart: Date, periodEnd: Date) {
        self.key = key
        self.scope = scope
        self.periodStart = periodStart
        self.periodEnd = periodEnd
    }
}

/// The delivery of one period's digest to one target (`email` or a webhook's name).
public struct DigestDelivery: Sendable, Hashable {
    public var id: Int64
    public var run: DigestRun
    public var target: String
    public var status: DeliveryStatus
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var deliveredAt: Date?
    public var createdAt: Date

    public init(
        id: Int64, run: DigestRun, target: String, status: DeliveryStatus, attempts: Int, nextAttemptAt: Date,
        lastError: String?, deliveredAt: Date?, createdAt: Date
    ) {
        self.id = id
        self.run = run
        self.target = target
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.deliveredAt = deliveredAt
        self.createdAt = createdAt
    }
}

/// Which of a brand's counted mentions to read (copies of one text count once).
public struct BrandMentionRequest: Sendable, Hashable {
    public enum Order: Sendable, Hashable {
        /// Newest first.
        case newest
        /// Strongest sentiment first: most negative for `neg`, most positive otherwise.
        case strongest
    }

    public var brand: String
    public var sentiment: SentimentPolarity?
    public var since: Date?
    public var until: Date?
    public var order: Order
    public var limit: Int

    public init(brand: String, sentiment: SentimentPolarity? = nil, since: Date? = nil, until: Date? = nil, order: Order = .newest, limit: Int) {
        self.brand = brand
        self.sentiment = sentiment
        self.since = since
        self.until = until
        self.order = order
        self.limit = limit
    }
}
