import FoundationEssentials
import Matching
import VigiaModel

/// A sentiment label as stored: `pos`, `neg` or `neu` (the raw values of the sentiment module's
/// `SentimentLabel`).
public enum SentimentPolarity: String, Sendable, Hashable, Codable, CaseIterable {
    case pos, neg, neu
}

/// A sentiment score in [-1, 1] with its label.
public struct SentimentValue: Sendable, Hashable, Codable {
    public var score: Double
    public var label: SentimentPolarity

    public init(score: Double, label: SentimentPolarity) {
        self.score = score
        self.label = label
    }
}

/// A brand mentioned by an entry: which terms matched, and the target-aware sentiment of the
/// text around the match.
public struct MentionRecord: Sendable, Hashable {
    /// The brand's name as configured.
    public var brand: String
    /// The sentiment towards the brand (the text around the matches).
    public var sentiment: SentimentValue
    /// Where the brand's terms matched (field and UTF-8 range in that field).
    public var matches: [MatchedTerm]

    public init(brand: String, sentiment: SentimentValue, matches: [MatchedTerm] = []) {
        self.brand = brand
        self.sentiment = sentiment
        self.matches = matches
    }

    /// The matcher's mention of a brand, with its target-aware sentiment.
    public init(_ mention: BrandMention, sentiment: SentimentValue) {
        self.init(brand: mention.brand, sentiment: sentiment, matches: mention.terms)
    }
}

/// An entry ready to store: the parsed entry, what the pipeline learnt about it, and its
/// mentions.
public struct EntryRecord: Sendable, Hashable {
    /// The source (feed or import) it came from; see ``MentionStore/registerSource(_:)``.
    public var sourceID: Int64
    /// The parsed entry. Changing it drops identity keys computed ahead.
    public var entry: FeedEntry {
        didSet { identity = nil }
    }
    /// The identified language (`es`, `it`, `en`, `und`); nil keeps the entry's declared language.
    public var language: String?
    /// The whole-text sentiment.
    public var sentiment: SentimentValue?
    public var mentions: [MentionRecord]
    /// The entry's identity keys, when computed ahead with ``withIdentity()`` (on the thread that
    /// analysed it, so that the store's writer only writes); nil has the store compute them.
    public private(set) var identity: EntryIdentity?

    public init(
        sourceID: Int64, entry: FeedEntry, language: String? = nil, sentiment: SentimentValue? = nil,
        mentions: [MentionRecord] = []
    ) {
        self.sourceID = sourceID
        self.entry = entry
        self.language = language
        self.sentiment = sentiment
        self.mentions = mentions
    }

    /// This record with its identity keys computed now (changing `entry` afterwards drops them;
    /// the store then computes them).
    public func withIdentity() -> EntryRecord {
        var copy = self
        copy.identity = EntryIdentity(entry)
        return copy
    }

    /// The identity keys of `entry`: the ones computed ahead, or computed now.
    func currentIdentity() -> EntryIdentity {
        identity ?? EntryIdentity(entry)
    }
}

/// How the store recognises an entry and its copies: the guid, the canonical link and the
/// content fingerprint, with their hashes. Derived from the entry alone.
public struct EntryIdentity: Sendable, Hashable {
    /// The entry's id, else its canonical link, else a hash of its text.
    public var guid: String
    /// Hash of the origin and guid: unique per source.
    public var guidKey: Int64
    /// Hash of the canonical link (``CanonicalURL``), when there is a link.
    public var linkKey: Int64?
    /// The link's host with its labels reversed (`org.example.www`), for `site:` filters.
    public var hostKey: String?
    /// The content fingerprint (``ContentFingerprint``); nil for short texts.
    public var fingerprint: Int64?

