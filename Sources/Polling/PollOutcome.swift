import Fetching
import Foundation
import Storage
import VigiaModel

/// What polling one feed gave.
enum PollOutcome: Sendable {
    /// A new body, parsed: the entries the source did not have yet, analysed.
    case fetched(FetchedFeed)
    /// 304: the validators matched.
    case notModified(ResponseFacts)
    /// 200 with the same body as last time (a server ignoring conditional GET).
    case unchanged(ResponseFacts)
    case failed(PollFailure)
    /// Abandoned because the daemon is stopping; nothing is recorded.
    case cancelled
}

/// The parts of a response that decide the feed's next state.
struct ResponseFacts: Sendable {
    var status: Int
    var etag: String?
    var lastModified: String?
    var maxAge: Int?
    /// Where every redirect was permanent, the new URL.
    var permanentURL: String?
    var seconds: Double

    init(_ response: FetchResponse) {
        status = response.status
        etag = response.headers.etag
        lastModified = response.headers.lastModified
        maxAge = response.headers.maxAge
        permanentURL = response.permanentURL
        seconds = response.seconds
    }
}

/// A parsed feed and its new entries.
struct FetchedFeed: Sendable {
    var response: ResponseFacts
    var bodyHash: Int64
    var feed: FeedInfo
    var format: FeedFormat
    /// Entries in the document.
    var entriesRead: Int
    /// Analysed records of the entries the source did not have.
    var records: [EntryRecord]
    /// Publication dates of the document's entries, for the publishing rate.
    var publishedDates: [Date]
    /// For a folder source, the files read.
    var files: [FolderFile] = []
}

/// Why a poll failed, in the terms `vigia feeds status` and the metrics use.
struct PollFailure: Error, Sendable {
    /// A ``FetchError/Kind`` raw value, or `parse` for a body that is not a feed.
    var kind: String
    var message: String
    /// The HTTP status when there was a response.
    var status: Int?
    /// `Retry-After` as sent, for 429 and 503.
    var retryAfter: String?

    init(kind: String, message: String, status: Int? = nil, retryAfter: String? = nil) {
        self.kind = kind
        self.message = message
        self.status = status
        self.retryAfter = retryAfter
    }

    init(_ error: FetchError) {
        self.init(kind: error.kind.rawValue, message: error.message, status: error.status, retryAfter: error.headers?.retryAfter)
    }
}

extension PollSchedule {
    /// The source's state after `outcome`, polled at `now`.
    func updated(_ source: SourceRecord, after outcome: PollOutcome, at now: Date) -> SourceRecord {
        var next = source
        let configured = source.pollInterval.map(Double.init)
        switch outcome {
        case .cancelled:
            return source
        case .fetched(let fetched):
            next.format = fetched.format
            if next.title == nil { next.title = fetched.feed.title }
            if let link = fetched.feed.link { next.siteLink = link }
            next.contentHash = fetched.bodyHash
            next.entriesTotal += fetched.records.count
            next.itemsPerDay = Self.itemsPerDay(previous: source, newEntries: fetched.records.count, published: fetched.publishedDates, now: now)
            succeeded(&next, fetched.response, feedHint: fetched.feed.suggestedInterval.map(Double.init), configured: configured, now: now)
        case .notModified(let facts), .unchanged(let facts):
            if case .unchanged = outcome, source.itemsPerDay != nil {
                next.itemsPerDay = Self.itemsPerDay(previous: source, newEntries: 0, published: [], now: now)
            }
            succeeded(&next, facts, feedHint: nil, configured: configured, now: now)
        case .failed(let failure):
            next.lastPolledAt = now
            next.lastStatus = failure.status ?? 0
            next.lastError = "\(failure.kind): \(failure.message)"
            next.consecutiveFailures += 1
            if next.failingSince == nil { next.failingSince = now }
            let regular = interval(configured: configured, feedHint: nil, maxAge: nil)
            var wait = backoff(failures: next.consecutiveFailures, interval: regular)
            if let asked = retryAfter(failure.retryAfter, now: now) { wait = max(wait, asked) }
            next.nextPollAt = now.addingTimeInterval(wait)
            next.holdUntil = next.nextPollAt
        }
        return next
    }

    private func succeeded(
        _ source: inout SourceRecord, _ facts: ResponseFacts, feedHint: TimeInterval?, configured: TimeInterval?, now: Date
    ) {
        source.lastPolledAt = now
        source.lastSuccessAt = now
        source.lastStatus = facts.status
        source.lastError = nil
        source.consecutiveFailures = 0
        source.failingSince = nil
        source.holdUntil = nil
        // A 304 may repeat the validators or leave them out: keep ours then.
        if facts.status == 304 {
            if let etag = facts.etag { source.etag = etag }
            if let lastModified = facts.lastModified { source.lastModified = lastModified }
        } else {
            source.etag = facts.etag
            source.lastModified = facts.lastModified
        }
        if let moved = facts.permanentURL { source.fetchURL = moved == source.url ? nil : moved }
        let regular = interval(configured: configured, feedHint: feedHint, maxAge: facts.maxAge.map(Double.init))
        source.nextPollAt = nextAfterSuccess(interval: regular, now: now)
    }

    /// New entries per day, smoothed: the first poll estimates it from the entries' dates, later
    /// polls blend in the new entries since the last success.
    static func itemsPerDay(previous: SourceRecord, newEntries: Int, published: [Date], now: Date) -> Double? {
        if let last = previous.lastSuccessAt, let rate = previous.itemsPerDay {
            let days = now.timeIntervalSince(last) / 86_400
            guard days > 0 else { return rate }
            let weight = min(1, days / 7)  // a week of observation replaces the estimate
            return rate * (1 - weight) + (Double(newEntries) / days) * weight
        }
        let dates = published.filter { $0 <= now.addingTimeInterval(86_400) }
        guard dates.count >= 2, let oldest = dates.min(), let newest = dates.max() else { return nil }
        let span = max(now.timeIntervalSince(oldest), newest.timeIntervalSince(oldest), 3600) / 86_400
        return Double(dates.count) / span
    }
}
