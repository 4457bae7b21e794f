import Foundation
import Matching
import Testing

@testable import Storage

@Suite struct ExportPruneTests {
    @Test func exportStreamsEveryEntryWithItsMentionsAcrossPages() async throws {
        let fixture = try await StoreFixture()
        let batch = (0..<10).map { index in
            record(source: fixture.feed.id, id: "e\(index)", title: "Title \(index)", text: "Text \(index)",
                   link: "https://example.org/\(index)", published: may1 + Double(index) * day,
                   sentiment: SentimentValue(score: 0.1, label: .neu),
                   mentions: index % 3 == 0 ? [mention("Iberia", .neg), mention("Acme", .pos, score: 0.3)] : [])
        }
        _ = try await fixture.store.store(batch: batch)
        var exported: [ExportedEntry] = []
        for try await entry in fixture.store.exportEntries(pageSize: 3) { exported.append(entry) }
        #expect(exported.map(\.guid) == (0..<10).map { "e\($0)" })
        #expect(exported.map(\.mentions.count) == [2, 0, 0, 2, 0, 0, 2, 0, 0, 2])
        let first = exported[0]
        #expect(first.title == "Title 0")
        #expect(first.text == "Text 0")
        #expect(first.sourceURL == fixture.feed.url)
        #expect(first.published == may1)
        #expect(first.sentiment == SentimentValue(score: 0.1, label: .neu))
        #expect(first.mentions.map(\.brand) == ["Acme", "Iberia"])
        #expect(first.mentions[1].matches == [MatchedTerm(term: "Iberia", field: .text, range: 0..<6)])
        #expect(first.mentions.allSatisfy { $0.counted })
    }

    @Test func exportFiltersByDateAndDuplicates() async throws {
        let fixture = try await StoreFixture()
        let text = "the same long text syndicated by two different sites this week"
        _ = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "old", text: "old", published: may1 - 10 * day),
            record(source: fixture.feed.id, id: "a", text: text, link: "https://a.example/1"),
            record(source: fixture.otherFeed.id, id: "b", text: text, link: "https://b.example/1"),
        ])
        var guids: [String] = []
        for try await entry in fixture.store.exportEntries(ExportOptions(since: may1 - day, includeDuplicates: false)) {
            guids.append(entry.guid)
        }
        #expect(guids == ["a"])
    }

    @Test func exportOfAnEmptyStoreIsEmpty() async throws {
        let fixture = try await StoreFixture()
        var count = 0
        for try await _ in fixture.store.exportEntries() { count += 1 }
        #expect(count == 0)
    }

    @Test func pruneDeletesOldEntriesWithTheirMentionsAndIndexRows() async throws {
        let fixture = try await StoreFixture()
        _ = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "old", text: "ancient complaint about Iberia", published: may1 - 200 * day,
                   mentions: [mention("Iberia")]),
            record(source: fixture.feed.id, id: "new", text: "fresh complaint about Iberia", published: may1, mentions: [mention("Iberia")]),
        ])
        let result = try await fixture.store.prune(olderThan: may1 - 180 * day, vacuum: false)
        #expect(result == PruneResult(entries: 1, mentions: 1, promoted: 0))
        let hits = try await fixture.store.search(SearchRequest(query: word("complaint")))
        #expect(hits.map(\.plainSnippet) == ["fresh complaint about Iberia"])
        #expect(try await fixture.store.search(SearchRequest(query: word("ancient"))).isEmpty)
        #expect(try await fixture.store.stats().mentions == 1)
        // The index is consistent with its content after the deletions.
        try await fixture.store.executeForTesting("INSERT INTO entry_fts (entry_fts, rank) VALUES ('integrity-check', 1)")
    }

    @Test func pruneKeepsNewerCopiesOfDeletedEntriesAndMakesThemCanonical() async throws {
        let fixture = try await StoreFixture()
        let text = "Iberia lost my luggage and nobody answers the phone at the airport"
        let third = try await fixture.store.registerSource(NewSource(kind: .feed, url: "https://third.example/feed"))
        let stored = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "orig", text: text, link: "https://a.example/1", published: may1 - 300 * day,
                   mentions: [mention("Iberia")]),
            record(source: fixture.otherFeed.id, id: "copy1", text: text, link: "https://b.example/1", published: may1,
                   mentions: [mention("Iberia")]),
            record(source: third.id, id: "copy2", text: text, link: "https://c.example/1", published: may1 + day,
                   mentions: [mention("Iberia")]),
        ])
        #expect(try await fixture.store.mentionCounts(MentionCountRequest()).map(\.total) == [1])
        #expect(try await fixture.store.search(SearchRequest(query: word("luggage"))).count == 1)

        let result = try await fixture.store.prune(olderThan: may1 - 180 * day, vacuum: true)
        #expect(result == PruneResult(entries: 1, mentions: 1, promoted: 1))

        let copy1 = stored.outcomes[1].entryID
        let copy2 = stored.outcomes[2].entryID
        let kept = try await fixture.store.entries(ids: [copy1, copy2])
        #expect(kept.map(\.duplicateOf) == [nil, copy1])
        #expect(kept.map { $0.mentions.map(\.counted) } == [[true], [false]])
        #expect(try await fixture.store.mentionCounts(MentionCountRequest()).map(\.total) == [1])
        #expect(try await fixture.store.search(SearchRequest(query: word("luggage"))).map(\.entryID) == [copy1])
        try await fixture.store.executeForTesting("INSERT INTO entry_fts (entry_fts, rank) VALUES ('integrity-check', 1)")

        // A later copy still finds its canonical entry.
        let later = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "copy3", text: text, link: "https://d.example/1", published: may1 + 2 * day)
        ])
        #expect(later.outcomes == [.duplicate(entryID: later.outcomes[0].entryID, of: copy1, reason: .content)])
    }

    @Test func pruneOfNothingDeletesNothing() async throws {
        let fixture = try await StoreFixture()
        _ = try await fixture.store.store(batch: [record(source: fixture.feed.id, id: "1", text: "recent")])
        #expect(try await fixture.store.prune(olderThan: may1 - day, vacuum: false) == PruneResult())
    }

    @Test func pruneWorksInChunks() async throws {
        let fixture = try await StoreFixture()
        let count = SQLiteMentionStore.deletionChunk * 2 + 17
        let batch = (0..<count).map { record(source: fixture.feed.id, id: "\($0)", text: "entry \($0)", published: may1 - 400 * day) }
        _ = try await fixture.store.store(batch: batch)
        let result = try await fixture.store.prune(olderThan: may1, vacuum: false)
        #expect(result.entries == count)
        #expect(try await fixture.store.stats().entries == 0)
    }
}
