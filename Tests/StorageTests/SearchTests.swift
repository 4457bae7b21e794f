import Foundation
import Matching
import Testing

@testable import Storage

/// A small corpus with one entry per behaviour to search for.
struct SearchCorpus {
    let fixture: StoreFixture
    var store: SQLiteMentionStore { fixture.store }
    /// Entry ids by name.
    let ids: [String: Int64]

    init() async throws {
        fixture = try await StoreFixture()
        let feed = fixture.feed.id
        let other = fixture.otherFeed.id
        let neg = SentimentValue(score: -0.6, label: .neg)
        let pos = SentimentValue(score: 0.7, label: .pos)
        let neu = SentimentValue(score: 0, label: .neu)
        let named: [(String, EntryRecord)] = [
            ("cancel", record(source: feed, id: "1", title: "Vuelo cancelado", text: "Iberia canceló mi vuelo y no responde",
                              link: "https://www.example.org/1", published: may1, language: "es", sentiment: neg,
                              mentions: [mention("Iberia", .neg)])),
            ("iberian", record(source: feed, id: "2", title: "Viaje", text: "The Iberian peninsula is lovely in May",
                               link: "https://travel.example.com/2", published: may1 + day, language: "en", sentiment: pos)),
            ("delivery", record(source: other, id: "3", title: "Parcel", text: "The delivery was very late again, refund please",
                                link: "https://blog.example.org/3", published: may1 + 2 * day, language: "en", sentiment: neg,
                                mentions: [mention("Zapply", .neg)])),
            ("refunds", record(source: other, id: "4", title: "Refunds", text: "Refunded at last, thanks Zapply",
                               link: "https://notexample.org/4", published: may1 + 3 * day, language: "en", sentiment: pos,
                               mentions: [mention("Zapply", .pos, score: 0.8)])),
            ("tag", record(source: feed, id: "5", title: "Opinión", text: "Nada que decir #iberia @iberia_es",
                           link: "https://social.example.net/5", published: may1 + 4 * day, language: "es", sentiment: neu,
                           mentions: [mention("Iberia", .neu, score: 0)])),
            ("apple", record(source: feed, id: "6", title: "Fruit", text: "An apple a day, said nobody at Apple",
                             link: "https://example.org/6", published: may1 + 5 * day, language: "en", sentiment: neu)),
            ("pasta", record(source: other, id: "7", title: "Pastaria", text: "La pasta di Pastaria è buonissima, consegna rapida",
                             link: "https://community.example.it/7", published: may1 + 6 * day, language: "it", sentiment: pos,
                             mentions: [mention("Pastaria", .pos, score: 0.9)])),
            ("spam", record(source: other, id: "8", title: "Refund offer", text: "Refund spam spam spam, click here",
                            link: "https://spam.example/8", published: may1 + 7 * day, language: "en", sentiment: neu)),
        ]
        let result = try await fixture.store.store(batch: named.map(\.1))
        var ids: [String: Int64] = [:]
        for (index, (name, _)) in named.enumerated() { ids[name] = result.outcomes[index].entryID }
        self.ids = ids
    }

    func search(_ query: BrandQuery?, _ adjust: (inout SearchRequest) -> Void = { _ in }) async throws -> [String] {
        var request = SearchRequest(query: query, limit: 100)
        adjust(&request)
        let hits = try await store.search(request)
        let names = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
        return hits.map { names[$0.entryID] ?? "?" }
    }
}

@Suite struct SearchTests {
    @Test func wordsFoldCaseAndAccents() async throws {
        let corpus = try await SearchCorpus()
        #expect(try await corpus.search(word("CANCELO")) == ["cancel"])
        #expect(try await corpus.search(word("opinion")) == ["tag"])
    }

    @Test func wordsMatchWholeWordsOnly() async throws {
        let corpus = try await SearchCorpus()
        #expect(Set(try await corpus.search(word("iberia"))) == ["cancel", "tag"])
    }

    @Test func phrases() async throws {
        let corpus = try await SearchCorpus()
        #expect(try await corpus.search(phrase("very late")) == ["delivery"])
        #expect(try await corpus.search(phrase("late very")) == [])
    }

    @Test func prefixes() async throws {
        let corpus = try await SearchCorpus()
        #expect(Set(try await corpus.search(prefix("refund"))) == ["delivery", "refunds", "spam"])
        #expect(Set(try await corpus.search(prefix("re"))) == ["delivery", "refunds", "spam", "cancel"])
    }

