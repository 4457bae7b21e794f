@testable import Fetching
import Foundation
import Storage
import Testing
import VigiaModel

@testable import Polling

/// 2024-05-01T00:00:00Z
private let now = Date(timeIntervalSince1970: 1_714_521_600)
private let feedURL = "https://feeds.example.org/a.xml"

private func source(
    etag: String? = nil, lastModified: String? = nil, failures: Int = 0, failingSince: Date? = nil,
    holdUntil: Date? = nil, lastError: String? = nil, pollInterval: Int? = nil, fetchURL: String? = nil,
    title: String? = nil
) -> SourceRecord {
    SourceRecord(
        id: 1, kind: .feed, url: feedURL, title: title, pollInterval: pollInterval, etag: etag,
        lastModified: lastModified, lastError: lastError, consecutiveFailures: failures,
        addedAt: now.addingTimeInterval(-30 * 86_400), fetchURL: fetchURL, holdUntil: holdUntil,
        failingSince: failingSince)
}

private func facts(
    _ status: Int = 200, headers: [String: String] = [:], url: String = feedURL, redirects: [Redirect] = []
) -> ResponseFacts {
    ResponseFacts(FetchResponse(
        status: status, body: [], headers: ResponseHeaders(headers), effectiveURL: url, redirects: redirects))
}

private func fetched(
    _ facts: ResponseFacts, hash: Int64 = 42, feed: FeedInfo = FeedInfo(title: "Feed A", link: "https://example.org/"),
    records: Int = 0, published: [Date] = []
) -> PollOutcome {
    let entries = (0..<records).map {
        EntryRecord(sourceID: 1, entry: FeedEntry(id: "e\($0)", title: "Entry \($0)"), language: nil, sentiment: nil, mentions: [])
    }
    return .fetched(FetchedFeed(
        response: facts, bodyHash: hash, feed: feed, format: .rss, entriesRead: records, records: entries,
        publishedDates: published))
}

private func wait(_ record: SourceRecord) throws -> TimeInterval {
    try #require(record.nextPollAt).timeIntervalSince(now)
}

@Suite struct PollOutcomeTests {
    let schedule = PollSchedule(defaultInterval: 1800, minInterval: 300, maxInterval: 86_400)

    // MARK: Success

    @Test func successClearsFailures() throws {
        let failing = source(
            failures: 4, failingSince: now.addingTimeInterval(-86_400), holdUntil: now.addingTimeInterval(-1),
            lastError: "timeout: too slow")
        for outcome in [fetched(facts()), .notModified(facts(304)), .unchanged(facts())] {
            let next = schedule.updated(failing, after: outcome, at: now)
            #expect(next.consecutiveFailures == 0)
            #expect(next.failingSince == nil)
            #expect(next.holdUntil == nil)
            #expect(next.lastError == nil)
            #expect(next.lastPolledAt == now)
            #expect(next.lastSuccessAt == now)
            let wait = try wait(next)
            #expect(wait >= 0.9 * 1800 && wait <= 1.1 * 1800)
        }
    }

    @Test func successRecordsStatusAndValidators() {
        let next = schedule.updated(
            source(), after: fetched(facts(200, headers: ["etag": "\"v2\"", "last-modified": "Tue, 30 Apr 2024 10:00:00 GMT"])),
            at: now)
        #expect(next.lastStatus == 200)
        #expect(next.etag == "\"v2\"")
        #expect(next.lastModified == "Tue, 30 Apr 2024 10:00:00 GMT")
    }

    @Test func a200WithoutValidatorsForgetsTheOldOnes() {
        let next = schedule.updated(source(etag: "\"v1\"", lastModified: "old"), after: .unchanged(facts(200)), at: now)
        #expect(next.etag == nil)
        #expect(next.lastModified == nil)
    }

