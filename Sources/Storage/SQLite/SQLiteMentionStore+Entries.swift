import FoundationEssentials
import GRDB

extension SQLiteMentionStore {
    public func store(batch: [EntryRecord], receivedAt: Date) async throws -> BatchResult {
        guard !batch.isEmpty else { return BatchResult() }
        let seenAt = receivedAt.storedSeconds
        let prepared = batch.map { PreparedEntry($0, receivedAt: seenAt) }
        return try await write { db in try Self.insert(prepared, seenAt: seenAt, db) }
    }

    public func storedGuidKeys(sourceID: Int64, among keys: [Int64]) async throws -> Set<Int64> {
        guard !keys.isEmpty else { return [] }
        return try await read { db in
            var found = Set<Int64>()
            // Chunks stay well under SQLite's limit on bound parameters.
            for start in stride(from: 0, to: keys.count, by: 500) {
                let chunk = Array(keys[start..<min(start + 500, keys.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let arguments = StatementArguments([sourceID] + chunk)
                found.formUnion(try Int64.fetchAll(
                    db, sql: "SELECT guid_key FROM entry WHERE source_id = ? AND guid_key IN (\(marks))", arguments: arguments))
            }
            return found
        }
    }

    /// The write path: per entry, find an earlier copy (canonical link, then content fingerprint),
    /// insert unless the source already has the guid, index its words unless a copy with the same
    /// text is indexed, then insert its mentions (counted once per brand per group of copies).
    static func insert(_ entries: [PreparedEntry], seenAt: Int64, _ db: Database) throws -> BatchResult {
        let findByLink = try db.cachedStatement(
            sql: "SELECT coalesce(duplicate_of, id) FROM entry WHERE link_key = ? LIMIT 1")
        let findByFingerprint = try db.cachedStatement(
            sql: "SELECT coalesce(duplicate_of, id) FROM entry WHERE fingerprint = ? LIMIT 1")
        let canonicalContent = try db.cachedStatement(sql: "SELECT fingerprint, title, text FROM entry WHERE id = ?")
        let insertEntry = try db.cachedStatement(sql: """
            INSERT INTO entry (
                source_id, guid, guid_key, link, link_key, host_key, title, text, author, categories, origin,
                engagement, published, updated, seen_at, date, language, sentiment_score, sentiment_label,
                fingerprint, duplicate_of, duplicate_reason, indexed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (source_id, guid_key) DO NOTHING
            """)
        let findByGuid = try db.cachedStatement(sql: "SELECT id FROM entry WHERE source_id = ? AND guid_key = ?")
        let insertIndex = try db.cachedStatement(
            sql: """
                INSERT INTO entry_fts (rowid, title, text, lang, site)
                VALUES (?, ?, ?, \(IndexTokens.languageSQL("?")), \(IndexTokens.hostSQL("?")))
                """)
        let brandCounted = try db.cachedStatement(
            sql: "SELECT 1 FROM mention WHERE canonical_id = ? AND brand = ? AND counted")
        let insertMention = try db.cachedStatement(sql: """
            INSERT INTO mention (entry_id, canonical_id, brand, date, sentiment_score, sentiment_label, counted, matches)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (entry_id, brand) DO NOTHING
            """)

        var result = BatchResult()
        result.outcomes.reserveCapacity(entries.count)
        for entry in entries {
            // An earlier copy, from any source.
            var canonical: Int64?
            var reason: DuplicateReason?
            if let linkKey = entry.linkKey {
                canonical = try Int64.fetchOne(findByLink, arguments: [linkKey])
                if canonical != nil { reason = .link }
            }
            if canonical == nil, let fingerprint = entry.fingerprint {
                canonical = try Int64.fetchOne(findByFingerprint, arguments: [fingerprint])
                if canonical != nil { reason = .content }
            }
            // Index the words unless the canonical copy has the same text.
            var indexed = true
            if let canonical, reason == .link {
                if let row = try Row.fetchOne(canonicalContent, arguments: [canonical]) {
                    let fingerprint: Int64? = row[0]
                    if let fingerprint, fingerprint == entry.fingerprint {
                        indexed = false
                    } else if fingerprint == nil, entry.fingerprint == nil {
                        indexed = ContentFingerprint.normalised(title: row[1], text: row[2])
                            != ContentFingerprint.normalised(title: entry.title, text: entry.text)
                    }
                }
            } else if reason == .content {
                indexed = false
            }

            insertEntry.setUncheckedArguments([
                entry.sourceID, entry.guid, entry.guidKey, entry.link, entry.linkKey, entry.hostKey, entry.title,
                entry.text, entry.author, entry.categories, entry.origin, entry.engagement, entry.published,
                entry.updated, seenAt, entry.date, entry.language, entry.sentimentScore, entry.sentimentLabel,
                entry.fingerprint, canonical, reason?.rawValue, indexed,
            ])
            try insertEntry.execute()
            guard db.changesCount > 0 else {
                let existing = try Int64.fetchOne(findByGuid, arguments: [entry.sourceID, entry.guidKey]) ?? 0
                result.outcomes.append(.alreadyPresent(entryID: existing))
                result.alreadyPresent += 1
                continue
            }
            let id = db.lastInsertedRowID
            if indexed {
                insertIndex.setUncheckedArguments([id, entry.title, entry.text, entry.language, entry.hostKey])
                try insertIndex.execute()
            }
            if let canonical, let reason {
                result.outcomes.append(.duplicate(entryID: id, of: canonical, reason: reason))
                result.duplicates += 1
            } else {
                result.outcomes.append(.stored(entryID: id))
                result.stored += 1
            }

            let group = canonical ?? id
            for mention in entry.mentions {
                var counted = true
                if canonical != nil {
                    counted = try Bool.fetchOne(brandCounted, arguments: [group, mention.brand]) == nil
                }
                insertMention.setUncheckedArguments([
                    id, group, mention.brand, entry.date, mention.score, mention.label, counted, mention.matches,
                ])
                try insertMention.execute()
                if db.changesCount > 0 {
                    result.mentionsStored += 1
                    if counted { result.countedMentions[mention.brand, default: 0] += 1 }
                }
            }
        }
        return result
    }

    public func entries(ids: [Int64]) async throws -> [ExportedEntry] {
        guard !ids.isEmpty else { return [] }
        let unique = Array(Set(ids)).sorted()
        return try await read { db in
            var entries: [ExportedEntry] = []
            for chunk in stride(from: 0, to: unique.count, by: 500).map({ Array(unique[$0..<min($0 + 500, unique.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                entries += try Self.fetchExported(
                    db, condition: "e.id IN (\(marks))", arguments: StatementArguments(chunk), limit: nil)
            }
            return entries
        }
    }

    /// Entries matching `condition` (on `e`) in id order, with their mentions.
    static func fetchExported(
        _ db: Database, condition: String, arguments: StatementArguments, limit: Int?
    ) throws -> [ExportedEntry] {
        var sql = """
            SELECT e.id, e.source_id, s.url, e.guid, e.title, e.link, e.author, e.text, e.categories, e.origin,
                   e.engagement, e.published, e.updated, e.seen_at, e.date, e.language, e.sentiment_score,
                   e.sentiment_label, e.duplicate_of, e.duplicate_reason
            FROM entry e JOIN source s ON s.id = e.source_id
            WHERE \(condition)
            ORDER BY e.id
            """
        if let limit { sql += " LIMIT \(limit)" }
        var entries: [ExportedEntry] = []
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            entries.append(
                ExportedEntry(
                    id: row[0], sourceID: row[1], sourceURL: row[2], guid: row[3], title: row[4], link: row[5],
                    author: row[6], text: row[7],
                    categories: (row[8] as String?).map { $0.split(separator: "\n").map(String.init) } ?? [],
                    origin: row[9], engagement: (row[10] as Int64?).map { Int(truncatingIfNeeded: $0) },
                    published: row.date(11), updated: row.date(12), seenAt: row.date(13) ?? Date(storedSeconds: 0),
                    date: row.date(14) ?? Date(storedSeconds: 0), language: row[15],
                    sentiment: row.sentiment(score: 16, label: 17), duplicateOf: row[18],
                    duplicateReason: (row[19] as String?).flatMap(DuplicateReason.init(rawValue:)), mentions: []))
        }
        guard let first = entries.first?.id, let last = entries.last?.id else { return entries }
        // Mentions of the page, merged in by entry id.
        var position: [Int64: Int] = [:]
        for (index, entry) in entries.enumerated() { position[entry.id] = index }
        // A page of consecutive entries reads its id range; scattered entries (a few picked by id
        // across the whole table) read theirs one by one instead of every mention in between.
        let scattered = last - first + 1 > Int64(entries.count) * 4
        let mentions = try Row.fetchCursor(
            db,
            sql: """
                SELECT entry_id, brand, sentiment_score, sentiment_label, counted, matches FROM mention
                WHERE \(scattered ? "entry_id IN (" + Array(repeating: "?", count: entries.count).joined(separator: ",") + ")" : "entry_id BETWEEN ? AND ?")
                ORDER BY entry_id, brand
                """,
            arguments: scattered ? StatementArguments(entries.map(\.id)) : [first, last])
        while let row = try mentions.next() {
            guard let index = position[row[0]] else { continue }
            let matches = PreparedEntry.matches(fromJSON: row[5] as String? ?? "[]")
            entries[index].mentions.append(
                ExportedMention(
                    brand: row[1], sentiment: row.sentiment(score: 2, label: 3) ?? SentimentValue(score: 0, label: .neu),
                    counted: row[4], matches: matches))
        }
        return entries
    }

    public func exportPage(after id: Int64, limit: Int, options: ExportOptions) async throws -> [ExportedEntry] {
        guard limit > 0 else { return [] }
        var conditions = ["e.id > ?"]
        var arguments: StatementArguments = [id]
        if let since = options.since {
            conditions.append("e.date >= ?")
            arguments += [since.storedSeconds]
        }
        if let until = options.until {
            conditions.append("e.date < ?")
            arguments += [until.storedSeconds]
        }
        if !options.includeDuplicates { conditions.append("e.duplicate_of IS NULL") }
        let condition = conditions.joined(separator: " AND ")
        let page = arguments
        return try await read { db in
            try Self.fetchExported(db, condition: condition, arguments: page, limit: limit)
        }
    }
}
