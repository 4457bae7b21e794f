import FoundationEssentials
import GRDB

extension SQLiteMentionStore {
    /// Entries deleted per transaction by prune and source deletion.
    static let deletionChunk = 5000

    public func prune(olderThan date: Date, vacuum: Bool) async throws -> PruneResult {
        let cutoff = date.storedSeconds
        let result = try await deleteEntries(where: "date < ?", [cutoff])
        if vacuum {
            do {
                try await pool.vacuum()
                try await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            } catch {
                throw Self.storageError(error, path: path)
            }
        }
        return result
    }

    public func deleteSource(id: Int64) async throws {
        _ = try await deleteEntries(where: "source_id = ?", [id])
        try await write { db in try db.execute(sql: "DELETE FROM source WHERE id = ?", arguments: [id]) }
    }

    /// Deletes the entries matching `condition` in chunks, each one transaction that leaves the
    /// store consistent: index rows removed, mentions removed, and kept copies of a deleted
    /// canonical entry promoted (the oldest becomes canonical, indexed if it was not, and its
    /// group's mentions re-counted once per brand).
    func deleteEntries(where condition: String, _ arguments: StatementArguments) async throws -> PruneResult {
        var total = PruneResult()
        while true {
            let chunk = try await write { db -> PruneResult? in
                let ids = try Int64.fetchAll(
                    db, sql: "SELECT id FROM entry WHERE \(condition) ORDER BY id LIMIT \(Self.deletionChunk)",
                    arguments: arguments)
                guard !ids.isEmpty else { return nil }
                return try Self.delete(ids, db)
            }
            guard let chunk else { return total }
            total.entries += chunk.entries
            total.mentions += chunk.mentions
            total.promoted += chunk.promoted
        }
    }

    private static func delete(_ ids: [Int64], _ db: Database) throws -> PruneResult {
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS doomed (id INTEGER PRIMARY KEY)")
        try db.execute(sql: "DELETE FROM temp.doomed")
        let add = try db.cachedStatement(sql: "INSERT INTO temp.doomed (id) VALUES (?)")
        for id in ids { try add.execute(arguments: [id]) }
        var result = PruneResult()

        // Kept copies of deleted canonical entries: the oldest kept copy becomes canonical.
        let orphanedGroups = try Row.fetchAll(db, sql: """
            SELECT e.duplicate_of, min(e.id) FROM entry e
            WHERE e.duplicate_of IN (SELECT id FROM temp.doomed) AND e.id NOT IN (SELECT id FROM temp.doomed)
            GROUP BY e.duplicate_of
            """)
        for group in orphanedGroups {
            let old: Int64 = group[0]
            let root: Int64 = group[1]
            try db.execute(
                sql: "UPDATE entry SET duplicate_of = NULL, duplicate_reason = NULL WHERE id = ?", arguments: [root])
            try db.execute(
                sql: "UPDATE entry SET duplicate_of = ? WHERE duplicate_of = ? AND id NOT IN (SELECT id FROM temp.doomed)",
                arguments: [root, old])
            if try Bool.fetchOne(db, sql: "SELECT indexed FROM entry WHERE id = ?", arguments: [root]) == false {
                try db.execute(sql: "UPDATE entry SET indexed = 1 WHERE id = ?", arguments: [root])
                try db.execute(
                    sql: "INSERT INTO entry_fts (rowid, title, text, lang, site) SELECT * FROM entry_indexed WHERE id = ?",
                    arguments: [root])
            }
            try db.execute(
                sql: "UPDATE mention SET canonical_id = ?, counted = 0 WHERE canonical_id = ? AND entry_id NOT IN (SELECT id FROM temp.doomed)",
                arguments: [root, old])
            try db.execute(
                sql: """
                    UPDATE mention SET counted = 1 WHERE id IN (
                        SELECT min(id) FROM mention WHERE canonical_id = ? GROUP BY brand)
                    """,
                arguments: [root])
            result.promoted += 1
        }

        // Index rows (external content: the indexed words are removed with the stored text).
        try db.execute(sql: """
            INSERT INTO entry_fts (entry_fts, rowid, title, text, lang, site)
            SELECT 'delete', * FROM entry_indexed WHERE id IN (SELECT id FROM temp.doomed)
            """)
        try db.execute(sql: "DELETE FROM mention WHERE entry_id IN (SELECT id FROM temp.doomed)")
        result.mentions = db.changesCount
        try db.execute(sql: "DELETE FROM entry WHERE id IN (SELECT id FROM temp.doomed)")
        result.entries = db.changesCount
        try db.execute(sql: "DELETE FROM temp.doomed")
        return result
    }

    // MARK: - Counts

    public func stats() async throws -> StoreStats {
        try await read { db in
            var stats = StoreStats()
            stats.sources = try Int.fetchOne(db, sql: "SELECT count(*) FROM source") ?? 0
            stats.entries = try Int.fetchOne(db, sql: "SELECT count(*) FROM entry") ?? 0
            stats.duplicates = try Int.fetchOne(db, sql: "SELECT count(*) FROM entry WHERE duplicate_of IS NOT NULL") ?? 0
            stats.mentions = try Int.fetchOne(db, sql: "SELECT count(*) FROM mention") ?? 0
            stats.countedMentions = try Int.fetchOne(db, sql: "SELECT count(*) FROM mention WHERE counted") ?? 0
            stats.alerts = try Int.fetchOne(db, sql: "SELECT count(*) FROM alert") ?? 0
            stats.pendingDeliveries = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE status = 'pending'") ?? 0
            stats.oldestDate = try Int64.fetchOne(db, sql: "SELECT min(date) FROM entry").map(Date.init(storedSeconds:))
            stats.newestDate = try Int64.fetchOne(db, sql: "SELECT max(date) FROM entry").map(Date.init(storedSeconds:))
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            stats.databaseBytes = pages * pageSize
            return stats
        }
    }

    public func mentionCounts(_ request: MentionCountRequest) async throws -> [MentionCount] {
        if let bucket = request.bucketSeconds, bucket <= 0 {
            throw StorageError(.invalidArgument, message: "the bucket of mention counts must be at least one second (got \(bucket))")
        }
        let (sql, arguments) = Self.mentionCountQuery(request)
        return try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                MentionCount(
                    brand: row[0], bucketStart: row.date(1), positive: row[2], negative: row[3], neutral: row[4])
            }
        }
    }

    /// The query behind ``mentionCounts(_:)`` (a positive bucket, when any, is checked by the caller).
    static func mentionCountQuery(_ request: MentionCountRequest) -> (String, StatementArguments) {
        let (conditions, arguments) = countedMentions(brands: request.brands, since: request.since, until: request.until, alias: "")
        let bucketColumn = request.bucketSeconds.map { "(date - (((date % \($0)) + \($0)) % \($0)))" } ?? "NULL"
        let sql = """
            SELECT brand, \(bucketColumn) AS bucket,
                   sum(sentiment_label = 'pos'), sum(sentiment_label = 'neg'), sum(sentiment_label = 'neu')
            FROM mention WHERE \(conditions.joined(separator: " AND "))
            GROUP BY brand, bucket ORDER BY brand, bucket
            """
        return (sql, arguments)
    }
}
