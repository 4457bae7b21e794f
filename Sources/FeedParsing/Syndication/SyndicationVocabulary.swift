/// The XML namespaces whose elements mean something to a feed reader.
enum FeedNamespace: Equatable {
    /// No namespace, or one of RSS 0.90 / 1.0, Atom 0.3 / 1.0 and their historical variants:
    /// their elements are read alike.
    case core
    case dublinCore, dublinCoreTerms, content, rdf, xhtml, itunes, media, syndication
    case other

    /// Namespaces feed readers treat as the core vocabulary (lower-cased).
    private static let coreURIs: Set<String> = [
        "http://backend.userland.com/rss", "http://backend.userland.com/rss2",
        "http://blogs.law.harvard.edu/tech/rss", "http://purl.org/rss/1.0/",
        "http://my.netscape.com/rdf/simple/0.9/", "http://purl.org/atom/ns#",
        "http://www.w3.org/2005/atom", "http://purl.org/rss/1.0/modules/rss091#",
        "http://example.com/newformat#", "http://example.com/necho", "http://purl.org/echo/",
        "uri/of/echo/namespace#", "http://purl.org/pie/",
    ]

    init(uri: String?) {
        guard let uri, !uri.isEmpty else {
            self = .core
            return
        }
        let lower = uri.lowercased()
        if Self.coreURIs.contains(lower) || lower.contains("backend.userland.com/rss") {
            self = .core
            return
        }
        switch lower {
        case "http://purl.org/dc/elements/1.1/": self = .dublinCore
        case "http://purl.org/dc/terms/": self = .dublinCoreTerms
        case "http://purl.org/rss/1.0/modules/content/": self = .content
        case "http://www.w3.org/1999/02/22-rdf-syntax-ns#": self = .rdf
        case "http://www.w3.org/1999/xhtml": self = .xhtml
        case "http://www.itunes.com/dtds/podcast-1.0.dtd", "http://example.com/dtds/podcast-1.0.dtd": self = .itunes
        case "http://search.yahoo.com/mrss", "http://search.yahoo.com/mrss/": self = .media
        case "http://purl.org/rss/1.0/modules/syndication/": self = .syndication
        default: self = .other
        }
    }
}

extension FeedNamespace {
    /// The namespace a prefix customarily stands for, for documents that use it undeclared.
    init(customaryPrefix prefix: String) {
        switch prefix.lowercased() {
        case "atom", "atom10", "atom03", "rss", "rss1": self = .core
        case "dc": self = .dublinCore
        case "dcterms": self = .dublinCoreTerms
        case "content": self = .content
        case "rdf": self = .rdf
        case "xhtml": self = .xhtml
        case "itunes": self = .itunes
        case "media": self = .media
        case "sy": self = .syndication
        default: self = .other
        }
    }
}

/// The kinds of content a text construct can hold.
enum ContentKind: Equatable {
    case text, html, xhtml
    /// Another media type (`image/png`, `application/octet-stream`…): possibly base64.
    case other(String)

    /// Reads a `type` attribute (Atom 1.0 names or media types), with a default.
    init(typeAttribute: String?, default defaultKind: ContentKind) {
        guard let raw = typeAttribute?.trimmingCharacters(in: " \t\r\n").lowercased(), !raw.isEmpty else {
            self = defaultKind
            return
        }
        switch raw {
        case "text", "plain", "text/plain": self = .text
        case "html", "text/html": self = .html
        case "xhtml", "application/xhtml+xml": self = .xhtml
        default:
            if raw.hasPrefix("text/") || raw.hasSuffix("+xml") || raw.hasSuffix("/xml") {
                self = raw.hasSuffix("xml") ? .xhtml : .text
            } else {
                self = .other(raw)
            }
        }
    }

    var isMarkup: Bool { self == .html || self == .xhtml }
}

