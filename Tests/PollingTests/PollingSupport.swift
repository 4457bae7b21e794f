import Foundation
import Logging
import Pipeline
import Storage
import TestSupport
import Testing

@testable import Polling

/// A temporary folder with `vigia.yaml` (one brand, `Acme`), a fresh store, a poller, and a local
/// feed server; everything is removed or stopped when the test ends.
final class PollingWorkspace: Sendable {
    let directory: URL
    let configuration: Configuration
    let store: SQLiteMentionStore
    let poller: Poller
    let server: LocalFeedServer

    static let yaml = """
        brands:
          - name: Acme
            query: 'Acme'
        """

    /// The analysis model of ``yaml``, loaded once: loading the lexicons is the slow part of a
    /// workspace, and the model is immutable.
    static let model = Result {
        try AnalysisModel(configuration: Configuration.parse(yaml, file: URL(fileURLWithPath: "/vigia-tests/vigia.yaml")))
    }

    /// Transfers that go wrong end within seconds.
    static var quickSettings: FetchSettings {
        var settings = FetchSettings()
        settings.connectTimeout = .seconds(5)
        settings.timeout = .seconds(10)
        settings.stallTimeout = .seconds(5)
        settings.concurrency = 4
        settings.perHost = 4
        return settings
    }

    init(settings: FetchSettings = PollingWorkspace.quickSettings, serverRoot: Bool = false) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-polling-\(UUID().uuidString)")
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        configuration = try Configuration.parse(Self.yaml, file: directory.appendingPathComponent("vigia.yaml"))
        // Loading the model, opening the store and starting the server block: off the pool.
        let (model, store, server) = try await offPool {
            (try Self.model.get(), try SQLiteMentionStore(path: directory.appendingPathComponent("vigia.db").path),
             try LocalFeedServer(root: serverRoot ? directory : nil))
        }
        self.store = store
        self.server = server
        poller = Poller(
            store: store, model: model, settings: settings, contact: "mailto:tests@example.org",
            logger: Logger(label: "test"), analysisThreads: 1)
    }

    /// Stopping the server waits for Foundation to reap its process, which takes a Dispatch worker
    /// thread; with every cooperative thread blocked in such a stop, the stops wait forever. So the
    /// server is stopped on a thread of its own.
    deinit {
        let (server, directory) = (self.server, self.directory)
        Thread {
            server.stop()
            try? FileManager.default.removeItem(at: directory)
        }.start()
    }

    /// Registers the server's `path` as a feed.
    func register(_ path: String) async throws -> SourceRecord {
        try await store.registerSource(NewSource(kind: .feed, url: server.url(path)))
    }

    /// Polls `source` once; returns the report and the source as stored afterwards.
    func poll(_ source: SourceRecord) async throws -> (report: PollReport, source: SourceRecord) {
        let report = try await poller.poll([source])
        let stored = try #require(try await store.source(id: source.id))
        return (report, stored)
    }

    /// Polls the stored state of `source` again.
    func pollAgain(_ source: SourceRecord) async throws -> (report: PollReport, source: SourceRecord) {
        let stored = try #require(try await store.source(id: source.id))
        return try await poll(stored)
    }

    /// Writes `text` to `name` in the workspace and returns the file's URL.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        let file = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }
}

/// Runs blocking work (loading the model, starting a server process) on a thread of its own, so
/// that the tests running in parallel do not starve Swift's small cooperative pool.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

extension PollReport {
    /// Mentions of `brand` in new entries, all sentiments.
    func mentions(of brand: String) -> Int { mentions[brand]?.values.reduce(0, +) ?? 0 }
}

/// A small RSS document with `count` items mentioning Acme.
func rssDocument(title: String = "Local Acme feed", prefix: String = "local", count: Int = 2) -> String {
    var items = ""
    for index in 0..<count {
        items += """
            <item><guid>\(prefix)-\(index)</guid><title>Acme local news \(index)</title>
            <link>https://example.org/\(prefix)/\(index)</link>
            <description>Local item \(index): people are talking about Acme gadgets again.</description>
            <pubDate>Mon, 01 Jan 2024 0\(index % 10):00:00 GMT</pubDate></item>

            """
    }
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>\(title)</title><link>https://example.org/</link>
        \(items)</channel></rss>

        """
}
