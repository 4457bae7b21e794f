import FoundationEssentials
import Matching

/// Which entries an export holds.
public struct ExportOptions: Sendable, Hashable {
    /// Entries dated at or after this instant.
    public var since: Date?
    /// Entries dated strictly before this instant.
    public var until: Date?
    /// Also export entries recognised as copies (they carry ``ExportedEntry/duplicateOf``).
    public var includeDuplicates: Bool

    public init(since: Date? = nil, until: Date? = nil, includeDuplicates: Bool = true) {
        self.since = since
        self.until = until
        self.includeDuplicates = includeDuplicates
    }
}

/// A stored mention, as exported.
public struct ExportedMention: Sendable, Hashable, Codable {
    public var brand: String
    /// The target-aware sentiment towards the brand.
    public var sentiment: SentimentValue
    /// False when an earlier copy of the same text already counted this brand.
    public var counted: Bool
    public var matches: [MatchedTerm]

    public init(brand: String, sentiment: SentimentValue, counted: Bool, matches: [MatchedTerm]) {
        self.brand = brand
        self.sentiment = sentiment
        self.counted = counted
        self.matches = matches
    }
}

/// A stored entry with its mentions and scores.
public struct ExportedEntry: Sendable, Hashable, Codable {
    public var id: Int64
    public var sourceID: Int64
    public var sourceURL: String
    /// What identifies the entry within its source: its id, else its canonical link, else
    /// `fingerprint:` and its content fingerprint.
    public var guid: String
    public var title: String?
    public var link: String?
    public var author: String?
    /// The content text, or the summary when there was no content.
    public var text: String?
    public var categories: [String]
    /// The record's own source column, for exports that mix sources.
    public var origin: String?
    public var engagement: Int?
    public var published: Date?
    public var updated: Date?
    /// When the store first saw it.
    public var seenAt: Date
    /// Published, or when first seen: what searches and prune go by.
    public var date: Date
    public var language: String?
    public var sentiment: SentimentValue?
    public var duplicateOf: Int64?
    public var duplicateReason: DuplicateReason?
    public var mentions: [ExportedMention]

    public init(
        id: Int64, sourceID: Int64, sourceURL: String, guid: String, title: String?, link: String?, author: String?,
        text: String?, categories: [String], origin: String?, engagement: Int?, published: Date?, updated: Date?,
        seenAt: Date, date: Date, language: String?, sentiment: SentimentValue?, duplicateOf: Int64?,
        duplicateReason: DuplicateReason?, mentions: [ExportedMention]
    ) {
        self.id = id
        self.sourceID = sourceID
        self.sourceURL = sourceURL
        self.guid = guid
        self.title = title
        self.link = link
        self.author = author
        self.text = text
        self.categories = categories
        self.origin = origin
        self.engagement = engagement
        self.published = published
        self.updated = updated
        self.seenAt = seenAt
        self.date = date
        self.language = language
        self.sentiment = sentiment
        self.duplicateOf = duplicateOf
        self.duplicateReason = duplicateReason
        self.mentions = mentions
    }
}

/// Every exported entry, read from the store page by page as the consumer asks for them (memory
/// stays flat however large the store is).
///
/// ```swift
/// for try await entry in store.exportEntries() { try writer.write(entry) }
/// ```
public struct EntryExport: AsyncSequence, Sendable {
    public typealias Element = ExportedEntry

    let store: any MentionStore
    let options: ExportOptions
    let pageSize: Int

    public func makeAsyncIterator() -> Iterator {
        Iterator(store: store, options: options, pageSize: pageSize)
    }

    /// Reads the next page when the current one is used up.
    public struct Iterator: AsyncIteratorProtocol {
        let store: any MentionStore
        let options: ExportOptions
        let pageSize: Int
        var page: [ExportedEntry] = []
        var position = 0
        var lastID: Int64 = 0
        var finished = false

        init(store: any MentionStore, options: ExportOptions, pageSize: Int) {
            self.store = store
            self.options = options
            self.pageSize = pageSize
        }

        public mutating func next() async throws -> ExportedEntry? {
            if position == page.count {
                guard !finished else { return nil }
                page = try await store.exportPage(after: lastID, limit: pageSize, options: options)
                position = 0
                if page.count < pageSize { finished = true }
                guard let last = page.last else { return nil }
                lastID = last.id
            }
            defer { position += 1 }
            return page[position]
        }
    }
}

/// What a prune deleted.
public struct PruneResult: Sendable, Hashable {
    public var entries = 0
    public var mentions = 0
    /// Kept copies whose canonical entry was deleted, and which became canonical themselves.
    public var promoted = 0

    public init(entries: Int = 0, mentions: Int = 0, promoted: Int = 0) {
        self.entries = entries
        self.mentions = mentions
        self.promoted = promoted
    }
}
