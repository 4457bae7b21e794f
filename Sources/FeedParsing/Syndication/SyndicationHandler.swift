import FoundationEssentials
import VigiaModel

/// Reads RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0 from XML events, with the semantics feed
/// readers have converged on (those of Python's feedparser, the most widely used one): which of
/// several titles, links, dates and authors wins, which element is the summary and which the
/// content, and how links fall back to permalink GUIDs.
final class SyndicationHandler: XMLEventHandler {
    // MARK: Results

    private(set) var rootRole: ElementRole?
    private(set) var rootLocalName: String?
    private(set) var version: String?
    private(set) var feed = FeedState()
    /// Entries are handed over in document order as soon as they are complete.
    private let emit: (FeedEntry) -> Void
    private(set) var entryCount = 0
    private let limits: FeedParser.Limits
    private(set) var truncatedFields = 0
    var limitsDescription: String { "\(limits.maxFieldBytes) bytes" }

    // MARK: Parse state

    private var depth = 0
    private var roles: [ElementRole] = []
    private var baseStack: [String?] = []
    private var languageStack: [String?] = []
    private var captures: [Capture] = []
    private var roleCache: [PointerPair: ElementRole] = [:]
    /// A small direct-mapped cache in front of `roleCache` (element names are interned pointers).
    private var recentRoles = [RecentRole](repeating: RecentRole(), count: 256)
    private let html = HTMLTextExtractor()

    private var inFeed = false
    private var inEntry = false
    private var inImage = false
    private var inTextInput = false
    private var inSource = false
    private var inAuthor = false
    private var inContributor = false
    private var inPublisher = false
    private var hasContent = false
    /// feedparser's title rule: once a title is stored at some depth, titles at that depth or
    /// deeper are ignored until an item, image, text input or source starts.
    private var titleDepth = -1
    private var guidIsLink = false
    /// Set while a second `description`/`summary` is being read as content.
    private var summaryIsContent = false

    private var pending: [EntryState] = []
    private var openItems = 0

    init(limits: FeedParser.Limits, documentBase: String?, emit: @escaping (FeedEntry) -> Void) {
        self.limits = limits
        self.emit = emit
        baseStack.append(documentBase)
        languageStack.append(nil)
    }

    /// Hands over entries still open when the document ended early.
    func finish() {
        flushPending()
    }

    // MARK: - XMLEventHandler

    func startElement(_ name: XMLName, attributes: XMLAttributes) {
        depth += 1
        var role = self.role(of: name)
        // An XHTML <body> is content only inside an entry (some pages wrap a feed in <html><body>).
        if case .content(.xhtml) = role, !inEntry { role = .unknown }
        roles.append(role)

        // xml:base and xml:lang scope.
        let currentBase = baseStack.last ?? nil
        if let base = attributes.value("base", namespace: xmlNamespace) {
            let resolved = URLResolver.resolve(base, against: currentBase)
            baseStack.append(resolved.isEmpty ? currentBase : resolved)
        } else {
            baseStack.append(currentBase)
        }
        let currentLanguage = languageStack.last ?? nil
        if let language = attributes.value("lang", namespace: xmlNamespace) {
            let value: String? = language.isEmpty ? nil : language
            languageStack.append(value)
            if depth == 1, let value { feed.info.language = value.replacing("_", with: "-") }
        } else {
            languageStack.append(currentLanguage)
        }

        if let top = captures.last, top.role.holdsMarkup {
            // Markup inside a text construct (Atom xhtml content, unescaped HTML in RSS).
            captures[captures.count - 1].appendStartTag(name.localNameString)
            return
        }
        if depth == 1 {
            rootRole = role
            rootLocalName = name.localNameString
            detectVersion(role: role, namespace: name.namespaceString, attributes: attributes)
        }
        start(role, attributes: attributes)
    }

