import FoundationEssentials
import Matching
import VigiaModel

/// An entry with everything the store derives from it (keys, fingerprint, host), computed before
/// the write transaction so that the writer only runs SQL.
struct PreparedEntry: Sendable {
    var sourceID: Int64
    var guid: String
    var guidKey: Int64
    var link: String?
    var linkKey: Int64?
    var hostKey: String?
    var title: String?
    var text: String?
    var author: String?
    var categories: String?
    var origin: String?
    var engagement: Int64?
    var published: Int64?
    var updated: Int64?
    var date: Int64
    var language: String?
    var sentimentScore: Double?
    var sentimentLabel: String?
    var fingerprint: Int64?
    var mentions: [PreparedMention]

    struct PreparedMention: Sendable {
        var brand: String
        var score: Double
        var label: String
        var matches: String
    }

    init(_ record: EntryRecord, receivedAt: Int64) {
        let entry = record.entry
        sourceID = record.sourceID
        title = StoredText.cleaned(entry.title)
        text = StoredText.cleaned(entry.contentText ?? entry.summaryText)
        link = StoredText.cleaned(entry.link)
        origin = StoredText.cleaned(entry.source)
        let identity = record.currentIdentity()
        guid = identity.guid
        guidKey = identity.guidKey
        linkKey = identity.linkKey
        hostKey = identity.hostKey
        fingerprint = identity.fingerprint
        author = StoredText.cleaned(entry.author)
        categories = entry.categories.isEmpty ? nil : entry.categories.joined(separator: "\n")
        engagement = entry.engagement.map(Int64.init)
        published = entry.published?.storedSeconds
        updated = entry.updated?.storedSeconds
        date = published ?? receivedAt
        language = (record.language ?? entry.language).map { $0.lowercased() }
        sentimentScore = record.sentiment?.score
        sentimentLabel = record.sentiment?.label.rawValue

        var seen = Set<String>()
        mentions = []
        for mention in record.mentions where seen.insert(mention.brand.lowercased()).inserted {
            mentions.append(
                PreparedMention(
                    brand: mention.brand, score: mention.sentiment.score, label: mention.sentiment.label.rawValue,
                    matches: Self.json(mention.matches)))
        }
    }

    /// `[{"term":…,"field":"title"|"text","start":…,"end":…}]`.
    static func json(_ matches: [MatchedTerm]) -> String {
        var result = "["
        for (index, match) in matches.enumerated() {
            if index > 0 { result += "," }
            result += "{\"term\":"
            result += JSONText.quoted(match.term)
            result += ",\"field\":\"\(match.field.rawValue)\",\"start\":\(match.range.lowerBound),\"end\":\(match.range.upperBound)}"
        }
        return result + "]"
    }

    /// Reads what ``json(_:)`` wrote (nothing for text that is not such JSON).
    static func matches(fromJSON text: String) -> [MatchedTerm] {
        struct Stored: Decodable {
            var term: String
            var field: MatchField
            var start: Int
            var end: Int
        }
        guard let stored = try? JSONDecoder().decode([Stored].self, from: Data(text.utf8)) else { return [] }
        return stored.compactMap { match in
            guard match.start <= match.end else { return nil }
            return MatchedTerm(term: match.term, field: match.field, range: match.start..<match.end)
        }
    }
}
