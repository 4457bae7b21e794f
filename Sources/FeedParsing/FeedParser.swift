import FoundationEssentials
import VigiaModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the bytes of a feed or forum export into clean entries.
///
/// Reads RSS 0.90–2.0, RSS 1.0 (RDF), Atom 0.3/1.0, JSON Feed 1.1, OPML feed lists, Stack Exchange
/// data dumps, Discourse and Reddit JSON, and CSV / JSON Lines with a column mapping. The format
/// is sniffed from the content unless `Options.format` forces one. XML is parsed by libxml2's
/// streaming (SAX2) parser, so files of any size are read in constant memory when entries are
/// streamed with ``streamFile(atPath:onEntry:)``.
public struct FeedParser: Sendable {
    /// Size caps that keep hostile or broken input from exhausting memory.
    public struct Limits: Sendable, Hashable {
        /// The largest document read whole into memory (feeds, JSON documents).
        public var maxDocumentBytes: Int
        /// The largest text kept for one field; longer text is cut.
        public var maxFieldBytes: Int
        /// The most entries collected in memory by ``parse(_:)`` and ``parseFile(atPath:)``.
        public var maxEntries: Int

        public init(maxDocumentBytes: Int = 256 << 20, maxFieldBytes: Int = 4 << 20, maxEntries: Int = 1_000_000) {
            self.maxDocumentBytes = maxDocumentBytes
            self.maxFieldBytes = maxFieldBytes
            self.maxEntries = maxEntries
        }
    }

    /// How to read a document.
    public struct Options: Sendable {
        /// Forces a format instead of sniffing it.
        public var format: FeedFormat?
        /// The document's URL, to resolve relative links (the document location of RFC 3986).
        public var baseURL: String?
        /// The HTTP `Content-Type` the document came with, for its charset.
        public var contentType: String?
        /// The name used in messages: a path, a URL or `<stdin>`.
        public var documentName: String
        /// Field names for CSV and JSON Lines records.
        public var columns: ColumnMapping
        public var limits: Limits

        public init(
            format: FeedFormat? = nil, baseURL: String? = nil, contentType: String? = nil,
            documentName: String = "<memory>", columns: ColumnMapping = ColumnMapping(), limits: Limits = Limits()
        ) {
            self.format = format
            self.baseURL = baseURL
            self.contentType = contentType
            self.documentName = documentName
            self.columns = columns
            self.limits = limits
        }
    }

