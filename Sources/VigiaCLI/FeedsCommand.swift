import ArgumentParser
import FeedParsing
import Foundation
import Pipeline
import Polling
import Storage
import VigiaModel

/// `vigia feeds …`: the list of polled sources and their health.
struct FeedsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "Manage the polled feeds and see their health.",
        discussion: """
            Feeds are listed in vigia.yaml (`sources:`) and in OPML files: those vigia.yaml names and \
            every feeds/*.opml beside it. `add`, `remove` and `import` edit feeds/feeds.opml.
            """,
        subcommands: [
            FeedsList.self, FeedsAdd.self, FeedsRemove.self, FeedsImport.self, FeedsExport.self, FeedsStatus.self,
            FeedsCheck.self,
        ])
}

/// Loading shared by the `feeds` subcommands.
extension ConfigurationOptions {
    /// The configured feeds, with a clear error for an unreadable OPML file.
    func configuredFeeds(_ configuration: Configuration) throws -> [ConfiguredFeed] {
        do {
            return try SourceList.configuredFeeds(configuration)
        } catch let error as SourceListError {
            Terminal.error("vigia: error: \(error)")
            throw ExitCode(2)
        }
    }
}

/// The OPML file `feeds add`, `remove` and `import` edit: `feeds/feeds.opml` beside the configuration.
enum FeedListFile {
    static func url(_ configuration: Configuration) -> URL {
        configuration.directory.appendingPathComponent("feeds/feeds.opml")
    }

    static func read(_ file: URL) throws -> OPMLDocument {
        guard let data = FileManager.default.contents(atPath: file.path) else { return OPMLDocument(title: "Vigía feeds") }
        do {
            return try OPMLDocument(parsing: Array(data), documentName: file.path)
        } catch {
            Terminal.error("vigia: error: \(file.path) is not an OPML file: \(error); fix or move it first")
            throw ExitCode(2)
        }
    }

    /// Writes the list atomically (a crash leaves the old file or the new one).
    static func write(_ document: OPMLDocument, to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(document.xml().utf8).write(to: file, options: .atomic)
    }

    /// `url` as the list stores it: http(s) and file URLs as given, a path as a file URL.
    static func normalised(_ url: String) throws -> String {
        let lower = url.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("file://") {
            guard URL(string: url)?.host != nil || lower.hasPrefix("file://") else {
                throw ValidationError("'\(url)' is not a URL with a host")
            }
            return url
        }
        guard !url.contains("://") else { throw ValidationError("'\(url)' is not an http(s):// or file:// URL") }
        return URL(fileURLWithPath: url).standardizedFileURL.absoluteString
    }
}

struct FeedsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every configured feed and where it is listed.")

    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        let configuration = try config.load()
        let feeds = try config.configuredFeeds(configuration)
        if feeds.isEmpty {
            Terminal.line("No feeds configured; add one with `vigia feeds add URL`.")
        }
        for feed in feeds {
            var details = [feed.listedIn]
            if let format = feed.format { details.append(format.rawValue) }
            if let interval = feed.interval { details.append("every \(DurationText.format(interval))") }
            Terminal.line("\(feed.url)\t\(feed.title ?? "")\t\(details.joined(separator: ", "))")
        }
        Terminal.flush()
    }
}

struct FeedsAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a feed to feeds/feeds.opml.")

    @Argument(help: "The feed's URL (http, https or file), or a local path.")
    var url: String

    @Option(help: "A title for people.")
    var title: String?

    @Option(help: "Force a format (rss, atom, jsonfeed, discourse, reddit, stackexchange, csv, jsonl); sniffed when absent.")
    var format: String?

    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        let configuration = try config.load()
        let url = try FeedListFile.normalised(url)
        if let format, FeedFormat(rawValue: format.lowercased()) == nil {
            throw ValidationError("--format '\(format)' is not a format; use one of \(FeedFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let listed = try config.configuredFeeds(configuration).first(where: { $0.url == url }) {
            Terminal.line("\(url) is already listed in \(listed.listedIn)")
            return
        }
        let file = FeedListFile.url(configuration)
        var document = try FeedListFile.read(file)
        document.feeds.append(OPMLFeed(url: url, title: title, type: format?.lowercased() ?? "rss"))
        try FeedListFile.write(document, to: file)
        let store = try config.openStore(configuration)
        _ = try await store.registerSource(NewSource(
            kind: .feed, url: url, format: format.flatMap { FeedFormat(rawValue: $0.lowercased()) }, title: title))
        Terminal.line("added \(url) to \(file.path); `vigia run` polls it from its next cycle")
        Terminal.flush()
    }
}

