import FoundationEssentials

/// One item of a feed or one record of a forum export, as clean text.
public struct FeedEntry: Sendable, Hashable, Codable {
    /// The entry's own identifier (`guid`, Atom `id`, `rdf:about`, a post id), or nil.
    public var id: String?
    /// The visible title text.
    public var title: String?
    /// The absolute link to the entry's page.
    public var link: String?
    /// When the entry was published (its updated date when it has no published date).
    public var published: Date?
    /// When the entry was last updated, when the feed says so.
    public var updated: Date?
    /// The author as the feed gives it: a name, with the email in parentheses when both exist.
    public var author: String?
    /// The visible text of the summary or description.
    public var summaryText: String?
    /// The visible text of the first content element.
    public var contentText: String?
    /// Category terms, in document order.
    public var categories: [String]
    /// Attached media.
    public var enclosures: [Enclosure]
    /// The entry's language when the source declares one (`xml:lang`, a `lang` column).
    public var language: String?
    /// Score, likes or votes when the source gives them (Reddit score, Stack Exchange score…).
    public var engagement: Int?
    /// Where the record came from, for exports that mix several sources (a `source` column).
    public var source: String?

    public init(
        id: String? = nil, title: String? = nil, link: String? = nil,
        published: Date? = nil, updated: Date? = nil, author: String? = nil,
        summaryText: String? = nil, contentText: String? = nil,
        categories: [String] = [], enclosures: [Enclosure] = [],
        language: String? = nil, engagement: Int? = nil, source: String? = nil
    ) {
        self.id = id
        self.title = title
        self.link = link
        self.published = published
        self.updated = updated
        self.author = author
        self.summaryText = summaryText
        self.contentText = contentText
        self.categories = categories
        self.enclosures = enclosures
        self.language = language
        self.engagement = engagement
        self.source = source
    }

    /// The text to analyse: title, then content (or summary when there is no content).
    public var analysableText: String {
        [title, contentText ?? summaryText].compactMap { $0 }.joined(separator: "\n")
    }
}

/// A media file attached to an entry (RSS `enclosure`, Atom `link rel="enclosure"`).
public struct Enclosure: Sendable, Hashable, Codable {
    public var url: String
    public var type: String?
    public var length: Int64?

    public init(url: String, type: String? = nil, length: Int64? = nil) {
        self.url = url
        self.type = type
        self.length = length
    }
}
