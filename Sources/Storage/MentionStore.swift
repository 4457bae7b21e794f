import FoundationEssentials

/// Where Vigía keeps sources, entries, mentions, alerts and their deliveries.
///
/// The pipeline, the CLI and the alerting code only see this protocol: ``SQLiteMentionStore`` is
/// the embedded default, and a PostgreSQL store for several workers can be added behind it later.
/// Every method is safe to call from any task; writes are transactions (all of a batch or none).
///
/// Promises every implementation keeps:
/// - **Nothing twice.** An entry is stored once per source and guid (its id, else its canonical
///   link, else its content fingerprint). An entry with the canonical link or the content
///   fingerprint of an earlier entry — from any source — is stored as a duplicate of that entry,
///   and its mentions count once per brand for the whole group.
/// - Dates are kept to the second, in UTC.
public protocol MentionStore: Sendable {
    // MARK: Sources

    /// Registers a source, or returns the one already registered with the same URL (its title and
    /// format are filled in when they were unknown).
    func registerSource(_ source: NewSource) async throws -> SourceRecord
    /// Registers many sources in one transaction (see ``registerSource(_:)``), in order.
    func registerSources(_ sources: [NewSource]) async throws -> [SourceRecord]
    /// Every source, by id.
    func sources() async throws -> [SourceRecord]
    /// The source with this id, if any.
    func source(id: Int64) async throws -> SourceRecord?
    /// The source with this URL, if any.
    func source(url: String) async throws -> SourceRecord?
    /// Writes a source's title, format, interval, active flag and polling state (the id and URL
    /// select it and do not change).
    func updateSource(_ source: SourceRecord) async throws
    /// Stores the entries of one or more polls and the sources' new polling state in one
    /// transaction, so that a crash never leaves a source's validators or content hash ahead of the
    /// entries they cover. See ``store(batch:receivedAt:)`` for the entries.
    /// - Parameter files: files of folder sources read by these polls.
    func recordPolls(_ batch: [EntryRecord], sources: [SourceRecord], files: [FolderFile], receivedAt: Date) async throws -> BatchResult
    /// The files of a folder source already read.
    func folderFiles(sourceID: Int64) async throws -> [FolderFile]
    /// Active feeds due for polling at `date` (never polled, or next poll at or before `date`).
    func sourcesDue(at date: Date) async throws -> [SourceRecord]
    /// Deletes a source with its entries and their mentions.
    func deleteSource(id: Int64) async throws

    // MARK: Entries

    /// Stores entries and their mentions in one transaction, recognising entries already stored
    /// and copies of earlier entries (including earlier entries of the same batch).
    /// - Parameters:
    ///   - batch: the entries; thousands per call is the efficient size.
    ///   - receivedAt: when they were received; the date of entries without a published date.
    /// - Returns: one outcome per record, in order, and totals.
    func store(batch: [EntryRecord], receivedAt: Date) async throws -> BatchResult

    /// Which of `keys` (``EntryIdentity/guidKey`` values) the source `sourceID` already stored,
    /// so that a poller analyses only new entries.
    func storedGuidKeys(sourceID: Int64, among keys: [Int64]) async throws -> Set<Int64>

    /// Entries by id, with their mentions, in id order (unknown ids are left out).
    func entries(ids: [Int64]) async throws -> [ExportedEntry]

    // MARK: Search, export, prune

    /// Full-text search with the brand query language and filters.
    /// - Throws: ``StorageError`` (`unsupportedQuery`) for a query the full-text index cannot answer.
    func search(_ request: SearchRequest) async throws -> [SearchHit]

    /// Up to `limit` entries with an id greater than `id`, in id order, with their mentions.
    /// ``exportEntries(_:pageSize:)`` walks the whole store with it.
    func exportPage(after id: Int64, limit: Int, options: ExportOptions) async throws -> [ExportedEntry]

    /// Deletes entries dated before `date`, with their mentions and index rows. Kept copies of a
    /// deleted canonical entry become canonical themselves.
    /// - Parameter vacuum: also give the freed space back to the file system (slow on big stores).
    func prune(olderThan date: Date, vacuum: Bool) async throws -> PruneResult

