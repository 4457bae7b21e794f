import Foundation
import Testing
import VigiaModel

@testable import FeedParsing

private let itunes = #"xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd""#
private let dc = #"xmlns:dc="http://purl.org/dc/elements/1.1/""#
private let content = #"xmlns:content="http://purl.org/rss/1.0/modules/content/""#
private let media = #"xmlns:media="http://search.yahoo.com/mrss/""#

@Suite struct TitleTests {
    @Test func firstTitleWins() throws {
        let entry = try parseItem("<title>First</title><title>Second</title>")
        #expect(entry.title == "First")
    }

    @Test func rssTitleThatLooksLikeHTMLIsReadAsHTML() throws {
        let entry = try parseItem("<title>&lt;b&gt;Bold&lt;/b&gt; news &amp;amp; views</title>")
        #expect(entry.title == "Bold news & views")
    }

    @Test func rssTitleWithALessThanSignIsPlainText() throws {
        let entry = try parseItem("<title>1 &lt; 2 and 3 &gt; 2</title>")
        #expect(entry.title == "1 < 2 and 3 > 2")
    }

    @Test func atomTextTitleKeepsMarkupCharactersLiterally() throws {
        let entry = try parseAtomEntry(#"<title type="text">&lt;b&gt;not bold&lt;/b&gt;</title>"#)
        #expect(entry.title == "<b>not bold</b>")
    }

    @Test func atomHTMLTitleIsReadAsHTML() throws {
        let entry = try parseAtomEntry(#"<title type="html">&lt;b&gt;Bold&lt;/b&gt; &amp;amp; more</title>"#)
        #expect(entry.title == "Bold & more")
    }

    @Test func atomXHTMLTitleIsReadAsMarkup() throws {
        let entry = try parseAtomEntry(
            #"<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">An <em>xhtml</em> &amp; title</div></title>"#)
        #expect(entry.title == "An xhtml & title")
    }

    @Test func channelTitleIsNotTakenFromAnItem() throws {
        let parsed = try parse(#"<rss version="2.0"><channel><item><title>Item</title></item><title>Channel</title></channel></rss>"#)
        #expect(parsed.feed.title == "Channel")
        #expect(parsed.entries.first?.title == "Item")
    }
}

@Suite struct LinkTests {
    @Test func atomAlternateLinkOfAnHTMLTypeIsTheLink() throws {
        let entry = try parseAtomEntry("""
            <link rel="alternate" type="application/pdf" href="https://x.example/doc.pdf"/>
            <link rel="alternate" type="text/html" href="https://x.example/page"/>
            <link rel="self" href="https://x.example/entry.atom"/>
            <link rel="replies" type="text/html" href="https://x.example/comments"/>
            """)
        #expect(entry.link == "https://x.example/page")
    }

    @Test func atomLinkWithoutRelOrTypeIsAnAlternate() throws {
        let entry = try parseAtomEntry(#"<link href="https://x.example/plain"/>"#)
        #expect(entry.link == "https://x.example/plain")
    }

    @Test func lastAlternateLinkWins() throws {
        let entry = try parseAtomEntry("""
            <link rel="alternate" type="text/html" href="https://x.example/first"/>
            <link rel="alternate" type="application/xhtml+xml" href="https://x.example/last"/>
            """)
        #expect(entry.link == "https://x.example/last")
    }

    @Test func permalinkGuidIsTheLinkWhenThereIsNoLink() throws {
        let entry = try parseItem("<guid>https://x.example/p/1</guid>")
        #expect(entry.link == "https://x.example/p/1")
        #expect(entry.id == "https://x.example/p/1")
    }

    @Test func guidMarkedNotPermalinkIsNotALink() throws {
        let entry = try parseItem(#"<guid isPermaLink="false">https://x.example/p/1</guid>"#)
        #expect(entry.link == nil)
        #expect(entry.id == "https://x.example/p/1")
    }

    @Test func explicitLinkBeatsAPermalinkGuid() throws {
        let before = try parseItem("<link>https://x.example/link</link><guid>https://x.example/guid</guid>")
        #expect(before.link == "https://x.example/link")
        let after = try parseItem("<guid>https://x.example/guid</guid><link>https://x.example/link</link>")
        #expect(after.link == "https://x.example/link")
    }

    @Test func atomIDIsTheLinkWhenThereIsNoLink() throws {
        let entry = try parseAtomEntry("<id>https://x.example/entries/7</id>")
        #expect(entry.link == "https://x.example/entries/7")
    }

    @Test func rssLinkTextIsTrimmed() throws {
        let entry = try parseItem("<link>\n   https://x.example/spaced   \n</link>")
        #expect(entry.link == "https://x.example/spaced")
    }
}

@Suite struct BaseURLTests {
    @Test func feedXmlBaseResolvesEntryLinks() throws {
        let entry = try parseAtomEntry(#"<link href="post/1"/>"#, feedAttributes: #"xml:base="https://base.example/blog/""#)
        #expect(entry.link == "https://base.example/blog/post/1")
    }

    @Test func entryXmlBaseOverridesTheFeedBase() throws {
        let parsed = try parse("""
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://base.example/blog/"><title>T</title>
            <entry xml:base="https://other.example/news/"><link href="item"/></entry></feed>
            """)
        #expect(parsed.entries.first?.link == "https://other.example/news/item")
    }

    @Test func nestedRelativeXmlBasesCompose() throws {
        let parsed = try parse("""
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://base.example/a/"><title>T</title>
            <entry xml:base="b/"><link xml:base="c/" href="../d/page.html"/></entry></feed>
            """)
        #expect(parsed.entries.first?.link == "https://base.example/a/b/d/page.html")
    }

    @Test func relativeXmlBaseResolvesAgainstTheDocumentURL() throws {
        let parsed = try parse("""
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="/archive/"><title>T</title>
            <entry><link href="2024/05/post"/></entry></feed>
            """, .init(baseURL: "https://site.example/feeds/atom.xml"))
        #expect(parsed.entries.first?.link == "https://site.example/archive/2024/05/post")
    }

    @Test func baseURLOptionResolvesRelativeRSSLinks() throws {
        let parsed = try parse(
            #"<rss version="2.0"><channel><title>T</title><link>/</link><item><link>posts/9</link></item></channel></rss>"#,
            .init(baseURL: "https://site.example/feed/rss.xml"))
        #expect(parsed.feed.link == "https://site.example/")
        #expect(parsed.entries.first?.link == "https://site.example/feed/posts/9")
    }

    @Test func absoluteLinksAreLeftAlone() throws {
        let parsed = try parse(
            #"<rss version="2.0"><channel><title>T</title><item><link>https://elsewhere.example/x?a=1&amp;b=2</link></item></channel></rss>"#,
            .init(baseURL: "https://site.example/feed"))
        #expect(parsed.entries.first?.link == "https://elsewhere.example/x?a=1&b=2")
    }
}

@Suite struct AuthorTests {
    @Test func atomNameAndEmailBecomeNameWithEmailInParentheses() throws {
        let entry = try parseAtomEntry("<author><name>Jo Bloggs</name><email>jo@x.example</email><uri>https://jo.example</uri></author>")
        #expect(entry.author == "Jo Bloggs (jo@x.example)")
    }

    @Test func atomAuthorWithOnlyANameIsTheName() throws {
        let entry = try parseAtomEntry("<author><name>Jo Bloggs</name></author>")
        #expect(entry.author == "Jo Bloggs")
    }

    @Test func rssAuthorIsKeptAsTheFeedGivesIt() throws {
        let entry = try parseItem("<author>jo@x.example (Jo Bloggs)</author>")
        #expect(entry.author == "jo@x.example (Jo Bloggs)")
    }

    @Test func dublinCoreCreatorIsTheAuthor() throws {
        let entry = try parseItem("<dc:creator>Ana García</dc:creator>", namespaces: dc)
        #expect(entry.author == "Ana García")
    }

    @Test func itunesAuthorIsTheAuthor() throws {
        let entry = try parseItem("<itunes:author>Podcast Host</itunes:author>", namespaces: itunes)
        #expect(entry.author == "Podcast Host")
    }

    @Test func contributorsAreNotAuthors() throws {
        let entry = try parseAtomEntry("<contributor><name>Helper</name><email>h@x.example</email></contributor>")
        #expect(entry.author == nil)
        let both = try parseAtomEntry(
            "<author><name>Writer</name></author><contributor><name>Helper</name></contributor>")
        #expect(both.author == "Writer")
    }

    @Test func sourceElementDoesNotLeakIntoTheEntry() throws {
        let atom = try parseAtomEntry("""
            <title>Entry title</title>
            <source><title>Source feed title</title><author><name>Source Author</name></author>
            <link href="https://source.example/"/><id>https://source.example/id</id></source>
            <link href="https://entry.example/"/>
            """)
        #expect(atom.title == "Entry title")
        #expect(atom.author == nil)
        #expect(atom.link == "https://entry.example/")
        let rss = try parseItem(#"<title>Mine</title><source url="https://other.example/rss">Other Feed</source>"#)
        #expect(rss.title == "Mine")
        #expect(rss.author == nil)
    }
}

@Suite struct CategoryTests {
    @Test func rssCategoryWithDomainIsItsText() throws {
        let entry = try parseItem(#"<category domain="https://x.example/tags">Service</category>"#)
        #expect(entry.categories == ["Service"])
    }

    @Test func atomCategoryIsItsTerm() throws {
        let entry = try parseAtomEntry(#"<category term="delays" scheme="https://x.example/" label="Delays"/><category term="food"/>"#)
        #expect(entry.categories == ["delays", "food"])
    }

    @Test func dublinCoreSubjectIsACategory() throws {
        let entry = try parseItem("<dc:subject>Travel</dc:subject>", namespaces: dc)
        #expect(entry.categories == ["Travel"])
    }

    @Test func nestedItunesCategoriesAreEachACategory() throws {
        let entry = try parseItem(
            #"<itunes:category text="Technology"><itunes:category text="Podcasting"/></itunes:category>"#, namespaces: itunes)
        #expect(entry.categories == ["Technology", "Podcasting"])
    }

    @Test func itunesAndMediaKeywordsAreSplitOnCommas() throws {
        let entry = try parseItem(
            "<itunes:keywords>flights, baggage ,refunds</itunes:keywords><media:keywords>airport,  lounge</media:keywords>",
            namespaces: "\(itunes) \(media)")
        #expect(entry.categories == ["flights", "baggage", "refunds", "airport", "lounge"])
    }

    @Test func duplicateCategoriesAreRemoved() throws {
        let entry = try parseItem("<category>news</category><category>sport</category><category>news</category>")
        #expect(entry.categories == ["news", "sport"])
    }

    @Test func emptyCategoryIsIgnored() throws {
        let entry = try parseItem("<category></category><category>kept</category>")
        #expect(entry.categories == ["kept"])
    }
}

@Suite struct EnclosureTests {
    @Test func rssEnclosureIsRead() throws {
        let entry = try parseItem(#"<enclosure url="https://x.example/a.mp3" length="99" type="audio/mpeg"/>"#)
        #expect(entry.enclosures == [Enclosure(url: "https://x.example/a.mp3", type: "audio/mpeg", length: 99)])
    }

    @Test func atomEnclosureLinkIsAnEnclosureNotTheLink() throws {
        let entry = try parseAtomEntry(#"<link rel="enclosure" type="video/mp4" length="1000" href="https://x.example/v.mp4"/>"#)
        #expect(entry.enclosures == [Enclosure(url: "https://x.example/v.mp4", type: "video/mp4", length: 1000)])
        #expect(entry.link == nil)
    }

    @Test func relativeEnclosureIsResolved() throws {
        let parsed = try parse(
            #"<rss version="2.0"><channel><title>T</title><item><enclosure url="media/b.ogg" type="audio/ogg"/></item></channel></rss>"#,
            .init(baseURL: "https://x.example/podcast/feed.xml"))
        #expect(parsed.entries.first?.enclosures.map(\.url) == ["https://x.example/podcast/media/b.ogg"])
    }
}

@Suite struct SummaryAndContentTests {
    @Test func contentEncodedIsContentAndDescriptionIsSummary() throws {
        let entry = try parseItem(
            "<description>Short</description><content:encoded>&lt;p&gt;Long &lt;i&gt;body&lt;/i&gt;&lt;/p&gt;</content:encoded>",
            namespaces: content)
        #expect(entry.summaryText == "Short")
        #expect(entry.contentText == "Long body")
    }

    @Test func secondDescriptionBecomesContent() throws {
        let entry = try parseItem("<description>First</description><description>Second</description>")
        #expect(entry.summaryText == "First")
        #expect(entry.contentText == "Second")
    }

    @Test func contentIsCopiedToSummaryWhenThereIsNoSummary() throws {
        let entry = try parseItem("<content:encoded>&lt;p&gt;Only content&lt;/p&gt;</content:encoded>", namespaces: content)
        #expect(entry.contentText == "Only content")
        #expect(entry.summaryText == "Only content")
        let atom = try parseAtomEntry(#"<content type="html">&lt;p&gt;Atom content&lt;/p&gt;</content>"#)
        #expect(atom.summaryText == "Atom content")
    }

    @Test func firstContentElementIsTheContent() throws {
        let entry = try parseItem(
            "<content:encoded>One</content:encoded><content:encoded>Two</content:encoded>", namespaces: content)
        #expect(entry.contentText == "One")
    }

    @Test func itunesSummaryIsTheSummary() throws {
        let entry = try parseItem("<itunes:summary>Episode notes</itunes:summary>", namespaces: itunes)
        #expect(entry.summaryText == "Episode notes")
    }

    @Test func mediaDescriptionIsTheSummary() throws {
        let entry = try parseItem(#"<media:description type="plain">Clip notes</media:description>"#, namespaces: media)
        #expect(entry.summaryText == "Clip notes")
    }

    @Test func rssDescriptionIsHTMLByDefault() throws {
        let entry = try parseItem("<description>&lt;p&gt;Para &amp;eacute;t&amp;eacute;&lt;/p&gt;</description>")
        #expect(entry.summaryText == "Para été")
    }

    @Test func atomTextSummaryIsNotReadAsHTML() throws {
        let entry = try parseAtomEntry("<summary>a &lt;b&gt; c</summary>")
        #expect(entry.summaryText == "a <b> c")
    }
}

@Suite struct FeedFieldTests {
    @Test func xmlLangOnTheRootIsTheFeedLanguage() throws {
        let parsed = try parse(#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="it-IT"><title>T</title></feed>"#)
        #expect(parsed.feed.language == "it-IT")
    }

    @Test func languageElementIsTheFeedLanguage() throws {
        let parsed = try parse(#"<rss version="2.0"><channel><title>T</title><language>es</language></channel></rss>"#)
        #expect(parsed.feed.language == "es")
    }

    @Test func dublinCoreLanguageIsTheFeedLanguage() throws {
        let parsed = try parse(
            #"<rss version="2.0" \#(dc)><channel><title>T</title><dc:language>en-GB</dc:language></channel></rss>"#)
        #expect(parsed.feed.language == "en-GB")
    }

    @Test func lastBuildDateIsTheFeedUpdatedDate() throws {
        let parsed = try parse("""
            <rss version="2.0"><channel><title>T</title><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate>
            <lastBuildDate>Tue, 02 Jan 2024 00:00:00 GMT</lastBuildDate></channel></rss>
            """)
        #expect(iso(parsed.feed.updated) == "2024-01-02T00:00:00Z")
    }

    @Test func feedUpdatedFallsBackToPubDate() throws {
        let parsed = try parse(
            "<rss version=\"2.0\"><channel><title>T</title><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></channel></rss>")
        #expect(iso(parsed.feed.updated) == "2024-01-01T00:00:00Z")
    }

    @Test func itemDatesDoNotBecomeTheFeedDate() throws {
        let parsed = try parse(
            "<rss version=\"2.0\"><channel><title>T</title><item><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item></channel></rss>")
        #expect(parsed.feed.updated == nil)
        #expect(iso(parsed.entries.first?.published) == "2024-01-01T00:00:00Z")
    }

    @Test func entryPublishedFallsBackToUpdated() throws {
        let entry = try parseAtomEntry("<updated>2024-05-01T10:00:00Z</updated>")
        #expect(iso(entry.published) == "2024-05-01T10:00:00Z")
        #expect(iso(entry.updated) == "2024-05-01T10:00:00Z")
    }

    @Test func publishedIsPreferredToUpdated() throws {
        let entry = try parseAtomEntry("<updated>2024-05-02T10:00:00Z</updated><published>2024-05-01T10:00:00Z</published>")
        #expect(iso(entry.published) == "2024-05-01T10:00:00Z")
    }

    @Test func unparseableDateIsNil() throws {
        let entry = try parseItem("<pubDate>sometime last week</pubDate>")
        #expect(entry.published == nil)
    }

    @Test func emptyStringsAreNil() throws {
        let parsed = try parse("""
            <rss version="2.0"><channel><title></title><link></link><language></language>
            <item><title></title><link></link><guid></guid><author></author><description></description></item></channel></rss>
            """)
        #expect(parsed.feed.title == nil)
        #expect(parsed.feed.link == nil)
        #expect(parsed.feed.language == nil)
        let entry = try #require(parsed.entries.first)
        #expect(entry.title == nil)
        #expect(entry.link == nil)
        #expect(entry.id == nil)
        #expect(entry.author == nil)
        #expect(entry.summaryText == nil)
        #expect(entry.contentText == nil)
    }

    @Test func itemsAreEmittedInDocumentOrder() throws {
        let items = (1...5).map { "<item><title>n\($0)</title></item>" }.joined()
        let parsed = try parse("<rss version=\"2.0\"><channel><title>T</title>\(items)</channel></rss>")
        #expect(parsed.entries.map(\.title) == ["n1", "n2", "n3", "n4", "n5"])
        #expect(parsed.entryCount == 5)
    }
}
