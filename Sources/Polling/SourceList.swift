import FeedParsing
import Foundation
import Pipeline
import Storage
import VigiaModel

/// One feed the configuration asks for: a `url:` of `vigia.yaml`, or an outline of an OPML file
/// (those the configuration lists and every `feeds/*.opml` beside it).
public struct ConfiguredFeed: Sendable, Hashable {
    public var url: String
    public var format: FeedFormat?
    public var title: String?
    /// The configured interval, when one was given for this feed or its OPML file.
    public var interval: Duration?
    /// Where the feed is listed, for people: `vigia.yaml` or the OPML file's path.
    public var listedIn: String
}

/// Why the list of feeds could not be read.
public struct SourceListError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
}

/// The feeds the daemon polls: read from the configuration and OPML files, and written into the
/// store so that polling state survives restarts.
public enum SourceList {
    /// The OPML files the daemon reads besides those the configuration names: `feeds/*.opml` next
    /// to the configuration file, in name order.
    public static func opmlFiles(besides configuration: Configuration) -> [URL] {
        let folder = configuration.directory.appendingPathComponent("feeds", isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.lowercased().hasSuffix(".opml") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// Every configured feed, once (the first listing of a URL wins).
    /// - Throws: ``SourceListError`` for an OPML file that is missing or is not OPML.
    public static func configuredFeeds(_ configuration: Configuration) throws -> [ConfiguredFeed] {
        var feeds: [ConfiguredFeed] = []
        var seen = Set<String>()
        func add(_ feed: ConfiguredFeed) {
            if seen.insert(feed.url).inserted { feeds.append(feed) }
        }
        var opmlRead = Set<String>()
        for source in configuration.sources {
            switch source {
            case .url(let url, let format, let interval, let name):
                add(ConfiguredFeed(
                    url: url, format: format.flatMap(FeedFormat.init(rawValue:)), title: name, interval: interval,
                    listedIn: configuration.file.lastPathComponent))
            case .opml(let path, let interval):
                opmlRead.insert(path.standardizedFileURL.path)
                for feed in try readOPML(path, required: true) {
                    add(ConfiguredFeed(url: feed.url, format: feed.format, title: feed.title, interval: interval, listedIn: feed.listedIn))
                }
            }
        }
        for path in opmlFiles(besides: configuration) where !opmlRead.contains(path.standardizedFileURL.path) {
            for feed in try readOPML(path, required: false) { add(feed) }
        }
        return feeds
    }

    /// The feeds of one OPML file, relative `xmlUrl`s resolved against the file's folder.
    public static func readOPML(_ path: URL, required: Bool = true) throws -> [ConfiguredFeed] {
        guard let data = FileManager.default.contents(atPath: path.path) else {
            if !required { return [] }
            throw SourceListError(file: path.path, message: "cannot read the OPML file; check `sources:` in vigia.yaml")
        }
        let document: OPMLDocument
        do {
            document = try OPMLDocument(parsing: Array(data), documentName: path.path)
        } catch {
            throw SourceListError(file: path.path, message: "is not an OPML file: \(error)")
        }
        let folder = path.deletingLastPathComponent()
        return document.feeds.compactMap { feed -> ConfiguredFeed? in
            guard let url = resolve(feed.url, against: folder) else { return nil }
            return ConfiguredFeed(
                url: url, format: feed.type.flatMap { FeedFormat(rawValue: $0.lowercased()) }, title: feed.title,
                interval: nil, listedIn: path.path)
        }
    }

    /// Every OPML file the configuration reads: those `sources:` names, then `feeds/*.opml`.
    public static func opmlFiles(of configuration: Configuration) -> [URL] {
        var files: [URL] = []
        var seen = Set<String>()
        for source in configuration.sources {
            if case .opml(let path, _) = source, seen.insert(path.standardizedFileURL.path).inserted { files.append(path) }
        }
        for path in opmlFiles(besides: configuration) where seen.insert(path.standardizedFileURL.path).inserted {
            files.append(path)
        }
        return files
    }

    /// The absolute URL an OPML file's `xmlUrl` stands for (relative paths are files beside it).
    public static func resolvedURL(_ xmlURL: String, inOPMLFile file: URL) -> String? {
        resolve(xmlURL, against: file.deletingLastPathComponent())
    }

    /// An absolute `http(s)://` or `file://` URL for `text`; a bare path is a file relative to `folder`.
    static func resolve(_ text: String, against folder: URL) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        let lower = trimmed.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("file://") { return trimmed }
        if trimmed.contains("://") { return nil }
        let path = trimmed.hasPrefix("/") ? URL(fileURLWithPath: trimmed) : folder.appendingPathComponent(trimmed)
        return path.standardizedFileURL.absoluteString
    }

    /// Writes the configured feeds into the store: new ones registered, ones no longer configured
    /// deactivated (their entries stay), ones configured again reactivated, and changed intervals,
    /// formats and titles updated.
    /// - Returns: the active feed sources.
    @discardableResult
    public static func synchronize(_ feeds: [ConfiguredFeed], into store: any MentionStore) async throws -> [SourceRecord] {
        let stored = try await store.sources().filter { $0.kind == .feed }
        let byURL = Dictionary(stored.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        let wanted = Set(feeds.map(\.url))
        var active: [SourceRecord] = []
        var fresh: [NewSource] = []
        for feed in feeds {
            let interval = feed.interval.map { Int($0.components.seconds) }
            if var source = byURL[feed.url] {
                let before = source
                source.active = true
                source.pollInterval = interval
                if let format = feed.format { source.format = format }
                if let title = feed.title, source.title == nil { source.title = title }
                if source != before { try await store.updateSource(source) }
                active.append(source)
            } else {
                fresh.append(NewSource(kind: .feed, url: feed.url, format: feed.format, title: feed.title, pollInterval: interval))
            }
        }
        active += try await store.registerSources(fresh)
        for var source in stored where source.active && !wanted.contains(source.url) {
            source.active = false
            try await store.updateSource(source)
        }
        return active
    }
}
