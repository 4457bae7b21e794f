import Foundation
import Testing
import VigiaModel

@testable import FeedParsing

@Suite struct OPMLTests {
    private func document() throws -> OPMLDocument {
        try OPMLDocument(parsing: Fixture.bytes("OPMLNestedFolders.opml"), documentName: "OPMLNestedFolders.opml")
    }

    @Test func opmlIsSniffedAsOPML() throws {
        #expect(try Fixture.parse("OPMLNestedFolders.opml").format == .opml)
    }

    @Test func opmlReadsTheHeadTitleAndEveryFeed() throws {
        let document = try document()
        #expect(document.title == "Brand watch & friends")
        #expect(document.feeds.map(\.url) == [
            "https://aero.example.es/feed", "https://sky.example.com/atom.xml", "https://loose.example.org/rss",
        ])
    }

    @Test func opmlNestedFoldersBecomeCategoriesOutermostFirst() throws {
        let feeds = try document().feeds
        #expect(feeds[0].categories == ["Airlines", "Spain"])
        #expect(feeds[0].title == "Aero Blog")
        #expect(feeds[0].siteURL == "https://aero.example.es/")
        #expect(feeds[0].language == "es")
        #expect(feeds[0].type == "rss")
        #expect(feeds[2].categories == [])
    }

    @Test func opmlCategoryAttributeIsAddedAfterTheFolders() throws {
        let feeds = try document().feeds
        #expect(feeds[1].categories == ["Airlines", "travel", "reviews"])
        #expect(feeds[1].type == "atom")
    }

    @Test func opmlWriteThenReadRoundTrips() throws {
        let original = try document()
        let written = original.xml()
        let reread = try OPMLDocument(parsing: Array(written.utf8))
        #expect(reread.title == original.title)
        #expect(Set(reread.feeds) == Set(original.feeds))
        #expect(reread.feeds.count == original.feeds.count)
    }

    @Test func opmlWriterEscapesMarkupCharacters() throws {
        let awkward = OPMLDocument(
            title: "Q&A <weekly>",
            feeds: [OPMLFeed(url: "https://x.example/feed?a=1&b=2", title: "Tom's \"best\" <feed>", categories: ["R&D"])])
        let written = awkward.xml()
        #expect(!written.contains("a=1&b=2"))
        let reread = try OPMLDocument(parsing: Array(written.utf8))
        #expect(reread == OPMLDocument(
            title: "Q&A <weekly>",
            feeds: [OPMLFeed(url: "https://x.example/feed?a=1&b=2", title: "Tom's \"best\" <feed>", categories: ["R&D"], type: "rss")]))
    }
}

@Suite struct StackExchangeTests {
    @Test func postsDumpIsSniffedAndEveryRowRead() throws {
        let parsed = try Fixture.parse("StackExchangePostsEscapedBodies.xml")
        #expect(parsed.format == .stackExchange)
        #expect(parsed.entries.map(\.id) == ["1", "2", "3"])
    }

    @Test func postBodiesAreEscapedHTMLReadAsText() throws {
        let entries = try Fixture.parse("StackExchangePostsEscapedBodies.xml").entries
        #expect(entries[0].title == "Espresso & temperature")
        #expect(entries[0].contentText == "How do I make espresso & keep it hot? Second paragraph.")
        #expect(entries[1].contentText == "Preheat the cup.")
    }

    @Test func oldAngleBracketTagsAndNewPipeTagsAreBothSplit() throws {
        let entries = try Fixture.parse("StackExchangePostsEscapedBodies.xml").entries
        #expect(entries[0].categories == ["coffee", "espresso"])
        #expect(entries[2].categories == ["coffee", "grinders"])
    }

    @Test func datesWithoutZoneAreUTC() throws {
        let entries = try Fixture.parse("StackExchangePostsEscapedBodies.xml").entries
        #expect(iso(entries[0].published) == "2024-05-01T10:00:00Z")
        #expect(iso(entries[0].updated) == "2024-05-02T11:00:00Z")
        #expect(iso(entries[1].updated) == "2024-05-03T08:00:00Z")
    }

