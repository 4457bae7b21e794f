import FoundationEssentials
import GRDB
import Matching

/// The first stage of a search as SQL: the ids (and ranks) of the hits, in order.
struct SearchStatement: Sendable, Hashable {
    var sql: String
    var arguments: [SQLArgument]
    /// The whole FTS5 `MATCH` expression (title/text query and prefilters), for snippets.
    var ftsQuery: String?
    /// For date order with a full-text match: the statement to use instead when the match has
    /// at least ``manyMatches`` entries. It walks the date index from the newest entry and keeps
    /// those in the match (set aside once), instead of reading and sorting every match.
    var manyMatchesSQL: String?

    /// From how many matches a date-ordered search walks the date index.
    static let manyMatches = 2_000

    /// Builds the statement for `request`.
    init(_ request: SearchRequest) throws {
        guard (1...10_000).contains(request.limit) else {
            throw StorageError(.invalidArgument, message: "the search limit must be between 1 and 10000 (got \(request.limit))")
        }
        var translation = try request.query.map(SearchTranslation.init) ?? SearchTranslation(ftsQuery: nil, conditions: [])
        var conditions = translation.conditions

        if let brand = request.brand {
            if let sentiment = request.sentiment {
                conditions.append(SQLCondition(
                    "e.id IN (SELECT entry_id FROM mention WHERE brand = ? AND sentiment_label = ?)",
                    [.text(brand), .text(sentiment.rawValue)]))
            } else {
                conditions.append(SQLCondition("e.id IN (SELECT entry_id FROM mention WHERE brand = ?)", [.text(brand)]))
            }
        } else if let sentiment = request.sentiment {
            conditions.append(SQLCondition("e.sentiment_label = ?", [.text(sentiment.rawValue)]))
        }
        let languages = request.languages.map { $0.lowercased() }.filter { !$0.isEmpty }
        if translation.ftsQuery != nil, let prefilter = SearchTranslation.languagePrefilter(languages) {
            translation.prefilters.append(prefilter)
        }
        let prefilterIsExact = translation.ftsQuery != nil
            && languages.allSatisfy(SearchTranslation.exactLanguageCodes.contains)
        if !languages.isEmpty && !prefilterIsExact {
            conditions.append(SQLCondition(
                "e.language IN (" + Array(repeating: "?", count: languages.count).joined(separator: ",") + ")",
                languages.map { .text($0) }))
        }
        if let since = request.since { conditions.append(SQLCondition("e.date >= ?", [.integer(since.storedSeconds)])) }
        if let until = request.until { conditions.append(SQLCondition("e.date < ?", [.integer(until.storedSeconds)])) }
        if let source = request.source {
            conditions.append(SQLCondition(
                "e.source_id IN (SELECT id FROM source WHERE url = ? OR title = ? COLLATE NOCASE OR id = ?)",
                [.text(source), .text(source), .integer(Int64(source) ?? -1)]))
        }
        if !request.includeDuplicates { conditions.append(SQLCondition("e.duplicate_of IS NULL")) }

        ftsQuery = translation.matchExpression
        let limit = SQLArgument.integer(Int64(request.limit))
        let filter = conditions.map(\.sql).joined(separator: " AND ")
        let filterArguments = conditions.flatMap(\.arguments)
        let byDate = "ORDER BY e.date DESC, e.id DESC LIMIT ?"
        if let fts = translation.matchExpression {
            if request.order == .relevance {
                // BM25 over the newest `rankingWindow` matches: FTS5 reads matches in rowid order
                // cheaply, while ranking costs about a microsecond per match.
                guard request.rankingWindow >= request.limit else {
                    throw StorageError(.invalidArgument, message: "the ranking window must be at least the limit")
                }
                var window = "SELECT entry_fts.rowid AS id, entry_fts.rank AS rank FROM entry_fts"
                if !filter.isEmpty { window += " JOIN entry e ON e.id = entry_fts.rowid" }
                window += " WHERE entry_fts MATCH ?"
                if !filter.isEmpty { window += " AND " + filter }
                window += " ORDER BY entry_fts.rowid DESC LIMIT ?"
                sql = "SELECT id, rank FROM (\(window)) ORDER BY rank, id DESC LIMIT ?"
                arguments = [.text(fts)] + filterArguments + [.integer(Int64(request.rankingWindow)), limit]
            } else {
                sql = "SELECT e.id, NULL FROM entry_fts JOIN entry e ON e.id = entry_fts.rowid WHERE entry_fts MATCH ?"
                if !filter.isEmpty { sql += " AND " + filter }
                sql += " " + byDate
                arguments = [.text(fts)] + filterArguments + [limit]
                var walk = "SELECT e.id, NULL FROM entry e INDEXED BY entry_date"
                walk += " WHERE e.id IN (SELECT rowid FROM entry_fts WHERE entry_fts MATCH ?)"
                if !filter.isEmpty { walk += " AND " + filter }
                manyMatchesSQL = walk + " " + byDate
            }
        } else {
            // Filters only: entries in the index (copies with the same text stay out, as in
            // full-text searches), newest first.
            sql = "SELECT e.id, NULL FROM entry e WHERE e.indexed"
            if !filter.isEmpty { sql += " AND " + filter }
            sql += " " + byDate
            arguments = filterArguments + [limit]
        }
    }
}

