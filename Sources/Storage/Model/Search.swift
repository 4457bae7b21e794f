import FoundationEssentials
import Matching

/// How search results are ordered.
public enum SearchOrder: String, Sendable, Hashable, Codable, CaseIterable {
    /// Best match first (BM25; title words weigh more). Filter-only searches fall back to date.
    case relevance
    /// Newest first.
    case date
}

/// A `vigia search`: a query in the brand query language plus filters.
public struct SearchRequest: Sendable, Hashable {
    /// The query; nil searches with the filters alone.
    public var query: BrandQuery?
    /// Only entries that mention this brand (case-insensitive name).
    public var brand: String?
    /// Only entries in one of these languages (empty: any).
    public var languages: [String]
    /// Only entries with this sentiment: the brand's (target-aware) sentiment when `brand` is
    /// set, otherwise the whole text's.
    public var sentiment: SentimentPolarity?
    /// Entries dated at or after this instant.
    public var since: Date?
    /// Entries dated strictly before this instant.
    public var until: Date?
    /// Only entries of this source: its URL, its title (case-insensitive) or its id.
    public var source: String?
    /// At most this many results (1…10,000).
    public var limit: Int
    public var order: SearchOrder
    /// Also return entries recognised as copies of another entry (marked by
    /// ``SearchHit/duplicateOf``). Copies with exactly the same text are never indexed.
    public var includeDuplicates: Bool
    /// About how many words each snippet holds.
    public var snippetWords: Int
    /// Relevance ranks the most recently stored matches, at most this many (so that a word found
    /// in hundreds of thousands of entries still answers in milliseconds); a search that matches
    /// more ranks the newest of them. Narrow it with filters, or use date order, to reach older
    /// ones.
    public var rankingWindow: Int

    public init(
        query: BrandQuery? = nil, brand: String? = nil, languages: [String] = [], sentiment: SentimentPolarity? = nil,
        since: Date? = nil, until: Date? = nil, source: String? = nil, limit: Int = 20,
        order: SearchOrder = .relevance, includeDuplicates: Bool = true, snippetWords: Int = 16,
        rankingWindow: Int = 10_000
    ) {
        self.query = query
        self.brand = brand
        self.languages = languages
        self.sentiment = sentiment
        self.since = since
        self.until = until
        self.source = source
        self.limit = limit
        self.order = order
        self.includeDuplicates = includeDuplicates
        self.snippetWords = snippetWords
        self.rankingWindow = rankingWindow
    }
}

/// One search result.
public struct SearchHit: Sendable, Hashable, Codable {
    /// Marks the start of a matched term in ``snippet`` (U+0002, never left in stored text).
    public static let highlightStart = "\u{2}"
    /// Marks the end of a matched term in ``snippet`` (U+0003).
    public static let highlightEnd = "\u{3}"

    public var entryID: Int64
    public var title: String?
    public var link: String?
    public var sourceID: Int64
    public var sourceURL: String
    public var sourceTitle: String?
    public var published: Date?
    /// The date results are sorted and filtered by: published, or when first seen.
    public var date: Date
    public var language: String?
    /// The whole-text sentiment.
    public var sentiment: SentimentValue?
    /// The brands the entry mentions, sorted.
    public var brands: [String]
    /// A passage around the matches, matched terms between ``highlightStart`` and
    /// ``highlightEnd``, cut text marked with `…`. For filter-only searches, the text's start.
    public var snippet: String
    /// BM25 relevance (lower is better), or nil when not ranked by relevance.
    public var rank: Double?
    /// The canonical entry this one copies, if any.
    public var duplicateOf: Int64?

    public init(
        entryID: Int64, title: String?, link: String?, sourceID: Int64, sourceURL: String, sourceTitle: String?,
        published: Date?, date: Date, language: String?, sentiment: SentimentValue?, brands: [String],
        snippet: String, rank: Double?, duplicateOf: Int64?
    ) {
        self.entryID = entryID
        self.title = title
        self.link = link
        self.sourceID = sourceID
        self.sourceURL = sourceURL
        self.sourceTitle = sourceTitle
        self.published = published
        self.date = date
        self.language = language
        self.sentiment = sentiment
        self.brands = brands
        self.snippet = snippet
        self.rank = rank
        self.duplicateOf = duplicateOf
    }

    /// The snippet with the highlight markers replaced (ANSI colour codes, `[`/`]`, `**`…).
    public func snippet(highlightingWith open: String, _ close: String) -> String {
        var result = ""
        result.reserveCapacity(snippet.utf8.count + 16)
        for character in snippet {
            switch character {
            case "\u{2}": result += open
            case "\u{3}": result += close
            default: result.append(character)
            }
        }
        return result
    }

    /// The snippet without highlight markers.
    public var plainSnippet: String { snippet(highlightingWith: "", "") }
}