struct FeedsRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a feed from the OPML files under feeds/; its stored entries stay unless --purge.")

    @Argument(help: "The feed's URL as listed.")
    var url: String

    @Flag(help: "Also delete the feed's stored entries and mentions.")
    var purge = false

    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        let configuration = try config.load()
        let url = try FeedListFile.normalised(url)
        let feeds = try config.configuredFeeds(configuration)
        guard let listed = feeds.first(where: { $0.url == url }) else {
            Terminal.error("vigia: error: \(url) is not a configured feed; `vigia feeds list` shows them")
            throw ExitCode(2)
        }
        if listed.listedIn == configuration.file.lastPathComponent {
            Terminal.error("vigia: error: \(url) is listed under `sources:` in \(configuration.file.path); remove it there")
            throw ExitCode(2)
        }
        // Every OPML file listing the URL loses it (a feed may be listed in several).
        var edited: [String] = []
        for file in SourceList.opmlFiles(of: configuration) {
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            var document = try FeedListFile.read(file)
            let before = document.feeds.count
            document.feeds.removeAll { SourceList.resolvedURL($0.url, inOPMLFile: file) == url }
            if document.feeds.count != before {
                try FeedListFile.write(document, to: file)
                edited.append(file.path)
            }
        }
        let store = try config.openStore(configuration)
        if var source = try await store.source(url: url) {
            if purge {
                try await store.deleteSource(id: source.id)
            } else {
                source.active = false
                try await store.updateSource(source)
            }
        }
        Terminal.line("removed \(url) from \(edited.joined(separator: ", "))" + (purge ? "; its entries were deleted" : "; its entries stay"))
        Terminal.flush()
    }
}

struct FeedsImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Add every feed of an OPML file (from a feed reader's export) to feeds/feeds.opml.")

    @Argument(help: "The OPML file.")
    var opml: String

    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        let configuration = try config.load()
        let incoming: [ConfiguredFeed]
        do {
            incoming = try SourceList.readOPML(URL(fileURLWithPath: opml))
        } catch let error as SourceListError {
            Terminal.error("vigia: error: \(error)")
            throw ExitCode(2)
        }
        guard !incoming.isEmpty else {
            Terminal.error("vigia: error: \(opml) lists no feeds (no <outline> with an xmlUrl); is it an OPML export?")
            throw ExitCode(2)
        }
        let known = Set(try config.configuredFeeds(configuration).map(\.url))
        let file = FeedListFile.url(configuration)
        var document = try FeedListFile.read(file)
        var added = 0
        var seen = known
        for feed in incoming where seen.insert(feed.url).inserted {
            document.feeds.append(OPMLFeed(url: feed.url, title: feed.title, type: feed.format?.rawValue ?? "rss"))
            added += 1
        }
        if added > 0 { try FeedListFile.write(document, to: file) }
        Terminal.line("imported \(added) feeds into \(file.path) (\(incoming.count - added) already listed)")
        Terminal.flush()
    }
}

struct FeedsExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Print every configured feed as one OPML document.")

    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        let configuration = try config.load()
        let feeds = try config.configuredFeeds(configuration)
        let document = OPMLDocument(
            title: "Vigía feeds", feeds: feeds.map { OPMLFeed(url: $0.url, title: $0.title, type: $0.format?.rawValue ?? "rss") })
        Terminal.write(document.xml())
        Terminal.flush()
    }
}

