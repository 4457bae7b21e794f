import FoundationEssentials
import GRDB
import VigiaModel

extension SQLiteMentionStore {
    static let sourceColumns = """
        id, kind, url, format, title, site_link, poll_interval, active, etag, last_modified, last_status, last_error,
        last_polled_at, last_success_at, consecutive_failures, next_poll_at, items_per_day, added_at,
        fetch_url, content_hash, hold_until, failing_since, entries_total
        """

    static func source(_ row: Row) -> SourceRecord {
        SourceRecord(
            id: row[0], kind: SourceKind(rawValue: row[1]) ?? .feed, url: row[2],
            format: (row[3] as String?).flatMap(FeedFormat.init(rawValue:)), title: row[4], siteLink: row[5],
            pollInterval: row[6], active: row[7], etag: row[8], lastModified: row[9], lastStatus: row[10],
            lastError: row[11], lastPolledAt: row.date(12), lastSuccessAt: row.date(13), consecutiveFailures: row[14],
            nextPollAt: row.date(15), itemsPerDay: row[16], addedAt: row.date(17) ?? Date(storedSeconds: 0),
            fetchURL: row[18], contentHash: row[19], holdUntil: row.date(20), failingSince: row.date(21),
            entriesTotal: row[22])
    }

    public func registerSource(_ source: NewSource) async throws -> SourceRecord {
        guard let record = try await registerSources([source]).first else {
            throw StorageError(.database, message: "the source \(source.url) vanished while it was registered")
        }
        return record
    }

    public func registerSources(_ sources: [NewSource]) async throws -> [SourceRecord] {
        if let unnamed = sources.first(where: { $0.url.isEmpty }) {
            throw StorageError(.invalidArgument, message: "a source needs a URL (or, for an import, the file's URL); got \(unnamed)")
        }
        let now = Date().storedSeconds
        return try await write { db in
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO source (kind, url, format, title, poll_interval, added_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (url) DO UPDATE SET
                    title = coalesce(source.title, excluded.title),
                    format = coalesce(source.format, excluded.format),
                    poll_interval = coalesce(source.poll_interval, excluded.poll_interval)
                """)
            let select = try db.cachedStatement(sql: "SELECT \(Self.sourceColumns) FROM source WHERE url = ?")
            return try sources.map { source in
                try upsert.execute(arguments: [
                    source.kind.rawValue, source.url, source.format?.rawValue, source.title, source.pollInterval, now,
                ])
                guard let row = try Row.fetchOne(select, arguments: [source.url]) else {
                    throw StorageError(.database, message: "the source \(source.url) vanished while it was registered")
                }
                return Self.source(row)
            }
        }
    }

    public func sources() async throws -> [SourceRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.sourceColumns) FROM source ORDER BY id").map(Self.source)
        }
    }

    public func source(id: Int64) async throws -> SourceRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.sourceColumns) FROM source WHERE id = ?", arguments: [id]).map(Self.source)
        }
    }

    public func source(url: String) async throws -> SourceRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.sourceColumns) FROM source WHERE url = ?", arguments: [url]).map(Self.source)
        }
    }

    public func updateSource(_ source: SourceRecord) async throws {
        let changed = try await write { db -> Int in
            try Self.update(source, db)
            return db.changesCount
        }
        if changed == 0 {
            throw StorageError(.invalidArgument, path: path, message: "no source #\(source.id) (\(source.url)) to update")
        }
    }

    static func update(_ source: SourceRecord, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            UPDATE source SET format = ?, title = ?, site_link = ?, poll_interval = ?, active = ?, etag = ?,
                last_modified = ?, last_status = ?, last_error = ?, last_polled_at = ?, last_success_at = ?,
                consecutive_failures = ?, next_poll_at = ?, items_per_day = ?, fetch_url = ?, content_hash = ?,
                hold_until = ?, failing_since = ?, entries_total = ?
            WHERE id = ?
            """)
        try statement.execute(arguments: [
            source.format?.rawValue, source.title, source.siteLink, source.pollInterval, source.active,
            source.etag, source.lastModified, source.lastStatus, source.lastError,
            source.lastPolledAt?.storedSeconds, source.lastSuccessAt?.storedSeconds,
            source.consecutiveFailures, source.nextPollAt?.storedSeconds, source.itemsPerDay, source.fetchURL,
            source.contentHash, source.holdUntil?.storedSeconds, source.failingSince?.storedSeconds,
            source.entriesTotal, source.id,
        ])
    }

    public func recordPolls(
        _ batch: [EntryRecord], sources: [SourceRecord], files: [FolderFile], receivedAt: Date
    ) async throws -> BatchResult {
        let seenAt = receivedAt.storedSeconds
        let prepared = batch.map { PreparedEntry($0, receivedAt: seenAt) }
        return try await write { db in
            let result = prepared.isEmpty ? BatchResult() : try Self.insert(prepared, seenAt: seenAt, db)
            for source in sources { try Self.update(source, db) }
            let stamp = try db.cachedStatement(sql: """
                INSERT INTO source_file (source_id, name, size, modified) VALUES (?, ?, ?, ?)
                ON CONFLICT (source_id, name) DO UPDATE SET size = excluded.size, modified = excluded.modified
                """)
            for file in files { try stamp.execute(arguments: [file.sourceID, file.name, file.size, file.modified]) }
            return result
        }
    }

    public func folderFiles(sourceID: Int64) async throws -> [FolderFile] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT name, size, modified FROM source_file WHERE source_id = ? ORDER BY name", arguments: [sourceID]
            ).map { FolderFile(sourceID: sourceID, name: $0[0], size: $0[1], modified: $0[2]) }
        }
    }

    public func sourcesDue(at date: Date) async throws -> [SourceRecord] {
        let now = date.storedSeconds
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.sourceColumns) FROM source
                    WHERE active AND kind = 'feed' AND (next_poll_at IS NULL OR next_poll_at <= ?)
                    ORDER BY coalesce(next_poll_at, 0), id
                    """,
                arguments: [now]
            ).map(Self.source)
        }
    }
}
