import TextAnalysis
import VigiaModel

/// A brand to look for: its name, its query and the languages it applies to.
public struct BrandDefinition: Sendable, Hashable {
    /// The brand's name as declared in `vigia.yaml`; it identifies the brand in mentions.
    public var name: String
    /// What to look for.
    public var query: BrandQuery
    /// The languages of the entries the brand applies to; nil for every entry. An entry whose
    /// language is unknown (nil) or `und` matches a restricted brand only when `und` is listed.
    public var languages: Set<Language>?

    /// Creates a brand from a parsed query.
    public init(name: String, query: BrandQuery, languages: Set<Language>? = nil) {
        self.name = name
        self.query = query
        self.languages = languages
    }

    /// Creates a brand by parsing `query` with the default `QueryParser`.
    /// - Throws: `QueryParseError` when the query is not valid.
    public init(name: String, query: String, languages: Set<Language>? = nil) throws(QueryParseError) {
        self.init(name: name, query: try BrandQuery(parsing: query), languages: languages)
    }
}

/// What the matcher reads of an entry: its title, its text, its link and its language.
public struct MatchableEntry: Sendable, Hashable {
    /// The title, when there is one.
    public var title: String?
    /// The body text (content, or summary when there is no content).
    public var text: String
    /// The entry's link; its host is what `site:` compares.
    public var link: String?
    /// The entry's language (declared or identified); nil when unknown.
    public var language: Language?

    /// Creates an entry to match.
    public init(title: String? = nil, text: String, link: String? = nil, language: Language? = nil) {
        self.title = title
        self.text = text
        self.link = link
        self.language = language
    }

    /// The title, text (content, or summary without content) and link of a parsed entry.
    /// - Parameter language: the entry's language, as the pipeline decided it.
    public init(_ entry: FeedEntry, language: Language?) {
        self.init(
            title: entry.title, text: entry.contentText ?? entry.summaryText ?? "", link: entry.link,
            language: language)
    }
}

/// The part of an entry a term matched in.
public enum MatchField: String, Sendable, Hashable, Codable, CaseIterable {
    /// The entry's title.
    case title
    /// The entry's body text.
    case text
}

/// One place where a brand's query matched: which term, in which field, at which bytes.
///
/// Used by the pipeline for target-aware sentiment (`SentimentAnalyzer.score(_:target:)` takes
/// a UTF-8 range) and by search to highlight.
public struct MatchedTerm: Sendable, Hashable, Codable {
    /// The query term as written (`"Iberia Express"`, `refund*`, `#iberia`, `{Apple}`).
    public var term: String
    /// Where it matched.
    public var field: MatchField
    /// UTF-8 byte offsets in that field's text, from the first to the last matched word
    /// (punctuation between the words of a phrase included).
    public var range: Range<Int>

    /// Creates a matched term.
    public init(term: String, field: MatchField, range: Range<Int>) {
        self.term = term
        self.field = field
        self.range = range
    }

    /// The range in the text made by joining the title and the text with one `"\n"` (the
    /// layout of `FeedEntry.analysableText`).
    /// - Parameter titleUTF8Count: the title's UTF-8 length, or nil when the entry has no title.
    public func rangeInJoinedText(titleUTF8Count: Int?) -> Range<Int> {
        guard field == .text, let titleUTF8Count else { return range }
        let shift = titleUTF8Count + 1
        return range.lowerBound + shift..<range.upperBound + shift
    }
}

/// A brand found in an entry, with the terms that made it match.
public struct BrandMention: Sendable, Hashable, Codable {
    /// The brand's name (`BrandDefinition.name`).
    public var brand: String
    /// The brand's index in the list the matcher was built from.
    public var brandIndex: Int
    /// The matched places, in reading order (title first, then text), one per distinct range;
    /// at most `BrandMatcher.maximumTermsPerMention`. Empty when the brand matched on `site:`
    /// or `lang:` alone. Terms under a `NOT` or `-` are never listed.
    public var terms: [MatchedTerm]
    /// How many places matched in all (more than `terms.count` when the list was cut).
    public var matchCount: Int

    /// Creates a mention.
    public init(brand: String, brandIndex: Int, terms: [MatchedTerm], matchCount: Int) {
        self.brand = brand
        self.brandIndex = brandIndex
        self.terms = terms
        self.matchCount = matchCount
    }

    /// The first matched place in reading order: the target for target-aware sentiment.
    public var primaryTerm: MatchedTerm? { terms.first }
}

/// Why a set of brands could not be compiled.
public struct BrandMatcherError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The brand at fault.
    public var brand: String
    /// What is wrong and what to do.
    public var message: String

    /// Creates an error about `brand`.
    public init(brand: String, message: String) {
        self.brand = brand
        self.message = message
    }

    /// `brand 'NAME': message`.
    public var description: String { "brand '\(brand)': \(message)" }
}
