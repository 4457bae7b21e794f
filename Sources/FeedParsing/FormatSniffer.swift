import VigiaModel

/// Recognises a document's format from its first bytes, never from its file name.
enum FormatSniffer {
    /// The format of a document starting with `head` (decoded, at least a few kilobytes).
    /// - Throws: ``FeedParsingError`` with a hint when the content is an HTML page or not a format
    ///   Vigía reads.
    static func sniff(_ head: UnsafeRawBufferPointer, document: String) throws -> FeedFormat {
        var index = 0
        // Skip whitespace and a stray UTF-8 byte-order mark.
        while index < head.count {
            if InputDecoder.isSpace(head[index]) {
                index += 1
            } else if index + 2 < head.count, head[index] == 0xEF, head[index + 1] == 0xBB, head[index + 2] == 0xBF {
                index += 3
            } else {
                break
            }
        }
        guard index < head.count else {
            throw FeedParsingError(.emptyDocument, document: document, message: "the document is empty")
        }
        let body = UnsafeRawBufferPointer(rebasing: head[index...])
        switch head[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return sniffJSON(body)
        default:
            break
        }
        if let root = rootElement(body) {
            let local = root.split(separator: ":").last.map(String.init) ?? root
            switch local.lowercased() {
            case "rss": return .rss
            case "rdf": return .rdf
            case "feed": return .atom
            case "opml": return .opml
            case "posts", "comments", "users", "badges", "votes", "postlinks", "posthistory", "tags":
                let rows = body.withMemoryRebound(to: UInt8.self) { ByteText.contains($0, "<row") }
                return rows ? .stackExchange : .rss
            default:
                // Unknown XML (even an HTML page wrapping a feed): read it as a feed; feed readers
                // look for items anywhere.
                return .rss
            }
        }
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        if text.hasPrefix("<") { return .rss }
        if looksLikeCSV(text) { return .csv }
        throw FeedParsingError(
            .unknownFormat, document: document,
            message: "not a feed or export Vigía reads (expected XML, JSON, JSON Lines or CSV); pass --format to force one")
    }

    /// JSON Feed, Reddit listing, Discourse JSON, or JSON Lines (searched as bytes: the head
    /// can be a large buffer).
    private static func sniffJSON(_ body: UnsafeRawBufferPointer) -> FeedFormat {
        body.withMemoryRebound(to: UInt8.self) { bytes in
            func has(_ needle: StaticString) -> Bool { ByteText.contains(bytes, needle) }
            if has("jsonfeed.org/version") { return .jsonFeed }
            // JSON Lines: the first line is a complete object and another object follows.
            if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                let firstLine = String(decoding: bytes[..<newline], as: UTF8.self).trimmingCharacters(in: " \t\r")
                let next = bytes[(newline + 1)...].first { !InputDecoder.isSpace($0) }
                if firstLine.hasPrefix("{"), firstLine.hasSuffix("}"), next == UInt8(ascii: "{"),
                   (try? JSONValue.parse(Array(firstLine.utf8))) != nil {
                    return .jsonl
                }
            }
            if has("\"topic_list\"") || has("\"latest_posts\"") || has("\"post_stream\"") {
                return .discourse
            }
            if has("\"kind\"") && (has("\"Listing\"") || has("\"t3\"") || has("\"t1\"")) {
                return .reddit
            }
            if bytes.first == UInt8(ascii: "{") && !has("\n{") { return .jsonFeed }
            return .jsonl
        }
    }

    /// The name of the first element, skipping the declaration, comments, processing instructions
    /// and the document type; also past junk before the first tag.
    static func rootElement(_ bytes: UnsafeRawBufferPointer) -> String? {
        var index = 0
        let count = bytes.count
        func starts(_ literal: StaticString, at position: Int) -> Bool {
            let length = literal.utf8CodeUnitCount
            guard position + length <= count else { return false }
            return literal.withUTF8Buffer { pattern in (0..<length).allSatisfy { bytes[position + $0] == pattern[$0] } }
        }
        func skip(past literal: StaticString) -> Bool {
            while index < count {
                if starts(literal, at: index) {
                    index += literal.utf8CodeUnitCount
                    return true
                }
                index += 1
            }
            return false
        }
        while index < count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            if starts("<?", at: index) {
                guard skip(past: "?>") else { return nil }
            } else if starts("<!--", at: index) {
                guard skip(past: "-->") else { return nil }
            } else if starts("<!", at: index) {
                // <!DOCTYPE …>, possibly with an internal subset in brackets.
                var depth = 0
                while index < count {
                    let byte = bytes[index]
                    index += 1
                    if byte == UInt8(ascii: "[") { depth += 1 }
                    if byte == UInt8(ascii: "]") { depth -= 1 }
                    if byte == UInt8(ascii: ">") && depth <= 0 { break }
                }
            } else {
                var end = index + 1
                while end < count, !ByteText.isASCIISpace(bytes[end]), bytes[end] != UInt8(ascii: ">"),
                      bytes[end] != UInt8(ascii: "/") {
                    end += 1
                }
                guard end > index + 1 else { return nil }
                return String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
            }
        }
        return nil
    }

    /// The root element of a document given as text (for callers holding a string).
    static func rootElement(_ text: String) -> String? {
        var copy = text
        return copy.withUTF8 { rootElement(UnsafeRawBufferPointer($0)) }
    }

    /// A header line with a delimiter and no markup.
    private static func looksLikeCSV(_ text: String) -> Bool {
        let firstLine = text.prefix(while: { $0 != "\n" && $0 != "\r" })
        guard !firstLine.isEmpty, !firstLine.contains("<") else { return false }
        return firstLine.contains(",") || firstLine.contains("\t") || firstLine.contains(";")
    }
}
