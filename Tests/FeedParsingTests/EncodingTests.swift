import Foundation
import Testing
import VigiaModel

@testable import FeedParsing

/// Byte-level builders for documents in other encodings.
private enum Bytes {
    static func utf16(_ text: String, bigEndian: Bool, bom: Bool) -> [UInt8] {
        var bytes: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in text.utf16 {
            let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        return bytes
    }

    static func utf32(_ text: String, bigEndian: Bool) -> [UInt8] {
        var bytes: [UInt8] = bigEndian ? [0x00, 0x00, 0xFE, 0xFF] : [0xFF, 0xFE, 0x00, 0x00]
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let le = [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
            bytes += bigEndian ? le.reversed() : le
        }
        return bytes
    }

    /// An RSS document whose item title is `title` (raw bytes), with an optional declaration.
    static func rss(declaring encoding: String?, title: [UInt8]) -> [UInt8] {
        let declaration = encoding.map { "<?xml version=\"1.0\" encoding=\"\($0)\"?>\n" } ?? ""
        return Array("\(declaration)<rss version=\"2.0\"><channel><title>Feed</title><item><title>".utf8)
            + title + Array("</title></item></channel></rss>\n".utf8)
    }
}

private func itemTitle(_ parsed: ParsedFeed) -> String? {
    parsed.entries.first?.title
}

@Suite struct EncodingTests {
    private let sample = "Ñandú, café, 日本語 and 😀"

    private func document(_ encoding: String) -> String {
        "<?xml version=\"1.0\" encoding=\"\(encoding)\"?>\n<rss version=\"2.0\"><channel><title>Feed</title><item><title>\(sample)</title></item></channel></rss>\n"
    }

    @Test func utf8WithByteOrderMark() throws {
        let parsed = try parse(bytes: [0xEF, 0xBB, 0xBF] + Array(document("utf-8").utf8))
        #expect(itemTitle(parsed) == sample)
        #expect(parsed.bozo == false)
    }

    @Test func utf16LittleEndianWithByteOrderMark() throws {
        let parsed = try parse(bytes: Bytes.utf16(document("utf-16"), bigEndian: false, bom: true))
        #expect(itemTitle(parsed) == sample)
        #expect(parsed.bozo == false)
    }

    @Test func utf16BigEndianWithByteOrderMark() throws {
        let parsed = try parse(bytes: Bytes.utf16(document("utf-16"), bigEndian: true, bom: true))
        #expect(itemTitle(parsed) == sample)
        #expect(parsed.bozo == false)
    }

    @Test func utf16DeclaredWithoutByteOrderMark() throws {
        let little = try parse(bytes: Bytes.utf16(document("utf-16"), bigEndian: false, bom: false))
        #expect(itemTitle(little) == sample)
        let big = try parse(bytes: Bytes.utf16(document("UTF-16"), bigEndian: true, bom: false))
        #expect(itemTitle(big) == sample)
    }

    @Test func utf32BothByteOrders() throws {
        let little = try parse(bytes: Bytes.utf32(document("utf-32"), bigEndian: false))
        #expect(itemTitle(little) == sample)
        let big = try parse(bytes: Bytes.utf32(document("utf-32"), bigEndian: true))
        #expect(itemTitle(big) == sample)
    }

    @Test func iso88591Declared() throws {
        let parsed = try parse(bytes: Bytes.rss(declaring: "ISO-8859-1", title: [0x43, 0x61, 0x66, 0xE9, 0x20, 0xA9, 0x20, 0xBF, 0x73, 0xED, 0x3F]))
        #expect(itemTitle(parsed) == "Café © ¿sí?")
        #expect(parsed.bozo == false)
    }

    @Test func windows1252UndeclaredIsRepairedAndBozo() throws {
        // “Hola” café – it’s (windows-1252 bytes, no declaration: read as UTF-8 first).
        let title: [UInt8] = [0x93, 0x48, 0x6F, 0x6C, 0x61, 0x94, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x20, 0x96, 0x20, 0x69, 0x74, 0x92, 0x73]
        let parsed = try parse(bytes: Bytes.rss(declaring: nil, title: title))
        #expect(itemTitle(parsed) == "\u{201C}Hola\u{201D} café \u{2013} it\u{2019}s")
        #expect(parsed.bozo)
    }

    @Test func windows1252BytesInsideValidUTF8AreRepairedOneByOne() throws {
        // "Café" in UTF-8, then a lone windows-1252 apostrophe, then "niño" in UTF-8.
        let title: [UInt8] = Array("Café it".utf8) + [0x92] + Array("s niño".utf8)
        let parsed = try parse(bytes: Bytes.rss(declaring: "utf-8", title: title))
        #expect(itemTitle(parsed) == "Café it\u{2019}s niño")
        #expect(parsed.bozo)
    }

    @Test func windows1251DeclaredIsReadThroughIconv() throws {
        let parsed = try parse(bytes: Bytes.rss(declaring: "windows-1251", title: [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2]))
        #expect(itemTitle(parsed) == "Привет")
        #expect(parsed.bozo == false)
    }

    @Test func iso88592DeclaredIsReadThroughIconv() throws {
        let parsed = try parse(bytes: Bytes.rss(declaring: "iso-8859-2", title: [0xA3, 0xF3, 0x64, 0xBC]))
        #expect(itemTitle(parsed) == "Łódź")
    }

