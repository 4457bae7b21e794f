/// Decodes a document's bytes into the UTF-8 the parsers read, chunk by chunk so that exports of
/// any size stream through. The encoding is decided once, from the first bytes, the way RFC 3023
/// and real feeds require: byte-order mark, then the HTTP `charset` (which wins for
/// `application/*xml` and is the only source for `text/*`), then the XML declaration, then UTF-8.
/// Bytes that are not valid in the chosen UTF-8 are read as windows-1252, the usual mislabelling.
struct StreamDecoder {
    enum Mode {
        case utf8
        case windows1252
        case utf16(bigEndian: Bool)
        case utf32(bigEndian: Bool)
        /// Passed through; libxml2 converts it (iconv).
        case native(String)
    }

    private(set) var mode: Mode
    /// The encoding the document is read as, lower-case (`utf-8`, `windows-1252`, `utf-16le`…).
    private(set) var encoding: String
    /// Why the document counts as repaired.
    private(set) var bozoReasons: [String] = []
    private(set) var repairedBytes = 0
    private var declared: String
    private var pendingPrefixSkip: Int
    private var carry: [UInt8] = []
    private var reportedNonASCII = false
    private var scratch: [UInt8] = []

    /// How libxml2 must read the output.
    var readerEncoding: XMLStreamReader.InputEncoding {
        if case .native(let name) = mode { return .named(name) }
        return .utf8
    }

    /// Decides the encoding from the first bytes of the document (a few kilobytes are enough).
    init(firstBytes data: UnsafeRawBufferPointer, contentType: String?) {
        let bom = InputDecoder.byteOrderMark(data)
        pendingPrefixSkip = bom.length
        if let wide = bom.encoding, wide != "utf-8" {
            let bigEndian = wide.hasSuffix("be")
            mode = wide.hasPrefix("utf-16") ? .utf16(bigEndian: bigEndian) : .utf32(bigEndian: bigEndian)
            encoding = wide
            declared = wide
            return
        }
        let body = UnsafeRawBufferPointer(rebasing: data[bom.length...])
        let declaration = InputDecoder.declaredEncoding(body)
        let http = contentType.map(InputDecoder.parseContentType)
        let chosen = InputDecoder.normalize(
            InputDecoder.rfc3023Encoding(http: http, declared: declaration) ?? declaration ?? bom.encoding ?? "utf-8")
        declared = chosen
        encoding = chosen
        switch chosen {
        case "utf-8", "us-ascii":
            mode = .utf8
        case "windows-1252", "iso-8859-1":
            // Feeds labelled ISO-8859-1 routinely contain windows-1252 punctuation in 0x80–0x9F.
            mode = .windows1252
        case "utf-16", "utf-16le", "utf-16be", "utf-32", "utf-32le", "utf-32be":
            // Declared wide, but the bytes start like ASCII: the declaration is wrong.
            mode = .utf8
            encoding = "utf-8"
            bozoReasons.append("document declared as \(chosen), but parsed as utf-8")
        default:
            if XMLEncodingSupport.isSupported(chosen) {
                mode = .native(chosen)
            } else {
                mode = .utf8
                encoding = "utf-8"
                bozoReasons.append("document declared as \(chosen), an encoding this system cannot read; parsed as utf-8")
            }
        }
    }

    /// Decodes the next chunk and hands the UTF-8 result (or the native bytes) to `body`.
    mutating func decode(_ input: UnsafeRawBufferPointer, isLast: Bool, _ body: (UnsafeRawBufferPointer) -> Void) {
        var chunk = input
        if pendingPrefixSkip > 0 {
            let skip = min(pendingPrefixSkip, chunk.count)
            chunk = UnsafeRawBufferPointer(rebasing: chunk[skip...])
            pendingPrefixSkip -= skip
        }
        if !carry.isEmpty {
            var joined = carry
            joined.append(contentsOf: chunk)
            carry.removeAll()
            joined.withUnsafeBytes { decodeJoined($0, isLast: isLast, body) }
        } else {
            decodeJoined(chunk, isLast: isLast, body)
        }
    }

