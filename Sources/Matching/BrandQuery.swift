/// A parsed brand or search query: the boolean language of `vigia.yaml` brands and
/// `vigia search`.
///
/// ```
/// "Iberia" OR #iberia OR @iberia NOT "península ibérica"
/// (refund* OR reembolso) AND title:vuelo -spam
/// delivery NEAR/3 late     site:example.org     lang:es     {Apple}
/// ```
///
/// Grammar (lowest precedence first): `query := orExpr ("NOT" orExpr)*` — a binary `NOT`
/// excludes what follows from everything before it; `orExpr := andExpr ("OR" andExpr)*`;
/// `andExpr := nearExpr (["AND"] nearExpr)*` (adjacent terms are ANDed);
/// `nearExpr := unary ("NEAR/" n unary)*`; `unary := "-" unary | field ":" unary | "(" query ")" | term`.
/// Operators are upper case; lower-case `and`/`or`/`not` are words.
public indirect enum BrandQuery: Sendable, Hashable {
    case term(QueryTerm)
    case and([BrandQuery])
    case or([BrandQuery])
    /// Everything in the first query, minus what the second matches.
    case andNot(BrandQuery, BrandQuery)
    /// Unary exclusion (`-spam`, or `NOT` at the start of a group).
    case not(BrandQuery)
    /// Both operands within `distance` words of each other, in either order.
    case near(BrandQuery, BrandQuery, distance: Int)
    /// The query applied to one field only.
    case field(QueryField, BrandQuery)
}

/// One searchable unit of a query.
public struct QueryTerm: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A bare word (`iberia`).
        case word
        /// `"exact phrase"`: consecutive words.
        case phrase
        /// `refund*`: words starting with the stem.
        case prefix
        /// `#hashtag`.
        case hashtag
        /// `@handle`.
        case handle
    }

    public var kind: Kind
    /// The term as written in the query (for messages and highlighting).
    public var text: String
    /// The words to match, normalised (case- and accent-folded unless `caseSensitive`); one word
    /// except for phrases. For `prefix` the stem without `*`; for hashtags and handles the name
    /// without `#`/`@`.
    public var words: [String]
    /// `{Exact}`: match case (and accents) exactly.
    public var caseSensitive: Bool
    /// Where the term starts in the query text (UTF-8 offset), for error messages.
    public var position: Int

    public init(kind: Kind, text: String, words: [String], caseSensitive: Bool = false, position: Int = 0) {
        self.kind = kind
        self.text = text
        self.words = words
        self.caseSensitive = caseSensitive
        self.position = position
    }
}

/// A field filter.
public enum QueryField: String, Sendable, Hashable, CaseIterable {
    /// The entry's title only.
    case title
    /// The host of the entry's link (`site:example.org` also matches `www.example.org`, `blog.example.org`).
    case site
    /// The entry's language (`lang:es`).
    case lang
}

/// Why a query could not be parsed: what is wrong and where.
public struct QueryParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The query text.
    public var query: String
    /// UTF-8 offset of the problem in `query`.
    public var position: Int
    public var message: String

    public init(query: String, position: Int, message: String) {
        self.query = query
        self.position = position
        self.message = message
    }

    /// The message with the query and a caret under the problem.
    public var description: String {
        let prefix = String(decoding: query.utf8.prefix(position), as: UTF8.self)
        return "\(message) at position \(prefix.count + 1)\n  \(query)\n  \(String(repeating: " ", count: prefix.count))^"
    }
}