    @Test func booleanOperators() async throws {
        let corpus = try await SearchCorpus()
        #expect(Set(try await corpus.search(.and([prefix("refund"), word("zapply")]))) == ["refunds"])
        #expect(Set(try await corpus.search(.or([word("pasta"), word("apple")]))) == ["pasta", "apple"])
        #expect(Set(try await corpus.search(.andNot(prefix("refund"), word("spam")))) == ["delivery", "refunds"])
        #expect(Set(try await corpus.search(.and([prefix("refund"), .not(word("spam"))]))) == ["delivery", "refunds"])
    }

    @Test func exclusionAlone() async throws {
        let corpus = try await SearchCorpus()
        let all = Set(corpus.ids.keys)
        #expect(Set(try await corpus.search(.not(word("the")))) == all.subtracting(["iberian", "delivery"]))
    }

    @Test func nearCountsTheWordsInBetween() async throws {
        let corpus = try await SearchCorpus()
        // "delivery was very late": two words between.
        #expect(try await corpus.search(.near(word("delivery"), word("late"), distance: 2)) == ["delivery"])
        #expect(try await corpus.search(.near(word("late"), word("delivery"), distance: 2)) == ["delivery"])
        #expect(try await corpus.search(.near(word("delivery"), word("late"), distance: 1)) == [])
    }

    @Test func titleField() async throws {
        let corpus = try await SearchCorpus()
        #expect(Set(try await corpus.search(prefix("refund"))).count == 3)
        #expect(Set(try await corpus.search(.field(.title, prefix("refund")))) == ["refunds", "spam"])
        #expect(Set(try await corpus.search(.and([prefix("refund"), .not(.field(.title, word("offer")))]))) == ["delivery", "refunds"])
    }

    @Test func siteMatchesTheHostAndItsSubdomainsOnly() async throws {
        let corpus = try await SearchCorpus()
        #expect(Set(try await corpus.search(site("example.org"))) == ["cancel", "delivery", "apple"])
        #expect(Set(try await corpus.search(.and([word("refund"), site("example.org")]))) == ["delivery"])
        #expect(try await corpus.search(site("www.example.org")) == ["cancel"])
    }

    @Test func langField() async throws {
        let corpus = try await SearchCorpus()
        #expect(Set(try await corpus.search(lang("es"))) == ["cancel", "tag"])
        #expect(Set(try await corpus.search(.or([lang("it"), word("apple")]))) == ["pasta", "apple"])
    }

    @Test func hashtagsAndHandles() async throws {
        let corpus = try await SearchCorpus()
        #expect(Set(try await corpus.search(hashtag("iberia"))) == ["cancel", "tag"])
        #expect(try await corpus.search(handle("iberia_es")) == ["tag"])
    }

    @Test func exactCaseTerms() async throws {
        let corpus = try await SearchCorpus()
        #expect(try await corpus.search(word("apple")) == ["apple"])
        #expect(try await corpus.search(word("Apple", exact: true)) == ["apple"])
        #expect(try await corpus.search(word("APPLE", exact: true)) == [])
    }

    @Test func brandFilter() async throws {
        let corpus = try await SearchCorpus()
        #expect(Set(try await corpus.search(nil) { $0.brand = "zapply" }) == ["delivery", "refunds"])
        #expect(try await corpus.search(prefix("refund")) { $0.brand = "Zapply"; $0.sentiment = .pos } == ["refunds"])
    }

    @Test func sentimentFilterUsesTheWholeTextWithoutABrand() async throws {
        let corpus = try await SearchCorpus()
        #expect(Set(try await corpus.search(nil) { $0.sentiment = .neg }) == ["cancel", "delivery"])
    }

    @Test func languageFilter() async throws {
        let corpus = try await SearchCorpus()
        #expect(Set(try await corpus.search(nil) { $0.languages = ["IT", "es"] }) == ["cancel", "tag", "pasta"])
    }

    @Test func dateFilters() async throws {
        let corpus = try await SearchCorpus()
        let names = try await corpus.search(nil) {
            $0.since = may1 + 2 * day
            $0.until = may1 + 4 * day
        }
        #expect(names == ["refunds", "delivery"])
    }

    @Test func sourceFilterByURLTitleOrId() async throws {
        let corpus = try await SearchCorpus()
        let bySource = Set(["delivery", "refunds", "pasta", "spam"])
        #expect(Set(try await corpus.search(nil) { $0.source = "https://feeds.example.net/b.xml" }) == bySource)
        #expect(Set(try await corpus.search(nil) { $0.source = "feed b" }) == bySource)
        #expect(Set(try await corpus.search(nil) { $0.source = String(corpus.fixture.otherFeed.id) }) == bySource)
    }

    @Test func limitAndDateOrder() async throws {
        let corpus = try await SearchCorpus()
        #expect(try await corpus.search(nil) { $0.limit = 3 } == ["spam", "pasta", "apple"])
        #expect(try await corpus.search(prefix("refund")) { $0.order = .date } == ["spam", "refunds", "delivery"])
    }