    func endElement(_ name: XMLName) {
        defer {
            depth -= 1
            roles.removeLast()
            baseStack.removeLast()
            languageStack.removeLast()
        }
        guard let role = roles.last else { return }
        if let top = captures.last, top.depth != depth, top.role.holdsMarkup {
            captures[captures.count - 1].appendEndTag(name.localNameString)
            return
        }
        end(role)
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>) {
        guard !captures.isEmpty else { return }
        let index = captures.count - 1
        guard !captures[index].truncated else { return }
        let room = limits.maxFieldBytes - captures[index].bytes.count
        if text.count > room {
            // Keep what fits, cut at a character boundary; the rest of the field is dropped.
            captures[index].truncated = true
            truncatedFields += 1
            var cut = max(0, room)
            while cut > 0, text[cut] & 0xC0 == 0x80 { cut -= 1 }
            if cut > 0 { captures[index].appendText(UnsafeBufferPointer(rebasing: text[..<cut])) }
            return
        }
        captures[index].appendText(text)
    }

    private let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    private struct PointerPair: Hashable {
        let name: UnsafeRawPointer
        let namespace: UnsafeRawPointer?
        let prefix: UnsafeRawPointer?
    }

    private struct RecentRole {
        var name: UnsafeRawPointer?
        var namespace: UnsafeRawPointer?
        var prefix: UnsafeRawPointer?
        var role = ElementRole.unknown
    }

    private func role(of name: XMLName) -> ElementRole {
        let namePointer = UnsafeRawPointer(name.localName)
        let namespacePointer = name.namespaceURI.map(UnsafeRawPointer.init)
        let prefixPointer = name.prefix.map(UnsafeRawPointer.init)
        let mixed = (UInt64(UInt(bitPattern: namePointer)) &* 0x9E37_79B9_7F4A_7C15)
            ^ (UInt64(UInt(bitPattern: namespacePointer)) &* 0xC2B2_AE3D_27D4_EB4F)
        let slot = Int(truncatingIfNeeded: mixed >> 56)
        let recent = recentRoles[slot]
        if recent.name == namePointer, recent.namespace == namespacePointer, recent.prefix == prefixPointer {
            return recent.role
        }
        let role = slowRole(of: name)
        recentRoles[slot] = RecentRole(name: namePointer, namespace: namespacePointer, prefix: prefixPointer, role: role)
        return role
    }

    private func slowRole(of name: XMLName) -> ElementRole {
        let key = PointerPair(
            name: UnsafeRawPointer(name.localName), namespace: name.namespaceURI.map(UnsafeRawPointer.init),
            prefix: name.prefix.map(UnsafeRawPointer.init))
        if let cached = roleCache[key] { return cached }
        var namespace = FeedNamespace(uri: name.namespaceString)
        if name.namespaceURI == nil, let prefix = name.prefixString {
            // A prefix the document never declared: read it by its customary meaning.
            namespace = FeedNamespace(customaryPrefix: prefix)
        }
        let role = ElementRole(namespace: namespace, localName: name.localNameString)
        roleCache[key] = role
        return role
    }

    private func detectVersion(role: ElementRole, namespace: String?, attributes: XMLAttributes) {
        switch role {
        case .rss:
            let declared = attributes.value("version") ?? ""
            switch declared {
            case "0.91": version = "0.91"
            case "0.92": version = "0.92"
            case "0.93": version = "0.93"
            case "0.94": version = "0.94"
            default: version = declared.hasPrefix("2.") ? "2.0" : (declared.isEmpty ? nil : declared)
            }
        case .atomFeed:
            if namespace?.lowercased() == "http://www.w3.org/2005/atom" {
                version = "1.0"
            } else {
                version = attributes.value("version") ?? "0.3"
            }
        case .rdfRoot:
            version = "1.0"
        default:
            break
        }
    }

    // MARK: - Element starts