    @Test func notModifiedKeepsTheValidators() {
        let known = source(etag: "\"v1\"", lastModified: "Mon, 01 Jan 2024 00:00:00 GMT")
        let next = schedule.updated(known, after: .notModified(facts(304)), at: now)
        #expect(next.etag == "\"v1\"")
        #expect(next.lastModified == "Mon, 01 Jan 2024 00:00:00 GMT")
        #expect(next.lastStatus == 304)

        // A 304 that repeats (or renews) a validator updates it.
        let renewed = schedule.updated(known, after: .notModified(facts(304, headers: ["etag": "\"v1b\""])), at: now)
        #expect(renewed.etag == "\"v1b\"")
        #expect(renewed.lastModified == "Mon, 01 Jan 2024 00:00:00 GMT")
    }

    @Test func fetchedFeedUpdatesWhatTheFeedSays() {
        let next = schedule.updated(
            source(), after: fetched(facts(), hash: 1234, feed: FeedInfo(title: "Feed A", link: "https://example.org/"), records: 3),
            at: now)
        #expect(next.contentHash == 1234)
        #expect(next.title == "Feed A")
        #expect(next.siteLink == "https://example.org/")
        #expect(next.format == .rss)
        #expect(next.entriesTotal == 3)

        // A title already known (configured) is kept.
        let titled = schedule.updated(source(title: "Mine"), after: fetched(facts(), records: 2), at: now)
        #expect(titled.title == "Mine")
        let again = schedule.updated(next, after: fetched(facts(), hash: 99, records: 2), at: now.addingTimeInterval(3600))
        #expect(again.entriesTotal == 5)
        #expect(again.contentHash == 99)
    }

    @Test func permanentRedirectSetsFetchURL() {
        let moved = "https://new.example.org/feed.xml"
        let redirect = Redirect(status: 301, from: feedURL, to: moved)
        let next = schedule.updated(source(), after: fetched(facts(url: moved, redirects: [redirect])), at: now)
        #expect(next.fetchURL == moved)
        #expect(next.effectiveURL == moved)
        #expect(next.url == feedURL)

        // Moved back to the configured URL: nothing to remember.
        let back = Redirect(status: 308, from: moved, to: feedURL)
        let returned = schedule.updated(next, after: .notModified(facts(304, url: feedURL, redirects: [back])), at: now)
        #expect(returned.fetchURL == nil)
        #expect(returned.effectiveURL == feedURL)
    }

    @Test func temporaryRedirectLeavesFetchURLAlone() {
        let elsewhere = "https://mirror.example.org/feed.xml"
        let redirect = Redirect(status: 302, from: feedURL, to: elsewhere)
        #expect(schedule.updated(source(), after: fetched(facts(url: elsewhere, redirects: [redirect])), at: now).fetchURL == nil)
        let moved = source(fetchURL: "https://new.example.org/feed.xml")
        #expect(schedule.updated(moved, after: .notModified(facts(304)), at: now).fetchURL == "https://new.example.org/feed.xml")
    }

    @Test func feedHintMaxAgeAndConfiguredIntervalSetTheNextPoll() throws {
        let hinted = schedule.updated(source(), after: fetched(facts(), feed: FeedInfo(suggestedInterval: 7200)), at: now)
        #expect(try wait(hinted) >= 0.9 * 7200)
        let cached = schedule.updated(source(), after: .notModified(facts(304, headers: ["cache-control": "max-age=36000"])), at: now)
        #expect(try wait(cached) >= 0.9 * 36_000)
        let configured = schedule.updated(source(pollInterval: 600), after: .notModified(facts(304)), at: now)
        #expect(try wait(configured) >= 540 && wait(configured) <= 660)
        let tooOften = schedule.updated(source(pollInterval: 10), after: .notModified(facts(304)), at: now)
        #expect(try wait(tooOften) >= 270 && wait(tooOften) <= 330)
    }

    // MARK: Failure

