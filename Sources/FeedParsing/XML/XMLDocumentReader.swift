import VigiaModel

/// Reads an XML document (feed, OPML list or Stack Exchange dump) through the streaming parser,
/// first skipping whitespace or junk that some servers put before the XML declaration.
final class XMLDocumentReader: FormatReader {
    /// How every "libxml2 had to recover" bozo reason starts.
    static let notWellFormedReason = "not well-formed XML"

    enum Kind {
        case syndication, opml, stackExchange
    }

    private let kind: Kind
    private let options: FeedParser.Options
    private let handler: any XMLEventHandler & XMLOutcomeProvider
    private let reader: XMLStreamReader
    private var foundStart = false
    private var skippedBytes = 0
    /// Line breaks in the skipped bytes: libxml2 counts lines from the first byte it is given.
    private var skippedLines = 0
    private var leadingReasons: [String] = []
    private var leadingPrefix: [UInt8] = []

    init(kind: Kind, options: FeedParser.Options, encoding: XMLStreamReader.InputEncoding, emit: @escaping (FeedEntry) -> Void) throws {
        self.kind = kind
        self.options = options
        switch kind {
        case .syndication:
            handler = SyndicationHandler(limits: options.limits, documentBase: options.baseURL, emit: emit)
        case .opml:
            handler = OPMLHandler(documentBase: options.baseURL, emit: emit)
        case .stackExchange:
            handler = StackExchangeHandler(options: options, emit: emit)
        }
        reader = try XMLStreamReader(documentName: options.documentName, encoding: encoding, handler: handler)
    }

    func consume(_ bytes: UnsafeRawBufferPointer) throws {
        guard !foundStart else {
            reader.parse(bytes, isLast: false)
            return
        }
        guard let open = bytes.firstIndex(of: UInt8(ascii: "<")) else {
            skippedBytes += bytes.count
            skippedLines += Self.lineBreaks(in: bytes)
            if leadingPrefix.count < 16 { leadingPrefix.append(contentsOf: bytes.prefix(16)) }
            if skippedBytes > 1 << 20 {
                throw FeedParsingError(.notWellFormed, document: options.documentName, line: 1, message: "no XML markup in the first megabyte; this is not a feed")
            }
            return
        }
        foundStart = true
        let prefix = UnsafeRawBufferPointer(rebasing: bytes[..<open])
        let rest = UnsafeRawBufferPointer(rebasing: bytes[open...])
        skippedLines += Self.lineBreaks(in: prefix)
        if skippedBytes + prefix.count > 0 {
            let onlySpace = prefix.allSatisfy(InputDecoder.isSpace) && leadingPrefix.allSatisfy(InputDecoder.isSpace)
            let declarationFollows = rest.starts(with: Array("<?xml".utf8))
            if !onlySpace {
                leadingReasons.append("\(skippedBytes + prefix.count) bytes of junk before the XML were skipped")
            } else if declarationFollows {
                leadingReasons.append("whitespace before the XML declaration was skipped")
            }
        }
        reader.parse(rest, isLast: false)
    }

    private static func lineBreaks(in bytes: UnsafeRawBufferPointer) -> Int {
        bytes.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
    }

    func finish() throws -> ReaderOutcome {
        reader.parse(UnsafeRawBufferPointer(start: nil, count: 0), isLast: true)
        guard reader.sawElement else {
            let first = reader.diagnostics.first
            throw FeedParsingError(
                .notWellFormed, document: options.documentName, line: first.map { $0.line + skippedLines },
                message: "not well-formed XML and nothing could be recovered (\(first?.message ?? "no elements")); check that this is a feed")
        }
        var outcome = try handler.outcome()
        var reasons = leadingReasons
        if !reader.isWellFormed {
            if let first = reader.diagnostics.first {
                reasons.append("\(Self.notWellFormedReason), recovered: line \(first.line + skippedLines): \(first.message)")
            } else {
                reasons.append("\(Self.notWellFormedReason), recovered")
            }
        }
        if !reader.referencedExternalEntities.isEmpty {
            reasons.append("external entities were not loaded, their references were kept as text: "
                + reader.referencedExternalEntities.sorted().joined(separator: ", "))
        }
        if !reader.undeclaredEntities.isEmpty && reader.isWellFormed {
            reasons.append("HTML entities used without a declaration: " + reader.undeclaredEntities.sorted().joined(separator: ", "))
        }
        outcome.bozoReasons = reasons + outcome.bozoReasons
        if outcome.entryCount == 0, outcome.feed.title == nil, kind == .syndication,
           let root = (handler as? SyndicationHandler)?.rootLocalName,
           (handler as? SyndicationHandler)?.rootRole == .unknown {
            if root.lowercased() == "html" {
                throw FeedParsingError(
                    .unknownFormat, document: options.documentName, line: 1,
                    message: "this is an HTML page, not a feed; look in the page for <link rel=\"alternate\" type=\"application/rss+xml\"> and use that URL")
            }
            throw FeedParsingError(
                .unknownFormat, document: options.documentName, line: 1,
                message: "the XML root element is <\(root)>, not <rss>, <rdf:RDF> or <feed>: this is not a feed")
        }
        return outcome
    }
}

/// What a handler reports once the document has been read.
protocol XMLOutcomeProvider: AnyObject {
    func outcome() throws -> ReaderOutcome
}

extension SyndicationHandler: XMLOutcomeProvider {
    func outcome() throws -> ReaderOutcome {
        finish()
        let format: FeedFormat = switch rootRole {
        case .atomFeed: .atom
        case .rdfRoot: .rdf
        default: .rss
        }
        var outcome = ReaderOutcome(format: format, version: version, feed: feed.finishedInfo(), entryCount: entryCount)
        if truncatedFields > 0 {
            outcome.bozoReasons.append("\(truncatedFields) fields were longer than \(limitsDescription) and were cut")
        }
        return outcome
    }
}
