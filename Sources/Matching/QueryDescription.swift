extension BrandQuery: CustomStringConvertible {
    /// The query as text, with parentheses only where precedence needs them: parsing it again
    /// gives the same query (terms keep the text they were written with).
    ///
    /// `(a OR b) c NOT d` prints `(a OR b) AND c NOT d`.
    public var description: String {
        var output = ""
        Self.write(self, minimumLevel: 0, to: &output)
        return output
    }

    /// Precedence, lowest first: binary NOT, OR, AND, NEAR, unary.
    private var level: Int {
        switch self {
        case .andNot: 0
        case .or(let items): items.count == 1 ? items[0].level : 1
        case .and(let items): items.count == 1 ? items[0].level : 2
        case .near: 3
        case .not, .field, .term: 4
        }
    }

    private static func write(_ query: BrandQuery, minimumLevel: Int, to output: inout String) {
        let parenthesised = query.level < minimumLevel
        if parenthesised { output += "(" }
        switch query {
        case .term(let term):
            output += term.queryText
        case .and(let items):
            for (index, item) in items.enumerated() {
                if index > 0 { output += " AND " }
                write(item, minimumLevel: 3, to: &output)
            }
        case .or(let items):
            for (index, item) in items.enumerated() {
                if index > 0 { output += " OR " }
                write(item, minimumLevel: 2, to: &output)
            }
        case .andNot(let left, let right):
            write(left, minimumLevel: 0, to: &output)
            output += " NOT "
            write(right, minimumLevel: 1, to: &output)
        case .not(let inner):
            output += "-"
            write(inner, minimumLevel: 4, to: &output)
        case .near(let left, let right, let distance):
            write(left, minimumLevel: 3, to: &output)
            output += " NEAR/\(distance) "
            write(right, minimumLevel: 4, to: &output)
        case .field(let field, let inner):
            output += field.rawValue + ":"
            write(inner, minimumLevel: 4, to: &output)
        }
        if parenthesised { output += ")" }
    }
}

extension QueryTerm: CustomStringConvertible {
    /// The term as written in the query.
    public var description: String { queryText }

    /// The term as query text: `text` when set, otherwise rebuilt from `words`.
    var queryText: String {
        if !text.isEmpty { return text }
        let body: String
        switch kind {
        case .word: body = words.first ?? ""
        case .phrase: body = "\"" + words.joined(separator: " ") + "\""
        case .prefix: body = (words.first ?? "") + "*"
        case .hashtag: body = "#" + (words.first ?? "")
        case .handle: body = "@" + (words.first ?? "")
        }
        return caseSensitive ? "{" + body + "}" : body
    }
}
