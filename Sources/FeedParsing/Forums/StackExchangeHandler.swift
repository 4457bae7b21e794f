import FoundationEssentials
import VigiaModel

/// Reads Stack Exchange data dumps (`Posts.xml`, `Comments.xml`): one `<row>` per post or comment,
/// every field an attribute, bodies as escaped HTML. Rows are emitted as they are read, so a dump
/// of any size is read in constant memory.
final class StackExchangeHandler: XMLEventHandler, XMLOutcomeProvider {
    private let options: FeedParser.Options
    private let emit: (FeedEntry) -> Void
    private let html = HTMLTextExtractor()
    private var depth = 0
    private var rootName: String?
    private var count = 0

    init(options: FeedParser.Options, emit: @escaping (FeedEntry) -> Void) {
        self.options = options
        self.emit = emit
    }

    func startElement(_ name: XMLName, attributes: XMLAttributes) {
        depth += 1
        if depth == 1 { rootName = name.localNameString.lowercased() }
        guard depth == 2, name.localNameString == "row" else { return }
        emit(entry(from: attributes))
        count += 1
    }

    func endElement(_ name: XMLName) { depth -= 1 }

    func characters(_ text: UnsafeBufferPointer<UInt8>) {}

    func outcome() throws -> ReaderOutcome {
        ReaderOutcome(format: .stackExchange, version: rootName, entryCount: count)
    }

    private func entry(from attributes: XMLAttributes) -> FeedEntry {
        var entry = FeedEntry()
        let id = attributes.value("Id")
        entry.id = id
        let isComment = rootName == "comments"
        entry.title = attributes.withValue("Title") { ByteText.plainText($0) }.flatMap(nonEmpty)
        if let body = attributes.withValue("Body", { html.text(ofHTML: $0) }) {
            entry.contentText = nonEmpty(body)
        } else {
            entry.contentText = attributes.withValue("Text") { ByteText.plainText($0) }.flatMap(nonEmpty)
        }
        entry.published = attributes.withValue("CreationDate") { FeedDate.parse(utf8: $0) } ?? nil
        entry.updated = (attributes.withValue("LastEditDate") { FeedDate.parse(utf8: $0) }
            ?? attributes.withValue("LastActivityDate") { FeedDate.parse(utf8: $0) }) ?? nil
        if let name = attributes.value("OwnerDisplayName") ?? attributes.value("UserDisplayName"), !name.isEmpty {
            entry.author = name
        } else if let user = attributes.value("OwnerUserId") ?? attributes.value("UserId") {
            entry.author = "user \(user)"
        }
        entry.engagement = attributes.value("Score").flatMap { Int($0) }
        if let tags = attributes.value("Tags") { entry.categories = Self.tags(tags) }
        if let base = options.baseURL, let id {
            let site = base.hasSuffix("/") ? String(base.dropLast()) : base
            if isComment {
                entry.link = "\(site)/posts/comments/\(id)"
            } else {
                entry.link = attributes.value("PostTypeId") == "1" ? "\(site)/q/\(id)" : "\(site)/a/\(id)"
            }
        }
        return entry
    }

    /// `<beer><hops>` (older dumps) or `|beer|hops|` (newer ones).
    static func tags(_ raw: String) -> [String] {
        if raw.hasPrefix("<") {
            return raw.split(whereSeparator: { $0 == "<" || $0 == ">" }).map(String.init).filter { !$0.isEmpty }
        }
        return raw.split(separator: "|").map(String.init).filter { !$0.isEmpty }
    }

    private func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }
}
