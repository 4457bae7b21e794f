import Foundation
import Pipeline
import Storage
import Testing
import VigiaModel

@testable import Polling

/// A folder with a `vigia.yaml` and whatever files a test writes, removed when the test ends.
private final class ConfigFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-sources-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ name: String, _ text: String) throws {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    func configuration(sources: String) throws -> Configuration {
        let yaml = """
            sources:
            \(sources)
            brands:
              - name: Acme
                query: Acme
            """
        try write("vigia.yaml", yaml)
        return try Configuration.parse(yaml, file: url.appendingPathComponent("vigia.yaml"))
    }

    /// `file://` URL of a path inside the folder.
    func fileURL(_ path: String) -> String {
        url.appendingPathComponent(path).standardizedFileURL.absoluteString
    }
}

private func opml(_ outlines: [(url: String, title: String)], folder: String? = nil) -> String {
    var body = outlines.map { #"<outline type="rss" text="\#($0.title)" title="\#($0.title)" xmlUrl="\#($0.url)"/>"# }
    if let folder { body = [#"<outline text="\#(folder)">"#] + body + ["</outline>"] }
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <opml version="2.0"><head><title>Feeds</title></head><body>
        \(body.joined(separator: "\n"))
        </body></opml>
        """
}

@Suite struct SourceListTests {
    @Test func configuredFeedsFromURLsAndOPMLFiles() throws {
        let folder = try ConfigFolder()
        try folder.write("lists/main.opml", opml([
            ("local/c.xml", "C"),  // relative: a file beside the OPML file
            ("https://example.org/b.xml", "B again"),  // already listed in vigia.yaml
            ("https://example.org/d.xml", "D"),
        ], folder: "News"))
        try folder.write("feeds/extra.opml", opml([("https://example.org/e.xml", "E"), ("https://example.org/d.xml", "D again")]))
        try folder.write("feeds/another.OPML", opml([("/srv/feeds/f.xml", "F")]))
        try folder.write("feeds/notes.txt", "not an OPML file")
        let configuration = try folder.configuration(sources: """
              - url: https://example.org/a.xml
              - url: https://example.org/b.xml
                interval: 15m
                name: B
                format: rss
              - opml: lists/main.opml
                interval: 2h
            """)

        let feeds = try SourceList.configuredFeeds(configuration)
        #expect(feeds.map(\.url) == [
            "https://example.org/a.xml",
            "https://example.org/b.xml",
            folder.fileURL("lists/local/c.xml"),
            "https://example.org/d.xml",
            "file:///srv/feeds/f.xml",  // feeds/*.opml in name order: another.OPML, then extra.opml
            "https://example.org/e.xml",
        ])
        let byURL = Dictionary(uniqueKeysWithValues: feeds.map { ($0.url, $0) })
        let b = try #require(byURL["https://example.org/b.xml"])
        #expect(b.title == "B")
        #expect(b.interval == .seconds(900))
        #expect(b.format == .rss)
        #expect(b.listedIn == "vigia.yaml")
        let c = try #require(byURL[folder.fileURL("lists/local/c.xml")])
        #expect(c.title == "C")
        #expect(c.interval == .seconds(7200))  // the OPML source's interval
        #expect(c.listedIn.hasSuffix("lists/main.opml"))
        let e = try #require(byURL["https://example.org/e.xml"])
        #expect(e.interval == nil)
        #expect(e.listedIn.hasSuffix("feeds/extra.opml"))
        #expect(byURL["https://example.org/d.xml"]?.title == "D")  // the first listing wins
    }

    @Test func opmlFilesBesideTheConfiguration() throws {
        let folder = try ConfigFolder()
        try folder.write("feeds/b.opml", opml([]))
        try folder.write("feeds/a.opml", opml([]))
        try folder.write("feeds/c.xml", "<rss/>")
        let configuration = try folder.configuration(sources: "  - url: https://example.org/a.xml")
        #expect(SourceList.opmlFiles(besides: configuration).map(\.lastPathComponent) == ["a.opml", "b.opml"])

        let bare = try ConfigFolder()
        #expect(SourceList.opmlFiles(besides: try bare.configuration(sources: "  - url: https://example.org/a.xml")).isEmpty)
    }

    @Test func anOPMLFileNamedInTheConfigurationIsNotReadTwice() throws {
        let folder = try ConfigFolder()
        try folder.write("feeds/main.opml", opml([("https://example.org/a.xml", "A")]))
        let configuration = try folder.configuration(sources: """
              - opml: feeds/main.opml
                interval: 1h
            """)
        let feeds = try SourceList.configuredFeeds(configuration)
        #expect(feeds.count == 1)
        #expect(feeds.first?.interval == .seconds(3600))
    }

    @Test func missingOPMLFileNamedInTheConfigurationIsAnError() throws {
        let folder = try ConfigFolder()
        let configuration = try folder.configuration(sources: "  - opml: nowhere.opml")
        #expect(throws: SourceListError.self) { try SourceList.configuredFeeds(configuration) }
    }

    @Test func fileThatIsNotOPMLIsAnError() throws {
        let folder = try ConfigFolder()
        try folder.write("broken.opml", "this is not < xml at all")
        let configuration = try folder.configuration(sources: "  - opml: broken.opml")
        #expect(throws: SourceListError.self) { try SourceList.configuredFeeds(configuration) }
    }

    @Test func relativeURLsResolve() {
        let folder = URL(fileURLWithPath: "/srv/vigia/lists")
        #expect(SourceList.resolve("c.xml", against: folder) == "file:///srv/vigia/lists/c.xml")
        #expect(SourceList.resolve("../c.xml", against: folder) == "file:///srv/vigia/c.xml")
        #expect(SourceList.resolve("/abs/c.xml", against: folder) == "file:///abs/c.xml")
        #expect(SourceList.resolve("  https://example.org/f  ", against: folder) == "https://example.org/f")
        #expect(SourceList.resolve("HTTP://example.org/f", against: folder) == "HTTP://example.org/f")
        #expect(SourceList.resolve("file:///x.xml", against: folder) == "file:///x.xml")
        #expect(SourceList.resolve("ftp://example.org/f", against: folder) == nil)
        #expect(SourceList.resolve("   ", against: folder) == nil)
    }

    // MARK: Synchronising with the store

    private static func feed(_ url: String, title: String? = nil, interval: Duration? = nil, format: FeedFormat? = nil) -> ConfiguredFeed {
        ConfiguredFeed(url: url, format: format, title: title, interval: interval, listedIn: "vigia.yaml")
    }

    @Test func synchronizeRegistersDeactivatesAndReactivates() async throws {
        let folder = try ConfigFolder()
        let store = try SQLiteMentionStore(path: folder.url.appendingPathComponent("vigia.db").path)
        let (a, b, c, d) = ("https://example.org/a.xml", "https://example.org/b.xml", "https://example.org/c.xml", "https://example.org/d.xml")

        let first = try await SourceList.synchronize([Self.feed(a), Self.feed(b, title: "B"), Self.feed(c)], into: store)
        #expect(first.map(\.url) == [a, b, c])
        #expect(first.allSatisfy { $0.active && $0.kind == .feed })
        #expect(try await store.sources().count == 3)
        let bID = try #require(first.first { $0.url == b }?.id)

        // b removed, d added.
        let second = try await SourceList.synchronize([Self.feed(a), Self.feed(c), Self.feed(d)], into: store)
        #expect(second.map(\.url) == [a, c, d])
        var all = try await store.sources()
        #expect(all.count == 4)
        let removed = try #require(all.first { $0.url == b })
        #expect(removed.active == false)
        #expect(removed.title == "B")  // kept, with its entries

        // b back: the same source, active again; c and d gone.
        let third = try await SourceList.synchronize([Self.feed(a), Self.feed(b)], into: store)
        #expect(third.map(\.url) == [a, b])
        #expect(third.first { $0.url == b }?.id == bID)
        all = try await store.sources()
        #expect(all.count == 4)
        #expect(Set(all.filter(\.active).map(\.url)) == [a, b])
        #expect(Set(all.filter { !$0.active }.map(\.url)) == [c, d])
    }

    @Test func synchronizeUpdatesIntervalsFormatsAndMissingTitles() async throws {
        let folder = try ConfigFolder()
        let store = try SQLiteMentionStore(path: folder.url.appendingPathComponent("vigia.db").path)
        let url = "https://example.org/a.xml"
        let registered = try #require(try await SourceList.synchronize([Self.feed(url)], into: store).first)
        #expect(registered.pollInterval == nil)
        #expect(registered.title == nil)

        let updated = try #require(try await SourceList.synchronize(
            [Self.feed(url, title: "A", interval: .seconds(600), format: .atom)], into: store).first)
        #expect(updated.id == registered.id)
        #expect(updated.pollInterval == 600)
        #expect(updated.format == .atom)
        #expect(updated.title == "A")
        let stored = try #require(try await store.source(id: registered.id))
        #expect(stored.pollInterval == 600)
        #expect(stored.format == .atom)
        #expect(stored.title == "A")

        // A title already known is not replaced; an interval no longer configured is dropped.
        let again = try #require(try await SourceList.synchronize([Self.feed(url, title: "Other")], into: store).first)
        #expect(again.title == "A")
        #expect(again.pollInterval == nil)
        #expect(try await store.source(id: registered.id)?.pollInterval == nil)
    }

    @Test func synchronizeLeavesImportsAlone() async throws {
        let folder = try ConfigFolder()
        let store = try SQLiteMentionStore(path: folder.url.appendingPathComponent("vigia.db").path)
        let imported = try await store.registerSource(NewSource(kind: .import, url: "file:///data/export.csv"))
        let active = try await SourceList.synchronize([Self.feed("https://example.org/a.xml")], into: store)
        #expect(active.count == 1)
        #expect(try await store.source(id: imported.id)?.active == true)
    }

    /// The whole path: a configuration and OPML file into the store.
    @Test func configurationIntoTheStore() async throws {
        let folder = try ConfigFolder()
        try folder.write("feeds/list.opml", opml([("local.xml", "Local"), ("https://example.org/a.xml", "A")]))
        let configuration = try folder.configuration(sources: "  - url: https://example.org/a.xml")
        let store = try SQLiteMentionStore(path: folder.url.appendingPathComponent("vigia.db").path)
        let active = try await SourceList.synchronize(try SourceList.configuredFeeds(configuration), into: store)
        #expect(active.map(\.url) == ["https://example.org/a.xml", folder.fileURL("feeds/local.xml")])
        #expect(active.last?.title == "Local")
    }
}
