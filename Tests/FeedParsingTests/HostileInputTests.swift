import Foundation
import Testing
import VigiaModel

@testable import FeedParsing

#if canImport(Glibc)
import Glibc
#endif

/// Every text field of a parse, joined, to check what leaked into the output.
private func allText(_ parsed: ParsedFeed) -> String {
    var parts = [parsed.feed.title, parsed.feed.link, parsed.feed.subtitle].compactMap { $0 }
    for entry in parsed.entries {
        parts += [entry.id, entry.title, entry.link, entry.author, entry.summaryText, entry.contentText].compactMap { $0 }
        parts += entry.categories
    }
    return parts.joined(separator: "\n")
}

@Suite struct HostileInputTests {
    @Test func externalEntityIsNotExpanded() throws {
        let hostname = (try? String(contentsOfFile: "/etc/hostname", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let parsed = try Fixture.parse("ExternalEntityFileHostname.xml")
        let text = allText(parsed)
        if hostname.count >= 3 { #expect(!text.contains(hostname)) }
        #expect(parsed.entries.count == 1)
        // Like feedparser: the document is bozo and the reference stays as text.
        #expect(parsed.bozo)
        #expect(parsed.feed.title == "Before &stolen; after")
        #expect(parsed.entries.first?.title == "Item &stolen;")
        #expect(parsed.entries.first?.summaryText == "&stolen; and &remote;")
    }

    @Test func declaredButUnusedExternalEntityIsHarmless() throws {
        let parsed = try parse("""
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY unused SYSTEM "file:///etc/passwd">]>
            <rss version="2.0"><channel><title>T</title><item><title>x</title></item></channel></rss>
            """)
        #expect(parsed.bozo == false)
        #expect(parsed.entries.map(\.title) == ["x"])
    }

    @Test func externalParameterEntityIsNotLoaded() throws {
        let parsed = try parse("""
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY % remote SYSTEM "file:///etc/hostname"> %remote;]>
            <rss version="2.0"><channel><title>T</title><item><title>x</title></item></channel></rss>
            """)
        #expect(parsed.entries.map(\.title) == ["x"])
    }

    @Test func externalDTDIsNeverFetched() throws {
        let parsed = try Fixture.parse("ExternalDTDOverNetwork.xml")
        #expect(parsed.feed.title == "External DTD is never fetched")
        #expect(parsed.entries.map(\.title) == ["Still read"])
    }

    @Test func billionLaughsFinishesWithBoundedOutput() throws {
        do {
            let parsed = try Fixture.parse("BillionLaughs.xml")
            #expect(parsed.bozo)
            #expect(allText(parsed).utf8.count < 100_000)
        } catch let error as FeedParsingError {
            #expect(error.document == "BillionLaughs.xml")
        }
    }

    @Test func quadraticBlowupFinishesWithBoundedOutput() throws {
        let big = String(repeating: "x", count: 20_000)
        let references = String(repeating: "&big;", count: 20_000)
        let document = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY big \"\(big)\">]><rss version=\"2.0\"><channel><title>T</title><item><title>\(references)</title></item></channel></rss>"
        let limits = FeedParser.Limits(maxFieldBytes: 1 << 20)
        do {
            let parsed = try parse(document, .init(limits: limits))
            #expect(allText(parsed).utf8.count <= 2 << 20)
        } catch is FeedParsingError {
        }
    }

    @Test func tenThousandLevelsOfNestingDoNotCrash() throws {
        let depth = 10_000
        let nested = String(repeating: "<x>", count: depth) + "deep" + String(repeating: "</x>", count: depth)
        let document = "<rss version=\"2.0\"><channel><title>T</title><item><title>Kept</title><description>\(nested)</description></item></channel></rss>"
        // Deep nesting is well-formed XML: it is either read or refused with an error.
        do {
            let parsed = try parse(document)
            #expect(parsed.entries.map(\.title) == ["Kept"])
            #expect(parsed.entries.first?.summaryText == "deep")
        } catch is FeedParsingError {
        }
        let html = String(repeating: "<div><b>", count: depth) + "deep" + String(repeating: "</b></div>", count: depth)
        #expect(HTMLTextExtractor().text(ofHTML: html).contains("deep"))
        #expect(HTMLTextExtractor().textThroughLibxml2(ofHTML: html).utf8.count < 100)
    }

    @Test func documentOverTheSizeCapIsTooLarge() throws {
        let limits = FeedParser.Limits(maxDocumentBytes: 1000)
        let items = String(repeating: "<item><title>padding</title></item>", count: 100)
        let error = try #require(parsingError {
            _ = try parse("<rss version=\"2.0\"><channel>\(items)</channel></rss>", .init(documentName: "big.xml", limits: limits))
        })
        #expect(error.kind == .tooLarge)
        #expect(error.document == "big.xml")
    }

    @Test func jsonDocumentOverTheSizeCapIsTooLargeWhenStreamed() throws {
        let limits = FeedParser.Limits(maxDocumentBytes: 1000)
        let items = (0..<100).map { "{\"id\":\"\($0)\",\"title\":\"padding\"}" }.joined(separator: ",")
        let bytes = Array("{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"T\",\"items\":[\(items)]}".utf8)
        let parser = DocumentParser(options: .init(documentName: "big.json", limits: limits)) { _ in }
        let error = try #require(parsingError {
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + 256)
                try bytes[offset..<end].withUnsafeBytes { try parser.consume($0) }
                offset = end
            }
            _ = try parser.finish()
        })
        #expect(error.kind == .tooLarge)
    }

    @Test func fieldOverTheFieldCapIsCutAndBozo() throws {
        let limits = FeedParser.Limits(maxFieldBytes: 1000)
        let long = String(repeating: "word ", count: 2000)
        let parsed = try parse(
            "<rss version=\"2.0\"><channel><title>T</title><item><title>Short</title><description>\(long)</description></item></channel></rss>",
            .init(limits: limits))
        #expect(parsed.bozo)
        let summary = try #require(parsed.entries.first?.summaryText)
        #expect(summary.utf8.count <= 1000)
        #expect(summary.hasPrefix("word word"))
        #expect(parsed.entries.first?.title == "Short")
    }

    @Test func deeplyNestedJSONObjectIsAnErrorNotACrash() throws {
        let depth = 1000
        let nested = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
        let error = try #require(parsingError { _ = try parse(nested, .init(format: .jsonFeed, documentName: "deep.json")) })
        #expect(error.kind == .notWellFormed)
        #expect(error.message.contains("nested"))
        let sniffed = try #require(parsingError { _ = try parse(nested, .init(documentName: "deep.json")) })
        #expect(sniffed.document == "deep.json")
    }

    @Test func deeplyNestedJSONLineIsSkippedNotACrash() throws {
        let depth = 1000
        let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let parsed = try parse("{\"text\":\"before\"}\n\(nested)\n{\"text\":\"after\"}\n")
        #expect(parsed.format == .jsonl)
        #expect(parsed.entries.map(\.contentText) == ["before", "after"])
        #expect(parsed.skippedRecords.map(\.line) == [2])
    }

    @Test func oversizedCSVRecordIsSkippedAndTheRestKept() throws {
        let limits = FeedParser.Limits(maxFieldBytes: 100)
        let huge = String(repeating: "y", count: 5000)
        let parsed = try parse("title,text\nfirst,ok\nhuge,\"\(huge)\"\nlast,ok\n", .init(limits: limits))
        #expect(parsed.entries.map(\.title) == ["first", "last"])
        #expect(parsed.skippedRecords.map(\.line) == [3])
    }

    @Test func oversizedJSONLineIsSkippedAndTheRestKept() throws {
        let limits = FeedParser.Limits(maxFieldBytes: 100)
        let huge = String(repeating: "y", count: 5000)
        let parsed = try parse("{\"text\":\"first\"}\n{\"text\":\"\(huge)\"}\n{\"text\":\"last\"}\n", .init(limits: limits))
        #expect(parsed.entries.map(\.contentText) == ["first", "last"])
        #expect(parsed.skippedRecords.map(\.line) == [2])
    }

    @Test func maxEntriesCapsCollectedEntriesButCountsAll() throws {
        let items = (0..<50).map { "<item><title>\($0)</title></item>" }.joined()
        let parsed = try parse("<rss version=\"2.0\"><channel><title>T</title>\(items)</channel></rss>", .init(limits: .init(maxEntries: 10)))
        #expect(parsed.entries.count == 10)
        #expect(parsed.entryCount == 50)
    }
}