struct FeedsStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Each feed's health: last HTTP status, last success, failures in a row, items per day, next poll.",
        discussion: "A feed failing for more than a day is flagged FAILING; it is polled rarely (at most daily), never dropped.")

    @Option(help: "table or json.")
    var format: StatusFormat = .table

    @OptionGroup var config: ConfigurationOptions

    enum StatusFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    func run() async throws {
        let configuration = try config.load()
        let store = try config.openStore(configuration)
        let configured = try config.configuredFeeds(configuration)
        let stored = try await store.sources().filter { $0.kind == .feed }
        let byURL = Dictionary(stored.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        let now = Date()
        // Configured feeds first (in list order), then stored feeds no longer configured.
        var rows: [(url: String, source: SourceRecord?, configured: Bool)] = configured.map { ($0.url, byURL[$0.url], true) }
        let configuredURLs = Set(configured.map(\.url))
        rows += stored.filter { !configuredURLs.contains($0.url) }.map { ($0.url, $0, false) }
        if format == .json {
            var json = JSONWriter()
            json.beginArray()
            for row in rows { Self.json(row.url, row.source, configured: row.configured, now: now, into: &json) }
            json.endArray()
            Terminal.line(json.text)
        } else {
            Terminal.line(["STATE", "HTTP", "LAST SUCCESS", "FAILS", "ITEMS/DAY", "NEXT POLL", "FEED"].joined(separator: "\t"))
            for row in rows {
                let source = row.source
                let cells = [
                    Self.state(source, configured: row.configured, now: now),
                    source?.lastStatus.map { $0 == 0 ? (row.url.hasPrefix("file:") ? "file" : "-") : String($0) } ?? "-",
                    source?.lastSuccessAt.map { Self.relative($0, now: now) } ?? "never",
                    String(source?.consecutiveFailures ?? 0),
                    source?.itemsPerDay.map { String(format: "%.1f", $0) } ?? "-",
                    Self.nextPoll(source, configured: row.configured, now: now),
                    row.url + (source?.fetchURL.map { " → \($0)" } ?? ""),
                ]
                Terminal.line(cells.joined(separator: "\t"))
                if let error = source?.lastError { Terminal.line("\t\(error)") }
            }
        }
        Terminal.flush()
    }

    /// `ok`, `new`, `failing` (less than a day), `FAILING` (flagged: a day or more), `inactive`.
    static func state(_ source: SourceRecord?, configured: Bool, now: Date) -> String {
        guard configured, let source, source.active else { return "inactive" }
        if let since = source.failingSince {
            return now.timeIntervalSince(since) >= PollSchedule.failingAfter ? "FAILING" : "failing"
        }
        return source.lastPolledAt == nil ? "new" : "ok"
    }

    static func nextPoll(_ source: SourceRecord?, configured: Bool, now: Date) -> String {
        guard configured, let source, source.active else { return "-" }
        guard let next = source.nextPollAt else { return "now" }
        return next <= now ? "now" : "in " + relativeSpan(next.timeIntervalSince(now))
    }

    static func relative(_ date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        return seconds < 0 ? "in " + relativeSpan(-seconds) : relativeSpan(seconds) + " ago"
    }

    /// `45s`, `12m`, `3h`, `2d`.
    static func relativeSpan(_ seconds: Double) -> String {
        switch seconds {
        case ..<60: return "\(Int(seconds))s"
        case ..<3600: return "\(Int(seconds / 60))m"
        case ..<172_800: return "\(Int(seconds / 3600))h"
        default: return "\(Int(seconds / 86_400))d"
        }
    }

    static func json(_ url: String, _ source: SourceRecord?, configured: Bool, now: Date, into json: inout JSONWriter) {
        func date(_ value: Date?) {
            if let value { json.string(ISO8601DateFormatter().string(from: value)) } else { json.null() }
        }
        json.beginObject()
        json.key("url"); json.string(url)
        json.key("fetch_url"); json.string(source?.fetchURL)
        json.key("state"); json.string(state(source, configured: configured, now: now))
        json.key("title"); json.string(source?.title)
        json.key("last_status"); if let status = source?.lastStatus { json.number(status) } else { json.null() }
        json.key("last_error"); json.string(source?.lastError)
        json.key("last_polled_at"); date(source?.lastPolledAt)
        json.key("last_success_at"); date(source?.lastSuccessAt)
        json.key("consecutive_failures"); json.number(source?.consecutiveFailures ?? 0)
        json.key("failing_since"); date(source?.failingSince)
        json.key("items_per_day"); if let rate = source?.itemsPerDay { json.number(rate) } else { json.null() }
        json.key("entries_total"); json.number(source?.entriesTotal ?? 0)
        json.key("next_poll_at"); date(source?.nextPollAt)
        json.key("hold_until"); date(source?.holdUntil)
        json.endObject()
    }
}