/// What an element is to the syndication reader.
enum ElementRole: Equatable {
    case unknown
    // Structure.
    case rss, rdfRoot, atomFeed, channel, item, image, textInput, source
    // Text fields.
    case title, mediaTitle, link, id
    /// RSS `description` and `dc:description`: HTML by default.
    case description
    /// Atom `summary`, `itunes:summary`: text by default.
    case summary
    /// `abstract`: text, read as a description.
    case abstract
    /// Atom `content`, `content:encoded`, `xhtml:body`, `fullitem`, with their default kind.
    case content(ContentKind)
    case subtitle
    case published, updated, created
    case language
    case category, mediaCategory, itunesCategory
    case keywordList(scheme: String?)
    // People.
    case author, contributor, publisher, itunesOwner, name, email, uri
    // Attachments and hints.
    case enclosure, ttl, updatePeriod, updateFrequency

    /// The role of an element, from its namespace and local name. Names are compared without
    /// regard to case, as feed readers do (`<pubdate>`, `<LINK>`).
    init(namespace: FeedNamespace, localName rawLocalName: String) {
        let localName = rawLocalName.lowercased()
        switch namespace {
        case .core:
            switch localName {
            case "rss": self = .rss
            case "feed": self = .atomFeed
            case "channel": self = .channel
            case "item", "entry": self = .item
            case "image": self = .image
            case "textinput": self = .textInput
            case "source": self = .source
            case "title": self = .title
            case "link": self = .link
            case "guid", "id": self = .id
            case "description": self = .description
            case "summary": self = .summary
            case "abstract": self = .abstract
            case "content": self = .content(.text)
            case "body": self = .content(.xhtml)
            case "fullitem": self = .content(.html)
            case "subtitle", "tagline": self = .subtitle
            case "pubdate", "published", "issued": self = .published
            case "updated", "modified", "lastbuilddate": self = .updated
            case "created": self = .created
            case "language": self = .language
            case "category", "keywords": self = .category
            case "author", "managingeditor": self = .author
            case "contributor": self = .contributor
            case "webmaster": self = .publisher
            case "name": self = .name
            case "email": self = .email
            case "uri", "url", "homepage": self = .uri
            case "enclosure": self = .enclosure
            case "ttl": self = .ttl
            default: self = .unknown
            }
        case .dublinCore:
            switch localName {
            case "title": self = .title
            case "description": self = .description
            case "date": self = .updated
            case "language": self = .language
            case "subject": self = .category
            case "creator", "author": self = .author
            case "publisher": self = .publisher
            default: self = .unknown
            }
        case .dublinCoreTerms:
            switch localName {
            case "issued": self = .published
            case "modified": self = .updated
            case "created": self = .created
            default: self = .unknown
            }
        case .content:
            self = localName == "encoded" ? .content(.html) : .unknown
        case .rdf:
            self = localName == "rdf" ? .rdfRoot : .unknown
        case .xhtml:
            self = localName == "body" ? .content(.xhtml) : .unknown
        case .itunes:
            switch localName {
            case "author": self = .author
            case "summary": self = .summary
            case "subtitle": self = .subtitle
            case "category": self = .itunesCategory
            case "keywords": self = .keywordList(scheme: "http://www.itunes.com/")
            case "owner": self = .itunesOwner
            case "name": self = .name
            case "email": self = .email
            default: self = .unknown
            }
        case .media:
            switch localName {
            case "title": self = .mediaTitle
            case "description": self = .description
            case "category": self = .mediaCategory
            case "keywords": self = .keywordList(scheme: nil)
            default: self = .unknown
            }
        case .syndication:
            switch localName {
            case "updateperiod": self = .updatePeriod
            case "updatefrequency": self = .updateFrequency
            default: self = .unknown
            }
        case .other:
            self = .unknown
        }
    }

    /// Whether the element's text is captured.
    var capturesText: Bool {
        switch self {
        case .unknown, .rss, .rdfRoot, .atomFeed, .channel, .item, .image, .textInput, .contributor,
             .enclosure, .itunesOwner:
            return false
        default:
            return true
        }
    }

    /// Whether child elements inside this element are markup of its content.
    var holdsMarkup: Bool {
        switch self {
        case .title, .mediaTitle, .description, .summary, .abstract, .content, .subtitle: return true
        default: return false
        }
    }
}