    private func start(_ role: ElementRole, attributes: XMLAttributes) {
        switch role {
        case .channel, .atomFeed:
            inFeed = true
            if role == .channel, let href = attributes.value("href") {
                storeLink(href)
            }
        case .rss, .rdfRoot:
            break
        case .item:
            startItem(attributes: attributes)
        case .image:
            inImage = true
            titleDepth = -1
        case .textInput:
            inTextInput = true
            titleDepth = -1
        case .source:
            inSource = true
            titleDepth = -1
            beginCapture(role, attributes: attributes, kind: .text)
        case .link:
            startLink(attributes: attributes)
        case .enclosure:
            if inEntry, !inSource, let url = attributes.value("url") ?? attributes.value("href") {
                addEnclosure(url: url, type: attributes.value("type"), length: attributes.value("length"))
            }
        case .id:
            guidIsLink = (attributes.value("isPermaLink") ?? "true") == "true"
            beginCapture(role, attributes: attributes, kind: .text)
        case .title, .mediaTitle:
            beginContent(role, attributes: attributes, default: .text)
        case .description:
            if currentSummaryExists && !hasContent {
                summaryIsContent = true
                hasContent = true
                beginContent(.content(.text), attributes: attributes, default: .text)
            } else {
                beginContent(role, attributes: attributes, default: .html)
            }
        case .summary:
            if currentSummaryExists && !hasContent {
                summaryIsContent = true
                hasContent = true
                beginContent(.content(.text), attributes: attributes, default: .text)
            } else {
                beginContent(role, attributes: attributes, default: .text)
            }
        case .abstract:
            beginContent(role, attributes: attributes, default: .text)
        case .content(let defaultKind):
            hasContent = true
            beginContent(role, attributes: attributes, default: defaultKind)
        case .subtitle:
            beginContent(role, attributes: attributes, default: .text)
        case .category:
            addTag(term: attributes.value("term"), scheme: attributes.value("scheme") ?? attributes.value("domain"),
                   label: attributes.value("label"))
            beginCapture(role, attributes: attributes, kind: .text)
        case .mediaCategory:
            addTag(term: attributes.value("term"),
                   scheme: attributes.value("scheme") ?? "http://search.yahoo.com/mrss/category_schema",
                   label: attributes.value("label"))
            beginCapture(role, attributes: attributes, kind: .text)
        case .itunesCategory:
            addTag(term: attributes.value("text"), scheme: "http://www.itunes.com/", label: nil)
            beginCapture(role, attributes: attributes, kind: .text)
        case .author:
            inAuthor = true
            if let current { pending[current].authors.append(AuthorDetail()) } else { feed.authors.append(AuthorDetail()) }
            beginCapture(role, attributes: attributes, kind: .text)
        case .contributor:
            inContributor = true
        case .publisher:
            beginCapture(role, attributes: attributes, kind: .text)
        case .itunesOwner:
            inPublisher = true
        case .unknown:
            break
        default:
            beginCapture(role, attributes: attributes, kind: .text)
        }
    }

    private func startItem(attributes: XMLAttributes) {
        openItems += 1
        var state = EntryState()
        if let about = attributes.value("about", namespace: "http://www.w3.org/1999/02/22-rdf-syntax-ns#") {
            state.entry.id = about
        }
        pending.append(state)
        inEntry = true
        guidIsLink = false
        titleDepth = -1
        if let href = attributes.value("href") { storeLink(href) }
    }

    private func startLink(attributes: XMLAttributes) {
        let rel = (attributes.value("rel") ?? "alternate").lowercased()
        let type = (attributes.value("type") ?? (rel == "self" ? "application/atom+xml" : "text/html")).lowercased()
        guard let rawHref = attributes.value("href") ?? attributes.value("url") ?? attributes.value("uri") else {
            // RSS `<link>` with the URL as text.
            beginCapture(.link, attributes: attributes, kind: .text)
            return
        }
        let href = URLResolver.resolve(rawHref, against: baseStack.last ?? nil)
        if rel == "enclosure" {
            if inEntry, !inSource { addEnclosure(url: href, type: attributes.value("type"), length: attributes.value("length")) }
        } else if rel == "alternate", type == "text/html" || type == "application/xhtml+xml" || type == "html" || type == "xhtml" {
            storeLink(href)
        }
        // Any text inside is ignored, but the element is still open: capture nothing.
        beginCapture(.unknown, attributes: attributes, kind: .text)
    }

    // MARK: - Element ends

    private func end(_ role: ElementRole) {
        switch role {
        case .channel, .atomFeed:
            inFeed = false
        case .item:
            openItems = max(0, openItems - 1)
            inEntry = false
            hasContent = false
            if openItems == 0 { flushPending() }
        case .image:
            inImage = false
        case .textInput:
            inTextInput = false
        case .contributor:
            inContributor = false
        case .itunesOwner:
            inPublisher = false
        case .enclosure, .rss, .rdfRoot:
            break
        case .unknown:
            break
        default:
            // A `link` with an `href` captured nothing worth keeping.
            // The capture knows what the element turned out to be (a second summary is content).
            guard let capture = endCapture(), capture.role != .unknown else { return }
            finish(capture.role, capture: capture)
        }
    }

