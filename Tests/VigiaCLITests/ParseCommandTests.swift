import Foundation
import Testing

/// `vigia parse` as PRODUCT.md defines it: one JSON object with exactly the contract's keys.
@Suite("vigia parse") struct ParseCommandTests {
    private let demo = CommandRunner.repositoryRoot.appendingPathComponent("feeds/demo")

    private func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func jsonHasExactlyTheContractKeys() throws {
        let result = try CommandRunner.run(["parse", demo.appendingPathComponent("vuelalto-es.rss").path, "--json"])
        #expect(result.status == 0)
        let document = try json(result.stdout)
        #expect(Set(document.keys) == ["bozo", "feed", "items"])
        let feed = try #require(document["feed"] as? [String: Any])
        #expect(Set(feed.keys) == ["title", "link", "language", "updated"])
        #expect(feed["language"] as? String == "es-ES")
        #expect(feed["updated"] as? String == "2026-11-20T17:30:00Z")
        let items = try #require(document["items"] as? [[String: Any]])
        #expect(items.count == 6)
        for item in items {
            #expect(Set(item.keys) == ["id", "title", "link", "published", "author", "summary_text", "content_text", "categories"])
        }
        let first = items[0]
        #expect(first["id"] as? String == "fv-1201")
        #expect(first["published"] as? String == "2026-11-20T08:12:00Z")
        #expect(first["author"] as? String == "marta_bcn")
        #expect(first["categories"] as? [String] == ["Cancelaciones"])
        #expect((first["summary_text"] as? String)?.hasPrefix("Llevo tres horas al teléfono con Vuelalto.") == true)
        #expect(first["content_text"] is NSNull)
    }

    @Test func emptyValuesAreNull() throws {
        let result = try CommandRunner.run(["parse", demo.appendingPathComponent("vuelalto-es.rss").path, "--json"])
        let items = try #require(try json(result.stdout)["items"] as? [[String: Any]])
        #expect(items[2]["author"] is NSNull)
        #expect(items[2]["categories"] as? [String] == [])
    }

    @Test func readsStandardInput() throws {
        let feed = Data("<rss version=\"2.0\"><channel><title>In</title><item><title>Piped</title></item></channel></rss>".utf8)
        let result = try CommandRunner.run(["parse", "-", "--json"], stdin: feed)
        #expect(result.status == 0)
        let items = try #require(try json(result.stdout)["items"] as? [[String: Any]])
        #expect(items.first?["title"] as? String == "Piped")
    }

    @Test func readsFileURLsThroughLibcurl() throws {
        let url = demo.appendingPathComponent("pastaria-it.atom").absoluteString
        let result = try CommandRunner.run(["parse", url, "--json"])
        #expect(result.status == 0)
        let items = try #require(try json(result.stdout)["items"] as? [[String: Any]])
        #expect(items.count == 5)
    }

    @Test func humanOutputSummarisesTheFeed() throws {
        let result = try CommandRunner.run(["parse", demo.appendingPathComponent("zapply-en.json").path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("JSON Feed 1.1: App Reviews Weekly"))
        #expect(result.stdout.contains("entries:  5"))
    }

    @Test func missingFileIsBadInputNamingTheFile() throws {
        let result = try CommandRunner.run(["parse", "/nonexistent/feed.xml", "--json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/feed.xml"))
        #expect(result.stdout.isEmpty)
    }

    @Test func unreadableXMLIsBadInputWithTheLine() throws {
        let path = try CommandRunner.temporaryFile(named: "broken.xml", contents: Data("\n\n<<<>>> not xml".utf8))
        let result = try CommandRunner.run(["parse", path, "--json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains(path))
    }

    @Test func unknownFormatOptionIsBadUsage() throws {
        let result = try CommandRunner.run(["parse", demo.appendingPathComponent("vuelalto-es.rss").path, "--format", "nope"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown format"))
    }

    @Test func forcedFormatOverridesSniffing() throws {
        let result = try CommandRunner.run(["parse", demo.appendingPathComponent("survey-comments.csv").path, "--format", "csv", "--json"])
        #expect(result.status == 0)
        let items = try #require(try json(result.stdout)["items"] as? [[String: Any]])
        #expect(items.count == 4)
        #expect(items[3]["content_text"] as? String == "The \"premium\" plan of Zapply is overpriced for what it offers.")
    }

    @Test func everyDemoSourceParses() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: demo.path).sorted()
        #expect(files.count >= 5)
        for file in files {
            let result = try CommandRunner.run(["parse", demo.appendingPathComponent(file).path, "--json"])
            #expect(result.status == 0, "\(file): \(result.stderr)")
            let items = try #require(try json(result.stdout)["items"] as? [[String: Any]])
            #expect(!items.isEmpty, "\(file) has no entries")
        }
    }
}