    // MARK: Counts

    /// Totals of the store.
    func stats() async throws -> StoreStats
    /// Counted mentions per brand (and per bucket), by sentiment, brands in name order and buckets
    /// in time order.
    func mentionCounts(_ request: MentionCountRequest) async throws -> [MentionCount]

    // MARK: Alerts and their outbox

    /// Records an alert and queues one delivery per sink, in one transaction; an alert whose key
    /// was recorded before is not recorded or queued again.
    func recordAlert(_ alert: NewAlert, deliverTo sinks: [String]) async throws -> AlertRecording
    /// Pending deliveries whose next attempt is due at `date`, oldest first.
    func pendingDeliveries(dueAt date: Date, limit: Int) async throws -> [Delivery]
    /// Marks a delivery delivered.
    func markDelivered(_ deliveryID: Int64, at date: Date) async throws
    /// Records a failed attempt: the delivery stays pending until `retryAt`, or is given up
    /// (`failed`) when `retryAt` is nil.
    func markFailed(_ deliveryID: Int64, error: String, retryAt: Date?) async throws
    /// Recorded alerts, newest first.
    func alerts(since date: Date?, limit: Int) async throws -> [AlertRecord]
    /// The deliveries of these alerts, whatever their status, by alert then sink.
    func deliveries(alertIDs: [Int64]) async throws -> [Delivery]
    /// Puts given-up (`failed`) deliveries back in the queue, due at `date` with their attempts
    /// reset; all of them, or those of one alert.
    /// - Returns: how many were queued again.
    func requeueFailedDeliveries(alertID: Int64?, at date: Date) async throws -> Int

    // MARK: Digest

    /// Counted mentions per brand and language, brands in name order, most common language first.
    func languageCounts(_ request: MentionCountRequest) async throws -> [LanguageCount]
    /// The entry ids of a brand's counted mentions, in the request's order.
    func mentionEntryIDs(_ request: BrandMentionRequest) async throws -> [Int64]
    /// The title and text (joined by a line break) of a brand's counted mentions, in the request's order.
    func mentionTexts(_ request: BrandMentionRequest) async throws -> [String]
    /// Queues one delivery of a period's digest per target; a (run, target) queued before is not
    /// queued again, so each period is sent once even across restarts.
    /// - Returns: how many were queued.
    func scheduleDigest(_ run: DigestRun, targets: [String], at date: Date) async throws -> Int
    /// Pending digest deliveries due at `date`, oldest first.
    func pendingDigestDeliveries(dueAt date: Date, limit: Int) async throws -> [DigestDelivery]
    /// The latest digest deliveries, newest period first.
    func digestDeliveries(limit: Int) async throws -> [DigestDelivery]
    /// Marks a digest delivery delivered.
    func markDigestDelivered(_ deliveryID: Int64, at date: Date) async throws
    /// Records a failed attempt: pending until `retryAt`, or given up when `retryAt` is nil.
    func markDigestFailed(_ deliveryID: Int64, error: String, retryAt: Date?) async throws
}

extension MentionStore {
    /// ``recordPolls(_:sources:files:receivedAt:)`` for polls that read no folder.
    public func recordPolls(_ batch: [EntryRecord], sources: [SourceRecord], receivedAt: Date) async throws -> BatchResult {
        try await recordPolls(batch, sources: sources, files: [], receivedAt: receivedAt)
    }

    /// Stores entries received now. See ``store(batch:receivedAt:)``.
    public func store(batch: [EntryRecord]) async throws -> BatchResult {
        try await store(batch: batch, receivedAt: Date())
    }

    /// Every entry (with its mentions and scores) in id order, read page by page as the
    /// sequence is consumed; for `vigia export`.
    public func exportEntries(_ options: ExportOptions = ExportOptions(), pageSize: Int = 1000) -> EntryExport {
        EntryExport(store: self, options: options, pageSize: max(1, pageSize))
    }
}