    @Test func unknownDeclaredEncodingFallsBackToUTF8AndIsBozo() throws {
        let parsed = try parse(bytes: Bytes.rss(declaring: "x-no-such-charset", title: Array("Café".utf8)))
        #expect(itemTitle(parsed) == "Café")
        #expect(parsed.bozo)
    }

    @Test func httpCharsetBeatsTheDeclarationForApplicationXML() throws {
        let bytes = Bytes.rss(declaring: "iso-8859-1", title: [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2])
        let declared = try parse(bytes: bytes)
        #expect(itemTitle(declared) == "Ïðèâåò")
        let http = try parse(bytes: bytes, .init(contentType: "application/rss+xml; charset=windows-1251"))
        #expect(itemTitle(http) == "Привет")
        let plainXML = try parse(bytes: bytes, .init(contentType: "application/xml; charset=\"windows-1251\""))
        #expect(itemTitle(plainXML) == "Привет")
    }

    @Test func applicationXMLWithoutCharsetFollowsTheDeclaration() throws {
        let bytes = Bytes.rss(declaring: "windows-1251", title: [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2])
        let parsed = try parse(bytes: bytes, .init(contentType: "application/xml"))
        #expect(itemTitle(parsed) == "Привет")
    }

    @Test func textXMLWithoutCharsetIsUSASCIISoNonASCIIIsBozo() throws {
        let nonASCII = try parse(bytes: Bytes.rss(declaring: "utf-8", title: Array("Café".utf8)), .init(contentType: "text/xml"))
        #expect(nonASCII.bozo)
        #expect(itemTitle(nonASCII) == "Café")
        let ascii = try parse(bytes: Bytes.rss(declaring: "utf-8", title: Array("Cafe".utf8)), .init(contentType: "text/xml"))
        #expect(ascii.bozo == false)
    }

    @Test func textXMLWithCharsetIsNotBozo() throws {
        let parsed = try parse(bytes: Bytes.rss(declaring: "iso-8859-1", title: Array("Café".utf8)), .init(contentType: "text/xml; charset=utf-8"))
        #expect(parsed.bozo == false)
        #expect(itemTitle(parsed) == "Café")
    }

    @Test func byteOrderMarkBeatsTheHTTPCharset() throws {
        let bytes = Bytes.utf16(document("utf-16"), bigEndian: false, bom: true)
        let parsed = try parse(bytes: bytes, .init(contentType: "application/xml; charset=iso-8859-1"))
        #expect(itemTitle(parsed) == sample)
    }

    @Test func leadingWhitespaceBeforeTheDeclarationIsSkippedAndBozo() throws {
        let parsed = try parse("\n\n   \t" + document("utf-8"))
        #expect(itemTitle(parsed) == sample)
        #expect(parsed.bozo)
    }

    @Test func junkBeforeTheRootIsSkippedAndBozo() throws {
        let parsed = try parse("Warning: headers already sent in index.php line 3\n<rss version=\"2.0\"><channel><title>Feed</title><item><title>Kept</title></item></channel></rss>")
        #expect(itemTitle(parsed) == "Kept")
        #expect(parsed.feed.title == "Feed")
        #expect(parsed.bozo)
    }

    @Test func junkBeforeTheDeclarationIsSkippedAndBozo() throws {
        let parsed = try parse("\u{FEFF}junk" + document("utf-8"))
        #expect(itemTitle(parsed) == sample)
        #expect(parsed.bozo)
    }

    /// Chunk boundaries fall inside multi-byte sequences and surrogate pairs.
    @Test(arguments: ["utf-8", "utf-16le", "utf-16be", "windows-1252"])
    func streamingInOddChunksGivesTheSameEntries(_ encoding: String) throws {
        let count = 1500
        let title = encoding == "windows-1252" ? "café “ñ”" : sample
        let declared = encoding.hasPrefix("utf-16") ? "utf-16" : encoding
        let items = (0..<count).map { "<item><title>n\($0) \(title)</title></item>" }.joined()
        let text = "<?xml version=\"1.0\" encoding=\"\(declared)\"?>\n<rss version=\"2.0\"><channel><title>Feed</title>\(items)</channel></rss>\n"
        let bytes: [UInt8]
        switch encoding {
        case "utf-16le": bytes = Bytes.utf16(text, bigEndian: false, bom: true)
        case "utf-16be": bytes = Bytes.utf16(text, bigEndian: true, bom: true)
        case "windows-1252": bytes = text.unicodeScalars.map { $0 == "“" ? 0x93 : $0 == "”" ? 0x94 : UInt8($0.value) }
        default: bytes = Array(text.utf8)
        }
        #expect(bytes.count > 32 * 1024)
        let whole = try parse(bytes: bytes)
        var streamed: [FeedEntry] = []
        let parser = DocumentParser(options: .init()) { streamed.append($0) }
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + 7)
            try bytes[offset..<end].withUnsafeBytes { try parser.consume($0) }
            offset = end
        }
        let outcome = try parser.finish()
        #expect(outcome.bozo == false)
        #expect(streamed.count == count)
        #expect(streamed.first?.title == "n0 \(title)")
        #expect(streamed == whole.entries)
        #expect(streamed.last?.title?.hasPrefix("n\(count - 1) ") == true)
    }
}
