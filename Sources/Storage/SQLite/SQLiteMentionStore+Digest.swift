import FoundationEssentials
import GRDB

extension SQLiteMentionStore {
    /// The conditions on counted mentions (`m`) of some brands between two dates, with their arguments.
    static func countedMentions(brands: [String], since: Date?, until: Date?, alias: String = "m") -> (conditions: [String], arguments: StatementArguments) {
        let column = alias.isEmpty ? "" : alias + "."
        var conditions = ["\(column)counted"]
        var arguments = StatementArguments()
        if brands.count == 1 {
            conditions.append("\(column)brand = ?")
            arguments += StatementArguments(brands)
        } else if !brands.isEmpty {
            conditions.append("\(column)brand IN (" + Array(repeating: "?", count: brands.count).joined(separator: ",") + ")")
            arguments += StatementArguments(brands)
        }
        if let since {
            conditions.append("\(column)date >= ?")
            arguments += [since.storedSeconds]
        }
        if let until {
            conditions.append("\(column)date < ?")
            arguments += [until.storedSeconds]
        }
        return (conditions, arguments)
    }

    public func languageCounts(_ request: MentionCountRequest) async throws -> [LanguageCount] {
        let (conditions, arguments) = Self.countedMentions(brands: request.brands, since: request.since, until: request.until)
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
        var (conditions, arguments) = countedMentions(brands: [request.brand], since: request.since, until: request.until)
        if let sentiment = request.sentiment {
            conditions.append("m.sentiment_label = ?")
            arguments += [sentiment.rawValue]
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
        try await markDelivered(deliveryID, at: date, in: "digest_delivery", missing: "no digest delivery #\(deliveryID)")
    }

    public func markDigestFailed(_ deliveryID: Int64, error: String, retryAt: Date?) async throws {
        try await markFailed(deliveryID, error: error, retryAt: retryAt, in: "digest_delivery", missing: "no digest delivery #\(deliveryID)")
    }
}
