import Foundation
import Matching
import Testing

@testable import Storage

/// Date order is exact whether a search matches few entries or thousands (then the date index
/// is walked instead of sorting every match).
@Suite struct DateOrderTests {
    /// `count` entries saying "tren", stored in an order unrelated to their dates.
    func corpus(count: Int) async throws -> (StoreFixture, [(id: Int64, date: Date)]) {
        let fixture = try await StoreFixture()
        var generator = SystemRandomNumberGenerator()
        let offsets = (0..<count).map { $0 }.shuffled(using: &generator)
        let records = offsets.enumerated().map { index, offset in
            record(source: fixture.feed.id, id: "t\(index)", text: "el tren número \(index)",
                   link: "https://example.org/t/\(index)", published: may1 + Double(offset) * 3600)
        }
        let result = try await fixture.store.store(batch: records)
        let stored = zip(result.outcomes, records).map { ($0.entryID, $1.entry.published ?? may1) }
        return (fixture, stored.map { (id: $0.0, date: $0.1) })
    }

    func expectNewestFirst(count: Int) async throws {
        let (fixture, stored) = try await corpus(count: count)
        let newest = stored.sorted { $0.date > $1.date || ($0.date == $1.date && $0.id > $1.id) }
        var request = SearchRequest(query: word("tren"), limit: 25, order: .date)
        #expect(try await fixture.store.search(request).map(\.entryID) == newest.prefix(25).map(\.id))
        request.until = may1 + Double(count / 2) * 3600
        let older = newest.filter { $0.date < may1 + Double(count / 2) * 3600 }
        #expect(try await fixture.store.search(request).map(\.entryID) == older.prefix(25).map(\.id))
    }

    @Test func fewMatches() async throws {
        try await expectNewestFirst(count: 300)
    }

    @Test func manyMatches() async throws {
        try await expectNewestFirst(count: SearchStatement.manyMatches + 500)
    }
}