    /// Just ``guidKey``, cheaply when the entry has an id (a poller checks which entries a source
    /// already has before analysing them).
    public static func guidKey(of entry: FeedEntry) -> Int64 {
        guard let id = entry.id.map({ String($0.trimmingASCIIWhitespace()) }), !id.isEmpty else {
            return EntryIdentity(entry).guidKey
        }
        var key = StableHash()
        if let origin = StoredText.cleaned(entry.source) {
            key.add(origin)
            key.add(0x1F)
        }
        key.add(id)
        return key.value
    }

    public init(_ entry: FeedEntry) {
        let title = StoredText.cleaned(entry.title)
        let text = StoredText.cleaned(entry.contentText ?? entry.summaryText)
        let link = StoredText.cleaned(entry.link)
        let origin = StoredText.cleaned(entry.source)
        let canonicalLink = link.flatMap(CanonicalURL.canonicalKey)
        linkKey = canonicalLink.map(StableHash.of)
        hostKey = link.flatMap(CanonicalURL.host(of:)).map(CanonicalURL.reversedHost).flatMap { $0.isEmpty ? nil : $0 }
        fingerprint = ContentFingerprint(title: title, text: text).value
        if let id = entry.id.map({ String($0.trimmingASCIIWhitespace()) }), !id.isEmpty {
            guid = id
        } else if let canonicalLink {
            guid = canonicalLink
        } else {
            let normalised = ContentFingerprint.normalised(title: title, text: text)
            guid = "fingerprint:" + String(UInt64(bitPattern: StableHash.of(normalised)), radix: 16)
        }
        var key = StableHash()
        if let origin {
            key.add(origin)
            key.add(0x1F)
        }
        key.add(guid)
        guidKey = key.value
    }
}

/// Why an entry was recognised as a copy of an earlier one.
public enum DuplicateReason: String, Sendable, Hashable, Codable {
    /// The same page: equal canonical links (``CanonicalURL``).
    case link
    /// The same text under another link: equal content fingerprints (``ContentFingerprint``).
    case content
}

/// What storing one entry did.
public enum InsertOutcome: Sendable, Hashable {
    /// A new entry, now the canonical copy of its text.
    case stored(entryID: Int64)
    /// A new entry, stored and linked to the canonical entry `of`: its mentions are not counted
    /// again for a brand the group already mentions.
    case duplicate(entryID: Int64, of: Int64, reason: DuplicateReason)
    /// The source already had this entry (same source and guid): nothing was written.
    case alreadyPresent(entryID: Int64)

    /// The entry's id, whatever happened.
    public var entryID: Int64 {
        switch self {
        case .stored(let id), .duplicate(let id, _, _), .alreadyPresent(let id): id
        }
    }
}

/// What a batch did, entry by entry and in total.
public struct BatchResult: Sendable, Hashable {
    /// One outcome per record, in the order of the batch.
    public var outcomes: [InsertOutcome] = []
    /// Entries written as new canonical entries.
    public var stored = 0
    /// Entries written as duplicates of an earlier entry.
    public var duplicates = 0
    /// Entries skipped because their source already had them.
    public var alreadyPresent = 0
    /// Mention rows written (duplicates included).
    public var mentionsStored = 0
    /// Newly counted mentions per brand: a brand counts once per canonical entry and its copies.
    public var countedMentions: [String: Int] = [:]

    public init() {}

    /// Adds another batch's figures to these.
    public mutating func merge(_ other: BatchResult) {
        outcomes += other.outcomes
        stored += other.stored
        duplicates += other.duplicates
        alreadyPresent += other.alreadyPresent
        mentionsStored += other.mentionsStored
        countedMentions.merge(other.countedMentions, uniquingKeysWith: +)
    }
}

/// Text as the store keeps it.
enum StoredText {
    /// Nil for empty text; the snippet highlight markers (U+0002, U+0003) removed.
    static func cleaned(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard text.utf8.contains(where: { $0 == 0x02 || $0 == 0x03 }) else { return text }
        return String(text.unicodeScalars.filter { $0 != "\u{2}" && $0 != "\u{3}" }.map(Character.init))
    }
}
