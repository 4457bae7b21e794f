import Foundation
import Testing
import VigiaModel

@testable import FeedParsing

@Suite struct ConcurrencyTests {
    /// Parsers on many threads at once (the daemon parses feeds concurrently) give the same
    /// entries as one parser alone, and none of them waits for another.
    @Test func parsersOnManyThreadsAtOnceAgree() async throws {
        let names = [
            "RSS20LastBuildDateAndPermalinkGuid.xml", "Atom10XhtmlContentAndXmlBase.xml", "RSS10ItemsIdentifiedByRdfAbout.rdf",
            "StackExchangePostsEscapedBodies.xml", "JSONFeed11AuthorsAndAttachments.json", "CSVQuotedFieldsAndBadRecord.csv",
            "AmpersandInTitle.xml", "OPMLNestedFolders.opml",
        ]
        let documents = try names.map { try Fixture.bytes($0) }
        let expected = try documents.map { try FeedParser().parse($0).entries }
        try await withThrowingTaskGroup(of: (Int, [FeedEntry]).self) { group in
            for round in 0..<64 {
                let index = round % documents.count
                let bytes = documents[index]
                group.addTask { (index, try FeedParser().parse(bytes).entries) }
            }
            for try await (index, entries) in group {
                #expect(entries == expected[index], "\(names[index])")
            }
        }
    }
}