extension SQLiteMentionStore {
    public func search(_ request: SearchRequest) async throws -> [SearchHit] {
        let statement = try SearchStatement(request)
        let snippetTokens = min(64, max(4, request.snippetWords))
        return try await read { db in
            var sql = statement.sql
            if let walk = statement.manyMatchesSQL, let fts = statement.ftsQuery {
                let matches = try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM (SELECT rowid FROM entry_fts WHERE entry_fts MATCH ? LIMIT ?)",
                    arguments: [fts, SearchStatement.manyMatches]) ?? 0
                if matches >= SearchStatement.manyMatches { sql = walk }
            }
            let ranked = try Row.fetchAll(db, sql: sql, arguments: statement.arguments.statementArguments)
                .map { (id: $0[0] as Int64, rank: $0[1] as Double?) }
            guard !ranked.isEmpty else { return [] }
            var hits: [Int64: SearchHit] = [:]
            let marks = Array(repeating: "?", count: ranked.count).joined(separator: ",")
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT e.id, e.title, e.link, e.source_id, s.url, s.title, e.published, e.date, e.language,
                           e.sentiment_score, e.sentiment_label, e.duplicate_of, e.text,
                           (SELECT group_concat(brand, char(10)) FROM mention WHERE entry_id = e.id)
                    FROM entry e JOIN source s ON s.id = e.source_id
                    WHERE e.id IN (\(marks))
                    """,
                arguments: StatementArguments(ranked.map(\.id)))
            while let row = try rows.next() {
                let id: Int64 = row[0]
                let text: String? = row[12]
                let title: String? = row[1]
                hits[id] = SearchHit(
                    entryID: id, title: title, link: row[2], sourceID: row[3], sourceURL: row[4], sourceTitle: row[5],
                    published: row.date(6), date: row.date(7) ?? Date(storedSeconds: 0), language: row[8],
                    sentiment: row.sentiment(score: 9, label: 10),
                    brands: (row[13] as String?).map { $0.split(separator: "\n").map(String.init).sorted() } ?? [],
                    snippet: Self.leadingSnippet(text ?? title ?? "", words: snippetTokens), rank: nil,
                    duplicateOf: row[11])
            }
            if let fts = statement.ftsQuery {
                // The text's passage when the text matched, else the title's (never the `lang` and
                // `site` columns).
                let snippet = try db.cachedStatement(sql: """
                    SELECT snippet(entry_fts, 1, char(2), char(3), '…', ?), snippet(entry_fts, 0, char(2), char(3), '…', ?)
                    FROM entry_fts WHERE entry_fts MATCH ? AND rowid = ?
                    """)
                for hit in ranked {
                    guard let row = try Row.fetchOne(snippet, arguments: [snippetTokens, snippetTokens, fts, hit.id]) else {
                        continue
                    }
                    let text: String? = row[0]
                    let title: String? = row[1]
                    if let text, text.contains(SearchHit.highlightStart) {
                        hits[hit.id]?.snippet = text
                    } else if let title, title.contains(SearchHit.highlightStart) {
                        hits[hit.id]?.snippet = title
                    }
                }
            }
            return ranked.compactMap { ranked in
                guard var hit = hits[ranked.id] else { return nil }
                hit.rank = ranked.rank
                return hit
            }
        }
    }

    /// The first `words` words of a text, with `…` when it goes on.
    static func leadingSnippet(_ text: String, words: Int) -> String {
        var count = 0
        var inWord = false
        for index in text.indices {
            let isSpace = text[index].isWhitespace
            if !isSpace && !inWord {
                count += 1
                if count > words { return String(text[..<index]).trimmingASCIIWhitespace() + "…" }
            }
            inWord = !isSpace
        }
        return text
    }
}
