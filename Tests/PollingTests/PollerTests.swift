import Fetching
import Foundation
import Pipeline
import Storage
import Testing
import VigiaModel

@testable import Polling

/// The poller against the local feed server and a real SQLite store.
@Suite struct PollerTests {
    // MARK: New, unchanged and changed feeds

    @Test func firstPollStoresEntriesAndMentions() async throws {
        let workspace = try await PollingWorkspace()
        let source = try await workspace.register("/version/x.xml")
        let before = Date()
        let (report, stored) = try await workspace.poll(source)

        #expect(report.feeds == 1)
        #expect(report.polled == 1)
        #expect(report.fetched == 1)
        #expect(report.failed == 0)
        #expect(report.entriesRead == 3)
        #expect(report.entriesNew == 3)
        #expect(report.duplicates == 0)
        #expect(report.mentions(of: "Acme") == 3)
        #expect(report.mentionsNew == 3)

        let stats = try await workspace.store.stats()
        #expect(stats.entries == 3)
        #expect(stats.mentions == 3)
        #expect(stats.countedMentions == 3)

        #expect(stored.etag == "\"x-v0\"")
        #expect(stored.lastStatus == 200)
        #expect(stored.lastError == nil)
        #expect(stored.consecutiveFailures == 0)
        #expect(stored.entriesTotal == 3)
        #expect(stored.contentHash != nil)
        #expect(stored.format == .rss)
        #expect(stored.title == "Acme versioned feed x v0")
        #expect(stored.fetchURL == nil)
        let next = try #require(stored.nextPollAt)
        #expect(next >= before.addingTimeInterval(0.9 * 1800))

        // The request carried the configured contact and no validators.
        let sent = try #require(try workspace.server.stats().lastHeaders["/version/x.xml"])
        #expect(sent["user-agent"]?.contains("mailto:tests@example.org") == true)
        #expect(sent["if-none-match"] == nil)
    }

    @Test func secondPollIsNotModifiedAndKeepsTheETag() async throws {
        let workspace = try await PollingWorkspace()
        let source = try await workspace.register("/version/x.xml")
        _ = try await workspace.poll(source)
        let (report, stored) = try await workspace.pollAgain(source)

        #expect(report.notModified == 1)
        #expect(report.fetched == 0)
        #expect(report.entriesRead == 0)
        #expect(report.entriesNew == 0)
        #expect(report.mentionsNew == 0)
        #expect(stored.etag == "\"x-v0\"")
        #expect(stored.lastStatus == 304)
        #expect(stored.entriesTotal == 3)
        #expect(try await workspace.store.stats().entries == 3)
        #expect(try workspace.server.stats().lastHeaders["/version/x.xml"]?["if-none-match"] == "\"x-v0\"")
    }

    @Test func afterABumpOnlyTheNewItemsAreStored() async throws {
        let workspace = try await PollingWorkspace()
        let source = try await workspace.register("/version/x.xml")
        _ = try await workspace.poll(source)
        try workspace.server.bump("x")
        let (report, stored) = try await workspace.pollAgain(source)

        #expect(report.fetched == 1)
        #expect(report.entriesRead == 6)
        #expect(report.entriesNew == 3)
        #expect(report.duplicates == 0)
        #expect(report.mentions(of: "Acme") == 3)
        #expect(stored.etag == "\"x-v1\"")
        #expect(stored.entriesTotal == 6)
        let stats = try await workspace.store.stats()
        #expect(stats.entries == 6)
        #expect(stats.countedMentions == 6)

        // And then nothing new again.
        let (third, _) = try await workspace.pollAgain(source)
        #expect(third.notModified == 1)
        #expect(try await workspace.store.stats().entries == 6)
    }

    @Test func sameBodyWithoutValidatorsIsUnchanged() async throws {
        let workspace = try await PollingWorkspace()
        let source = try await workspace.register("/no-validators.xml")
        let (first, afterFirst) = try await workspace.poll(source)
        #expect(first.fetched == 1)
        #expect(first.entriesNew == 3)
        #expect(afterFirst.etag == nil)
        #expect(afterFirst.lastModified == nil)

        let (second, afterSecond) = try await workspace.pollAgain(source)
        #expect(second.unchanged == 1)
        #expect(second.fetched == 0)
        #expect(second.entriesNew == 0)
        #expect(afterSecond.contentHash == afterFirst.contentHash)
        #expect(afterSecond.lastStatus == 200)
        #expect(try workspace.server.count("/no-validators.xml") == 2)
    }

