import VigiaModel

/// A feed listed in an OPML file.
public struct OPMLFeed: Sendable, Hashable {
    /// The feed's URL (`xmlUrl`).
    public var url: String
    public var title: String?
    /// The site's URL (`htmlUrl`).
    public var siteURL: String?
    /// The folders the feed sits in, outermost first, plus any `category` attribute values.
    public var categories: [String]
    public var language: String?
    /// `type` (`rss`, `atom`…), when given.
    public var type: String?

    public init(url: String, title: String? = nil, siteURL: String? = nil, categories: [String] = [], language: String? = nil, type: String? = nil) {
        self.url = url
        self.title = title
        self.siteURL = siteURL
        self.categories = categories
        self.language = language
        self.type = type
    }
}

/// A feed list: OPML 1.0/2.0 read and written.
public struct OPMLDocument: Sendable, Hashable {
    public var title: String?
    public var feeds: [OPMLFeed]

    public init(title: String? = nil, feeds: [OPMLFeed] = []) {
        self.title = title
        self.feeds = feeds
    }

    /// Reads an OPML file's feeds (outlines with an `xmlUrl`), with their folders.
    /// - Throws: ``FeedParsingError`` when the bytes are not XML.
    public init(parsing bytes: some Collection<UInt8>, documentName: String = "<memory>") throws {
        var feeds: [OPMLFeed] = []
        let parser = FeedParser(options: .init(format: .opml, documentName: documentName))
        let parsed = try parser.parse(bytes)
        for entry in parsed.entries {
            guard let url = entry.id else { continue }
            feeds.append(OPMLFeed(url: url, title: entry.title, siteURL: entry.link, categories: entry.categories,
                                  language: entry.language, type: entry.summaryText))
        }
        self.init(title: parsed.feed.title, feeds: feeds)
    }

    /// The list as an OPML 2.0 document, feeds grouped in folders by their first category.
    public func xml() -> String {
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<opml version=\"2.0\">",
            "  <head>",
            "    <title>\(Self.escape(title ?? "Vigía feeds"))</title>",
            "  </head>",
            "  <body>",
        ]
        func outline(_ feed: OPMLFeed, indent: String) -> String {
            var attributes = "type=\"\(Self.escape(feed.type ?? "rss"))\""
            let title = feed.title ?? feed.url
            attributes += " text=\"\(Self.escape(title))\" title=\"\(Self.escape(title))\""
            attributes += " xmlUrl=\"\(Self.escape(feed.url))\""
            if let site = feed.siteURL { attributes += " htmlUrl=\"\(Self.escape(site))\"" }
            if let language = feed.language { attributes += " language=\"\(Self.escape(language))\"" }
            if feed.categories.count > 1 {
                attributes += " category=\"\(Self.escape(feed.categories.dropFirst().joined(separator: ",")))\""
            }
            return "\(indent)<outline \(attributes)/>"
        }
        var folders: [String: [OPMLFeed]] = [:]
        var folderOrder: [String] = []
        for feed in feeds {
            if let folder = feed.categories.first {
                if folders[folder] == nil { folderOrder.append(folder) }
                folders[folder, default: []].append(feed)
            } else {
                lines.append(outline(feed, indent: "    "))
            }
        }
        for folder in folderOrder {
            lines.append("    <outline text=\"\(Self.escape(folder))\" title=\"\(Self.escape(folder))\">")
            for feed in folders[folder] ?? [] { lines.append(outline(feed, indent: "      ")) }
            lines.append("    </outline>")
        }
        lines.append("  </body>")
        lines.append("</opml>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Escapes text for an XML attribute or element.
    static func escape(_ text: String) -> String { MarkupText.escaped(text) }
}

/// Reads OPML outlines; each feed becomes an entry (`id` = feed URL, `link` = site URL,
/// `categories` = folders, `summaryText` = the outline type).
final class OPMLHandler: XMLEventHandler, XMLOutcomeProvider {
    private let emit: (FeedEntry) -> Void
    private let documentBase: String?
    private var folders: [String?] = []
    private var inHeadTitle = false
    private var title: [UInt8] = []
    private var depth = 0
    private var count = 0
    private var sawOPML = false

    init(documentBase: String?, emit: @escaping (FeedEntry) -> Void) {
        self.documentBase = documentBase
        self.emit = emit
    }

    func startElement(_ name: XMLName, attributes: XMLAttributes) {
        depth += 1
        let local = name.localNameString
        if depth == 1 { sawOPML = local.lowercased() == "opml" }
        switch local {
        case "title" where depth == 3:
            inHeadTitle = true
        case "outline":
            let text = attributes.value("title") ?? attributes.value("text")
            guard let url = attributes.value("xmlUrl") ?? attributes.value("xmlurl") ?? attributes.value("url"),
                  !url.trimmingCharacters(in: " \t\r\n").isEmpty else {
                folders.append(text)
                return
            }
            folders.append(nil)
            var categories = folders.dropLast().compactMap { $0 }.filter { !$0.isEmpty }
            if let category = attributes.value("category") {
                categories += category.split(whereSeparator: { $0 == "," }).map { $0.trimmingCharacters(in: " /") }.filter { !$0.isEmpty }
            }
            var entry = FeedEntry()
            entry.id = URLResolver.resolve(url, against: documentBase)
            entry.title = text.map(TextCleanup.plainText).flatMap { $0.isEmpty ? nil : $0 }
            entry.link = (attributes.value("htmlUrl") ?? attributes.value("htmlurl")).map { URLResolver.resolve($0, against: documentBase) }
            entry.summaryText = attributes.value("type")
            entry.language = attributes.value("language")
            entry.categories = categories
            emit(entry)
            count += 1
        default:
            break
        }
    }

    func endElement(_ name: XMLName) {
        if name.localNameString == "outline", !folders.isEmpty { folders.removeLast() }
        if name.localNameString == "title" { inHeadTitle = false }
        depth -= 1
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>) {
        if inHeadTitle { title.append(contentsOf: text) }
    }

    func outcome() throws -> ReaderOutcome {
        var feed = FeedInfo()
        let headTitle = TextCleanup.plainText(String(decoding: title, as: UTF8.self))
        feed.title = headTitle.isEmpty ? nil : headTitle
        var outcome = ReaderOutcome(format: .opml, version: nil, feed: feed, entryCount: count)
        if !sawOPML { outcome.bozoReasons.append("the root element is not <opml>") }
        return outcome
    }
}