    private func finish(_ role: ElementRole, capture: Capture) {
        switch role {
        case .source:
            inSource = false
        case .title, .mediaTitle:
            let value = text(of: capture)
            if -1 < titleDepth && titleDepth <= depth { return }
            let savedDepth = titleDepth
            storeTitle(value)
            if !value.isEmpty { titleDepth = depth }
            if role == .mediaTitle { titleDepth = savedDepth }
        case .link:
            let value = fixLinkEntities(URLResolver.resolve(plainText(capture), against: baseStack.last ?? nil))
            storeLink(value)
        case .id:
            let raw = plainText(capture)
            let value = guidIsLink && !raw.isEmpty ? URLResolver.resolve(raw, against: baseStack.last ?? nil) : raw
            if guidIsLink, let current, !pending[current].hasLinkKey {
                pending[current].entry.link = value
                pending[current].hasLinkKey = true
            } else if guidIsLink, storesFeedValues, feed.info.link == nil {
                feed.info.link = value
            }
            storeID(value)
        case .description, .abstract:
            let value = text(of: capture)
            if current != nil { storeSummary(value) } else if storesFeedValues { feed.info.subtitle = value }
        case .summary:
            let value = text(of: capture)
            if current != nil { storeSummary(value) } else if storesFeedValues { feed.summary = value }
        case .content:
            let value = text(of: capture)
            let copiesToSummary = capture.kind == .text || capture.kind.isMarkup
            if let current {
                pending[current].contents.append(value)
                if copiesToSummary, pending[current].summary == nil { pending[current].summary = value }
            }
            summaryIsContent = false
        case .subtitle:
            if storesFeedValues { feed.info.subtitle = text(of: capture) }
        case .published:
            storeDate(published: true, capture.bytes.withUnsafeBufferPointer { FeedDate.parse(utf8: $0) })
        case .updated:
            storeDate(published: false, capture.bytes.withUnsafeBufferPointer { FeedDate.parse(utf8: $0) })
        case .created:
            break
        case .language:
            let value = plainText(capture)
            if let current {
                pending[current].entry.language = value.isEmpty ? nil : value
            } else if storesFeedValues {
                feed.info.language = value.isEmpty ? nil : value
            }
        case .category, .mediaCategory, .itunesCategory:
            let value = plainText(capture)
            guard !value.isEmpty else { return }
            if let current, let last = pending[current].tags.last, last.term == nil {
                pending[current].tags[pending[current].tags.count - 1].term = value
            } else {
                addTag(term: value, scheme: nil, label: nil)
            }
        case .keywordList(let scheme):
            // Split on commas at the byte level (Character-level splitting is slow on long lists).
            capture.bytes.withUnsafeBufferPointer { bytes in
                var start = 0
                for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: ",") {
                    let term = ByteText.plainText(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                    if !term.isEmpty { addTag(term: term, scheme: scheme, label: nil) }
                    start = index + 1
                }
            }
        case .author:
            inAuthor = false
            finishAuthor(text: plainText(capture))
        case .publisher:
            break
        case .name, .email, .uri:
            guard !inPublisher, inAuthor, !inContributor else { return }
            let value = plainText(capture)
            if let current {
                if pending[current].authors.isEmpty { pending[current].authors.append(AuthorDetail()) }
                pending[current].authors[pending[current].authors.count - 1].set(role, value)
                pending[current].syncAuthor()
            } else if !inSource {
                if feed.authors.isEmpty { feed.authors.append(AuthorDetail()) }
                feed.authors[feed.authors.count - 1].set(role, value)
            }
        case .ttl:
            if !inEntry, let minutes = Int(plainText(capture)), minutes > 0 { feed.info.suggestedInterval = minutes * 60 }
        case .updatePeriod:
            let seconds: Int? = switch plainText(capture).lowercased() {
            case "hourly": 3600
            case "daily": 86_400
            case "weekly": 604_800
            case "monthly": 2_592_000
            case "yearly": 31_536_000
            default: nil
            }
            if let seconds { feed.updatePeriod = seconds }
        case .updateFrequency:
            if let frequency = Int(plainText(capture)), frequency > 0 { feed.updateFrequency = frequency }
        default:
            break
        }
    }