    private mutating func decodeJoined(_ chunk: UnsafeRawBufferPointer, isLast: Bool, _ body: (UnsafeRawBufferPointer) -> Void) {
        switch mode {
        case .native:
            body(chunk)
        case .utf8:
            if declared == "us-ascii", !reportedNonASCII, chunk.contains(where: { $0 >= 0x80 }) {
                reportedNonASCII = true
                encoding = "utf-8"
                bozoReasons.append("document declared as us-ascii, but parsed as utf-8")
            }
            guard let invalid = UTF8Check.firstInvalidOffset(chunk, allowTruncatedEnd: !isLast) else {
                // Valid: keep an incomplete sequence at the end for the next chunk.
                let cut = isLast ? chunk.count : Self.completePrefixLength(chunk)
                body(UnsafeRawBufferPointer(rebasing: chunk[..<cut]))
                carry.append(contentsOf: chunk[cut...])
                return
            }
            _ = invalid
            let cut = isLast ? chunk.count : Self.completePrefixLength(chunk)
            let (repaired, count) = UTF8Check.repairingAsWindows1252(UnsafeRawBufferPointer(rebasing: chunk[..<cut]))
            carry.append(contentsOf: chunk[cut...])
            noteRepair(count)
            repaired.withUnsafeBytes { body($0) }
        case .windows1252:
            scratch.removeAll(keepingCapacity: true)
            scratch.reserveCapacity(chunk.count + chunk.count / 8)
            for byte in chunk { Windows1252.appendUTF8(of: byte, to: &scratch) }
            scratch.withUnsafeBytes { body($0) }
        case .utf16(let bigEndian):
            let usable = isLast ? chunk.count : chunk.count & ~1
            var end = usable
            // Keep a high surrogate that waits for its pair.
            if !isLast, end >= 2 {
                let high = bigEndian ? chunk[end - 2] : chunk[end - 1]
                if high >= 0xD8 && high <= 0xDB { end -= 2 }
            }
            let output = UnicodeTranscoder.utf16ToUTF8(UnsafeRawBufferPointer(rebasing: chunk[..<end]), bigEndian: bigEndian)
            carry.append(contentsOf: chunk[end...])
            output.withUnsafeBytes { body($0) }
        case .utf32(let bigEndian):
            let end = isLast ? chunk.count : chunk.count & ~3
            let output = UnicodeTranscoder.utf32ToUTF8(UnsafeRawBufferPointer(rebasing: chunk[..<end]), bigEndian: bigEndian)
            carry.append(contentsOf: chunk[end...])
            output.withUnsafeBytes { body($0) }
        }
    }

    private mutating func noteRepair(_ count: Int) {
        if repairedBytes == 0 {
            bozoReasons.append("document declared as \(declared), but has bytes that are not UTF-8; they were read as windows-1252")
            encoding = "windows-1252"
        }
        repairedBytes += count
    }

    /// The length of `chunk` without an incomplete UTF-8 sequence at its end.
    private static func completePrefixLength(_ chunk: UnsafeRawBufferPointer) -> Int {
        let count = chunk.count
        var start = count - 1
        var steps = 0
        while start >= 0, steps < 4, chunk[start] & 0xC0 == 0x80 {
            start -= 1
            steps += 1
        }
        guard start >= 0, chunk[start] >= 0xC0 else { return count }
        return UTF8Check.isTruncatedSequence(chunk, at: start) ? start : count
    }
}

/// Encoding sniffing helpers.
enum InputDecoder {
    // MARK: - Sniffing

    /// The encoding a byte-order mark or the first bytes of an XML document reveal.
    static func byteOrderMark(_ data: UnsafeRawBufferPointer) -> (encoding: String?, length: Int) {
        func starts(_ prefix: [UInt8]) -> Bool {
            data.count >= prefix.count && zip(data, prefix).allSatisfy { $0 == $1 }
        }
        if starts([0x00, 0x00, 0xFE, 0xFF]) { return ("utf-32be", 4) }
        if starts([0xFF, 0xFE, 0x00, 0x00]) { return ("utf-32le", 4) }
        if starts([0xFE, 0xFF]) { return ("utf-16be", 2) }
        if starts([0xFF, 0xFE]) { return ("utf-16le", 2) }
        if starts([0xEF, 0xBB, 0xBF]) { return ("utf-8", 3) }
        if starts([0x00, 0x3C, 0x00, 0x3F]) { return ("utf-16be", 0) }
        if starts([0x3C, 0x00, 0x3F, 0x00]) { return ("utf-16le", 0) }
        if starts([0x00, 0x00, 0x00, 0x3C]) { return ("utf-32be", 0) }
        if starts([0x3C, 0x00, 0x00, 0x00]) { return ("utf-32le", 0) }
        return (nil, 0)
    }

