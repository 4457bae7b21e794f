import Foundation
import Testing
import VigiaModel

@testable import FeedParsing

/// Helpers shared by the FeedParsing suites.
enum Fixture {
    /// The bytes of a fixture in `Fixtures/`.
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
            "missing fixture \(name)")
        return Array(try Data(contentsOf: url))
    }

    /// The path of a fixture in `Fixtures/`.
    static func path(_ name: String) throws -> String {
        try #require(
            Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
            "missing fixture \(name)"
        ).path
    }

    /// Parses a fixture from memory, named after the fixture in messages.
    static func parse(_ name: String, _ options: FeedParser.Options = .init()) throws -> ParsedFeed {
        var options = options
        options.documentName = name
        return try FeedParser(options: options).parse(bytes(name))
    }
}

/// Parses a document given as text.
func parse(_ text: String, _ options: FeedParser.Options = .init()) throws -> ParsedFeed {
    try FeedParser(options: options).parse(Array(text.utf8))
}

/// Parses raw bytes.
func parse(bytes: [UInt8], _ options: FeedParser.Options = .init()) throws -> ParsedFeed {
    try FeedParser(options: options).parse(bytes)
}

/// Parses an RSS 2.0 document with one item whose inner XML is `item`.
func parseItem(_ item: String, namespaces: String = "", channel: String = "") throws -> FeedEntry {
    let document = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0" \(namespaces)><channel><title>T</title>\(channel)<item>\(item)</item></channel></rss>
        """
    let parsed = try parse(document)
    return try #require(parsed.entries.first)
}

/// Parses an Atom 1.0 document with one entry whose inner XML is `entry`.
func parseAtomEntry(_ entry: String, feedAttributes: String = "", namespaces: String = "") throws -> FeedEntry {
    let document = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" \(namespaces) \(feedAttributes)><title>T</title><entry>\(entry)</entry></feed>
        """
    let parsed = try parse(document)
    return try #require(parsed.entries.first)
}

/// An ISO 8601 UTC string for an optional date (nil stays nil).
func iso(_ date: Date?) -> String? {
    date.map(FeedDate.iso8601)
}

/// The error a throwing closure throws, as a `FeedParsingError`.
func parsingError(_ body: () throws -> Void) -> FeedParsingError? {
    do {
        try body()
        return nil
    } catch let error as FeedParsingError {
        return error
    } catch {
        Issue.record("expected a FeedParsingError, got \(error)")
        return nil
    }
}

/// A fresh temporary directory, removed by the caller.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
