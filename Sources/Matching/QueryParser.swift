import TextAnalysis

/// Parses the text of a brand or search query into a `BrandQuery`.
///
/// The grammar is the one documented on `BrandQuery`. Words are normalised the way the matcher
/// reads text: the query word is split by the same `Tokenizer` (so `dell'assistenza`,
/// `e-commerce` or `iPhone15` become phrases of their pieces, and `Iberia's` is `iberia`), then
/// case-folded and accent-folded (`{Exact}` terms keep case and accents, in NFC).
///
/// Every error is a `QueryParseError` with the UTF-8 offset of the problem. Hostile input is
/// bounded: at most `maximumTerms` terms, `maximumDepth` levels of nesting and `maximumLength`
/// bytes.
///
/// ```swift
/// let query = try QueryParser().parse(#""Iberia" OR #iberia NOT "península ibérica""#)
/// ```
public struct QueryParser: Sendable {
    /// The most terms (words, phrases, hashtags…, field values) a query may hold.
    public var maximumTerms = 1_000
    /// The deepest nesting of parentheses, `-`, `NOT` and fields.
    public var maximumDepth = 64
    /// The longest query text, in UTF-8 bytes.
    public var maximumLength = 65_536
    /// The largest `NEAR/n` distance.
    public static let maximumNearDistance = 1_000
    /// The fewest letters or digits a wildcard stem needs (`re*` is allowed, `r*` is not).
    public static let minimumStemLength = 2

    /// Creates a parser with the default limits.
    public init() {}

    /// Parses `query`.
    /// - Throws: `QueryParseError` saying what is wrong and where (UTF-8 offset in `query`).
    public func parse(_ query: String) throws(QueryParseError) -> BrandQuery {
        var state = ParserState(query: query, limits: self)
        return try state.parseAll()
    }
}

extension BrandQuery {
    /// Parses `text` with the default `QueryParser`.
    /// - Throws: `QueryParseError` with the position of the problem.
    public init(parsing text: String) throws(QueryParseError) {
        self = try QueryParser().parse(text)
    }
}

// MARK: - Lexemes

private enum LexemeKind: Equatable {
    case openParen
    case closeParen
    /// `"…"` (or `“…”`); the range is the content between the quotes.
    case phrase(Range<Int>)
    /// `{…}`; the range is the content between the braces.
    case exact(Range<Int>)
    /// `-` directly before a term.
    case minus
    case field(QueryField)
    case and
    case or
    case not
    case near(Int)
    /// Any other run of characters up to a separator.
    case word(Range<Int>)
}

private struct Lexeme {
    var kind: LexemeKind
    /// UTF-8 offsets of the lexeme in the query.
    var start: Int
    var end: Int
}

// MARK: - Parser

private struct ParserState {
    let query: String
    let bytes: [UInt8]
    let limits: QueryParser
    var offset = 0
    var lookahead: Lexeme?
    var depth = 0
    var termCount = 0
    let tokenizer = Tokenizer(splitsHashtags: true)

    init(query: String, limits: QueryParser) {
        self.query = query
        self.bytes = Array(query.utf8)
        self.limits = limits
    }