    @Test func failureIncrementsAndHolds() throws {
        let failure = PollFailure(kind: "http_status", message: "the server answered HTTP 500", status: 500)
        let first = schedule.updated(source(etag: "\"v1\""), after: .failed(failure), at: now)
        #expect(first.consecutiveFailures == 1)
        #expect(first.failingSince == now)
        #expect(first.lastPolledAt == now)
        #expect(first.lastSuccessAt == nil)
        #expect(first.lastStatus == 500)
        #expect(first.lastError == "http_status: the server answered HTTP 500")
        #expect(first.holdUntil == first.nextPollAt)
        #expect(first.etag == "\"v1\"")  // validators survive failures
        let firstWait = try wait(first)
        #expect(firstWait >= 900 && firstWait <= 1800)

        let later = now.addingTimeInterval(3600)
        let second = schedule.updated(first, after: .failed(failure), at: later)
        #expect(second.consecutiveFailures == 2)
        #expect(second.failingSince == now)  // set once, when the run of failures began
        #expect(second.holdUntil == second.nextPollAt)
        let secondWait = try #require(second.nextPollAt).timeIntervalSince(later)
        #expect(secondWait >= 1800 && secondWait <= 3600)
    }

    @Test func failureWithoutAResponseHasStatusZero() {
        let next = schedule.updated(source(), after: .failed(PollFailure(kind: "dns", message: "no such host")), at: now)
        #expect(next.lastStatus == 0)
        #expect(next.lastError == "dns: no such host")
    }

    @Test func retryAfterLongerThanTheBackoffWins() throws {
        let asked = PollFailure(kind: "http_status", message: "429", status: 429, retryAfter: "7200")
        let next = schedule.updated(source(), after: .failed(asked), at: now)
        #expect(try wait(next) == 7200)
        #expect(next.holdUntil == next.nextPollAt)

        let date = PollFailure(kind: "http_status", message: "503", status: 503, retryAfter: "Wed, 01 May 2024 03:00:00 GMT")
        #expect(try wait(schedule.updated(source(), after: .failed(date), at: now)) == 10_800)

        // A Retry-After shorter than the backoff does not shorten it.
        let short = PollFailure(kind: "http_status", message: "429", status: 429, retryAfter: "10")
        #expect(try wait(schedule.updated(source(), after: .failed(short), at: now)) >= 900)
    }

    @Test func failureFromFetchErrorCarriesStatusAndRetryAfter() {
        let error = FetchError(
            kind: .httpStatus, url: feedURL, message: "slow down", status: 429, headers: ResponseHeaders(["retry-after": "60"]))
        let failure = PollFailure(error)
        #expect(failure.kind == "http_status")
        #expect(failure.status == 429)
        #expect(failure.retryAfter == "60")
        #expect(PollFailure(FetchError(kind: .timeout, url: feedURL, message: "slow")).status == nil)
    }

    @Test func cancelledChangesNothing() {
        let known = source(etag: "\"v1\"", failures: 2, failingSince: now.addingTimeInterval(-60))
        #expect(schedule.updated(known, after: .cancelled, at: now) == known)
    }

    // MARK: Publishing rate

    @Test func firstPollEstimatesItemsPerDayFromTheDates() throws {
        let dates = (0..<10).map { now.addingTimeInterval(-Double($0) * 86_400 - 60) }
        let next = schedule.updated(source(), after: fetched(facts(), records: 10, published: dates), at: now)
        let rate = try #require(next.itemsPerDay)
        #expect(rate > 0.9 && rate < 1.2)
        // One dated entry is not enough to tell.
        #expect(schedule.updated(source(), after: fetched(facts(), records: 1, published: [now]), at: now).itemsPerDay == nil)
    }

    @Test func laterPollsBlendInTheNewEntries() throws {
        var known = source()
        known.itemsPerDay = 1
        known.lastSuccessAt = now.addingTimeInterval(-7 * 86_400)
        let next = schedule.updated(known, after: fetched(facts(), records: 14), at: now)
        #expect(try #require(next.itemsPerDay) == 2)  // a week replaces the estimate
        let quiet = schedule.updated(known, after: .unchanged(facts()), at: now)
        #expect(try #require(quiet.itemsPerDay) == 0)
    }
}
