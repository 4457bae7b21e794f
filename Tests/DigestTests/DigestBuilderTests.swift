import Foundation
import Matching
import Storage
import Testing
import VigiaModel
@testable import Digest

/// A store in its own directory, removed at the end.
final class DigestStore {
    let folder: URL
    let store: SQLiteMentionStore
    let source: SourceRecord

    init() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-digest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteMentionStore(path: folder.appendingPathComponent("vigia.db").path)
        source = try await store.registerSource(NewSource(kind: .feed, url: "https://forum.example/feed", title: "Forum"))
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    private var counter = 0

    /// Stores one entry mentioning `brand` (its name at the start of the text) at `date`.
    func add(
        _ brand: String, _ label: SentimentPolarity, at date: Date, text: String = "", title: String? = nil, language: String = "en",
        engagement: Int? = nil, score: Double? = nil
    ) async throws {
        counter += 1
        let body = "\(brand) \(text) #\(counter)"
        let value = score ?? (label == .neg ? -0.6 : label == .pos ? 0.6 : 0)
        let record = EntryRecord(
            sourceID: source.id,
            entry: FeedEntry(
                id: "e\(counter)", title: title, link: "https://forum.example/t/\(counter)", published: date, contentText: body,
                engagement: engagement),
            language: language, sentiment: SentimentValue(score: value, label: label),
            mentions: [MentionRecord(
                brand: brand, sentiment: SentimentValue(score: value, label: label),
                matches: [MatchedTerm(term: brand, field: .text, range: 0..<brand.utf8.count)])])
        _ = try await store.store(batch: [record], receivedAt: date)
    }
}