    func error(_ position: Int, _ message: String) -> QueryParseError {
        QueryParseError(query: query, position: max(0, min(position, bytes.count)), message: message)
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    mutating func parseAll() throws(QueryParseError) -> BrandQuery {
        if bytes.count > limits.maximumLength {
            throw error(limits.maximumLength, "the query is too long (at most \(limits.maximumLength) bytes)")
        }
        guard try peek() != nil else {
            throw error(0, "the query is empty: write at least one word, \"phrase\", #hashtag or @handle")
        }
        let query = try parseQuery(valueField: nil)
        if let extra = try peek() {
            if extra.kind == .closeParen {
                throw error(extra.start, "')' has no matching '('")
            }
            throw error(extra.start, "unexpected \(describe(extra))")
        }
        return query
    }

    // MARK: Grammar

    /// `query := orExpr ("NOT" orExpr)*`
    mutating func parseQuery(valueField: QueryField?) throws(QueryParseError) -> BrandQuery {
        var left = try parseOr(valueField: valueField)
        while let lexeme = try peek(), lexeme.kind == .not {
            advance()
            try requireOperand(after: lexeme, name: "NOT")
            let right = try parseOr(valueField: valueField)
            left = .andNot(left, right)
        }
        return left
    }

    /// `orExpr := andExpr ("OR" andExpr)*`
    mutating func parseOr(valueField: QueryField?) throws(QueryParseError) -> BrandQuery {
        var items = [try parseAnd(valueField: valueField)]
        while let lexeme = try peek(), lexeme.kind == .or {
            advance()
            try requireOperand(after: lexeme, name: "OR")
            items.append(try parseAnd(valueField: valueField))
        }
        return items.count == 1 ? items[0] : .or(flatten(items, or: true))
    }

    /// `andExpr := nearExpr (["AND"] nearExpr)*`
    mutating func parseAnd(valueField: QueryField?) throws(QueryParseError) -> BrandQuery {
        var items = [try parseNear(valueField: valueField)]
        while let lexeme = try peek() {
            if lexeme.kind == .and {
                advance()
                try requireOperand(after: lexeme, name: "AND")
            } else if !startsOperand(lexeme) || lexeme.kind == .not {
                break
            }
            items.append(try parseNear(valueField: valueField))
        }
        return items.count == 1 ? items[0] : .and(flatten(items, or: false))
    }

    /// `nearExpr := unary ("NEAR/" n unary)*`
    mutating func parseNear(valueField: QueryField?) throws(QueryParseError) -> BrandQuery {
        let leftStart = try peek()?.start ?? bytes.count
        var left = try parseUnary(valueField: valueField)
        while let lexeme = try peek(), case .near(let distance) = lexeme.kind {
            if let field = valueField {
                throw error(lexeme.start, "NEAR/\(distance) cannot be used inside \(field.rawValue):, which holds \(field == .site ? "host names" : "languages")")
            }
            advance()
            try requireOperand(after: lexeme, name: "NEAR/\(distance)")
            try checkNearOperand(left, at: leftStart)
            let rightStart = try peek()?.start ?? bytes.count
            let right = try parseUnary(valueField: valueField)
            try checkNearOperand(right, at: rightStart)
            left = .near(left, right, distance: distance)
        }
        return left
    }

    /// `unary := "-" unary | "NOT" unary | field ":" unary | "(" query ")" | term`
    mutating func parseUnary(valueField: QueryField?) throws(QueryParseError) -> BrandQuery {
        guard let lexeme = try peek() else {
            throw error(bytes.count, "a term is missing at the end of the query")
        }
        depth += 1
        defer { depth -= 1 }
        if depth > limits.maximumDepth {
            throw error(lexeme.start, "the query is nested too deeply (at most \(limits.maximumDepth) levels)")
        }
        switch lexeme.kind {
        case .minus:
            advance()
            guard try peek() != nil else {
                throw error(lexeme.start, "'-' must be followed by the term to exclude (-spam)")
            }
            return .not(try parseUnary(valueField: valueField))
        case .not:
            advance()
            try requireOperand(after: lexeme, name: "NOT")
            return .not(try parseUnary(valueField: valueField))
        case .field(let field):
            advance()
            if let outer = valueField {
                throw error(lexeme.start, "\(field.rawValue): cannot be used inside \(outer.rawValue):")
            }
            guard let next = try peek(), startsOperand(next) else {
                throw error(lexeme.end, "\(field.rawValue): needs a value (\(example(for: field)))")
            }
            return .field(field, try parseUnary(valueField: field == .title ? nil : field))
        case .openParen:
            advance()
            guard let next = try peek() else {
                throw error(lexeme.start, "'(' is never closed")
            }
            if next.kind == .closeParen {
                throw error(lexeme.start, "empty parentheses: put a term inside or remove them")
            }
            let inner = try parseQuery(valueField: valueField)
            guard let close = try peek() else {
                throw error(lexeme.start, "'(' is never closed")
            }
            guard close.kind == .closeParen else {
                throw error(close.start, "expected ')' to close the '(' at position \(characterPosition(lexeme.start)), found \(describe(close))")
            }
            advance()
            return inner
        case .phrase, .exact, .word:
            advance()
            return .term(try makeTerm(lexeme, valueField: valueField))
        case .closeParen:
            throw error(lexeme.start, "')' has no matching '(' (or a term is missing before it)")
        case .and, .or, .near:
            throw error(lexeme.start, "\(describe(lexeme)) needs a term before it")
        }
    }

    func startsOperand(_ lexeme: Lexeme) -> Bool {
        switch lexeme.kind {
        case .openParen, .phrase, .exact, .minus, .field, .word, .not: true
        case .closeParen, .and, .or, .near: false
        }
    }

    mutating func requireOperand(after operatorLexeme: Lexeme, name: String) throws(QueryParseError) {
        guard let next = try peek() else {
            throw error(operatorLexeme.start, "\(name) needs a term after it")
        }
        if !startsOperand(next) {
            throw error(next.start, "\(name) needs a term after it, found \(describe(next))")
        }
    }

    /// NEAR joins things that have a place in the text: terms, OR groups of them, other NEARs,
    /// and `title:` around them.
    func checkNearOperand(_ query: BrandQuery, at position: Int) throws(QueryParseError) {
        if !Self.isSpanQuery(query) {
            throw error(position, "NEAR/n joins words, phrases, wildcards, hashtags, handles or OR groups of them (delay NEAR/3 (late OR cancelled)), not AND, NOT, site: or lang:")
        }
    }

    static func isSpanQuery(_ query: BrandQuery) -> Bool {
        switch query {
        case .term: true
        case .or(let items): items.allSatisfy(isSpanQuery)
        case .near(let left, let right, _): isSpanQuery(left) && isSpanQuery(right)
        case .field(.title, let inner): isSpanQuery(inner)
        case .field, .and, .andNot, .not: false
        }
    }

    func flatten(_ items: [BrandQuery], or: Bool) -> [BrandQuery] {
        var result: [BrandQuery] = []
        result.reserveCapacity(items.count)
        for item in items {
            switch item {
            case .or(let inner) where or: result.append(contentsOf: inner)
            case .and(let inner) where !or: result.append(contentsOf: inner)
            default: result.append(item)
            }
        }
        return result
    }

    // MARK: Terms

    mutating func countTerm(at position: Int) throws(QueryParseError) {
        termCount += 1
        if termCount > limits.maximumTerms {
            throw error(position, "the query has too many terms (at most \(limits.maximumTerms))")
        }
    }

    mutating func makeTerm(_ lexeme: Lexeme, valueField: QueryField?) throws(QueryParseError) -> QueryTerm {
        try countTerm(at: lexeme.start)
        let written = text(lexeme.start..<lexeme.end)
        if let field = valueField {
            return try makeValueTerm(lexeme, field: field, written: written)
        }
        switch lexeme.kind {
        case .phrase(let content):
            return try makePhrase(content, written: written, position: lexeme.start, caseSensitive: false)
        case .exact(let content):
            return try makeExact(content, written: written, position: lexeme.start)
        case .word(let range):
            return try makeWordLike(range, written: written, position: lexeme.start, caseSensitive: false)
        default:
            throw error(lexeme.start, "expected a term, found \(describe(lexeme))")
        }
    }

    /// `site:` and `lang:` values are host names and language codes, not words.
    func makeValueTerm(_ lexeme: Lexeme, field: QueryField, written: String) throws(QueryParseError) -> QueryTerm {
        var raw: String
        switch lexeme.kind {
        case .word(let range): raw = text(range)
        case .phrase(let content): raw = text(content).trimmingWhitespace()
        default:
            throw error(lexeme.start, "\(field.rawValue): expects \(example(for: field)), found \(describe(lexeme))")
        }
        if field == .lang {
            let code = raw.lowercased()
            guard Language(rawValue: code) != nil else {
                let known = Language.allCases.map(\.rawValue).joined(separator: ", ")
                throw error(lexeme.start, "unknown language '\(raw)' for lang: (use one of \(known))")
            }
            return QueryTerm(kind: .word, text: written, words: [code], position: lexeme.start)
        }
        // site: a host name; a pasted URL is reduced to its host.
        if let schemeEnd = raw.range(of: "://") {
            raw = String(raw[schemeEnd.upperBound...])
            if let slash = raw.firstIndex(of: "/") {
                let rest = raw[slash...]
                if rest != "/" {
                    throw error(lexeme.start, "site: takes a host name (example.org), not a path")
                }
                raw = String(raw[..<slash])
            }
        }
        let host = raw.lowercased()
        let hostBytes = Array(host.utf8)
        let valid = !hostBytes.isEmpty && hostBytes.first != 0x2E && hostBytes.last != 0x2E
            && hostBytes.allSatisfy { byte in
                byte >= 0x80 || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                    || byte == 0x2D || byte == 0x2E
            }
            && !host.contains("..")
        guard valid else {
            throw error(lexeme.start, "site: takes a host name such as example.org, found '\(raw)'")
        }
        return QueryTerm(kind: .word, text: written, words: [host], position: lexeme.start)
    }

    mutating func makeExact(_ content: Range<Int>, written: String, position: Int) throws(QueryParseError) -> QueryTerm {
        let inner = text(content).trimmingWhitespace()
        if inner.isEmpty {
            throw error(position, "empty braces: write {Exact} or {\"Exact Phrase\"}")
        }
        let innerBytes = Array(inner.utf8)
        if let first = innerBytes.first, first == 0x22 || inner.hasPrefix("“") || inner.hasPrefix("”") {
            // {"Exact Phrase"}
            var body = inner.dropFirst()
            guard let last = body.last, last == "\"" || last == "”" || last == "“" else {
                throw error(position, "the quote inside {…} is never closed: write {\"Exact Phrase\"}")
            }
            body = body.dropLast()
            var bodyBytes = Array(String(body).utf8)
            if bodyBytes.contains(0x22) {
                throw error(position, "write one phrase inside {…}: {\"Exact Phrase\"}")
            }
            return try bodyBytes.withUnsafeMutableBufferPointer { (buffer) throws(QueryParseError) -> QueryTerm in
                try phraseTerm(UnsafeBufferPointer(buffer), written: written, position: position, caseSensitive: true)
            }
        }
        if innerBytes.contains(where: { isSeparatorByte($0) }) || inner.contains(where: { $0.isWhitespace }) {
            throw error(position, "{…} holds one word; write {\"Two Words\"} for an exact phrase")
        }
        // Offsets inside the braces: the content starts after `{` and any spaces.
        let leading = text(content).prefix(while: { $0.isWhitespace }).utf8.count
        let start = content.lowerBound + leading
        return try makeWordLike(start..<start + innerBytes.count, written: written, position: position, caseSensitive: true)
    }

    mutating func makePhrase(_ content: Range<Int>, written: String, position: Int, caseSensitive: Bool) throws(QueryParseError) -> QueryTerm {
        var body = Array(bytes[content])
        if body.contains(0x2A) {
            throw error(position, "wildcards are not allowed inside a phrase; use refund* outside quotes")
        }
        return try body.withUnsafeMutableBufferPointer { (buffer) throws(QueryParseError) -> QueryTerm in
            try phraseTerm(UnsafeBufferPointer(buffer), written: written, position: position, caseSensitive: caseSensitive)
        }
    }

    func phraseTerm(_ body: UnsafeBufferPointer<UInt8>, written: String, position: Int, caseSensitive: Bool) throws(QueryParseError) -> QueryTerm {
        let words = QueryWords.words(of: body, tokenizer: tokenizer, caseSensitive: caseSensitive)
        if words.isEmpty {
            throw error(position, "the phrase \(written) has no letters or digits to match")
        }
        if words.count > QueryWords.maximumPhraseLength {
            throw error(position, "the phrase is too long (at most \(QueryWords.maximumPhraseLength) words)")
        }
        return QueryTerm(kind: .phrase, text: written, words: words, caseSensitive: caseSensitive, position: position)
    }

    /// A word, `prefix*`, `#hashtag` or `@handle` in `bytes[range]`.
    func makeWordLike(_ range: Range<Int>, written: String, position: Int, caseSensitive: Bool) throws(QueryParseError) -> QueryTerm {
        var raw = Array(bytes[range])
        guard let first = raw.first else {
            throw error(position, "a term is missing")
        }
        if let star = raw.firstIndex(of: 0x2A) {
            if raw.count == 1 {
                throw error(position, "a lone '*' would match everything; write a stem before it (refund*)")
            }
            if star != raw.count - 1 {
                throw error(range.lowerBound + star, "'*' is allowed only at the end of a word (refund*)")
            }
            if first == 0x23 || first == 0x40 {
                throw error(position, "wildcards work on words, not on hashtags or handles")
            }
            raw.removeLast()
            let stem = raw
            return try raw.withUnsafeMutableBufferPointer { (buffer) throws(QueryParseError) -> QueryTerm in
                let words = QueryWords.words(of: UnsafeBufferPointer(buffer), tokenizer: tokenizer, caseSensitive: caseSensitive)
                if words.count != 1 {
                    throw error(position, words.isEmpty
                        ? "'\(written)': a wildcard needs letters or digits before '*'"
                        : "'\(written)': a wildcard applies to one word, and this is \(words.count) (\(words.joined(separator: " ")))")
                }
                let letters = String(decoding: stem, as: UTF8.self).unicodeScalars.filter {
                    $0.properties.isAlphabetic || $0.properties.numericType != nil
                }.count
                if letters < QueryParser.minimumStemLength {
                    throw error(position, "'\(written)': a wildcard needs at least \(QueryParser.minimumStemLength) letters before '*'")
                }
                return QueryTerm(kind: .prefix, text: written, words: words, caseSensitive: caseSensitive, position: position)
            }
        }
        if first == 0x23 || first == 0x40 {
            let isHashtag = first == 0x23
            return try raw.withUnsafeMutableBufferPointer { (buffer) throws(QueryParseError) -> QueryTerm in
                guard let name = QueryWords.tagName(of: UnsafeBufferPointer(buffer), hashtag: isHashtag, tokenizer: tokenizer, caseSensitive: caseSensitive) else {
                    throw error(position, isHashtag
                        ? "'\(written)' is not a hashtag: write # followed by letters, digits or _ (#iberia)"
                        : "'\(written)' is not a handle: write @ followed by letters, digits or _ (@iberia)")
                }
                return QueryTerm(kind: isHashtag ? .hashtag : .handle, text: written, words: [name], caseSensitive: caseSensitive, position: position)
            }
        }
        return try raw.withUnsafeMutableBufferPointer { (buffer) throws(QueryParseError) -> QueryTerm in
            let input = UnsafeBufferPointer(buffer)
            if QueryWords.containsLink(input, tokenizer: tokenizer) {
                throw error(position, "links are not matched in the text; use site:example.org for the entry's link")
            }
            let words = QueryWords.words(of: input, tokenizer: tokenizer, caseSensitive: caseSensitive)
            if words.isEmpty {
                throw error(position, "'\(written)' has no letters or digits to match")
            }
            if words.count > QueryWords.maximumPhraseLength {
                throw error(position, "'\(written)' is too long (at most \(QueryWords.maximumPhraseLength) words)")
            }
            return QueryTerm(kind: words.count == 1 ? .word : .phrase, text: written, words: words, caseSensitive: caseSensitive, position: position)
        }
    }

    // MARK: Lexer

    mutating func advance() { lookahead = nil }

    mutating func peek() throws(QueryParseError) -> Lexeme? {
        if let lookahead { return lookahead }
        lookahead = try lex()
        return lookahead
    }

    /// Whether the byte ends a word (ASCII white space, parentheses, quotes, braces).
    func isSeparatorByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09...0x0D, 0x28, 0x29, 0x22, 0x7B, 0x7D: true
        default: false
        }
    }

    /// The length of a non-ASCII separator at `index` (Unicode white space, curly quotes), or 0.
    func unicodeSeparatorLength(at index: Int) -> Int {
        let (scalar, length) = bytes.withUnsafeBufferPointer { UTF8Scan.decode($0, at: index) }
        if scalar == 0x201C || scalar == 0x201D { return length }
        if let value = Unicode.Scalar(scalar), value.properties.isWhitespace { return length }
        if scalar == 0x200B || scalar == 0xFEFF { return length }
        return 0
    }

    func isCurlyQuote(at index: Int) -> Int {
        guard index + 2 < bytes.count, bytes[index] == 0xE2, bytes[index + 1] == 0x80,
            bytes[index + 2] == 0x9C || bytes[index + 2] == 0x9D
        else { return 0 }
        return 3
    }

    func separatorLength(at index: Int) -> Int {
        let byte = bytes[index]
        if byte < 0x80 { return isSeparatorByte(byte) ? 1 : 0 }
        return unicodeSeparatorLength(at: index)
    }

    func isWhitespace(at index: Int) -> Int {
        let byte = bytes[index]
        if byte < 0x80 { return byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) ? 1 : 0 }
        if isCurlyQuote(at: index) > 0 { return 0 }
        return unicodeSeparatorLength(at: index)
    }

    mutating func lex() throws(QueryParseError) -> Lexeme? {
        while offset < bytes.count {
            let length = isWhitespace(at: offset)
            if length == 0 { break }
            offset += length
        }
        guard offset < bytes.count else { return nil }
        let start = offset
        let byte = bytes[start]
        switch byte {
        case 0x28:
            offset += 1
            return Lexeme(kind: .openParen, start: start, end: offset)
        case 0x29:
            offset += 1
            return Lexeme(kind: .closeParen, start: start, end: offset)
        case 0x7D:
            throw error(start, "'}' has no matching '{'")
        case 0x22:
            return try lexPhrase(start: start, openLength: 1)
        case 0x7B:
            var index = start + 1
            while index < bytes.count && bytes[index] != 0x7D {
                if bytes[index] == 0x7B { throw error(index, "braces cannot be nested") }
                index += 1
            }
            guard index < bytes.count else {
                throw error(start, "'{' is never closed: write {Exact} or {\"Exact Phrase\"}")
            }
            offset = index + 1
            return Lexeme(kind: .exact(start + 1..<index), start: start, end: offset)
        case 0x2D:
            if start + 1 >= bytes.count || separatorLength(at: start + 1) > 0 && bytes[start + 1] != 0x28
                && bytes[start + 1] != 0x22 && bytes[start + 1] != 0x7B && isCurlyQuote(at: start + 1) == 0
            {
                throw error(start, "'-' must be directly followed by the term to exclude (-spam)")
            }
            offset += 1
            return Lexeme(kind: .minus, start: start, end: offset)
        default:
            break
        }
        let curly = isCurlyQuote(at: start)
        if curly > 0 { return try lexPhrase(start: start, openLength: curly) }
        // A field name: ASCII letters then ':' (but not a URL scheme such as https://).
        var index = start
        while index < bytes.count, (bytes[index] | 0x20) >= 0x61, (bytes[index] | 0x20) <= 0x7A { index += 1 }
        if index > start, index < bytes.count, bytes[index] == 0x3A,
            !(index + 2 < bytes.count && bytes[index + 1] == 0x2F && bytes[index + 2] == 0x2F)
        {
            let name = text(start..<index)
            guard let field = QueryField(rawValue: name.lowercased()) else {
                let known = QueryField.allCases.map { $0.rawValue + ":" }.joined(separator: ", ")
                throw error(start, "unknown field '\(name):' (the fields are \(known))")
            }
            offset = index + 1
            return Lexeme(kind: .field(field), start: start, end: offset)
        }
        // A word: up to the next separator.
        index = start
        while index < bytes.count && separatorLength(at: index) == 0 && isCurlyQuote(at: index) == 0 { index += 1 }
        offset = index
        let range = start..<index
        switch bytes[range] {
        case Array("AND".utf8)[...]: return Lexeme(kind: .and, start: start, end: index)
        case Array("OR".utf8)[...]: return Lexeme(kind: .or, start: start, end: index)
        case Array("NOT".utf8)[...]: return Lexeme(kind: .not, start: start, end: index)
        case Array("NEAR".utf8)[...]:
            throw error(start, "NEAR needs a distance in words: NEAR/3")
        default: break
        }
        let nearPrefix = Array("NEAR/".utf8)
        if bytes[range].starts(with: nearPrefix) {
            let digits = bytes[(start + nearPrefix.count)..<index]
            guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let distance = Int(String(decoding: digits, as: UTF8.self)),
                distance >= 1, distance <= QueryParser.maximumNearDistance
            else {
                throw error(start, "'\(text(range))': the NEAR distance must be a whole number of words from 1 to \(QueryParser.maximumNearDistance) (NEAR/3)")
            }
            return Lexeme(kind: .near(distance), start: start, end: index)
        }
        return Lexeme(kind: .word(range), start: start, end: index)
    }

    mutating func lexPhrase(start: Int, openLength: Int) throws(QueryParseError) -> Lexeme {
        var index = start + openLength
        while index < bytes.count {
            if bytes[index] == 0x22 {
                offset = index + 1
                return Lexeme(kind: .phrase(start + openLength..<index), start: start, end: offset)
            }
            let curly = isCurlyQuote(at: index)
            if curly > 0 {
                offset = index + curly
                return Lexeme(kind: .phrase(start + openLength..<index), start: start, end: offset)
            }
            index += 1
        }
        throw error(start, "the quote is never closed: write \"exact phrase\"")
    }

    // MARK: Messages

    func describe(_ lexeme: Lexeme) -> String {
        switch lexeme.kind {
        case .closeParen: "')'"
        case .openParen: "'('"
        case .and: "AND"
        case .or: "OR"
        case .not: "NOT"
        case .near(let distance): "NEAR/\(distance)"
        case .minus: "'-'"
        case .field(let field): "\(field.rawValue):"
        case .phrase, .exact, .word: "'\(text(lexeme.start..<lexeme.end))'"
        }
    }

    func example(for field: QueryField) -> String {
        switch field {
        case .title: "title:refund or title:(a OR b)"
        case .site: "a host name such as site:example.org"
        case .lang: "a language code such as lang:es"
        }
    }

    /// The 1-based character position of a UTF-8 offset, as `QueryParseError.description` shows.
    func characterPosition(_ offset: Int) -> Int {
        String(decoding: bytes.prefix(offset), as: UTF8.self).count + 1
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
