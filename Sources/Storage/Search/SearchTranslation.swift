import Matching

/// A value bound to a `?` of a translated condition.
public enum SQLArgument: Sendable, Hashable, CustomStringConvertible {
    case text(String)
    case integer(Int64)

    public var description: String {
        switch self {
        case .text(let text): "'" + text.replacing("'", with: "''") + "'"
        case .integer(let value): String(value)
        }
    }
}

/// A SQL condition on the entry row (aliased `e`), with the values of its `?` placeholders in order.
public struct SQLCondition: Sendable, Hashable, CustomStringConvertible {
    public var sql: String
    public var arguments: [SQLArgument]

    public init(_ sql: String, _ arguments: [SQLArgument] = []) {
        self.sql = sql
        self.arguments = arguments
    }

    public var description: String {
        var result = ""
        var remaining = arguments[...]
        for character in sql {
            if character == "?", let argument = remaining.popFirst() {
                result += argument.description
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// A ``BrandQuery`` translated for the SQLite store: an FTS5 `MATCH` expression (ranked with BM25,
/// highlighted in snippets) and SQL conditions on the entry for what FTS5 cannot say.
///
/// How each construct translates:
/// | query | translation |
/// | --- | --- |
/// | `word` | `"word"` (FTS5 folds case and accents: `unicode61 remove_diacritics 2`) |
/// | `"exact phrase"` | `"exact phrase"` |
/// | `refund*` | `"refund"*` (a range scan of the index's terms) |
/// | `#tag`, `@handle` | `"tag"`, `"handle"`: the index drops `#` and `@`, so the tag's word is searched (it also finds the bare word) |
/// | `{Exact}` | `"exact"` and, when the term is required, `instr(e.title, 'Exact') OR instr(e.text, 'Exact')` (case-sensitive, not word-bounded) |
/// | `a AND b`, `a b` | `a AND b` |
/// | `a OR b` | `a OR b` |
/// | `a NOT b`, `a -b` | `a NOT b` |
/// | `-b` alone, `NOT b` first in a group | `e.id NOT IN (… MATCH b)` |
/// | `a NEAR/n b` | `NEAR(a b, n)`; OR groups on either side become an OR of NEAR groups |
/// | `title:x` | `title : x` on every phrase of `x` |
/// | `site:example.org` | `e.host_key` (reversed labels) equal to `org.example` or under `org.example.` |
/// | `lang:es` | `e.language = 'es'` |
/// | a mix FTS5 cannot nest (`lang:es OR refund`) | the FTS parts become `e.id IN (SELECT rowid … MATCH …)` conditions |
public struct SearchTranslation: Sendable, Hashable, CustomStringConvertible {
    /// The ranked FTS5 expression over titles and texts, or nil when the query needs no
    /// full-text match at the top. Searches use ``matchExpression``, which adds the prefilters.
    public var ftsQuery: String?
    /// Conditions on the entry (`e`) that must also hold, beside ``matchExpression``.
    public var conditions: [SQLCondition]
    /// FTS5 expressions on the index's `lang` and `site` columns for the `site:` and `lang:`
    /// terms the whole query requires: the index narrows the matches before any entry is read.
    /// A `site:` term keeps its condition (which decides); an analysed language's prefilter is
    /// exact, so beside a full-text match its condition is dropped.
    public var prefilters: [String]

    /// Translates `query`.
    /// - Throws: ``StorageError`` (`unsupportedQuery`) for `NEAR` without words on a side, a field
    ///   inside `site:`/`lang:`, or a `NEAR` that would expand into too many groups.
    public init(_ query: BrandQuery) throws {
        let translator = Translator()
        let plan = try translator.plan(query, scope: .all)
        ftsQuery = plan.fts
        conditions = plan.conditions
        let required = Self.requiredFieldTerms(query)
        prefilters = required.compactMap { translator.prefilter($0.0, $0.1) }
        // With a full-text match, an analysed language's prefilter says exactly what its
        // condition says, so the condition (which reads every candidate entry) goes.
        if ftsQuery != nil {
            for case (.lang, let term) in required {
                let code = translator.fieldValue(term).lowercased()
                if Self.exactLanguageCodes.contains(code) {
                    conditions.removeAll { $0 == translator.fieldTermCondition(.lang, term) }
                }
            }
        }
    }

    /// The languages Vigía analyses: an entry's `language` is exactly one of these when it is
    /// in one of them (regional variants are stored as the language), so the index's `lang`
    /// token is the same test as `e.language = code`.
    static let exactLanguageCodes: Set<String> = ["es", "it", "en"]

    init(ftsQuery: String?, conditions: [SQLCondition], prefilters: [String] = []) {
        self.ftsQuery = ftsQuery
        self.conditions = conditions
        self.prefilters = prefilters
    }

    /// The whole `MATCH` expression: the title/text query restricted to those columns, and the
    /// prefilters. Nil when there is no title/text query (prefilters alone do not rank).
    public var matchExpression: String? {
        guard let ftsQuery else { return nil }
        return ([Self.titleAndText(ftsQuery)] + prefilters).joined(separator: " AND ")
    }

    /// `fts` restricted to the title and text columns (the index also has `lang` and `site`).
    static func titleAndText(_ fts: String) -> String {
        "{title text} : (" + fts + ")"
    }

    /// The `site:`/`lang:` terms every match must satisfy: those among the query's top-level
    /// conjuncts.
    static func requiredFieldTerms(_ query: BrandQuery) -> [(QueryField, QueryTerm)] {
        switch query {
        case .and(let children): children.flatMap(requiredFieldTerms)
        case .andNot(let included, _): requiredFieldTerms(included)
        case .field(let field, .term(let term)) where field == .site || field == .lang: [(field, term)]
        default: []
        }
    }

    /// The prefilter for a list of languages (`--lang es --lang it`).
    static func languagePrefilter(_ languages: [String]) -> String? {
        let tokens = languages.filter { !$0.isEmpty }.map { IndexTokens.language($0) }
        guard !tokens.isEmpty, tokens.allSatisfy({ $0 != nil }) else { return nil }
        let words = tokens.compactMap { $0 }.map { Translator.quoted([$0]) }
        return "lang : (" + words.joined(separator: " OR ") + ")"
    }

    public var description: String {
        var parts: [String] = []
        if let matchExpression { parts.append("MATCH \(matchExpression)") }
        parts += conditions.map(\.description)
        return parts.isEmpty ? "(everything)" : parts.joined(separator: " AND ")
    }

    /// FTS5 `NEAR(a b, N)` allows at most N tokens *between* the phrases; the query language's
    /// `NEAR/n` means the same ("within n words": at most n words in between).
    static func ftsNearDistance(_ distance: Int) -> Int { max(0, distance) }

    /// The largest number of `NEAR` groups one `NEAR/n` may expand into.
    static let maximumNearGroups = 64
}

/// Builds the translation bottom-up.
private struct Translator {
    enum Scope { case all, title }

    /// Everything matching `fts` (when present) and every condition.
    struct Plan {
        /// The top operator of an FTS5 expression, to know when it needs parentheses.
        enum Operator { case none, and, or, not }

        var fts: String?
        var top = Operator.none
        var conditions: [SQLCondition] = []

        static let everything = Plan()
        static let nothing = Plan(fts: nil, conditions: [SQLCondition("0")])

        var isPureFTS: Bool { fts != nil && conditions.isEmpty }
        var isEverything: Bool { fts == nil && conditions.isEmpty }

        /// `fts` as an operand of any operator.
        var operand: String? {
            guard let fts else { return nil }
            return top == .none ? fts : "(" + fts + ")"
        }

        /// `fts` as an operand of AND (which is associative).
        var andOperand: String? {
            guard let fts else { return nil }
            return top == .none || top == .and ? fts : "(" + fts + ")"
        }

        /// The plan as one SQL condition on `e`.
        var condition: SQLCondition {
            var parts: [SQLCondition] = []
            if let fts {
                parts.append(SQLCondition(
                    "e.id IN (SELECT rowid FROM entry_fts WHERE entry_fts MATCH ?)",
                    [.text(SearchTranslation.titleAndText(fts))]))
            }
            parts += conditions
            if parts.isEmpty { return SQLCondition("1") }
            if parts.count == 1 { return parts[0] }
            return SQLCondition("(" + parts.map(\.sql).joined(separator: " AND ") + ")", parts.flatMap(\.arguments))
        }
    }

    func plan(_ query: BrandQuery, scope: Scope) throws -> Plan {
        switch query {
        case .term(let term):
            return termPlan(term, scope: scope)
        case .and(let children):
            return try conjunction(children, scope: scope)
        case .andNot(let included, let excluded):
            return try conjunction([included, .not(excluded)], scope: scope)
        case .not(let inner):
            return negation(try plan(inner, scope: scope))
        case .or(let children):
            return try disjunction(children.map { try plan($0, scope: scope) })
        case .near(let left, let right, let distance):
            return try near(left, right, distance: distance, scope: scope)
        case .field(.title, let inner):
            return try plan(inner, scope: .title)
        case .field(let field, let inner):
            return Plan(fts: nil, conditions: [try fieldCondition(field, inner)])
        }
    }

    // MARK: Terms

    /// An FTS5 string: control characters (which FTS5 would read as the end of the query) become
    /// spaces, and quotes are doubled.
    static func quoted(_ words: [String]) -> String {
        var result = "\""
        for scalar in words.joined(separator: " ").unicodeScalars {
            if scalar == "\"" {
                result += "\"\""
            } else if scalar.value < 0x20 || scalar.value == 0x7F {
                result += " "
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// The FTS5 phrase of a term, without a column filter (nil when it has no words).
    func phrase(_ term: QueryTerm) -> String? {
        let words = term.words.filter { !$0.isEmpty }
        guard !words.isEmpty else { return nil }
        switch term.kind {
        case .prefix: return Self.quoted(words) + "*"
        case .word, .phrase, .hashtag, .handle: return Self.quoted(words)
        }
    }

    func columnFiltered(_ fts: String, scope: Scope) -> String {
        scope == .title ? "title : " + fts : fts
    }

    func termPlan(_ term: QueryTerm, scope: Scope) -> Plan {
        guard let phrase = phrase(term) else { return .nothing }
        var plan = Plan(fts: columnFiltered(phrase, scope: scope))
        if let exact = caseSensitiveCondition(term, scope: scope) { plan.conditions.append(exact) }
        return plan
    }

    /// `{Exact}` terms: FTS5 folds case, so the exact spelling is checked on the stored text.
    func caseSensitiveCondition(_ term: QueryTerm, scope: Scope) -> SQLCondition? {
        guard term.caseSensitive else { return nil }
        let surface = term.words.joined(separator: " ")
        guard !surface.isEmpty else { return nil }
        switch scope {
        case .title: return SQLCondition("instr(e.title, ?) > 0", [.text(surface)])
        case .all: return SQLCondition("(instr(e.title, ?) > 0 OR instr(e.text, ?) > 0)", [.text(surface), .text(surface)])
        }
    }

    // MARK: Boolean operators

    func negation(_ inner: Plan) -> Plan {
        if inner.isEverything { return .nothing }
        let condition = inner.condition
        return Plan(fts: nil, conditions: [SQLCondition("NOT (" + condition.sql + ")", condition.arguments)])
    }

    func conjunction(_ children: [BrandQuery], scope: Scope) throws -> Plan {
        var positives: [Plan] = []
        var negatives: [Plan] = []
        for child in children {
            if case .not(let inner) = child {
                negatives.append(try plan(inner, scope: scope))
            } else {
                positives.append(try plan(child, scope: scope))
            }
        }
        var result = Plan()
        let withText = positives.filter { $0.fts != nil }
        if withText.count == 1 {
            result.fts = withText[0].fts
            result.top = withText[0].top
        } else if withText.count > 1 {
            result.fts = withText.compactMap(\.andOperand).joined(separator: " AND ")
            result.top = .and
        }
        result.conditions = positives.flatMap(\.conditions)
        for negative in negatives {
            if negative.isPureFTS, let fts = result.operand, let excluded = negative.operand {
                result.fts = fts + " NOT " + excluded
                result.top = .not
            } else {
                result.conditions += negation(negative).conditions
            }
        }
        return result
    }

    func disjunction(_ plans: [Plan]) throws -> Plan {
        guard !plans.isEmpty else { return .nothing }
        if plans.count == 1 { return plans[0] }
        if plans.contains(where: \.isEverything) { return .everything }
        if plans.allSatisfy(\.isPureFTS) {
            let operands = plans.compactMap { $0.top == .or ? $0.fts : $0.operand }
            return Plan(fts: operands.joined(separator: " OR "), top: .or)
        }
        let conditions = plans.map(\.condition)
        return Plan(
            fts: nil,
            conditions: [SQLCondition("(" + conditions.map(\.sql).joined(separator: " OR ") + ")", conditions.flatMap(\.arguments))])
    }

    // MARK: Proximity

    /// The phrases a side of `NEAR` can match, when it is a term or an OR of terms.
    func alternatives(_ query: BrandQuery) -> [QueryTerm]? {
        switch query {
        case .term(let term): return [term]
        case .or(let children):
            var terms: [QueryTerm] = []
            for child in children {
                guard let more = alternatives(child) else { return nil }
                terms += more
            }
            return terms
        default: return nil
        }
    }

    /// Every term that must or may match on a side (not under a negation).
    func positiveTerms(_ query: BrandQuery) -> [QueryTerm] {
        switch query {
        case .term(let term): [term]
        case .and(let children), .or(let children): children.flatMap(positiveTerms)
        case .andNot(let included, _): positiveTerms(included)
        case .not: []
        case .near(let left, let right, _): positiveTerms(left) + positiveTerms(right)
        case .field(.title, let inner): positiveTerms(inner)
        case .field: []
        }
    }

    func near(_ left: BrandQuery, _ right: BrandQuery, distance: Int, scope: Scope) throws -> Plan {
        let simple = alternatives(left).flatMap { l in alternatives(right).map { (l, $0) } }
        let leftTerms = simple?.0 ?? positiveTerms(left)
        let rightTerms = simple?.1 ?? positiveTerms(right)
        let leftPhrases = leftTerms.compactMap(phrase)
        let rightPhrases = rightTerms.compactMap(phrase)
        guard !leftPhrases.isEmpty, !rightPhrases.isEmpty else {
            throw StorageError(
                .unsupportedQuery,
                message: "NEAR needs words or phrases on both sides (it cannot search near a field filter or an exclusion); rewrite the query with words around NEAR/n")
        }
        guard leftPhrases.count * rightPhrases.count <= SearchTranslation.maximumNearGroups else {
            throw StorageError(
                .unsupportedQuery,
                message: "NEAR between \(leftPhrases.count) and \(rightPhrases.count) alternatives expands into too many groups (at most \(SearchTranslation.maximumNearGroups)); narrow the alternatives around NEAR/n")
        }
        let n = SearchTranslation.ftsNearDistance(distance)
        var groups: [String] = []
        for l in leftPhrases {
            for r in rightPhrases {
                groups.append(columnFiltered("NEAR(\(l) \(r), \(n))", scope: scope))
            }
        }
        var result = Plan(fts: groups.joined(separator: " OR "), top: groups.count == 1 ? .none : .or)
        if simple != nil {
            // Exact spellings can be required only when a side has one alternative.
            for side in [leftTerms, rightTerms] where side.count == 1 {
                if let exact = caseSensitiveCondition(side[0], scope: scope) { result.conditions.append(exact) }
            }
            return result
        }
        // Complex sides: both sides must hold, and some pair of their words must be near.
        let both = try conjunction([left, right], scope: scope)
        var combined = both
        if let operand = both.andOperand, let proximity = result.andOperand {
            combined.fts = operand + " AND " + proximity
            combined.top = .and
        } else {
            combined.conditions.append(result.condition)
        }
        return combined
    }

    // MARK: site: and lang:

    func fieldCondition(_ field: QueryField, _ query: BrandQuery) throws -> SQLCondition {
        switch query {
        case .term(let term):
            return fieldTermCondition(field, term)
        case .and(let children), .or(let children):
            let parts = try children.map { try fieldCondition(field, $0) }
            guard !parts.isEmpty else { return SQLCondition("1") }
            let joiner: String
            if case .and = query { joiner = " AND " } else { joiner = " OR " }
            return SQLCondition("(" + parts.map(\.sql).joined(separator: joiner) + ")", parts.flatMap(\.arguments))
        case .not(let inner):
            let part = try fieldCondition(field, inner)
            return SQLCondition("NOT (" + part.sql + ")", part.arguments)
        case .andNot(let included, let excluded):
            let a = try fieldCondition(field, included)
            let b = try fieldCondition(field, excluded)
            return SQLCondition("(" + a.sql + " AND NOT (" + b.sql + "))", a.arguments + b.arguments)
        case .near, .field:
            throw StorageError(
                .unsupportedQuery,
                message: "\(field.rawValue): takes values (site:example.org, lang:es), optionally combined with OR/AND/NOT; NEAR and other fields cannot go inside it")
        }
    }

    /// The value a `site:`/`lang:` term names, as written.
    func fieldValue(_ term: QueryTerm) -> String {
        // The parser gives the normalised host or language code as the term's one word.
        if term.words.count == 1, let value = term.words.first, !value.isEmpty { return value }
        var text = Substring(term.text)
        while let first = text.first, first == "\"" || first == "{" || first == "#" || first == "@" { text = text.dropFirst() }
        while let last = text.last, last == "\"" || last == "}" || last == "*" { text = text.dropLast() }
        if text.isEmpty { return term.words.joined(separator: ".") }
        return String(text)
    }

    /// The host key (`org.example`) a `site:` value names.
    func siteKey(_ value: String) -> String {
        var host = CanonicalURL.host(of: value) ?? value.lowercased()
        if host.hasPrefix("*.") { host.removeFirst(2) }
        return CanonicalURL.reversedHost(host)
    }

    /// The index prefilter implied by a `site:`/`lang:` term (see ``IndexTokens``): the
    /// language's token, or the host's token or any of its subdomains' (`site : ("orgǂexample"
    /// OR "orgǂexampleǂ"*)`).
    func prefilter(_ field: QueryField, _ term: QueryTerm) -> String? {
        let value = fieldValue(term)
        switch field {
        case .lang:
            return IndexTokens.language(value).map { "lang : " + Self.quoted([$0]) }
        case .site:
            return IndexTokens.host(siteKey(value)).map { token in
                "site : (" + Self.quoted([token]) + " OR " + Self.quoted([token + IndexTokens.labelSeparator]) + "*)"
            }
        case .title:
            return nil
        }
    }

    func fieldTermCondition(_ field: QueryField, _ term: QueryTerm) -> SQLCondition {
        let value = fieldValue(term)
        switch field {
        case .lang:
            return SQLCondition("e.language = ?", [.text(value.lowercased())])
        case .site:
            let key = siteKey(value)
            guard !key.isEmpty else { return SQLCondition("0") }
            // Subdomains sort between "key." and "key/" ("/" follows "." in ASCII).
            return SQLCondition(
                "(e.host_key = ? OR (e.host_key >= ? AND e.host_key < ?))",
                [.text(key), .text(key + "."), .text(key + "/")])
        case .title:
            return SQLCondition("1")  // handled as a scope, never reached
        }
    }
}
