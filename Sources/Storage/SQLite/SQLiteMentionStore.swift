import FoundationEssentials
import GRDB

/// The embedded mention store: one SQLite file in WAL mode, through GRDB.swift.
///
/// Why GRDB.swift rather than sqlite-nio: GRDB talks to the system `libsqlite3` directly (FTS5,
/// `bm25()`, `snippet()`, WAL all work with Debian's 3.40) without pulling in SwiftNIO, so it
/// builds in about half the time; it has numbered migrations (`DatabaseMigrator`), a WAL
/// connection pool (one writer, concurrent readers), cached prepared statements, and errors that
/// carry SQLite's code, message and SQL. Its async `read`/`write` run on GRDB's own queues, so no
/// blocking SQLite call runs on Swift's cooperative thread pool.
///
/// Durability: `synchronous = NORMAL` in WAL mode. A committed batch survives a crash or
/// `kill -9` of the process (the WAL is written before the commit returns); only a power cut or
/// an operating-system crash can lose the last commits, never corrupt the file.
///
/// Readers never wait for the writer and see the last committed state (WAL). Several processes
/// (the daemon and a `vigia search`) may share the file; a writer waits up to ``Options/busyTimeout``
/// for another process's write to finish.
public final class SQLiteMentionStore: MentionStore {
    /// How the store opens its file.
    public struct Options: Sendable, Hashable {
        /// Create the file when it does not exist (otherwise: a `missing` error).
        public var createIfMissing: Bool
        /// Concurrent reader connections.
        public var maximumReaders: Int
        /// Page cache of each connection, in MiB.
        public var cacheMiB: Int
        /// How long to wait for another process's write, in seconds.
        public var busyTimeout: Double

        public init(createIfMissing: Bool = true, maximumReaders: Int = 4, cacheMiB: Int = 64, busyTimeout: Double = 10) {
            self.createIfMissing = createIfMissing
            self.maximumReaders = maximumReaders
            self.cacheMiB = cacheMiB
            self.busyTimeout = busyTimeout
        }
    }

    /// The database file.
    public let path: String
    let pool: DatabasePool

    /// Opens (or creates) the store at `path`, upgrading its schema to this build's version.
    /// - Throws: ``StorageError``: `notADatabase`, `notAVigiaDatabase`, `corrupt`, `newerSchema`,
    ///   `cannotOpen`, `missing`; each names the file and says what to do.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        if !options.createIfMissing && !FileManager.default.fileExists(atPath: path) {
            throw StorageError(
                .missing, path: path,
                message: "no database here; run `vigia import` or `vigia run` first, or check `database:` in vigia.yaml")
        }
        var configuration = Configuration()
        configuration.label = "vigia-store"
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(options.busyTimeout)
        configuration.maximumReaderCount = max(1, options.maximumReaders)
        let cachePages = -1024 * max(2, options.cacheMiB)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = \(cachePages)")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw Self.storageError(error, path: path)
        }
        do {
            try checkIdentity()
            try Schema.migrator.migrate(pool)
        } catch {
            throw Self.storageError(error, path: path)
        }
    }

    /// Refuses files of other programs and of newer Vigía versions before migrating anything.
    private func checkIdentity() throws {
        try pool.read { db in
            let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let userVersion = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            if applicationID != Schema.applicationID && (applicationID != 0 || !tables.isEmpty) {
                throw StorageError(
                    .notAVigiaDatabase, path: self.path,
                    message: "is an SQLite database of another program (tables: \(tables.prefix(5).joined(separator: ", "))); point `database:` in vigia.yaml at a new file")
            }
            let superseded = tables.contains("grdb_migrations") ? try Schema.migrator.hasBeenSuperseded(db) : false
            if userVersion > Schema.version || superseded {
                throw StorageError(
                    .newerSchema, path: self.path,
                    message: "was written by a newer Vigía (schema version \(userVersion); this build knows up to \(Schema.version)); upgrade Vigía to open it")
            }
        }
    }

    /// The schema version of the open file.
    public func schemaVersion() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }

    // MARK: - Running work

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw Self.storageError(error, path: path)
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw Self.storageError(error, path: path)
        }
    }

    /// A ``StorageError`` that names the file and says what to do, from any error.
    static func storageError(_ error: any Error, path: String) -> StorageError {
        if let error = error as? StorageError {
            var named = error
            if named.path == nil, named.kind != .unsupportedQuery, named.kind != .invalidArgument { named.path = path }
            return named
        }
        guard let error = error as? DatabaseError else {
            return StorageError(.database, path: path, message: "\(error)")
        }
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode.primaryResultCode {
        case .SQLITE_NOTADB:
            return StorageError(
                .notADatabase, path: path,
                message: "is not an SQLite database (\(detail)); point `database:` in vigia.yaml at a Vigía database or a new file")
        case .SQLITE_CORRUPT:
            return StorageError(
                .corrupt, path: path,
                message: "the database is damaged (\(detail)); restore a backup, or move the file away and re-import")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return StorageError(
                .cannotOpen, path: path,
                message: "cannot open the database (\(detail)); check that the directory exists and is writable")
        case .SQLITE_FULL, .SQLITE_READONLY, .SQLITE_IOERR:
            return StorageError(
                .cannotWrite, path: path,
                message: "cannot write the database (\(detail)); check free disk space and permissions")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StorageError(
                .database, path: path,
                message: "the database stayed locked by another process (\(detail)); try again when it has finished")
        default:
            return StorageError(.database, path: path, message: "SQLite error: \(detail)")
        }
    }
}

// MARK: - Conversions

extension Date {
    /// Whole seconds since the Unix epoch, as stored.
    var storedSeconds: Int64 {
        let seconds = timeIntervalSince1970.rounded(.down)
        guard seconds.isFinite else { return 0 }
        if seconds >= 9.2e18 { return Int64.max }
        if seconds <= -9.2e18 { return Int64.min }
        return Int64(seconds)
    }

    init(storedSeconds: Int64) {
        self.init(timeIntervalSince1970: Double(storedSeconds))
    }
}

extension Row {
    func date(_ index: Int) -> Date? {
        (self[index] as Int64?).map(Date.init(storedSeconds:))
    }

    func sentiment(score: Int, label: Int) -> SentimentValue? {
        guard let value = self[score] as Double?, let raw = self[label] as String?,
              let polarity = SentimentPolarity(rawValue: raw) else { return nil }
        return SentimentValue(score: value, label: polarity)
    }
}

extension SQLArgument {
    var databaseValue: DatabaseValue {
        switch self {
        case .text(let text): text.databaseValue
        case .integer(let value): value.databaseValue
        }
    }
}

extension Array where Element == SQLArgument {
    var statementArguments: StatementArguments { StatementArguments(map(\.databaseValue)) }
}

extension SQLiteMentionStore {
    /// Runs raw SQL in a write transaction (for tests that need to damage or age a database).
    func executeForTesting(_ sql: String) async throws {
        try await write { db in try db.execute(sql: sql) }
    }

    /// The first value of a raw SQL query (for tests).
    func valueForTesting(_ sql: String) async throws -> Int64? {
        try await read { db in try Int64.fetchOne(db, sql: sql) }
    }

    /// SQLite's plan for a query, one step per line (for tests of index use).
    func queryPlanForTesting(_ sql: String, arguments: StatementArguments = StatementArguments()) async throws -> String {
        try await read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String? ?? "" }
                .joined(separator: "\n")
        }
    }
}