    /// A feed whose guids change on every request: the copies are recognised by link and text.
    @Test func changingGuidsAreRecognisedAsDuplicates() async throws {
        let workspace = try await PollingWorkspace()
        let source = try await workspace.register("/changing-guids.xml")
        let (first, _) = try await workspace.poll(source)
        #expect(first.fetched == 1)
        #expect(first.entriesNew == 3)
        #expect(first.duplicates == 0)
        #expect(first.mentions(of: "Acme") == 3)
        let counted = try await workspace.store.stats().countedMentions

        let (second, _) = try await workspace.pollAgain(source)
        #expect(second.fetched == 1)
        #expect(second.entriesRead == 3)
        #expect(second.duplicates == 3)
        #expect(second.mentionsNew == 0)
        let stats = try await workspace.store.stats()
        #expect(stats.duplicates == 3)
        #expect(stats.countedMentions == counted)
    }

    @Test func manyFeedsInOneCycle() async throws {
        let workspace = try await PollingWorkspace()
        var sources: [SourceRecord] = []
        for path in ["/feed.xml", "/etag-only.xml", "/lastmod-only.xml", "/gzip.xml", "/items/20.xml", "/status/404"] {
            sources.append(try await workspace.register(path))
        }
        let report = try await workspace.poller.poll(sources)
        #expect(report.feeds == 6)
        #expect(report.polled == 6)
        #expect(report.fetched == 5)
        #expect(report.failed == 1)
        #expect(report.failuresByKind == ["http_status": 1])
        #expect(report.failures.map { $0.url } == [workspace.server.url("/status/404")])
        #expect(report.entriesRead == 4 * 3 + 20)
        // /feed.xml, /etag-only.xml, /lastmod-only.xml and /gzip.xml carry the same three items
        // (same links, same text): stored once, the others as copies.
        #expect(report.entriesNew == 32)
        #expect(report.duplicates == 9)

        // The second cycle: validators where there are some, the same body where there are none.
        var again: [SourceRecord] = []
        for source in sources { again.append(try #require(try await workspace.store.source(id: source.id))) }
        let second = try await workspace.poller.poll(again)
        #expect(second.notModified == 3)
        #expect(second.unchanged == 2)
        #expect(second.failed == 1)
        #expect(second.entriesNew == 0)
    }

    // MARK: Failures

    @Test func serverErrorIsAFailureWithBackoff() async throws {
        let workspace = try await PollingWorkspace()
        let source = try await workspace.register("/status/500")
        let before = Date()
        let (report, stored) = try await workspace.poll(source)

        #expect(report.failed == 1)
        #expect(report.failuresByKind == ["http_status": 1])
        #expect(report.failures.first?.kind == "http_status")
        #expect(stored.consecutiveFailures == 1)
        #expect(stored.lastStatus == 500)
        #expect(stored.lastError?.hasPrefix("http_status:") == true)
        let failingSince = try #require(stored.failingSince)
        #expect(failingSince >= before.addingTimeInterval(-1))  // stored in whole seconds
        let next = try #require(stored.nextPollAt)
        #expect(next > Date())
        #expect(stored.holdUntil == stored.nextPollAt)
        #expect(stored.lastSuccessAt == nil)

        let (_, again) = try await workspace.pollAgain(source)
        #expect(again.consecutiveFailures == 2)
        #expect(again.failingSince == failingSince)
    }

    @Test func successAfterFailuresClearsThem() async throws {
        // The server serves the workspace folder under /files/: missing first, then there.
        let workspace = try await PollingWorkspace(serverRoot: true)
        let source = try await workspace.register("/files/late.xml")
        let (failed, failing) = try await workspace.poll(source)
        #expect(failed.failed == 1)
        #expect(failing.lastStatus == 404)
        #expect(failing.consecutiveFailures == 1)
        #expect(failing.failingSince != nil)
        #expect(failing.holdUntil != nil)

        try workspace.write("late.xml", rssDocument(count: 2))
        let (recovered, stored) = try await workspace.pollAgain(source)
        #expect(recovered.fetched == 1)
        #expect(recovered.entriesNew == 2)
        #expect(stored.consecutiveFailures == 0)
        #expect(stored.failingSince == nil)
        #expect(stored.holdUntil == nil)
        #expect(stored.lastError == nil)
        #expect(stored.lastStatus == 200)
        #expect(stored.lastSuccessAt != nil)
        #expect(stored.etag != nil)
    }

    @Test(arguments: ["/retry-after/120", "/unavailable/120", "/retry-after-date"])
    func retryAfterIsHonoured(_ path: String) async throws {
        // A one-minute interval, so that the backoff alone (at most a minute) is shorter than 120 s.
        var settings = PollingWorkspace.quickSettings
        settings.interval = .seconds(60)
        settings.minInterval = .seconds(60)
        let workspace = try await PollingWorkspace(settings: settings)
        let source = try await workspace.register(path)
        let before = Date()
        let (report, stored) = try await workspace.poll(source)
        #expect(report.failed == 1)
        #expect([429, 503].contains(stored.lastStatus ?? 0))
        let next = try #require(stored.nextPollAt)
        // An HTTP date has whole seconds; allow for that.
        #expect(next >= before.addingTimeInterval(119))
        #expect(stored.holdUntil == stored.nextPollAt)
    }

    /// A server that accepts the request and sends nothing (`/slow/30.xml` waits 30 s before its
    /// answer) is abandoned after the stall timeout, long before the total timeout.
    @Test func stalledFeedIsAFailureOfItsOwnKind() async throws {
        var settings = PollingWorkspace.quickSettings
        settings.stallTimeout = .seconds(1)
        settings.timeout = .seconds(20)
        let workspace = try await PollingWorkspace(settings: settings)
        let (report, stored) = try await workspace.poll(try await workspace.register("/slow/30.xml"))
        #expect(report.failuresByKind == ["stalled": 1])
        #expect(stored.lastError?.hasPrefix("stalled:") == true)
        #expect(stored.lastStatus == 0)
    }

    @Test func unreachableFeedIsAFailure() async throws {
        let workspace = try await PollingWorkspace()
        let gone = try await workspace.store.registerSource(NewSource(kind: .feed, url: "http://127.0.0.1:1/feed.xml"))
        let (report, stored) = try await workspace.poll(gone)
        #expect(report.failed == 1)
        #expect(stored.consecutiveFailures == 1)
        #expect(stored.lastStatus == 0)
    }

    // MARK: Redirects

    @Test func permanentRedirectMovesTheFeed() async throws {
        let workspace = try await PollingWorkspace()
        let source = try await workspace.register("/redirect/301/feed.xml")
        let (report, stored) = try await workspace.poll(source)
        #expect(report.fetched == 1)
        #expect(stored.fetchURL == workspace.server.url("/feed.xml"))
        #expect(stored.url == workspace.server.url("/redirect/301/feed.xml"))

        // The next poll goes straight to the new URL, with its validators.
        let (second, _) = try await workspace.pollAgain(source)
        #expect(second.notModified == 1)
        #expect(try workspace.server.count("/redirect/301/feed.xml") == 1)
        #expect(try workspace.server.count("/feed.xml") == 2)
    }

    @Test func temporaryRedirectKeepsTheURL() async throws {
        let workspace = try await PollingWorkspace()
        let source = try await workspace.register("/redirect/302/feed.xml")
        let (report, stored) = try await workspace.poll(source)
        #expect(report.fetched == 1)
        #expect(report.entriesNew == 3)
        #expect(stored.fetchURL == nil)
        #expect(stored.effectiveURL == workspace.server.url("/redirect/302/feed.xml"))
        let (second, _) = try await workspace.pollAgain(source)
        #expect(second.notModified == 1)
        #expect(try workspace.server.count("/redirect/302/feed.xml") == 2)
    }

    @Test func redirectLoopIsAFailure() async throws {
        let workspace = try await PollingWorkspace()
        let (report, stored) = try await workspace.poll(try await workspace.register("/loop"))
        #expect(report.failuresByKind == ["too_many_redirects": 1])
        #expect(stored.consecutiveFailures == 1)
    }

    // MARK: Scheduling hints

    @Test func cacheControlMaxAgeLengthensTheInterval() async throws {
        let workspace = try await PollingWorkspace()
        let before = Date()
        let (_, stored) = try await workspace.poll(try await workspace.register("/cache/7200.xml"))
        #expect(try #require(stored.nextPollAt) >= before.addingTimeInterval(0.9 * 7200))
    }

    @Test func feedTTLLengthensTheInterval() async throws {
        let workspace = try await PollingWorkspace()
        let before = Date()
        let (report, stored) = try await workspace.poll(try await workspace.register("/ttl/90.xml"))
        #expect(report.fetched == 1)
        #expect(try #require(stored.nextPollAt) >= before.addingTimeInterval(0.9 * 5400))
    }

    @Test func shortHintsDoNotShortenTheDefaultInterval() async throws {
        let workspace = try await PollingWorkspace()
        let before = Date()
        let (_, stored) = try await workspace.poll(try await workspace.register("/ttl/1.xml"))
        #expect(try #require(stored.nextPollAt) >= before.addingTimeInterval(0.9 * 1800))
    }

    // MARK: Bodies that are not feeds

    @Test func htmlPageIsAParseFailure() async throws {
        let workspace = try await PollingWorkspace()
        let (report, stored) = try await workspace.poll(try await workspace.register("/not-a-feed"))
        #expect(report.failed == 1)
        #expect(report.failuresByKind == ["parse": 1])
        #expect(stored.lastError?.hasPrefix("parse:") == true)
        #expect(stored.lastError?.contains("HTML page") == true)
        #expect(stored.lastStatus == 200)
        #expect(stored.consecutiveFailures == 1)
        #expect(try await workspace.store.stats().entries == 0)
    }

    /// A truncated document (its one item's `<title>` never closed): libxml2's recovery reads the
    /// item, so the feed counts as working and the entry is stored. (Today the unclosed title and
    /// description are lost, so the entry has only its guid and no mention; not asserted here.)
    @Test func truncatedXMLIsRecovered() async throws {
        let workspace = try await PollingWorkspace()
        let (report, stored) = try await workspace.poll(try await workspace.register("/broken.xml"))
        #expect(report.fetched == 1)
        #expect(report.failed == 0)
        #expect(report.entriesRead == 1)
        #expect(report.entriesNew == 1)
        #expect(stored.consecutiveFailures == 0)
        #expect(stored.lastError == nil)
        #expect(stored.format == .rss)
    }

    @Test func discourseJSONIsRead() async throws {
        let workspace = try await PollingWorkspace()
        let (report, stored) = try await workspace.poll(try await workspace.register("/discourse/latest.json"))
        #expect(report.fetched == 1)
        #expect(report.entriesNew == 2)
        #expect(report.mentions(of: "Acme") == 2)
        #expect(stored.format == .discourse)
    }

    // MARK: Files

    @Test func fileSourceIsPolled() async throws {
        let workspace = try await PollingWorkspace()
        let file = try workspace.write("local.xml", rssDocument(count: 2))
        let source = try await workspace.store.registerSource(NewSource(kind: .feed, url: file.absoluteString))
        let (report, stored) = try await workspace.poll(source)
        #expect(report.fetched == 1)
        #expect(report.entriesNew == 2)
        #expect(report.mentions(of: "Acme") == 2)
        #expect(stored.lastStatus == 0)
        #expect(stored.lastError == nil)
        #expect(stored.title == "Local Acme feed")

        let (second, _) = try await workspace.pollAgain(source)
        #expect(second.unchanged + second.notModified == 1)
        #expect(second.entriesNew == 0)

        try workspace.write("local.xml", rssDocument(count: 3))
        let (third, _) = try await workspace.pollAgain(source)
        #expect(third.fetched == 1)
        #expect(third.entriesNew == 1)
    }

    @Test func missingFileIsAFailure() async throws {
        let workspace = try await PollingWorkspace()
        let url = workspace.directory.appendingPathComponent("nope.xml").absoluteString
        let source = try await workspace.store.registerSource(NewSource(kind: .feed, url: url))
        let (report, stored) = try await workspace.poll(source)
        #expect(report.failuresByKind == ["file_not_found": 1])
        #expect(stored.consecutiveFailures == 1)
    }

    // MARK: Stopping

    @Test func stoppedPollerRecordsNothing() async throws {
        let workspace = try await PollingWorkspace()
        let source = try await workspace.register("/feed.xml")
        workspace.poller.stop()
        #expect(workspace.poller.isStopping)
        let (report, stored) = try await workspace.poll(source)
        #expect(report.cancelled == 1)
        #expect(report.polled == 0)
        #expect(stored.lastPolledAt == nil)
        #expect(stored.nextPollAt == source.nextPollAt)
        #expect(try workspace.server.count("/feed.xml") == 0)
    }

    @Test func stopDuringACycleAbandonsTheTransfers() async throws {
        let workspace = try await PollingWorkspace()
        let stalling = try await workspace.register("/stall")
        let fine = try await workspace.register("/feed.xml")
        _ = try await workspace.poll(fine)
        let poller = workspace.poller
        let cycle = Task { try await poller.poll([stalling]) }
        for _ in 0..<500 {
            if try workspace.server.count("/stall") > 0 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        poller.stop()
        let report = try await cycle.value
        #expect(report.cancelled == 1)
        #expect(report.failed == 0)
        let stored = try #require(try await workspace.store.source(id: stalling.id))
        #expect(stored.lastPolledAt == nil)
        #expect(stored.consecutiveFailures == 0)
    }
}
