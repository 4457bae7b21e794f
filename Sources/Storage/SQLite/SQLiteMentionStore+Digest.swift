import FoundationEssentials
import GRDB

extension SQLiteMentionStore {
    public func languageCounts(_ request: MentionCountRequest) async throws -> [LanguageCount] {
        var conditions = ["m.counted"]
        var arguments = StatementArguments()
        if !request.brands.isEmpty {
            conditions.append("m.brand IN (" + Array(repeating: "?", count: request.brands.count).joined(separator: ",") + ")")
            arguments += StatementArguments(request.brands)
        }
        if let since = request.since {
            conditions.append("m.date >= ?")
            arguments += [since.storedSeconds]
        }
        if let until = request.until {
            conditions.append("m.date < ?")
            arguments += [until.storedSeconds]
        }
        let sql = """
            SELECT m.brand, e.language, count(*) FROM mention m JOIN entry e ON e.id = m.entry_id
            WHERE \(conditions.joined(separator: " AND "))
            GROUP BY m.brand, e.language ORDER BY m.brand, count(*) DESC, e.language
            """
        let query = arguments
        return try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: query).map { LanguageCount(brand: $0[0], language: $0[1], count: $0[2]) }
        }
    }

    public func mentionEntryIDs(_ request: BrandMentionRequest) async throws -> [Int64] {
        let (sql, arguments) = Self.brandMentionQuery(request, columns: "m.entry_id", join: "")
        return try await read { db in try Int64.fetchAll(db, sql: sql, arguments: arguments) }
    }

    public func mentionTexts(_ request: BrandMentionRequest) async throws -> [String] {
        let (sql, arguments) = Self.brandMentionQuery(
            request, columns: "coalesce(e.title, '') || char(10) || coalesce(e.text, '')", join: "JOIN entry e ON e.id = m.entry_id")
        return try await read { db in try String.fetchAll(db, sql: sql, arguments: arguments) }
    }

    private static func brandMentionQuery(_ request: BrandMentionRequest, columns: String, join: String) -> (String, StatementArguments) {
        var conditions = ["m.counted", "m.brand = ?"]
        var arguments: StatementArguments = [request.brand]
        if let sentiment = request.sentiment {
            conditions.append("m.sentiment_label = ?")
            arguments += [sentiment.rawValue]
        }
        if let since = request.since {
            conditions.append("m.date >= ?")
            arguments += [since.storedSeconds]
        }
        if let until = request.until {
            conditions.append("m.date < ?")
            arguments += [until.storedSeconds]
        }
        let order = switch request.order {
        case .newest: "m.date DESC, m.id DESC"
        case .strongest: request.sentiment == .neg ? "m.sentiment_score, m.date DESC" : "m.sentiment_score DESC, m.date DESC"
        }
        arguments += [max(0, request.limit)]
        return ("SELECT \(columns) FROM mention m \(join) WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order) LIMIT ?", arguments)
    }

    public func scheduleDigest(_ run: DigestRun, targets: [String], at date: Date) async throws -> Int {
        try await write { db in
            var queued = 0
            for target in targets {
                try db.execute(
                    sql: """
                        INSERT INTO digest_delivery (run_key, scope, period_start, period_end, target, next_attempt_at, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_key, target) DO NOTHING
                        """,
                    arguments: [run.key, run.scope, run.periodStart.storedSeconds, run.periodEnd.storedSeconds, target,
                                date.storedSeconds, date.storedSeconds])
                queued += db.changesCount
            }
            return queued
        }
    }

    static let digestDeliveryColumns = """
        id, run_key, scope, period_start, period_end, target, status, attempts, next_attempt_at, last_error, delivered_at,
        created_at
        """

    static func digestDelivery(_ row: Row) -> DigestDelivery {
        DigestDelivery(
            id: row[0],
            run: DigestRun(
                key: row[1], scope: row[2], periodStart: row.date(3) ?? Date(storedSeconds: 0),
                periodEnd: row.date(4) ?? Date(storedSeconds: 0)),
            target: row[5], status: DeliveryStatus(rawValue: row[6]) ?? .pending, attempts: row[7],
            nextAttemptAt: row.date(8) ?? Date(storedSeconds: 0), lastError: row[9], deliveredAt: row.date(10),
            createdAt: row.date(11) ?? Date(storedSeconds: 0))
    }

    public func pendingDigestDeliveries(dueAt date: Date, limit: Int) async throws -> [DigestDelivery] {
        let now = date.storedSeconds
        let count = max(0, limit)
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.digestDeliveryColumns) FROM digest_delivery
                    WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?
                    """,
                arguments: [now, count]
            ).map(Self.digestDelivery)
        }
    }

    public func digestDeliveries(limit: Int) async throws -> [DigestDelivery] {
        let count = max(0, limit)
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.digestDeliveryColumns) FROM digest_delivery ORDER BY period_end DESC, target LIMIT ?",
                arguments: [count]
            ).map(Self.digestDelivery)
        }
    }

    public func markDigestDelivered(_ deliveryID: Int64, at date: Date) async throws {
        try await updateDigestDelivery(
            deliveryID,
            sql: "UPDATE digest_delivery SET status = 'delivered', delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
            arguments: [date.storedSeconds, deliveryID])
    }

    public func markDigestFailed(_ deliveryID: Int64, error: String, retryAt: Date?) async throws {
        try await updateDigestDelivery(
            deliveryID,
            sql: """
                UPDATE digest_delivery SET attempts = attempts + 1, last_error = ?,
                    status = CASE WHEN ? IS NULL THEN 'failed' ELSE 'pending' END,
                    next_attempt_at = coalesce(?, next_attempt_at)
                WHERE id = ?
                """,
            arguments: [error, retryAt?.storedSeconds, retryAt?.storedSeconds, deliveryID])
    }

    private func updateDigestDelivery(_ id: Int64, sql: String, arguments: StatementArguments) async throws {
        try await updateOne(sql: sql, arguments: arguments, missing: "no digest delivery #\(id)")
    }
}