    public var options: Options
    /// Files up to this size are read whole (and repaired when broken); larger ones stream.
    static let wholeFileLimit = 64 << 20

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Parses a whole document held in memory.
    /// - Throws: ``FeedParsingError`` when the document is empty, too large, not a format Vigía
    ///   reads, or XML so broken that nothing could be recovered.
    public func parse(_ bytes: some Collection<UInt8>) throws -> ParsedFeed {
        let array = Array(bytes)
        guard array.count <= options.limits.maxDocumentBytes else {
            throw FeedParsingError(
                .tooLarge, document: options.documentName,
                message: "the document is \(array.count) bytes, over the \(options.limits.maxDocumentBytes)-byte cap; raise the cap or split the file")
        }
        var parsed = try parseCollecting(array)
        // A broken feed is often broken by a bare "&" or "<" only: escape those and try again.
        if parsed.bozo, [FeedFormat.rss, .rdf, .atom].contains(parsed.format),
           parsed.bozoReasons.contains(where: { $0.hasPrefix(XMLDocumentReader.notWellFormedReason) }),
           InputDecoder.byteOrderMark(array.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0.prefix(4)) }).length == 0
            || array.starts(with: [0xEF, 0xBB, 0xBF]),
           let repaired = array.withUnsafeBytes({ MarkupRepair.repair($0) }),
           var second = try? parseCollecting(repaired), second.entries.count >= parsed.entries.count {
            second.bozo = true
            second.bozoReasons = parsed.bozoReasons + ["stray '&' or '<' characters were escaped"]
            parsed = second
        }
        return parsed
    }

    private func parseCollecting(_ array: [UInt8]) throws -> ParsedFeed {
        var entries: [FeedEntry] = []
        let cap = options.limits.maxEntries
        var parsed = try array.withUnsafeBytes { buffer in
            let parser = DocumentParser(options: options) { entry in
                if entries.count < cap { entries.append(entry) }
            }
            try parser.consume(buffer)
            return try parser.finish()
        }
        parsed.entries = entries
        return parsed
    }

    /// Parses a file, collecting its entries in memory (see ``Limits/maxEntries``).
    public func parseFile(atPath path: String) throws -> ParsedFeed {
        var entries: [FeedEntry] = []
        let cap = options.limits.maxEntries
        var parsed = try streamFile(atPath: path) { entry in
            if entries.count < cap { entries.append(entry) }
        }
        parsed.entries = entries
        return parsed
    }

    /// Parses a file in constant memory, handing each entry to `onEntry` as soon as it is read.
    /// The returned value has the feed's own fields and no entries. Use `-` for standard input.
    public func streamFile(atPath path: String, onEntry: (FeedEntry) throws -> Void) throws -> ParsedFeed {
        try streamFile(atPath: path, onProgress: { _ in }, onEntry: onEntry)
    }

    /// ``streamFile(atPath:onEntry:)``, also reporting how far through the file it is, in bytes,
    /// for progress bars: after each block read, or (for a file read whole) as its entries are
    /// handed over.
    public func streamFile(
        atPath path: String, onProgress: (Int64) -> Void, onEntry: (FeedEntry) throws -> Void
    ) throws -> ParsedFeed {
        var options = self.options
        if options.documentName == "<memory>" { options.documentName = path == "-" ? "<stdin>" : path }
        let descriptor: Int32 = path == "-" ? 0 : open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw FeedParsingError(.unreadable, document: path, message: "cannot open the file (\(reason)); check the path and permissions")
        }
        defer { if descriptor != 0 { close(descriptor) } }
        // Feeds (not exports) fit in memory: read them whole so a broken one can be repaired.
        var status = stat()
        if descriptor != 0, fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
           Int(status.st_size) <= Self.wholeFileLimit {
            var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
            var filled = 0
            while filled < bytes.count {
                let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress?.advanced(by: filled), $0.count - filled) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                filled += count
            }
            bytes.removeSubrange(filled...)
            onProgress(0)
            var single = self
            single.options = options
            var parsed = try single.parse(bytes)
            let entries = parsed.entries
            parsed.entries = []
            // Parsing a whole file is quick; handing its entries over is what takes time, so
            // progress follows the entries (as a share of the file's bytes).
            let size = Int64(filled)
            for (index, entry) in entries.enumerated() {
                try onEntry(entry)
                if index & 255 == 255 { onProgress(size * Int64(index + 1) / Int64(entries.count)) }
            }
            onProgress(size)
            return parsed
        }
        return try withoutActuallyEscaping(onEntry) { onEntry in
            var failure: (any Error)?
            let parser = DocumentParser(options: options) { entry in
                guard failure == nil else { return }
                do { try onEntry(entry) } catch { failure = error }
            }
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var total: Int64 = 0
            while failure == nil {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    let reason = String(cString: strerror(errno))
                    throw FeedParsingError(.unreadable, document: path, message: "reading failed (\(reason))")
                }
                if count == 0 { break }
                try buffer.withUnsafeBytes { try parser.consume(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                total += Int64(count)
                onProgress(total)
            }
            if let failure { throw failure }
            let result = try parser.finish()
            return result
        }
    }
}

/// Field names of CSV and JSON Lines records, with user renamings (`--map text=body`).
public struct ColumnMapping: Sendable, Hashable {
    /// The fields a record can fill.
    public enum Field: String, Sendable, CaseIterable {
        case id, title, text, link, author, published, source, lang
        /// Score, votes or likes: a whole number (a fraction is rounded down; anything else is ignored).
        case engagement
    }

    private var names: [Field: String]

    /// The default names (`id`, `title`, `text`, `link`, `author`, `published`, `source`, `lang`,
    /// `engagement`).
    public init() {
        names = [:]
    }

    /// Parses `text=body,published=created_at`.
    /// - Throws: a message naming the bad pair when a pair is malformed or names an unknown field.
    public init(parsing specification: String) throws {
        self.init()
        for pair in specification.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: " ") }
            guard parts.count == 2, !parts[1].isEmpty else {
                throw FeedParsingError(.badRecord, document: "--map", message: "'\(pair)' is not FIELD=COLUMN (example: text=body)")
            }
            guard let field = Field(rawValue: parts[0]) else {
                let known = Field.allCases.map(\.rawValue).joined(separator: ", ")
                throw FeedParsingError(.badRecord, document: "--map", message: "unknown field '\(parts[0])'; fields are \(known)")
            }
            names[field] = parts[1]
        }
    }

    /// The column or key that holds `field`.
    public func column(for field: Field) -> String { names[field] ?? field.rawValue }
}