@Suite struct DigestBuilderTests {
    private func date(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text))
    }

    @Test func reportOfAPeriodFromTheStore() async throws {
        let fixture = try await DigestStore()
        let madrid = try #require(TimeZone(identifier: "Europe/Madrid"))
        // The period: 08:00 to 08:00 in Madrid (07:00 UTC in November).
        let since = try date("2026-11-21T07:00:00Z"), until = try date("2026-11-22T07:00:00Z")
        // Baseline: four weeks of ordinary talk.
        for day in 1...20 {
            try await fixture.add("Acme", .pos, at: since.addingTimeInterval(-Double(day) * 86_400 - 43_200), text: "delivery arrived on time, friendly staff")
        }
        // The period: refunds dominate the complaints.
        for hour in 0..<6 {
            try await fixture.add("Acme", .neg, at: since.addingTimeInterval(Double(hour) * 3600 + 60), text: "refund never arrived, refund request ignored")
        }
        try await fixture.add("Acme", .neg, at: since.addingTimeInterval(7 * 3600), text: "app crashes at checkout", language: "es", engagement: 5000)
        try await fixture.add("Acme", .pos, at: since.addingTimeInterval(8 * 3600), text: "great support today")
        try await fixture.add("Acme", .neu, at: try date("2026-11-21T23:30:00Z"), text: "opening hours on sunday")  // 00:30 on the 22nd in Madrid
        try await fixture.add("Acme", .neu, at: try date("2026-11-21T22:30:00Z"), text: "is it open late")  // 23:30 on the 21st
        // The previous period and the same day last week.
        for hour in 0..<3 { try await fixture.add("Acme", .pos, at: since.addingTimeInterval(-Double(hour + 1) * 3600), text: "nice") }
        try await fixture.add("Acme", .neg, at: since.addingTimeInterval(-7 * 86_400 + 3600), text: "meh")
        // A competitor.
        for hour in 0..<5 { try await fixture.add("Rival", .neu, at: since.addingTimeInterval(Double(hour) * 3600 + 120), text: "new store opened") }
        // An alert in the period, one before it; a failing feed.
        _ = try await fixture.store.recordAlert(NewAlert(
            key: "acme/negative-spike/1", brand: "acme", kind: "negative-spike", bucketStart: since.addingTimeInterval(3600), bucketEnd: nil,
            value: 6, baseline: 1, score: 5.5, message: "Acme: 6 negative mentions in 5 min", details: nil,
            createdAt: since.addingTimeInterval(3700)), deliverTo: [])
        _ = try await fixture.store.recordAlert(NewAlert(
            key: "acme/negative-spike/0", brand: "Acme", kind: "negative-spike", bucketStart: since.addingTimeInterval(-86_400), bucketEnd: nil,
            value: 6, baseline: 1, score: 5.5, message: "old", details: nil, createdAt: since.addingTimeInterval(-86_000)), deliverTo: [])
        var broken = try await fixture.store.registerSource(NewSource(kind: .feed, url: "https://broken.example/feed", title: "Broken"))
        broken.consecutiveFailures = 4
        broken.lastError = "HTTP 500"
        broken.failingSince = since
        try await fixture.store.updateSource(broken)

        let report = try await DigestBuilder(store: fixture.store).build(
            brands: [.init(name: "Acme"), .init(name: "Rival", competitor: true)], since: since, until: until, timeZone: madrid,
            language: "es", now: until)
        #expect(report.timeZone == "Europe/Madrid" && report.language == "es")
        let acme = try #require(report.brands.first)
        #expect(acme.period == .init(positive: 1, neutral: 2, negative: 7))
        #expect(acme.previousPeriod.total == 3)
        #expect(acme.sameDayLastWeek.total == 2, "the meh one, and the ordinary one of six and a half days before")
        #expect(acme.shareOfVoice == 10.0 / 15.0)
        #expect(report.brands[1].competitor && report.brands[1].period.total == 5)
        // What people complain about: the refunds, over-represented against the baseline.
        #expect(acme.complaints.first?.terms.contains { $0.contains("refund") } == true, "\(acme.complaints)")
        #expect(acme.complaints.first?.mentions == 6)
        // The mentions that matter: engagement lifts the crash report above equally negative ones.
        #expect(acme.topNegative.count == 3)
        #expect(acme.topNegative.first?.engagement == 5000)
        #expect(acme.topNegative.first?.snippet.hasPrefix("\u{2}Acme\u{3} app crashes") == true)
        #expect(acme.topNegative.first?.source == "Forum")
        #expect(acme.topPositive.map(\.score) == [0.6])
        // Languages, alerts and feed health.
        #expect(acme.languages.first == .init(language: "en", mentions: 9))
        #expect(acme.languages.contains(.init(language: "es", mentions: 1)))
        #expect(acme.alerts.map(\.message) == ["Acme: 6 negative mentions in 5 min"])
        #expect(report.feedHealth.active == 2 && report.feedHealth.working == 1)
        #expect(report.feedHealth.failing.map(\.url) == ["https://broken.example/feed"])
        // Thirty local days: the last one starts at midnight in Madrid.
        #expect(acme.dailyTotal.count == 30)
        #expect(acme.dailyStart == (try date("2026-10-23T22:00:00Z")), "local midnight, summer time then")
        #expect(acme.dailyTotal[29] == 1, "00:30 in Madrid is the 22nd")
        #expect(acme.dailyTotal[28] == 12, "the rest of the period and the previous period's last hours fall on the 21st")
        #expect(acme.dailyNegative[28] == 7)
        let allDays = acme.dailyTotal.reduce(0, +)
        #expect(allDays == 34)
    }

    @Test func shareOfVoiceCountsEveryConfiguredBrandWhenOnlySomeAreShown() async throws {
        let fixture = try await DigestStore()
        let since = try date("2026-11-21T00:00:00Z")
        for minute in 0..<3 { try await fixture.add("Acme", .neg, at: since.addingTimeInterval(Double(minute) * 60)) }
        try await fixture.add("Rival", .pos, at: since.addingTimeInterval(600))
        let builder = DigestBuilder(store: fixture.store)
        let alone = try await builder.build(brands: [.init(name: "Acme")], since: since, until: since.addingTimeInterval(86_400))
        #expect(alone.brands.first?.shareOfVoice == 1)
        let among = try await builder.build(
            brands: [.init(name: "Acme")], voiceAmong: ["acme", "Rival"], since: since, until: since.addingTimeInterval(86_400))
        #expect(among.brands.map(\.name) == ["Acme"])
        #expect(among.brands.first?.shareOfVoice == 0.75)
    }

    @Test func brandsWithoutMentionsStillHaveARow() async throws {
        let fixture = try await DigestStore()
        let report = try await DigestBuilder(store: fixture.store).build(
            brands: [.init(name: "Quiet")], since: Date(timeIntervalSince1970: 0), until: Date(timeIntervalSince1970: 86_400))
        #expect(report.brands.count == 1)
        #expect(report.brands[0].period.total == 0 && report.brands[0].period.netSentiment == nil)
        #expect(report.brands[0].shareOfVoice == nil)
        let text = DigestRendering.text(report, markdown: false)
        #expect(text.contains("No mentions in this period."))
    }
}