    @Test func relevancePutsTheBestMatchFirst() async throws {
        let corpus = try await SearchCorpus()
        let hits = try await corpus.store.search(SearchRequest(query: word("spam")))
        #expect(hits.count == 1)
        #expect(hits[0].rank.map { $0 < 0 } == true)
        let ranked = try await corpus.search(.or([word("spam"), word("refund")]))
        #expect(ranked.first == "spam")
    }

    @Test func aBadLimitIsRejected() async throws {
        let corpus = try await SearchCorpus()
        await #expect(throws: StorageError.self) { try await corpus.store.search(SearchRequest(query: word("x"), limit: 0)) }
    }

    @Test func snippetsHighlightMatchedTerms() async throws {
        let corpus = try await SearchCorpus()
        let hit = try #require(try await corpus.store.search(SearchRequest(query: phrase("very late"))).first)
        #expect(hit.snippet.contains("\u{2}very late\u{3}"))
        #expect(hit.snippet(highlightingWith: "[", "]").contains("[very late]"))
        #expect(!hit.plainSnippet.contains("\u{2}"))
        #expect(hit.title == "Parcel")
        #expect(hit.link == "https://blog.example.org/3")
        #expect(hit.sourceURL == "https://feeds.example.net/b.xml")
        #expect(hit.brands == ["Zapply"])
        #expect(hit.sentiment == SentimentValue(score: -0.6, label: .neg))
        #expect(hit.language == "en")
    }

    @Test func snippetsOfLongTextsAreCut() async throws {
        let fixture = try await StoreFixture()
        let long = (0..<200).map { "word\($0)" }.joined(separator: " ") + " needle " + (0..<200).map { "tail\($0)" }.joined(separator: " ")
        _ = try await fixture.store.store(batch: [record(source: fixture.feed.id, id: "1", text: long)])
        let hit = try #require(try await fixture.store.search(SearchRequest(query: word("needle"), snippetWords: 8)).first)
        #expect(hit.snippet.contains("\u{2}needle\u{3}"))
        #expect(hit.snippet.hasPrefix("…") && hit.snippet.hasSuffix("…"))
        #expect(hit.plainSnippet.split(separator: " ").count <= 8)
    }

    @Test func filterOnlySearchesShowTheStartOfTheText() async throws {
        let corpus = try await SearchCorpus()
        let hit = try #require(try await corpus.store.search(SearchRequest(languages: ["it"], snippetWords: 4)).first)
        #expect(hit.snippet == "La pasta di Pastaria…")
        #expect(hit.rank == nil)
    }

    @Test func highlightMarkersInStoredTextAreRemoved() async throws {
        let fixture = try await StoreFixture()
        _ = try await fixture.store.store(batch: [record(source: fixture.feed.id, id: "1", title: "x\u{2}y", text: "hidden\u{3} marker")])
        let hit = try #require(try await fixture.store.search(SearchRequest(query: word("marker"))).first)
        #expect(hit.title == "xy")
        #expect(hit.plainSnippet == "hidden marker")
    }

    @Test func hostileQueryTextIsOnlyEverAWord() async throws {
        let corpus = try await SearchCorpus()
        for text in ["\"", "NEAR(", "title:", "*", ") OR (", "'; DROP TABLE entry; --", "\u{0}"] {
            let term = BrandQuery.term(QueryTerm(kind: .word, text: text, words: [text]))
            _ = try await corpus.store.search(SearchRequest(query: term))
        }
        #expect(try await corpus.store.stats().entries == corpus.ids.count)
    }

    @Test(arguments: [
        (#"iberia OR #iberia NOT "peninsula""#, ["cancel", "tag"]),
        ("delivery NEAR/2 late", ["delivery"]),
        ("delivery NEAR/1 late", []),
        ("title:refund*", ["refunds", "spam"]),
        ("refund* -spam", ["delivery", "refunds"]),
        ("-spam refund*", ["delivery", "refunds"]),
        ("site:example.org lang:en", ["delivery", "apple"]),
        ("site:https://www.example.org/ OR lang:it", ["cancel", "pasta"]),
        ("{Apple}", ["apple"]),
        ("@iberia_es", ["tag"]),
        (#"(refund* OR reembolso) AND NOT title:offer"#, ["delivery", "refunds"]),
        (#""canceló mi vuelo""#, ["cancel"]),
    ])
    func parsedQueries(query: String, expected: [String]) async throws {
        let corpus = try await SearchCorpus()
        #expect(Set(try await corpus.search(try BrandQuery(parsing: query))) == Set(expected), "\(query)")
    }
}
