import Foundation
import Matching
import VigiaModel

@testable import Storage

/// A directory that is removed when the test ends.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-storage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A fresh store in its own directory, with two feeds registered.
struct StoreFixture {
    let directory: TemporaryDirectory
    let store: SQLiteMentionStore
    let feed: SourceRecord
    let otherFeed: SourceRecord

    init() async throws {
        directory = try TemporaryDirectory()
        store = try SQLiteMentionStore(path: directory.path("vigia.db"))
        feed = try await store.registerSource(NewSource(kind: .feed, url: "https://feeds.example.org/a.xml", title: "Feed A"))
        otherFeed = try await store.registerSource(NewSource(kind: .feed, url: "https://feeds.example.net/b.xml", title: "Feed B"))
    }
}

let day: TimeInterval = 86_400
/// 2024-05-01T00:00:00Z
let may1 = Date(timeIntervalSince1970: 1_714_521_600)

func record(
    source: Int64, id: String? = nil, title: String? = nil, text: String? = nil, link: String? = nil,
    published: Date? = may1, language: String? = "en", sentiment: SentimentValue? = nil,
    mentions: [MentionRecord] = [], origin: String? = nil
) -> EntryRecord {
    EntryRecord(
        sourceID: source,
        entry: FeedEntry(id: id, title: title, link: link, published: published, contentText: text, source: origin),
        language: language, sentiment: sentiment, mentions: mentions)
}

func mention(_ brand: String, _ label: SentimentPolarity = .neg, score: Double = -0.5) -> MentionRecord {
    MentionRecord(
        brand: brand, sentiment: SentimentValue(score: score, label: label),
        matches: [MatchedTerm(term: brand, field: .text, range: 0..<brand.utf8.count)])
}

// MARK: - Building queries without the parser

func word(_ text: String, exact: Bool = false) -> BrandQuery {
    .term(QueryTerm(kind: .word, text: exact ? "{\(text)}" : text, words: [exact ? text : text.lowercased()], caseSensitive: exact))
}

func phrase(_ text: String) -> BrandQuery {
    .term(QueryTerm(kind: .phrase, text: "\"\(text)\"", words: text.lowercased().split(separator: " ").map(String.init)))
}

func prefix(_ stem: String) -> BrandQuery {
    .term(QueryTerm(kind: .prefix, text: stem + "*", words: [stem.lowercased()]))
}

func hashtag(_ name: String) -> BrandQuery {
    .term(QueryTerm(kind: .hashtag, text: "#" + name, words: [name.lowercased()]))
}

func handle(_ name: String) -> BrandQuery {
    .term(QueryTerm(kind: .handle, text: "@" + name, words: [name.lowercased()]))
}

func site(_ host: String) -> BrandQuery {
    .field(.site, .term(QueryTerm(kind: .word, text: host, words: [host])))
}

func lang(_ code: String) -> BrandQuery {
    .field(.lang, .term(QueryTerm(kind: .word, text: code, words: [code])))
}
