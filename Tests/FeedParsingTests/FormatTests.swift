import Foundation
import Testing
import VigiaModel

@testable import FeedParsing

/// Each format Vigía reads, sniffed from the content.
@Suite struct SyndicationFormatTests {
    @Test func rss090ItemsOutsideTheChannelAreRead() throws {
        let parsed = try Fixture.parse("RSS090ItemsOutsideChannel.rdf")
        #expect(parsed.format == .rdf)
        #expect(parsed.bozo == false)
        #expect(parsed.feed.title == "Netscape-era Channel")
        #expect(parsed.feed.link == "http://old.example.net/")
        #expect(parsed.entries.map(\.title) == ["First headline", "Second headline"])
        #expect(parsed.entries.map(\.link) == ["http://old.example.net/news/1", "http://old.example.net/news/2"])
    }

    @Test func rss091ImageAndTextInputTitlesDoNotReplaceTheChannelTitle() throws {
        let parsed = try Fixture.parse("RSS091WithImageAndTextInput.xml")
        #expect(parsed.format == .rss)
        #expect(parsed.version == "0.91")
        #expect(parsed.feed.title == "Userland Weblog")
        #expect(parsed.feed.link == "http://userland.example.com/")
        #expect(parsed.feed.language == "en-us")
        #expect(parsed.entries.count == 1)
        #expect(parsed.entries.first?.summaryText == "Happy Fourth of July")
    }

    @Test func rss092ItemWithoutTitleKeepsEnclosureAndCategory() throws {
        let parsed = try Fixture.parse("RSS092EnclosureAndCategoryDomain.xml")
        #expect(parsed.version == "0.92")
        let entry = try #require(parsed.entries.first)
        #expect(entry.title == nil)
        #expect(entry.summaryText == "Episode twelve, no title at all")
        #expect(entry.categories == ["Talk"])
        #expect(entry.enclosures == [Enclosure(url: "http://radio.example.org/ep12.mp3", type: "audio/mpeg", length: 12_345_678)])
    }

    @Test func rss20ReadsEveryContractField() throws {
        let parsed = try Fixture.parse("RSS20LastBuildDateAndPermalinkGuid.xml")
        #expect(parsed.format == .rss)
        #expect(parsed.version == "2.0")
        #expect(parsed.bozo == false)
        #expect(parsed.feed.title == "Café Ibérico News")
        #expect(parsed.feed.link == "https://cafe.example.es/")
        #expect(parsed.feed.language == "es-ES")
        #expect(iso(parsed.feed.updated) == "2024-05-01T08:00:00Z")
        #expect(parsed.entries.count == 2)
        let first = parsed.entries[0]
        #expect(first.id == "https://cafe.example.es/posts/42")
        #expect(first.title == "El servicio fue lento")
        #expect(first.link == "https://cafe.example.es/posts/42")
        #expect(iso(first.published) == "2024-05-01T07:30:00Z")
        #expect(first.author == "María López")
        #expect(first.summaryText == "Resumen breve")
        #expect(first.contentText == "El servicio fue lento. Muy lento.")
        #expect(first.categories == ["servicio", "quejas"])
        let second = parsed.entries[1]
        #expect(second.id == "tag:cafe.example.es,2024:43")
        #expect(second.link == "https://cafe.example.es/posts/43")
    }

    @Test func rss10UsesRdfAboutAsTheID() throws {
        let parsed = try Fixture.parse("RSS10ItemsIdentifiedByRdfAbout.rdf")
        #expect(parsed.format == .rdf)
        #expect(parsed.version == "1.0")
        #expect(parsed.feed.title == "RDF Site Summary")
        #expect(parsed.feed.language == "it")
        #expect(iso(parsed.feed.updated) == "2024-05-01T08:00:00Z")
        #expect(parsed.entries.map(\.id) == ["http://rdf.example.org/a/1", "http://rdf.example.org/a/2"])
        let first = try #require(parsed.entries.first)
        #expect(first.author == "Giulia Bianchi")
        #expect(first.categories == ["cronaca"])
        #expect(iso(first.published) == "2024-05-01T09:00:00Z")
        #expect(first.summaryText == "Descrizione del primo")
    }

    @Test func atom03ReadsEscapedModeAndBase64Content() throws {
        let parsed = try Fixture.parse("Atom03EscapedAndBase64Content.xml")
        #expect(parsed.format == .atom)
        #expect(parsed.version == "0.3")
        #expect(parsed.feed.title == "Atom Zero Three")
        #expect(parsed.feed.link == "http://atom03.example.com/")
        #expect(parsed.feed.language == "en")
        #expect(iso(parsed.feed.updated) == "2004-05-01T10:00:00Z")
        #expect(parsed.entries.count == 2)
        let escaped = parsed.entries[0]
        #expect(escaped.id == "tag:atom03.example.com,2004:1")
        #expect(escaped.link == "http://atom03.example.com/2004/05/01/one")
        #expect(iso(escaped.published) == "2004-05-01T14:00:00Z")
        #expect(iso(escaped.updated) == "2004-05-01T10:00:00Z")
        #expect(escaped.author == "Mark (mark@atom03.example.com)")
        #expect(escaped.summaryText == "Short one")
        #expect(escaped.contentText == "Escaped markup here")
        let base64 = parsed.entries[1]
        #expect(base64.contentText == "Hello from base64")
    }

