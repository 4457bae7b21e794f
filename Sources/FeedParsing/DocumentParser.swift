import FoundationEssentials
import VigiaModel

/// What a format reader found, besides the entries it emitted.
struct ReaderOutcome {
    var format: FeedFormat
    var version: String?
    var feed = FeedInfo()
    var bozoReasons: [String] = []
    var skippedRecords: [SkippedRecord] = []
    /// All skipped records, when more than `skippedRecords` lists.
    var skippedRecordCount = 0
    var entryCount = 0
}

/// Reads one format from decoded (UTF-8) bytes, chunk by chunk.
protocol FormatReader: AnyObject {
    func consume(_ bytes: UnsafeRawBufferPointer) throws
    func finish() throws -> ReaderOutcome
}

/// Drives one parse: buffers the first bytes, decides the encoding and the format, then streams
/// every chunk through the decoder into the format's reader.
final class DocumentParser {
    private let options: FeedParser.Options
    private let emit: (FeedEntry) -> Void
    private var head: [UInt8] = []
    private var decoder: StreamDecoder?
    private var reader: (any FormatReader)?
    private var totalBytes = 0
    private static let sniffLength = 16 * 1024

    init(options: FeedParser.Options, emit: @escaping (FeedEntry) -> Void) {
        self.options = options
        self.emit = emit
    }

    func consume(_ bytes: UnsafeRawBufferPointer) throws {
        totalBytes += bytes.count
        if reader == nil {
            head.append(contentsOf: bytes)
            if head.count >= Self.sniffLength { try start(isLast: false) }
            return
        }
        try pass(bytes, isLast: false)
    }

    func finish() throws -> ParsedFeed {
        if reader == nil {
            guard head.contains(where: { !InputDecoder.isSpace($0) }) else {
                throw FeedParsingError(.emptyDocument, document: options.documentName, message: "the document is empty; check that the file or URL has content")
            }
            try start(isLast: true)
        } else {
            try pass(UnsafeRawBufferPointer(start: nil, count: 0), isLast: true)
        }
        guard let reader else {
            throw FeedParsingError(.emptyDocument, document: options.documentName, message: "the document is empty")
        }
        var outcome = try reader.finish()
        if let decoder { outcome.bozoReasons = decoder.bozoReasons + outcome.bozoReasons }
        return ParsedFeed(
            format: outcome.format, version: outcome.version, bozo: !outcome.bozoReasons.isEmpty,
            bozoReasons: outcome.bozoReasons, feed: outcome.feed, entries: [],
            skippedRecords: outcome.skippedRecords, entryCount: outcome.entryCount,
            skippedRecordCount: outcome.skippedRecordCount)
    }

    /// Decides encoding and format from the buffered head, then feeds the head through.
    private func start(isLast: Bool) throws {
        let staged = head
        head = []
        var decoder = staged.withUnsafeBytes { StreamDecoder(firstBytes: $0, contentType: options.contentType) }
        var decodedHead: [UInt8] = []
        staged.withUnsafeBytes { raw in
            decoder.decode(raw, isLast: isLast) { decodedHead.append(contentsOf: $0) }
        }
        let format = try options.format ?? decodedHead.withUnsafeBytes { try FormatSniffer.sniff($0, document: options.documentName) }
        self.decoder = decoder
        reader = try makeReader(for: format, encoding: decoder.readerEncoding)
        try decodedHead.withUnsafeBytes { try reader?.consume($0) }
    }

    private func pass(_ bytes: UnsafeRawBufferPointer, isLast: Bool) throws {
        guard var decoder, let reader else { return }
        var failure: (any Error)?
        decoder.decode(bytes, isLast: isLast) { decoded in
            guard failure == nil else { return }
            do { try reader.consume(decoded) } catch { failure = error }
        }
        self.decoder = decoder
        if let failure { throw failure }
    }

    private func makeReader(for format: FeedFormat, encoding: XMLStreamReader.InputEncoding) throws -> any FormatReader {
        switch format {
        case .rss, .rdf, .atom:
            return try XMLDocumentReader(kind: .syndication, options: options, encoding: encoding, emit: emit)
        case .opml:
            return try XMLDocumentReader(kind: .opml, options: options, encoding: encoding, emit: emit)
        case .stackExchange:
            return try XMLDocumentReader(kind: .stackExchange, options: options, encoding: encoding, emit: emit)
        case .jsonFeed, .reddit, .discourse:
            return JSONDocumentReader(format: format, options: options, emit: emit)
        case .jsonl:
            return JSONLinesReader(options: options, emit: emit)
        case .csv:
            return CSVReader(options: options, emit: emit)
        }
    }
}