    /// The `encoding` of the XML declaration, when the document starts with one (after optional
    /// whitespace).
    static func declaredEncoding(_ data: UnsafeRawBufferPointer) -> String? {
        var index = 0
        while index < data.count, isSpace(data[index]) { index += 1 }
        let prefix: [UInt8] = Array("<?xml".utf8)
        guard data.count - index > prefix.count else { return nil }
        for offset in 0..<prefix.count where data[index + offset] != prefix[offset] { return nil }
        let limit = min(data.count, index + 512)
        var end = index
        while end < limit, data[end] != UInt8(ascii: ">") { end += 1 }
        guard end < limit else { return nil }
        let declaration = String(decoding: UnsafeRawBufferPointer(rebasing: data[index..<end]), as: UTF8.self)
        guard let range = declaration.firstRange(of: "encoding") else { return nil }
        var rest = declaration[range.upperBound...].drop(while: { $0 == " " || $0 == "=" || $0 == "\t" })
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        rest = rest.dropFirst()
        guard let close = rest.firstIndex(of: quote) else { return nil }
        let value = rest[..<close].trimmingCharacters(in: " \t")
        return value.isEmpty ? nil : normalize(value)
    }

    /// The media type and charset of a `Content-Type` header.
    static func parseContentType(_ header: String) -> (mediaType: String, charset: String?) {
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        let mediaType = (parts.first.map(String.init) ?? "").trimmingCharacters(in: " \t").lowercased()
        var charset: String?
        for part in parts.dropFirst() {
            let pieces = part.split(separator: "=", maxSplits: 1)
            guard pieces.count == 2, pieces[0].trimmingCharacters(in: " \t").lowercased() == "charset" else { continue }
            let value = pieces[1].trimmingCharacters(in: " \t\"'")
            if !value.isEmpty { charset = normalize(value) }
        }
        return (mediaType, charset)
    }

    /// RFC 3023: which encoding the HTTP headers impose.
    static func rfc3023Encoding(http: (mediaType: String, charset: String?)?, declared: String?) -> String? {
        guard let http else { return nil }
        let type = http.mediaType
        if type == "application/xml" || type == "application/xml-dtd"
            || type == "application/xml-external-parsed-entity"
            || (type.hasPrefix("application/") && type.hasSuffix("+xml")) {
            return http.charset ?? declared ?? "utf-8"
        }
        if type == "text/xml" || type == "text/xml-external-parsed-entity"
            || (type.hasPrefix("text/") && type.hasSuffix("+xml")) || type.hasPrefix("text/") {
            return http.charset ?? "us-ascii"
        }
        // Not an XML media type (often application/octet-stream or a JSON type): the document
        // decides.
        return http.charset ?? declared
    }

    // MARK: - Names

    /// Canonical lower-case names for the encodings we read ourselves.
    static func normalize(_ name: String) -> String {
        let lower = name.trimmingCharacters(in: " \t\r\n").lowercased().replacing("_", with: "-")
        switch lower {
        case "utf8", "unicode-1-1-utf-8", "utf-8": return "utf-8"
        case "ascii", "us-ascii", "ansi-x3.4-1968", "iso646-us", "us": return "us-ascii"
        case "latin1", "latin-1", "l1", "iso-8859-1", "iso8859-1", "iso-ir-100", "cp819", "ibm819", "iso-8859-1:1987":
            return "iso-8859-1"
        case "cp1252", "windows-1252", "x-cp1252", "win-1252": return "windows-1252"
        case "utf16", "utf-16", "ucs-2", "iso-10646-ucs-2", "csunicode", "u16": return "utf-16"
        case "utf-16le", "utf16le": return "utf-16le"
        case "utf-16be", "utf16be": return "utf-16be"
        case "utf32", "utf-32", "ucs-4", "iso-10646-ucs-4", "csucs4", "u32": return "utf-32"
        case "gb2312", "gbk", "x-gbk": return "gb18030"
        default: return lower
        }
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

extension StringProtocol {
    /// The string without leading and trailing characters from `characters`.
    func trimmingCharacters(in characters: String) -> String {
        let set = Array(characters.utf8)
        if set.allSatisfy({ $0 < 0x80 }) {
            // ASCII set: trim on the UTF-8 view (the trimmed bytes are whole characters).
            let whole = Substring(self)
            let utf8 = whole.utf8
            var start = utf8.startIndex
            var end = utf8.endIndex
            while start < end, set.contains(utf8[start]) { start = utf8.index(after: start) }
            while end > start {
                let before = utf8.index(before: end)
                guard set.contains(utf8[before]) else { break }
                end = before
            }
            if start == utf8.startIndex && end == utf8.endIndex { return String(whole) }
            return String(whole[start..<end])
        }
        let scalarSet = Set(characters.unicodeScalars)
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, scalarSet.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, scalarSet.contains(last) { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