    @Test func atom10ReadsXhtmlContentAndResolvesAgainstXmlBase() throws {
        let parsed = try Fixture.parse("Atom10XhtmlContentAndXmlBase.xml")
        #expect(parsed.format == .atom)
        #expect(parsed.version == "1.0")
        #expect(parsed.bozo == false)
        #expect(parsed.feed.title == "Le blog de Chloé")
        #expect(parsed.feed.link == "https://blog.example.fr/")
        #expect(parsed.feed.language == "fr-FR")
        #expect(iso(parsed.feed.updated) == "2024-05-01T08:00:00Z")
        let entry = try #require(parsed.entries.first)
        #expect(entry.id == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a")
        #expect(entry.title == "Un titre riche")
        #expect(entry.link == "https://blog.example.fr/articles/premier.html")
        #expect(entry.enclosures == [Enclosure(url: "https://blog.example.fr/articles/premier.ogg", type: "audio/ogg", length: 2048)])
        #expect(iso(entry.published) == "2024-04-30T08:00:00Z")
        #expect(iso(entry.updated) == "2024-05-01T08:00:00Z")
        #expect(entry.author == "Chloé Martin (chloe@blog.example.fr)")
        #expect(entry.categories == ["voyages"])
        #expect(entry.summaryText == "Résumé & plus")
        #expect(entry.contentText == "Premier paragraphe. Second.")
    }

    @Test func formatIsSniffedFromContentNotFileName() throws {
        let parsed = try FeedParser().parseFile(atPath: Fixture.path("AtomFeedWithMisleadingExtension.json"))
        #expect(parsed.format == .atom)
        #expect(parsed.entries.count == 1)
    }

    @Test func forcedFormatOverridesSniffing() throws {
        let csv = "title,text\nHello,World\n"
        #expect(try parse(csv).format == .csv)
        let forced = try parse("{\"title\":\"a\",\"text\":\"b\"}\n", .init(format: .jsonl))
        #expect(forced.format == .jsonl)
        #expect(forced.entries.first?.contentText == "b")
    }

    @Test func htmlPageIsAClearError() throws {
        let error = try #require(parsingError { _ = try Fixture.parse("HTMLPageNotAFeed.html") })
        #expect(error.kind == .unknownFormat)
        #expect(error.document == "HTMLPageNotAFeed.html")
        #expect(error.message.contains("HTML page"))
    }

    @Test func unknownXMLRootIsAClearError() throws {
        let error = try #require(parsingError { _ = try Fixture.parse("UnknownXMLRoot.xml") })
        #expect(error.kind == .unknownFormat)
        #expect(error.message.contains("<inventory>"))
        #expect(error.description.hasPrefix("UnknownXMLRoot.xml"))
    }

    @Test func emptyFileIsAnError() throws {
        let error = try #require(parsingError { _ = try FeedParser().parseFile(atPath: Fixture.path("EmptyFile.xml")) })
        #expect(error.kind == .emptyDocument)
        #expect(error.document.hasSuffix("EmptyFile.xml"))
    }

    @Test func whitespaceOnlyDocumentIsEmpty() throws {
        let error = try #require(parsingError { _ = try parse(" \n\t\r\n ") })
        #expect(error.kind == .emptyDocument)
    }

    @Test func missingFileIsUnreadable() throws {
        let error = try #require(parsingError { _ = try FeedParser().parseFile(atPath: "/nonexistent/vigia/feed.xml") })
        #expect(error.kind == .unreadable)
        #expect(error.document == "/nonexistent/vigia/feed.xml")
    }
}

@Suite struct JSONFeedTests {
    private func parsed() throws -> ParsedFeed {
        try Fixture.parse("JSONFeed11AuthorsAndAttachments.json", .init(baseURL: "https://json.example.com/feed.json"))
    }

    @Test func jsonFeedIsSniffedWithVersionAndFeedFields() throws {
        let parsed = try parsed()
        #expect(parsed.format == .jsonFeed)
        #expect(parsed.version == "1.1")
        #expect(parsed.feed.title == "Podcast en JSON")
        #expect(parsed.feed.link == "https://json.example.com/")
        #expect(parsed.feed.language == "es")
        #expect(parsed.entries.count == 2)
    }

    @Test func jsonFeedContentHTMLWinsOverContentText() throws {
        let entry = try parsed().entries[0]
        #expect(entry.contentText == "Hola mundo & más")
        #expect(entry.link == "https://json.example.com/episodios/2")
        #expect(iso(entry.published) == "2024-05-01T08:00:00Z")
        #expect(entry.categories == ["audio", "entrevista"])
    }

    @Test func jsonFeedContentTextIsKeptAsPlainText() throws {
        let entry = try parsed().entries[1]
        #expect(entry.contentText == "Texto plano <no es html>")
        #expect(entry.summaryText == "Un resumen")
        #expect(iso(entry.published) == "2024-04-01T00:00:00Z")
    }

    @Test func jsonFeed11AuthorsArrayIsJoinedAndFeedAuthorIsTheFallback() throws {
        let entries = try parsed().entries
        #expect(entries[0].author == "Ana, Luis")
        #expect(entries[1].author == "Redacción")
    }

    @Test func jsonFeedAttachmentsBecomeEnclosures() throws {
        let entry = try parsed().entries[0]
        #expect(entry.enclosures == [Enclosure(url: "https://json.example.com/ep2.mp3", type: "audio/mpeg", length: 1_048_576)])
    }
}