    // MARK: - Storing values with feed-reader precedence

    /// The index of the entry that values go to, when inside an item (not inside its `source`).
    private var current: Int? {
        guard inEntry, !inSource, !pending.isEmpty else { return nil }
        return pending.count - 1
    }

    /// Whether feed-level values may be stored now.
    private var storesFeedValues: Bool {
        !inEntry && inFeed && !inImage && !inTextInput && !inSource
    }

    private var currentSummaryExists: Bool {
        if let current { return pending[current].summary != nil }
        return inFeed && feed.summary != nil
    }

    /// Stores an entry field unless a value from a shallower element is already there.
    private func storeEntryField(_ field: EntryField, in index: Int, _ apply: (inout EntryState) -> Void) {
        if let previous = pending[index].fieldDepths[field], depth > previous { return }
        pending[index].fieldDepths[field] = depth
        apply(&pending[index])
    }

    private func storeTitle(_ value: String) {
        if let current {
            storeEntryField(.title, in: current) { $0.fields.title = value }
        } else if storesFeedValues {
            feed.fields.title = value
        }
    }

    private func storeID(_ value: String) {
        if let current {
            storeEntryField(.id, in: current) { $0.fields.id = value }
        } else if storesFeedValues {
            feed.fields.id = value
        }
    }

    private func storeSummary(_ value: String) {
        guard let current else { return }
        storeEntryField(.summary, in: current) { $0.summary = value }
    }

    private func storeLink(_ value: String) {
        if inEntry {
            guard !inImage, let current else { return }
            pending[current].entry.link = value
            pending[current].hasLinkKey = true
        } else if storesFeedValues {
            feed.info.link = value
        }
    }

    private func storeDate(published: Bool, _ date: Date?) {
        if let current {
            if published { pending[current].entry.published = date } else { pending[current].entry.updated = date }
        } else if !inEntry, !inSource, !inImage, !inTextInput {
            if published { feed.published = date } else { feed.updated = date }
        }
    }

    private func addTag(term: String?, scheme: String?, label: String?) {
        let term = term.flatMap { $0.isEmpty ? nil : $0 }
        let scheme = scheme.flatMap { $0.isEmpty ? nil : $0 }
        let label = label.flatMap { $0.isEmpty ? nil : $0 }
        guard term != nil || scheme != nil || label != nil, let current else { return }
        let tag = Tag(term: term, scheme: scheme, label: label)
        if !pending[current].tags.contains(tag) { pending[current].tags.append(tag) }
    }

    private func addEnclosure(url: String, type: String?, length: String?) {
        guard let current else { return }
        let resolved = URLResolver.resolve(url, against: baseStack.last ?? nil)
        guard !resolved.isEmpty else { return }
        let enclosure = Enclosure(
            url: resolved, type: type.flatMap { $0.isEmpty ? nil : $0 },
            length: length.flatMap { Int64($0.trimmingCharacters(in: " ")) })
        if !pending[current].entry.enclosures.contains(enclosure) { pending[current].entry.enclosures.append(enclosure) }
    }

    private func finishAuthor(text: String) {
        guard let current else { return }
        if pending[current].authors.last?.isEmpty ?? true {
            storeEntryField(.author, in: current) { $0.authorText = text }
        } else {
            pending[current].syncAuthor()
        }
    }

    private func flushPending() {
        let states = pending
        pending.removeAll()
        for state in states {
            entryCount += 1
            emit(state.finishedEntry())
        }
    }

    // MARK: - Text captures

    private func beginCapture(_ role: ElementRole, attributes: XMLAttributes, kind: ContentKind) {
        captures.append(Capture(role: role, kind: kind, depth: depth))
    }

