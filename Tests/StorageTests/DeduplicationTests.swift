import Foundation
import Testing

@testable import Storage

@Suite struct DeduplicationTests {
    let story = "Iberia canceló mi vuelo a Madrid y todavía espero el reembolso desde hace semanas"

    @Test func theSameGuidFromTheSameSourceIsStoredOnce() async throws {
        let fixture = try await StoreFixture()
        let first = try await fixture.store.store(batch: [record(source: fixture.feed.id, id: "post-1", title: "A", text: "first")])
        let again = try await fixture.store.store(batch: [record(source: fixture.feed.id, id: "post-1", title: "A (edited)", text: "other")])
        #expect(first.outcomes == [.stored(entryID: first.outcomes[0].entryID)])
        #expect(again.outcomes == [.alreadyPresent(entryID: first.outcomes[0].entryID)])
        #expect(try await fixture.store.stats().entries == 1)
    }

    @Test func theSameGuidFromAnotherSourceIsAnotherEntry() async throws {
        let fixture = try await StoreFixture()
        let result = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "1", title: "Hello", text: "from feed A"),
            record(source: fixture.otherFeed.id, id: "1", title: "Bye", text: "from feed B"),
        ])
        #expect(result.stored == 2)
    }

    @Test func theGuidFallsBackToTheCanonicalLink() async throws {
        let fixture = try await StoreFixture()
        let result = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, title: "A", text: "one", link: "https://example.org/p/1?utm_source=rss"),
            record(source: fixture.feed.id, title: "A", text: "one", link: "http://www.example.org/p/1/"),
        ])
        #expect(result.stored == 1)
        #expect(result.alreadyPresent == 1)
        let entry = try #require(try await fixture.store.entries(ids: [result.outcomes[0].entryID]).first)
        #expect(entry.guid == "https://example.org/p/1")
    }

    @Test func theGuidFallsBackToTheText() async throws {
        let fixture = try await StoreFixture()
        let result = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, title: "Hi", text: "short text"),
            record(source: fixture.feed.id, title: "HI!", text: "Short  text."),
            record(source: fixture.feed.id, title: "Hi", text: "another text"),
        ])
        #expect(result.stored == 2)
        #expect(result.alreadyPresent == 1)
    }

    @Test func recordsOfDifferentOriginsInOneExportKeepTheirIds() async throws {
        let fixture = try await StoreFixture()
        let result = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "42", title: "A", text: "one", origin: "forum.example.org"),
            record(source: fixture.feed.id, id: "42", title: "B", text: "two", origin: "reviews.example.com"),
            record(source: fixture.feed.id, id: "42", title: "A", text: "one", origin: "forum.example.org"),
        ])
        #expect(result.stored == 2)
        #expect(result.alreadyPresent == 1)
    }

    @Test(arguments: [
        "https://news.example.com/2024/05/vuelo",
        "http://news.example.com/2024/05/vuelo",
        "https://NEWS.example.com:443/2024/05/vuelo/",
        "https://www.news.example.com/2024/05/vuelo#comments",
        "https://news.example.com/2024/05/vuelo?utm_source=twitter&utm_medium=social&fbclid=abc",
    ])
    func theSameLinkFromAnotherSourceIsADuplicate(otherLink: String) async throws {
        let fixture = try await StoreFixture()
        let first = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "a-1", title: "Vuelo cancelado", text: story, link: "https://news.example.com/2024/05/vuelo")
        ])
        let second = try await fixture.store.store(batch: [
            record(source: fixture.otherFeed.id, id: "b-9", title: "Vuelo cancelado (resumen)", text: "Resumen breve", link: otherLink)
        ])
        let original = first.outcomes[0].entryID
        #expect(second.outcomes == [.duplicate(entryID: second.outcomes[0].entryID, of: original, reason: .link)])
    }

    @Test func aDifferentPageOfTheSameSiteIsNotADuplicate() async throws {
        let fixture = try await StoreFixture()
        let result = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "1", title: "One", text: "first page", link: "https://example.org/item?id=1"),
            record(source: fixture.otherFeed.id, id: "2", title: "Two", text: "second page", link: "https://example.org/item?id=2"),
        ])
        #expect(result.stored == 2)
    }

    @Test func theSameTextUnderAnotherLinkIsADuplicate() async throws {
        let fixture = try await StoreFixture()
        let result = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "1", title: "Vuelo cancelado", text: story, link: "https://blog.example.org/vuelo"),
            record(source: fixture.otherFeed.id, id: "2", title: "VUELO CANCELADO", text: "  " + story + "!!", link: "https://copycat.example.net/x"),
        ])
        #expect(result.outcomes[1] == .duplicate(entryID: result.outcomes[1].entryID, of: result.outcomes[0].entryID, reason: .content))
    }

    @Test func shortIdenticalTextsAreDifferentMentions() async throws {
        let fixture = try await StoreFixture()
        let result = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "1", text: "Great service, thanks Iberia!", link: "https://social.example/u/1"),
            record(source: fixture.feed.id, id: "2", text: "Great service, thanks Iberia!", link: "https://social.example/u/2"),
        ])
        #expect(result.stored == 2)
    }

    @Test func copiesPointAtTheCanonicalEntryNotAtAnotherCopy() async throws {
        let fixture = try await StoreFixture()
        let third = try await fixture.store.registerSource(NewSource(kind: .feed, url: "https://third.example/feed"))
        let result = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "1", title: "T", text: story, link: "https://a.example/1"),
            record(source: fixture.otherFeed.id, id: "2", title: "T", text: story, link: "https://b.example/2"),
            record(source: third.id, id: "3", title: "Other words entirely here", text: "nothing alike", link: "https://b.example/2"),
        ])
        let canonical = result.outcomes[0].entryID
        #expect(result.outcomes[1] == .duplicate(entryID: result.outcomes[1].entryID, of: canonical, reason: .content))
        #expect(result.outcomes[2] == .duplicate(entryID: result.outcomes[2].entryID, of: canonical, reason: .link))
    }

    @Test func mentionsCountOncePerBrandAcrossCopies() async throws {
        let fixture = try await StoreFixture()
        let result = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "1", title: "T", text: story, link: "https://a.example/1", mentions: [mention("Iberia")]),
            record(source: fixture.otherFeed.id, id: "2", title: "T", text: story, link: "https://b.example/2",
                   mentions: [mention("Iberia"), mention("Vueling", .pos, score: 0.4)]),
        ])
        #expect(result.mentionsStored == 3)
        #expect(result.countedMentions == ["Iberia": 1, "Vueling": 1])
        let counts = try await fixture.store.mentionCounts(MentionCountRequest())
        #expect(counts == [
            MentionCount(brand: "Iberia", positive: 0, negative: 1, neutral: 0),
            MentionCount(brand: "Vueling", positive: 1, negative: 0, neutral: 0),
        ])
        let stats = try await fixture.store.stats()
        #expect(stats.mentions == 3)
        #expect(stats.countedMentions == 2)
        #expect(stats.duplicates == 1)
    }

    @Test func aBrandListedTwiceForOneEntryIsOneMention() async throws {
        let fixture = try await StoreFixture()
        let result = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "1", text: "Iberia, Iberia", mentions: [mention("Iberia"), mention("Iberia", .pos)])
        ])
        #expect(result.mentionsStored == 1)
        #expect(result.countedMentions == ["Iberia": 1])
    }

    @Test func importingTheSameRecordsTwiceStoresNothingNew() async throws {
        let fixture = try await StoreFixture()
        let batch = (0..<50).map { index in
            record(source: fixture.feed.id, id: "r\(index)", title: "Post \(index)", text: "Text number \(index) about Iberia",
                   link: "https://forum.example/t/\(index)", mentions: index % 5 == 0 ? [mention("Iberia")] : [])
        }
        let first = try await fixture.store.store(batch: batch)
        let second = try await fixture.store.store(batch: batch)
        #expect(first.stored == 50)
        #expect(second.alreadyPresent == 50)
        #expect(second.stored + second.duplicates + second.mentionsStored == 0)
        #expect(second.outcomes.map(\.entryID) == first.outcomes.map(\.entryID))
        let stats = try await fixture.store.stats()
        #expect(stats.entries == 50)
        #expect(stats.mentions == 10)
    }

    @Test func exactCopiesAreNotSearchedTwice() async throws {
        let fixture = try await StoreFixture()
        _ = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "1", title: "T", text: story, link: "https://a.example/1"),
            record(source: fixture.otherFeed.id, id: "2", title: "T", text: story, link: "https://b.example/2"),
            record(source: fixture.otherFeed.id, id: "3", title: "T", text: story, link: "https://a.example/1?utm_source=x"),
        ])
        let hits = try await fixture.store.search(SearchRequest(query: word("reembolso")))
        #expect(hits.count == 1)
    }

    @Test func aCopyWithOtherTextIsSearchableAndMarked() async throws {
        let fixture = try await StoreFixture()
        let result = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "1", title: "Vuelo", text: "Resumen corto", link: "https://a.example/1"),
            record(source: fixture.otherFeed.id, id: "2", title: "Vuelo", text: story, link: "https://a.example/1"),
        ])
        let hits = try await fixture.store.search(SearchRequest(query: word("reembolso")))
        #expect(hits.map(\.entryID) == [result.outcomes[1].entryID])
        #expect(hits.first?.duplicateOf == result.outcomes[0].entryID)
        let canonicalOnly = try await fixture.store.search(SearchRequest(query: word("reembolso"), includeDuplicates: false))
        #expect(canonicalOnly.isEmpty)
    }
}
