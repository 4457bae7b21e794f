import Foundation
import Testing

@testable import Storage

@Suite struct BatchAndConcurrencyTests {
    static func corpus(source: Int64, count: Int, offset: Int = 0) -> [EntryRecord] {
        let words = ["vuelo", "retraso", "maleta", "reembolso", "servicio", "pedido", "entrega", "tarde", "app", "precio"]
        return (offset..<offset + count).map { index in
            let text = (0..<12).map { words[(index &* 7 &+ $0 &* 3) % words.count] }.joined(separator: " ") + " número \(index)"
            return record(
                source: source, id: "bulk-\(index)", title: "Entrada \(index)", text: text,
                link: "https://forum.example.org/t/\(index)?utm_source=feed", published: may1 + Double(index),
                language: "es", sentiment: SentimentValue(score: -0.3, label: .neg),
                mentions: index % 20 == 0 ? [mention("Iberia")] : [])
        }
    }

    @Test func tenThousandEntriesInOneBatch() async throws {
        let fixture = try await StoreFixture()
        let result = try await fixture.store.store(batch: Self.corpus(source: fixture.feed.id, count: 10_000))
        #expect(result.stored == 10_000)
        #expect(result.duplicates == 0)
        #expect(result.countedMentions == ["Iberia": 500])
        let stats = try await fixture.store.stats()
        #expect(stats.entries == 10_000)
        #expect(stats.mentions == 500)
        let hits = try await fixture.store.search(SearchRequest(query: phrase("número 9999")))
        #expect(hits.map(\.title) == ["Entrada 9999"])
    }

    @Test func readersSeeWholeBatchesWhileAWriterWrites() async throws {
        let fixture = try await StoreFixture()
        let store = fixture.store
        let source = fixture.feed.id
        let batches = 20
        let size = 250
        let observed = try await withThrowingTaskGroup(of: [Int].self) { group in
            group.addTask {
                for batch in 0..<batches {
                    _ = try await store.store(batch: Self.corpus(source: source, count: size, offset: batch * size))
                }
                return []
            }
            for _ in 0..<3 {
                group.addTask {
                    var counts: [Int] = []
                    while counts.last != batches * size {
                        counts.append(try await store.stats().entries)
                        _ = try await store.search(SearchRequest(query: word("reembolso"), limit: 5))
                    }
                    return counts
                }
            }
            var all: [[Int]] = []
            for try await counts in group { all.append(counts) }
            return all
        }
        for counts in observed where !counts.isEmpty {
            #expect(counts.allSatisfy { $0 % size == 0 }, "a reader saw part of a batch: \(counts)")
            #expect(counts == counts.sorted(), "a reader went back in time: \(counts)")
        }
        #expect(try await store.stats().entries == batches * size)
    }

    @Test func aFailedBatchLeavesNothingBehind() async throws {
        let fixture = try await StoreFixture()
        var batch = Self.corpus(source: fixture.feed.id, count: 100)
        batch[99].sourceID = 424_242  // no such source: the foreign key fails the last insert
        await #expect(throws: StorageError.self) { try await fixture.store.store(batch: batch) }
        #expect(try await fixture.store.stats().entries == 0)
        #expect(try await fixture.store.search(SearchRequest(query: word("reembolso"))).isEmpty)
    }

    @Test func twoStoresOnOneFileShareIt() async throws {
        let fixture = try await StoreFixture()
        let second = try SQLiteMentionStore(path: fixture.store.path)
        _ = try await fixture.store.store(batch: Self.corpus(source: fixture.feed.id, count: 10))
        _ = try await second.store(batch: Self.corpus(source: fixture.feed.id, count: 10, offset: 5))
        #expect(try await second.stats().entries == 15)
        #expect(try await fixture.store.stats().entries == 15)
    }
}