    private func beginContent(_ role: ElementRole, attributes: XMLAttributes, default defaultKind: ContentKind) {
        var kind = ContentKind(typeAttribute: attributes.value("type"), default: defaultKind)
        let mode = attributes.value("mode")?.lowercased()
        if mode == "escaped", kind == .text || kind == .xhtml { kind = .html }
        if mode == "xml" { kind = .xhtml }
        var capture = Capture(role: role, kind: kind, depth: depth)
        capture.base64 = mode == "base64"
        if case .other = kind { capture.base64 = true }
        // RSS (not Atom) titles and summaries: plain text that looks like HTML is HTML.
        capture.guessesHTML = kind == .text && rootRole != .atomFeed && attributes.value("type") == nil
        captures.append(capture)
    }

    private func endCapture() -> Capture? {
        guard let top = captures.last, top.depth == depth else { return nil }
        return captures.removeLast()
    }

    /// The visible text of a text construct.
    private func text(of capture: Capture) -> String {
        var kind = capture.kind
        if capture.sawMarkup { kind = .xhtml }
        if capture.base64, let decoded = Base64.decodeToString(capture.string) {
            var decodedBytes = Array(decoded.utf8)
            return decodedBytes.withUnsafeMutableBufferPointer { render(UnsafeBufferPointer($0), kind: kind, guessesHTML: capture.guessesHTML) }
        }
        return capture.bytes.withUnsafeBufferPointer { render($0, kind: kind, guessesHTML: capture.guessesHTML) }
    }

    private func render(_ bytes: UnsafeBufferPointer<UInt8>, kind: ContentKind, guessesHTML: Bool) -> String {
        var kind = kind
        if kind == .text && guessesHTML && Self.looksLikeHTML(bytes) { kind = .html }
        switch kind {
        case .html, .xhtml:
            return html.text(ofHTML: bytes)
        case .text, .other:
            return ByteText.plainText(bytes)
        }
    }

    private func plainText(_ capture: Capture) -> String {
        capture.bytes.withUnsafeBufferPointer { ByteText.plainText($0) }
    }

    /// feedparser's test on UTF-8 bytes: cheap rejection first.
    static func looksLikeHTML(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard ByteText.contains(bytes, "</") || (ByteText.contains(bytes, byte: UInt8(ascii: "&")) && ByteText.contains(bytes, byte: UInt8(ascii: ";"))) else {
            return false
        }
        return looksLikeHTML(String(decoding: bytes, as: UTF8.self))
    }

    /// feedparser's test: a closing tag or an entity, and only known HTML elements and entities.
    static func looksLikeHTML(_ text: String) -> Bool {
        let hasClosingTag = text.contains("</")
        let hasReference = text.contains("&") && text.contains(";")
        guard hasClosingTag || hasReference else { return false }
        var sawEvidence = false
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            var index = rest.index(after: open)
            if index < rest.endIndex, rest[index] == "/" { index = rest.index(after: index) }
            let nameStart = index
            while index < rest.endIndex, rest[index].isLetter || rest[index].isNumber || rest[index] == "_" { index = rest.index(after: index) }
            let name = rest[nameStart..<index].lowercased()
            if !name.isEmpty {
                guard HTMLVocabulary.elements.contains(name) else { return false }
                if rest[rest.index(after: open)] == "/" { sawEvidence = true }
            }
            rest = rest[index...]
        }
        rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            var index = rest.index(after: ampersand)
            let numeric = index < rest.endIndex && rest[index] == "#"
            if numeric { index = rest.index(after: index) }
            let nameStart = index
            while index < rest.endIndex, rest[index].isLetter || rest[index].isNumber || rest[index] == "_" { index = rest.index(after: index) }
            if index < rest.endIndex, rest[index] == ";", index > nameStart {
                if !numeric, HTMLEntities.value(forName: String(rest[nameStart..<index])) == nil { return false }
                sawEvidence = true
            }
            rest = rest[index...]
        }
        return sawEvidence
    }

    /// feedparser undoes `&amp;` in link text that was escaped one time too many.
    private func fixLinkEntities(_ link: String) -> String {
        guard link.utf8.contains(UInt8(ascii: "&")) else { return link }
        return link.replacing("&amp;", with: "&")
    }
}

// MARK: - State types

/// A category as feeds give it.
struct Tag: Equatable {
    var term: String?
    var scheme: String?
    var label: String?
}

/// One author as given by child elements.
struct AuthorDetail {
    var name: String?
    var email: String?
    var uri: String?

    var isEmpty: Bool { name == nil && email == nil && uri == nil }