    @Test func authorIsTheDisplayNameOrTheUserID() throws {
        let entries = try Fixture.parse("StackExchangePostsEscapedBodies.xml").entries
        #expect(entries[0].author == "user 11")
        #expect(entries[1].author == "barista")
        #expect(entries[0].engagement == 7)
    }

    @Test func linksExistOnlyWithABaseURL() throws {
        let without = try Fixture.parse("StackExchangePostsEscapedBodies.xml").entries
        #expect(without.allSatisfy { $0.link == nil })
        let with = try Fixture.parse("StackExchangePostsEscapedBodies.xml", .init(baseURL: "https://coffee.stackexchange.com/")).entries
        #expect(with.map(\.link) == [
            "https://coffee.stackexchange.com/q/1", "https://coffee.stackexchange.com/a/2", "https://coffee.stackexchange.com/q/3",
        ])
    }

    @Test func commentsDumpReadsTheTextAttribute() throws {
        let parsed = try Fixture.parse("StackExchangeCommentsPlainText.xml", .init(baseURL: "https://coffee.stackexchange.com"))
        #expect(parsed.format == .stackExchange)
        #expect(parsed.entries.map(\.contentText) == ["Great question & a fair one, but 1 < 2", "Me too"])
        #expect(parsed.entries.map(\.author) == ["user 12", "anon"])
        #expect(parsed.entries[0].link == "https://coffee.stackexchange.com/posts/comments/100")
        #expect(iso(parsed.entries[0].published) == "2024-05-01T10:05:00Z")
    }
}

@Suite struct DiscourseTests {
    private let base = FeedParser.Options(baseURL: "https://forum.example.org/latest.json")

    @Test func latestTopicListReadsTopics() throws {
        let parsed = try Fixture.parse("DiscourseLatestTopicList.json", base)
        #expect(parsed.format == .discourse)
        let topic = try #require(parsed.entries.first)
        #expect(topic.id == "topic-501")
        #expect(topic.title == "Checkout button \u{201C}broken\u{201D}")
        #expect(topic.link == "https://forum.example.org/t/checkout-button-broken/501")
        #expect(iso(topic.published) == "2024-05-01T09:00:00Z")
        #expect(topic.summaryText == "When I press pay nothing happens\u{2026}")
        #expect(topic.categories == ["bug", "checkout"])
        #expect(topic.engagement == 4)
    }

    @Test func latestTopicAuthorIsTheOriginalPoster() throws {
        let topic = try #require(try Fixture.parse("DiscourseLatestTopicList.json", base).entries.first)
        #expect(topic.author == "eva")
    }

    @Test func latestPostsReadCookedHTMLAsText() throws {
        let parsed = try Fixture.parse("DiscourseLatestPosts.json", base)
        #expect(parsed.format == .discourse)
        let post = try #require(parsed.entries.first)
        #expect(post.id == "post-9001")
        #expect(post.title == "Checkout button broken")
        #expect(post.link == "https://forum.example.org/t/checkout-button-broken/501/4")
        #expect(post.contentText == "Still broken today. quoted")
        #expect(post.author == "eva")
        #expect(iso(post.published) == "2024-05-02T08:00:00Z")
        #expect(iso(post.updated) == "2024-05-02T08:05:00Z")
    }

    @Test func topicPostStreamUsesTheTopicTitleAndTags() throws {
        let parsed = try Fixture.parse("DiscourseTopicPostStream.json", base)
        #expect(parsed.format == .discourse)
        #expect(parsed.feed.title == "Checkout button broken")
        #expect(parsed.entries.map(\.title) == ["Checkout button broken", "Checkout button broken"])
        #expect(parsed.entries.map(\.contentText) == ["First post", "We are on it"])
        #expect(parsed.entries.map(\.link) == [
            "https://forum.example.org/t/checkout-button-broken/501/1", "https://forum.example.org/t/checkout-button-broken/501/2",
        ])
        #expect(parsed.entries[0].categories == ["bug", "checkout"])
        #expect(parsed.entries[1].engagement == 5)
    }
}

