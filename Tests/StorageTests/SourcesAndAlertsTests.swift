import Foundation
import Testing
import VigiaModel

@testable import Storage

@Suite struct SourcesTests {
    @Test func registeringTheSameURLTwiceReturnsTheSameSource() async throws {
        let fixture = try await StoreFixture()
        let again = try await fixture.store.registerSource(NewSource(kind: .feed, url: fixture.feed.url, format: .rss))
        #expect(again.id == fixture.feed.id)
        #expect(again.title == "Feed A")
        #expect(again.format == .rss)
        #expect(try await fixture.store.sources().count == 2)
    }

    @Test func pollingStateRoundTrips() async throws {
        let fixture = try await StoreFixture()
        var source = fixture.feed
        source.etag = "\"abc\""
        source.lastModified = "Wed, 01 May 2024 10:00:00 GMT"
        source.lastStatus = 304
        source.lastError = nil
        source.lastPolledAt = may1
        source.lastSuccessAt = may1
        source.consecutiveFailures = 2
        source.nextPollAt = may1 + 900
        source.itemsPerDay = 12.5
        source.pollInterval = 900
        source.siteLink = "https://example.org/"
        try await fixture.store.updateSource(source)
        #expect(try await fixture.store.source(id: source.id) == source)
        #expect(try await fixture.store.source(url: source.url) == source)
    }

    @Test func updatingAnUnknownSourceIsAnError() async throws {
        let fixture = try await StoreFixture()
        var ghost = fixture.feed
        ghost.id = 999
        await #expect(throws: StorageError.self) { try await fixture.store.updateSource(ghost) }
    }

    @Test func dueSourcesAreActiveFeedsWhoseTimeHasCome() async throws {
        let fixture = try await StoreFixture()
        var later = fixture.otherFeed
        later.nextPollAt = may1 + 3600
        try await fixture.store.updateSource(later)
        let imported = try await fixture.store.registerSource(NewSource(kind: .import, url: "file:///tmp/export.jsonl"))
        #expect(try await fixture.store.sourcesDue(at: may1).map(\.id) == [fixture.feed.id])
        #expect(try await fixture.store.sourcesDue(at: may1 + 3600).map(\.id) == [fixture.feed.id, fixture.otherFeed.id])
        var inactive = fixture.feed
        inactive.active = false
        try await fixture.store.updateSource(inactive)
        #expect(try await fixture.store.sourcesDue(at: may1 + 7200).map(\.id) == [fixture.otherFeed.id])
        #expect(!(try await fixture.store.sourcesDue(at: may1 + 7200).map(\.id).contains(imported.id)))
    }

    @Test func deletingASourceDeletesItsEntries() async throws {
        let fixture = try await StoreFixture()
        _ = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "1", text: "goodbye words", mentions: [mention("Iberia")]),
            record(source: fixture.otherFeed.id, id: "2", text: "staying words"),
        ])
        try await fixture.store.deleteSource(id: fixture.feed.id)
        #expect(try await fixture.store.sources().map(\.id) == [fixture.otherFeed.id])
        #expect(try await fixture.store.search(SearchRequest(query: word("words"))).map(\.plainSnippet) == ["staying words"])
        #expect(try await fixture.store.stats().mentions == 0)
    }

    @Test func entriesNeedARegisteredSource() async throws {
        let fixture = try await StoreFixture()
        await #expect(throws: StorageError.self) {
            try await fixture.store.store(batch: [record(source: 12345, id: "1", text: "orphan")])
        }
        #expect(try await fixture.store.stats().entries == 0)
    }
}

@Suite struct AlertsTests {
    func alert(_ key: String = "Iberia/negative-spike/1714521600") -> NewAlert {
        NewAlert(
            key: key, brand: "Iberia", kind: "negative-spike", bucketStart: may1, bucketEnd: may1 + 300, value: 42,
            baseline: 3.5, score: 7.1, message: "42 negative mentions in 5 minutes (usually 3.5)", details: "{\"top\":[]}",
            createdAt: may1 + 301)
    }

    @Test func anAlertIsRecordedOnceWithOneDeliveryPerSink() async throws {
        let fixture = try await StoreFixture()
        let first = try await fixture.store.recordAlert(alert(), deliverTo: ["file", "slack", "slack"])
        guard case .recorded(let id, let deliveries) = first else {
            Issue.record("expected a new alert, got \(first)")
            return
        }
        #expect(deliveries == 2)
        #expect(try await fixture.store.recordAlert(alert(), deliverTo: ["file", "slack"]) == .alreadyRecorded(alertID: id))
        let pending = try await fixture.store.pendingDeliveries(dueAt: may1 + 301, limit: 10)
        #expect(pending.map(\.sink) == ["file", "slack"])
        #expect(pending.allSatisfy { $0.alert == AlertRecord(id: id, alert: alert()) && $0.status == .pending && $0.attempts == 0 })
        #expect(try await fixture.store.alerts(since: nil, limit: 10).map(\.id) == [id])
        #expect(try await fixture.store.stats().pendingDeliveries == 2)
    }

    @Test func deliveriesAreRetriedThenDeliveredOrGivenUp() async throws {
        let fixture = try await StoreFixture()
        _ = try await fixture.store.recordAlert(alert(), deliverTo: ["slack", "teams"])
        let pending = try await fixture.store.pendingDeliveries(dueAt: may1 + 301, limit: 10)
        let slack = try #require(pending.first { $0.sink == "slack" })
        let teams = try #require(pending.first { $0.sink == "teams" })

        try await fixture.store.markFailed(slack.id, error: "HTTP 503 from hooks.example", retryAt: may1 + 400)
        try await fixture.store.markFailed(teams.id, error: "HTTP 404: the webhook is gone", retryAt: nil)
        #expect(try await fixture.store.pendingDeliveries(dueAt: may1 + 399, limit: 10).isEmpty)
        let retry = try await fixture.store.pendingDeliveries(dueAt: may1 + 400, limit: 10)
        #expect(retry.map(\.sink) == ["slack"])
        #expect(retry.first?.attempts == 1)
        #expect(retry.first?.lastError == "HTTP 503 from hooks.example")

        try await fixture.store.markDelivered(slack.id, at: may1 + 401)
        #expect(try await fixture.store.pendingDeliveries(dueAt: may1 + 10_000, limit: 10).isEmpty)
        await #expect(throws: StorageError.self) { try await fixture.store.markDelivered(9999, at: may1) }
    }
}
