import FoundationEssentials
import GRDB

extension SQLiteMentionStore {
    static let alertColumns = """
        a.id, a.key, a.brand, a.kind, a.bucket_start, a.bucket_end, a.value, a.baseline, a.score, a.message, a.details,
        a.created_at
        """

    /// An alert from the 12 columns of ``alertColumns`` starting at `offset`.
    static func alert(_ row: Row, offset: Int = 0) -> AlertRecord {
        AlertRecord(
            id: row[offset],
            alert: NewAlert(
                key: row[offset + 1], brand: row[offset + 2], kind: row[offset + 3],
                bucketStart: row.date(offset + 4) ?? Date(storedSeconds: 0), bucketEnd: row.date(offset + 5),
                value: row[offset + 6], baseline: row[offset + 7], score: row[offset + 8], message: row[offset + 9],
                details: row[offset + 10], createdAt: row.date(offset + 11) ?? Date(storedSeconds: 0)))
    }

    public func recordAlert(_ alert: NewAlert, deliverTo sinks: [String]) async throws -> AlertRecording {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO alert (key, brand, kind, bucket_start, bucket_end, value, baseline, score, message, details, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (key) DO NOTHING
                    """,
                arguments: [
                    alert.key, alert.brand, alert.kind, alert.bucketStart.storedSeconds, alert.bucketEnd?.storedSeconds,
                    alert.value, alert.baseline, alert.score, alert.message, alert.details, alert.createdAt.storedSeconds,
                ])
            guard db.changesCount > 0 else {
                let id = try Int64.fetchOne(db, sql: "SELECT id FROM alert WHERE key = ?", arguments: [alert.key]) ?? 0
                return .alreadyRecorded(alertID: id)
            }
            let id = db.lastInsertedRowID
            var queued = 0
            for sink in sinks {
                try db.execute(
                    sql: "INSERT INTO outbox (alert_id, sink, next_attempt_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    arguments: [id, sink, alert.createdAt.storedSeconds])
                queued += db.changesCount
            }
            return .recorded(alertID: id, deliveries: queued)
        }
    }

    static let deliveryColumns = "o.id, o.sink, o.status, o.attempts, o.next_attempt_at, o.last_error, o.delivered_at"

    /// A delivery from ``deliveryColumns`` followed by ``alertColumns``.
    static func delivery(_ row: Row) -> Delivery {
        Delivery(
            id: row[0], alert: Self.alert(row, offset: 7), sink: row[1],
            status: DeliveryStatus(rawValue: row[2]) ?? .pending, attempts: row[3],
            nextAttemptAt: row.date(4) ?? Date(storedSeconds: 0), lastError: row[5], deliveredAt: row.date(6))
    }

    public func pendingDeliveries(dueAt date: Date, limit: Int) async throws -> [Delivery] {
        let now = date.storedSeconds
        let count = max(0, limit)
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.deliveryColumns), \(Self.alertColumns)
                    FROM outbox o JOIN alert a ON a.id = o.alert_id
                    WHERE o.status = 'pending' AND o.next_attempt_at <= ?
                    ORDER BY o.next_attempt_at, o.id LIMIT ?
                    """,
                arguments: [now, count]
            ).map(Self.delivery)
        }
    }

    public func deliveries(alertIDs: [Int64]) async throws -> [Delivery] {
        guard !alertIDs.isEmpty else { return [] }
        return try await read { db in
            var found: [Delivery] = []
            for start in stride(from: 0, to: alertIDs.count, by: 500) {
                let chunk = Array(alertIDs[start..<min(start + 500, alertIDs.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                found += try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(Self.deliveryColumns), \(Self.alertColumns)
                        FROM outbox o JOIN alert a ON a.id = o.alert_id
                        WHERE o.alert_id IN (\(marks)) ORDER BY o.alert_id, o.sink
                        """,
                    arguments: StatementArguments(chunk)
                ).map(Self.delivery)
            }
            return found
        }
    }

    public func requeueFailedDeliveries(alertID: Int64?, at date: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?
                    WHERE status = 'failed' AND (? IS NULL OR alert_id = ?)
                    """,
                arguments: [date.storedSeconds, alertID, alertID])
            return db.changesCount
        }
    }

    public func markDelivered(_ deliveryID: Int64, at date: Date) async throws {
        try await markDelivered(deliveryID, at: date, in: "outbox", missing: "no delivery #\(deliveryID) in the outbox")
    }

    public func markFailed(_ deliveryID: Int64, error: String, retryAt: Date?) async throws {
        try await markFailed(deliveryID, error: error, retryAt: retryAt, in: "outbox", missing: "no delivery #\(deliveryID) in the outbox")
    }

    /// Marks a row of a delivery table (`outbox`, `digest_delivery`) delivered (its last error is
    /// kept: it says what a late delivery overcame).
    func markDelivered(_ id: Int64, at date: Date, in table: String, missing: String) async throws {
        try await updateOne(
            sql: "UPDATE \(table) SET status = 'delivered', delivered_at = ?, attempts = attempts + 1 WHERE id = ?",
            arguments: [date.storedSeconds, id], missing: missing)
    }

    /// Records a failed attempt on a row of a delivery table: pending until `retryAt`, or given up.
    func markFailed(_ id: Int64, error: String, retryAt: Date?, in table: String, missing: String) async throws {
        try await updateOne(
            sql: """
                UPDATE \(table) SET attempts = attempts + 1, last_error = ?,
                    status = CASE WHEN ? IS NULL THEN 'failed' ELSE 'pending' END,
                    next_attempt_at = coalesce(?, next_attempt_at)
                WHERE id = ?
                """,
            arguments: [error, retryAt?.storedSeconds, retryAt?.storedSeconds, id], missing: missing)
    }

    /// Runs an UPDATE that must change one row; `missing` says which when it changes none.
    func updateOne(sql: String, arguments: StatementArguments, missing: String) async throws {
        let changed = try await write { db -> Int in
            try db.execute(sql: sql, arguments: arguments)
            return db.changesCount
        }
        if changed == 0 {
            throw StorageError(.invalidArgument, path: path, message: missing)
        }
    }

    public func alerts(since date: Date?, limit: Int) async throws -> [AlertRecord] {
        let since = date?.storedSeconds ?? Int64.min
        let count = max(0, limit)
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.alertColumns) FROM alert a WHERE a.created_at >= ? ORDER BY a.created_at DESC, a.id DESC LIMIT ?",
                arguments: [since, count]
            ).map { Self.alert($0) }
        }
    }
}