@Suite struct RedditTests {
    @Test func listingOfPostsReadsT3Children() throws {
        let parsed = try Fixture.parse("RedditListingPosts.json")
        #expect(parsed.format == .reddit)
        #expect(parsed.entries.map(\.id) == ["t3_abc123", "t3_def456"])
        let post = parsed.entries[0]
        #expect(post.title == "Airline lost my bag")
        #expect(post.contentText == "Third time this year.")
        #expect(post.author == "traveller")
        #expect(post.link == "https://www.reddit.com/r/travel/comments/abc123/airline_lost_my_bag/")
        #expect(iso(post.published) == "2024-05-01T10:00:00Z")
        #expect(post.categories == ["travel"])
        #expect(post.engagement == 42)
    }

    @Test func linkPostWithoutSelftextKeepsTheOutsideURL() throws {
        let post = try Fixture.parse("RedditListingPosts.json").entries[1]
        #expect(post.contentText == nil)
        #expect(post.summaryText == "https://news.example.com/story")
        #expect(iso(post.published) == "2024-05-01T11:00:00Z")
    }

    @Test func commentsAndTheirNestedRepliesAreAllRead() throws {
        let parsed = try Fixture.parse("RedditCommentsNestedReplies.json")
        #expect(parsed.format == .reddit)
        #expect(parsed.entries.map(\.id) == ["t3_abc123", "t1_c1", "t1_c2"])
        #expect(parsed.entries.map(\.contentText) == ["Third time.", "Same happened to me", "And to me"])
        #expect(parsed.entries[1].title == "Re: Airline lost my bag")
        #expect(parsed.entries[2].author == "bob")
        #expect(parsed.entries[2].link == "https://www.reddit.com/r/travel/comments/abc123/x/c2/")
    }
}

@Suite struct CSVTests {
    @Test func quotedFieldsWithCommasDoubledQuotesAndNewlines() throws {
        let parsed = try Fixture.parse("CSVQuotedFieldsAndBadRecord.csv")
        #expect(parsed.format == .csv)
        #expect(parsed.entries.count == 4)
        #expect(parsed.entries[0].contentText == "Hello, world")
        #expect(parsed.entries[1].contentText == "She said \"no\" twice")
        #expect(parsed.entries[2].contentText == "line one\nline two")
    }

    @Test func headerNamesAreCaseInsensitive() throws {
        let first = try #require(try Fixture.parse("CSVQuotedFieldsAndBadRecord.csv").entries.first)
        #expect(first.id == "1")
        #expect(first.title == "Plain")
        #expect(first.link == "https://csv.example/1")
        #expect(first.author == "ana")
        #expect(iso(first.published) == "2024-05-01T10:00:00Z")
    }

    @Test func rfc822AndDateOnlyValuesAreRead() throws {
        let entries = try Fixture.parse("CSVQuotedFieldsAndBadRecord.csv").entries
        #expect(iso(entries[1].published) == "2024-05-01T12:00:00Z")
        #expect(iso(entries[2].published) == "2024-05-02T00:00:00Z")
    }

    @Test func badRecordIsSkippedWithItsLineAndTheRestKept() throws {
        let parsed = try Fixture.parse("CSVQuotedFieldsAndBadRecord.csv")
        #expect(parsed.skippedRecords.map(\.line) == [6])
        #expect(parsed.entries.last?.id == "5")
        #expect(parsed.entries.last?.contentText == "still read")
    }