/// Peak memory while streaming an export far larger than the growth allowed.
@Suite(.serialized) struct StreamingMemoryTests {
    @Test func largeStackExchangeExportStreamsEveryRow() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("Posts.xml").path
        // Over FeedParser.wholeFileLimit, so the file is streamed rather than read whole.
        let target = FeedParser.wholeFileLimit + (6 << 20)
        guard let file = fopen(path, "w") else {
            Issue.record("cannot create \(path)")
            return
        }
        var written = 0
        var rows = 0
        func write(_ text: String) {
            var copy = text
            copy.withUTF8 { written += fwrite($0.baseAddress, 1, $0.count, file) }
        }
        write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<posts>\n")
        let body = String(repeating: "&lt;p&gt;Lorem ipsum &amp;amp; dolor sit amet, caf\u{E9} &lt;b&gt;bold&lt;/b&gt;.&lt;/p&gt;&#xA;", count: 6)
        var chunk = ""
        while written < target {
            chunk.removeAll(keepingCapacity: true)
            for _ in 0..<500 {
                rows += 1
                chunk += "  <row Id=\"\(rows)\" PostTypeId=\"1\" CreationDate=\"2024-05-01T10:00:00.000\" Score=\"\(rows % 50)\" Body=\"\(body)\" OwnerUserId=\"\(rows % 977)\" Title=\"Question \(rows)\" Tags=\"|coffee|espresso|\" />\n"
            }
            write(chunk)
        }
        write("</posts>\n")
        fclose(file)
        #expect(written > FeedParser.wholeFileLimit)

        // Peak memory is asserted in a process of its own (VigiaCLITests.StreamingMemoryTests):
        // here other suites run in parallel and share this process's resident set.
        var count = 0
        var lastID: String?
        let parsed = try FeedParser().streamFile(atPath: path) { entry in
            count += 1
            lastID = entry.id
        }
        #expect(parsed.format == .stackExchange)
        #expect(count == rows)
        #expect(parsed.entryCount == rows)
        #expect(lastID == String(rows))
    }
}