    mutating func set(_ role: ElementRole, _ value: String) {
        switch role {
        case .name: name = value
        case .email: email = value
        case .uri: uri = value
        default: break
        }
    }

    /// `name (email)`, the name, or the email.
    var display: String? {
        let name = self.name.flatMap { $0.isEmpty ? nil : $0 }
        let email = self.email.flatMap { $0.isEmpty ? nil : $0 }
        if let name, let email { return "\(name) (\(email))" }
        return name ?? email
    }
}

/// Entry fields that follow the "shallowest, then last" rule.
enum EntryField: Int {
    case title, id, summary, author
}

/// The depth at which each ``EntryField`` was last stored (-1: never), without hashing.
struct FieldDepths {
    private var depths = (-1, -1, -1, -1)

    subscript(field: EntryField) -> Int? {
        get {
            let value = switch field {
            case .title: depths.0
            case .id: depths.1
            case .summary: depths.2
            case .author: depths.3
            }
            return value < 0 ? nil : value
        }
        set {
            let value = newValue ?? -1
            switch field {
            case .title: depths.0 = value
            case .id: depths.1 = value
            case .summary: depths.2 = value
            case .author: depths.3 = value
            }
        }
    }
}

/// The values of those fields.
struct EntryFields {
    var title: String?
    var id: String?
}

/// An entry being read.
struct EntryState {
    var entry = FeedEntry()
    var fields = EntryFields()
    var fieldDepths = FieldDepths()
    var summary: String?
    var contents: [String] = []
    var hasLinkKey = false
    var authors: [AuthorDetail] = []
    var authorText: String?
    var tags: [Tag] = []

    mutating func syncAuthor() {
        if let detail = authors.last, let display = detail.display { authorText = display }
    }

    func finishedEntry() -> FeedEntry {
        var result = entry
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        result.title = nonEmpty(fields.title)
        if let id = fields.id { result.id = nonEmpty(id) } else { result.id = nonEmpty(entry.id) }
        result.link = nonEmpty(entry.link)
        result.summaryText = nonEmpty(summary)
        result.contentText = nonEmpty(contents.first)
        result.author = nonEmpty(authorText)
        result.categories = tags.compactMap { nonEmpty($0.term) }
        result.language = nonEmpty(entry.language)
        if result.published == nil { result.published = entry.updated }
        return result
    }
}

/// What the feed says about itself while it is being read.
struct FeedState {
    var info = FeedInfo()
    var fields = EntryFields()
    var summary: String?
    var published: Date?
    var updated: Date?
    var authors: [AuthorDetail] = []
    var updatePeriod: Int?
    var updateFrequency: Int?

    func finishedInfo() -> FeedInfo {
        var result = info
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        result.title = nonEmpty(fields.title)
        result.link = nonEmpty(info.link)
        result.language = nonEmpty(info.language)
        result.subtitle = nonEmpty(info.subtitle) ?? nonEmpty(summary)
        result.updated = updated ?? published
        if result.suggestedInterval == nil, let period = updatePeriod {
            result.suggestedInterval = period / max(1, updateFrequency ?? 1)
        }
        return result
    }
}

/// The text of an element being read.
struct Capture {
    var role: ElementRole
    var kind: ContentKind
    var depth: Int
    var bytes: [UInt8] = []
    var base64 = false
    var guessesHTML = false
    var sawMarkup = false
    var truncated = false

    init(role: ElementRole, kind: ContentKind, depth: Int) {
        self.role = role
        self.kind = kind
        self.depth = depth
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func appendText(_ text: UnsafeBufferPointer<UInt8>) {
        guard sawMarkup else {
            bytes.append(contentsOf: text)
            return
        }
        // Text between child elements is character data: escape it for the HTML reader.
        for byte in text {
            switch byte {
            case UInt8(ascii: "<"): bytes.append(contentsOf: Array("&lt;".utf8))
            case UInt8(ascii: "&"): bytes.append(contentsOf: Array("&amp;".utf8))
            default: bytes.append(byte)
            }
        }
    }

    mutating func appendStartTag(_ name: String) {
        sawMarkup = true
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
    }

    mutating func appendEndTag(_ name: String) {
        bytes.append(contentsOf: Array("</".utf8))
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
    }
}