    @Test func semicolonDelimiterIsDetected() throws {
        let parsed = try Fixture.parse("CSVSemicolonDelimited.csv")
        #expect(parsed.format == .csv)
        #expect(parsed.entries.map(\.contentText) == ["Uno; dos", "Tres"])
        #expect(parsed.entries.map(\.author) == ["ana", "luis"])
    }

    @Test func columnMappingRenamesFields() throws {
        let columns = try ColumnMapping(parsing: "text=body, published=created_at,author=user")
        let parsed = try Fixture.parse("CSVNeedsColumnMapping.csv", .init(columns: columns))
        let entry = try #require(parsed.entries.first)
        #expect(entry.contentText == "Renamed body")
        #expect(entry.author == "ana")
        #expect(iso(entry.published) == "2024-05-01T10:00:00Z")
    }

    @Test func recordWithoutTextColumnIsSkippedWithAHintToMap() throws {
        let parsed = try Fixture.parse("CSVNeedsColumnMapping.csv")
        #expect(parsed.entries.isEmpty)
        #expect(parsed.skippedRecords.count == 1)
        #expect(parsed.skippedRecords.first?.line == 2)
        #expect(parsed.skippedRecords.first?.reason.contains("--map") == true)
    }

    @Test func unparseableDateSkipsTheRecord() throws {
        let parsed = try parse("title,published\nOne,yesterday-ish\nTwo,2024-05-01\n")
        #expect(parsed.entries.map(\.title) == ["Two"])
        #expect(parsed.skippedRecords.map(\.line) == [2])
    }

    @Test func engagementIsReadWhenItIsANumber() throws {
        let parsed = try parse("title,engagement,votes\nOne,42,1\nTwo,12.9,2\nThree,lots,3\nFour,,4\n")
        #expect(parsed.entries.map(\.title) == ["One", "Two", "Three", "Four"], "a bad engagement never drops the record")
        #expect(parsed.entries.map(\.engagement) == [42, 12, nil, nil])
        let mapped = try parse("title,votes\nOne,7\n", .init(columns: try ColumnMapping(parsing: "engagement=votes")))
        #expect(mapped.entries.first?.engagement == 7)
        let json = try parse("{\"title\": \"A\", \"engagement\": 99}\n{\"title\": \"B\", \"engagement\": 1e300}\n")
        #expect(json.entries.map(\.engagement) == [99, nil])
    }

    @Test func malformedColumnMappingIsRejected() {
        #expect(throws: FeedParsingError.self) { try ColumnMapping(parsing: "text") }
        #expect(throws: FeedParsingError.self) { try ColumnMapping(parsing: "bogus=column") }
        #expect(throws: FeedParsingError.self) { try ColumnMapping(parsing: "text=") }
    }
}

@Suite struct JSONLinesTests {
    private func parsed() throws -> ParsedFeed {
        let columns = try ColumnMapping(parsing: "author=user.name,published=created")
        return try Fixture.parse("JSONLinesNestedAuthorAndEpoch.jsonl", .init(columns: columns))
    }

    @Test func jsonLinesIsSniffed() throws {
        #expect(try parsed().format == .jsonl)
    }

    @Test func badLineIsSkippedWithItsLineNumber() throws {
        let parsed = try parsed()
        #expect(parsed.entries.map(\.id) == ["a1", "a3"])
        #expect(parsed.skippedRecords.map(\.line) == [2])
    }

    @Test func dottedPathsReachIntoNestedObjects() throws {
        #expect(try parsed().entries.map(\.author) == ["Ana", "Eva"])
    }

    @Test func epochSecondsAndISOStringsAreDates() throws {
        #expect(try parsed().entries.map { iso($0.published) } == ["2024-05-01T10:00:00Z", "2024-05-01T12:00:00Z"])
    }

    @Test func epochMillisecondsAreDates() throws {
        let parsed = try parse("{\"text\":\"a\",\"published\":1714557600000}\n{\"text\":\"b\",\"published\":\"1714557600\"}\n")
        #expect(parsed.entries.map { iso($0.published) } == ["2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z"])
    }
}
