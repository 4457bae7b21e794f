import Foundation
import Testing

@testable import Storage

/// Relevance ranks the newest `rankingWindow` matches, so a common word stays fast.
@Suite struct RankingWindowTests {
    /// Twelve entries with "parcel": the even ones say it three times (more relevant).
    func corpus() async throws -> (StoreFixture, [Int64]) {
        let fixture = try await StoreFixture()
        var records: [EntryRecord] = []
        for index in 0..<12 {
            let text = index % 2 == 0 ? "parcel parcel parcel late" : "the parcel came on a rainy day at last"
            records.append(record(
                source: fixture.feed.id, id: "w\(index)", title: "Post \(index)", text: text,
                link: "https://example.org/w/\(index)", published: may1 + Double(index) * day))
        }
        let result = try await fixture.store.store(batch: records)
        return (fixture, result.outcomes.map(\.entryID))
    }

    @Test func relevanceRanksOnlyTheNewestMatchesOfTheWindow() async throws {
        let (fixture, ids) = try await corpus()
        let hits = try await fixture.store.search(SearchRequest(query: word("parcel"), limit: 3, rankingWindow: 4))
        // The window holds the four newest matches (ids[8...11]); the best two are the even ones.
        #expect(Set(hits.map(\.entryID)).isSubset(of: Set(ids[8...11])))
        #expect(hits.prefix(2).map(\.entryID).sorted() == [ids[8], ids[10]])
        #expect(hits.count == 3)
    }

    @Test func aWindowAsLargeAsTheMatchesRanksThemAll() async throws {
        let (fixture, ids) = try await corpus()
        let hits = try await fixture.store.search(SearchRequest(query: word("parcel"), limit: 6, rankingWindow: 100))
        #expect(hits.map(\.entryID).sorted() == stride(from: 0, to: 12, by: 2).map { ids[$0] })
    }

    @Test func theWindowAppliesAfterTheFilters() async throws {
        let (fixture, ids) = try await corpus()
        var request = SearchRequest(query: word("parcel"), limit: 2, rankingWindow: 2)
        request.until = may1 + 4 * day  // ids[0...3] only
        let hits = try await fixture.store.search(request)
        #expect(Set(hits.map(\.entryID)) == [ids[2], ids[3]])
    }

    @Test func aWindowSmallerThanTheLimitIsRefused() async throws {
        let (fixture, _) = try await corpus()
        await #expect(throws: StorageError.self) {
            _ = try await fixture.store.search(SearchRequest(query: word("parcel"), limit: 10, rankingWindow: 5))
        }
    }
}
