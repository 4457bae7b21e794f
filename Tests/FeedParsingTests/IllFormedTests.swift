import Foundation
import Testing
import VigiaModel

@testable import FeedParsing

/// A small deterministic generator, so that "random" inputs are the same on every run.
struct SeededBytes: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state
    }

    static func make(count: Int, seed: UInt64) -> [UInt8] {
        var generator = SeededBytes(state: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}

@Suite struct IllFormedTests {
    @Test func bareAmpersandIsKeptAfterRepairAndBozo() throws {
        let parsed = try Fixture.parse("AmpersandInTitle.xml")
        #expect(parsed.bozo)
        #expect(parsed.feed.title == "Fish & Chips Weekly")
        #expect(parsed.feed.link == "http://chips.example.co.uk/?a=1&b=2")
        let entry = try #require(parsed.entries.first)
        #expect(entry.title == "Salt & vinegar & more")
        #expect(entry.link == "http://chips.example.co.uk/posts?id=7&lang=en")
        #expect(entry.summaryText == "Still decodes & and \u{00A9} and \u{00A9}")
    }

    @Test func lessThanSignInATitleIsKeptAndBozo() throws {
        let parsed = try Fixture.parse("LessThanInTitle.xml")
        #expect(parsed.bozo)
        let entry = try #require(parsed.entries.first)
        #expect(entry.title == "Why 1 < 2 matters")
        #expect(entry.summaryText == "x <= y and y < z")
    }

    @Test func unclosedItemAtEndOfFileIsRecovered() throws {
        let parsed = try Fixture.parse("UnclosedItemAtEndOfFile.xml")
        #expect(parsed.bozo)
        #expect(parsed.feed.title == "Cut short")
        #expect(parsed.entries.map(\.title) == ["Complete item", "Truncated item"])
        #expect(parsed.entries.map(\.link) == ["http://cut.example/1", "http://cut.example/2"])
    }

    @Test func mismatchedTagsAreRecoveredAndBozo() throws {
        let parsed = try Fixture.parse("MismatchedTags.xml")
        #expect(parsed.bozo)
        #expect(parsed.feed.title == "Sloppy CMS")
        #expect(parsed.entries.map(\.title) == ["First bold", "Second"])
        #expect(parsed.entries.first?.link == "http://sloppy.example/1")
    }

    @Test func undeclaredPrefixIsReadByItsCustomaryMeaningAndBozo() throws {
        let parsed = try Fixture.parse("UndeclaredContentPrefix.xml")
        #expect(parsed.bozo)
        let entry = try #require(parsed.entries.first)
        #expect(entry.contentText == "Full content")
        #expect(entry.summaryText == "Summary")
        #expect(entry.author == "Ana")
    }

    @Test func wellFormedFeedIsNotBozo() throws {
        let parsed = try Fixture.parse("RSS20LastBuildDateAndPermalinkGuid.xml")
        #expect(parsed.bozo == false)
        #expect(parsed.bozoReasons.isEmpty)
    }

    @Test func bozoReasonNamesTheLine() throws {
        let parsed = try Fixture.parse("MismatchedTags.xml")
        #expect(parsed.bozoReasons.contains { $0.contains("line 6") })
    }

    @Test func onlyAngleBracketsIsAnErrorNamingDocumentAndLine() throws {
        let error = try #require(parsingError { _ = try parse("<<<", .init(documentName: "brackets.xml")) })
        #expect(error.kind == .notWellFormed)
        #expect(error.document == "brackets.xml")
        #expect(error.line == 1)
        #expect(error.description.hasPrefix("brackets.xml:1: "))
    }

    @Test func brokenMarkupOnALaterLineNamesThatLine() throws {
        let error = try #require(parsingError { _ = try parse("\n\n\n<<<<\n", .init(documentName: "late.xml")) })
        #expect(error.document == "late.xml")
        #expect(error.line == 4)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func randomBytesAreAnErrorNamingDocumentAndLine(_ seed: UInt64) throws {
        let bytes = SeededBytes.make(count: 4096, seed: seed)
        let error = try #require(parsingError { _ = try parse(bytes: bytes, .init(documentName: "random-\(seed).bin")) })
        #expect(error.document == "random-\(seed).bin")
        #expect(error.line != nil)
    }

    @Test func invalidJSONNamesLineAndColumn() throws {
        let error = try #require(parsingError {
            _ = try parse("{\n  \"version\": \"https://jsonfeed.org/version/1.1\",\n  \"items\": [,]\n}", .init(documentName: "feed.json"))
        })
        #expect(error.kind == .notWellFormed)
        #expect(error.document == "feed.json")
        #expect(error.line == 3)
        #expect(error.message.contains("column"))
    }
}
