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
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: head[index...]), as: UTF8.self)
        switch head[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return sniffJSON(text)
        default:
            break
        }
        if let root = rootElement(text) {
            let local = root.split(separator: ":").last.map(String.init) ?? root
            switch local.lowercased() {
            case "rss": return .rss
            case "rdf": return .rdf
            case "feed": return .atom
            case "opml": return .opml
            case "posts", "comments", "users", "badges", "votes", "postlinks", "posthistory", "tags":
                if text.contains("<row") { return .stackExchange }
                return .rss
            default:
                // Unknown XML: read it as a feed; feed readers look for items anywhere.
                return .rss
            }
        }
        if text.hasPrefix("<") { return .rss }
        if looksLikeCSV(text) { return .csv }
        throw FeedParsingError(
            .unknownFormat, document: document,
            message: "not a feed or export Vigía reads (expected XML, JSON, JSON Lines or CSV); pass --format to force one")
    }

    /// JSON Feed, Reddit listing, Discourse JSON, or JSON Lines.
    private static func sniffJSON(_ text: String) -> FeedFormat {
        if text.contains("jsonfeed.org/version") { return .jsonFeed }
        // JSON Lines: the first line is a complete object and another object follows.
        if let newline = text.firstIndex(of: "\n") {
            let firstLine = text[..<newline].trimmingCharacters(in: " \t\r")
            let rest = text[text.index(after: newline)...].drop(while: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
            if firstLine.hasPrefix("{"), firstLine.hasSuffix("}"), rest.first == "{",
               (try? JSONValue.parse(Array(firstLine.utf8))) != nil {
                return .jsonl
            }
        }
        if text.contains("\"topic_list\"") || text.contains("\"latest_posts\"") || text.contains("\"post_stream\"") {
            return .discourse
        }
        if text.contains("\"kind\"") && (text.contains("\"Listing\"") || text.contains("\"t3\"") || text.contains("\"t1\"")) {
            return .reddit
        }
        if text.hasPrefix("{") && !text.contains("\n{") { return .jsonFeed }
        return .jsonl
    }

    /// The name of the first element, skipping the declaration, comments, processing instructions
    /// and the document type; also past junk before the first tag.
    static func rootElement(_ text: String) -> String? {
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: open)...]
            if after.hasPrefix("?") {
                guard let close = after.firstRange(of: "?>") else { return nil }
                rest = after[close.upperBound...]
            } else if after.hasPrefix("!--") {
                guard let close = after.firstRange(of: "-->") else { return nil }
                rest = after[close.upperBound...]
            } else if after.hasPrefix("!") {
                // <!DOCTYPE …>, possibly with an internal subset in brackets.
                var depth = 0
                var index = after.startIndex
                while index < after.endIndex {
                    let character = after[index]
                    if character == "[" { depth += 1 }
                    if character == "]" { depth -= 1 }
                    if character == ">" && depth <= 0 { break }
                    index = after.index(after: index)
                }
                guard index < after.endIndex else { return nil }
                rest = after[after.index(after: index)...]
            } else {
                let name = after.prefix(while: { !$0.isWhitespace && $0 != ">" && $0 != "/" })
                return name.isEmpty ? nil : String(name)
            }
        }
        return nil
    }

    /// A header line with a delimiter and no markup.
    private static func looksLikeCSV(_ text: String) -> Bool {
        let firstLine = text.prefix(while: { $0 != "\n" && $0 != "\r" })
        guard !firstLine.isEmpty, !firstLine.contains("<") else { return false }
        return firstLine.contains(",") || firstLine.contains("\t") || firstLine.contains(";")
    }
}
