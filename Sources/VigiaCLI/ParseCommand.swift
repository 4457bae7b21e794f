import ArgumentParser
import FeedParsing
import Fetching
import Foundation
import VigiaModel

/// `vigia parse FILE [--json]`: reads one feed or export and prints its entries.
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse a feed or forum export and print its entries.",
        discussion: """
            Reads RSS 0.90–2.0, RSS 1.0 (RDF), Atom 0.3/1.0, JSON Feed, OPML, Stack Exchange dumps \
            (Posts.xml, Comments.xml), Discourse and Reddit JSON, CSV and JSON Lines. The format is \
            sniffed from the content; --format forces one. FILE may be a path, '-' for standard \
            input, or an http(s):// or file:// URL.
            """)

    @Argument(help: "The file to parse: a path, '-' for standard input, or a URL.")
    var file: String

    @Flag(help: "Print one JSON object (the stable machine-readable form).")
    var json = false

    @OptionGroup var parsing: ParserOptions

    @Option(name: .customLong("content-type"), help: "The HTTP Content-Type the document came with (its charset counts).")
    var contentType: String?

    @Flag(help: "Print entries, time and peak memory to standard error when done.")
    var stats = false

    func run() async throws {
        var options = try parsing.parserOptions()
        options.contentType = contentType
        let json = self.json
        let started = Date()
        defer {
            if stats { Terminal.error(ProcessStats.summary(since: started)) }
        }
        do {
            if let url = URL(string: file), let scheme = url.scheme?.lowercased(), ["http", "https", "file"].contains(scheme) {
                let response = try await Fetcher.fetchOnce(file)
                options.documentName = file
                if options.baseURL == nil, scheme != "file" { options.baseURL = response.effectiveURL }
                if options.contentType == nil { options.contentType = response.contentType }
                let fetched = options
                try await DedicatedThread.run(name: "vigia-parse") {
                    var output = ParseOutput(json: json)
                    var collected = try FeedParser(options: fetched).parse(response.body)
                    let entries = collected.entries
                    collected.entries = []
                    for entry in entries { output.add(entry) }
                    output.finish(collected)
                }
            } else {
                let path = file
                let local = options
                try await DedicatedThread.run(name: "vigia-parse") {
                    var output = ParseOutput(json: json)
                    let parsed = try FeedParser(options: local).streamFile(atPath: path) { output.add($0) }
                    output.finish(parsed)
                }
            }
        } catch let error as FeedParsingError {
            Terminal.flush()
            Terminal.error("vigia: error: \(error)")
            throw ExitCode(2)
        } catch let error as FetchError {
            Terminal.error("vigia: error: \(error)")
            throw ExitCode(error.isBadInput ? 2 : 1)
        }
    }
}

/// Writes `vigia parse` output as entries arrive: for JSON, small documents print
/// `{"bozo","feed","items"}`; past a few megabytes the items stream first and the feed follows,
/// so memory stays flat on exports of any size.
struct ParseOutput {
    let json: Bool
    private var buffered: [String] = []
    private var bufferedBytes = 0
    private var streaming = false
    private var count = 0
    private static let bufferLimit = 8 << 20

    init(json: Bool) {
        self.json = json
    }

    mutating func add(_ entry: FeedEntry) {
        count += 1
        guard json else {
            buffered.append(Self.describe(entry, number: count))
            if buffered.count >= 64 { flushText() }
            return
        }
        let item = Self.itemJSON(entry)
        if streaming {
            Terminal.write("," + item)
            return
        }
        buffered.append(item)
        bufferedBytes += item.utf8.count
        if bufferedBytes > Self.bufferLimit {
            streaming = true
            Terminal.write("{\"items\":[" + buffered.joined(separator: ","))
            buffered = []
        }
    }

    private mutating func flushText() {
        if count == buffered.count, !buffered.isEmpty { /* header printed at the end for text */ }
        for line in buffered { Terminal.write(line) }
        buffered = []
    }

    mutating func finish(_ parsed: ParsedFeed) {
        if json {
            var writer = JSONWriter()
            if streaming {
                writer.key("bozo"); writer.bool(parsed.bozo)
                writer.key("feed"); Self.writeFeed(parsed.feed, to: &writer)
                Terminal.write("]," + writer.text + "}\n")
            } else {
                writer.beginObject()
                writer.key("bozo"); writer.bool(parsed.bozo)
                writer.key("feed"); Self.writeFeed(parsed.feed, to: &writer)
                writer.key("items")
                writer.value(raw: "[" + buffered.joined(separator: ",") + "]")
                writer.endObject()
                Terminal.write(writer.text + "\n")
            }
        } else {
            flushText()
            Terminal.write(Self.summary(parsed, count: count))
        }
        Terminal.flush()
    }

    static func writeFeed(_ feed: FeedInfo, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("title"); writer.string(feed.title)
        writer.key("link"); writer.string(feed.link)
        writer.key("language"); writer.string(feed.language)
        writer.key("updated"); writer.string(feed.updated.map(FeedDate.iso8601))
        writer.endObject()
    }

    static func itemJSON(_ entry: FeedEntry) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("id"); writer.string(entry.id)
        writer.key("title"); writer.string(entry.title)
        writer.key("link"); writer.string(entry.link)
        writer.key("published"); writer.string(entry.published.map(FeedDate.iso8601))
        writer.key("author"); writer.string(entry.author)
        writer.key("summary_text"); writer.string(entry.summaryText)
        writer.key("content_text"); writer.string(entry.contentText)
        writer.key("categories")
        writer.beginArray()
        for category in entry.categories { writer.string(category) }
        writer.endArray()
        writer.endObject()
        return writer.text
    }

    static func describe(_ entry: FeedEntry, number: Int) -> String {
        var lines = ["#\(number) \(entry.title ?? "(no title)")"]
        var facts: [String] = []
        if let published = entry.published { facts.append(FeedDate.iso8601(published)) }
        if let author = entry.author { facts.append("by \(author)") }
        if !facts.isEmpty { lines.append("    " + facts.joined(separator: "  ")) }
        if let link = entry.link { lines.append("    \(link)") }
        if !entry.categories.isEmpty { lines.append("    [" + entry.categories.joined(separator: ", ") + "]") }
        if let text = entry.contentText ?? entry.summaryText {
            let snippet = text.count > 160 ? String(text.prefix(157)) + "…" : text
            lines.append("    " + snippet)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func summary(_ parsed: ParsedFeed, count: Int) -> String {
        var lines: [String] = ["", "\(parsed.format.displayName)\(parsed.version.map { " \($0)" } ?? "")"
            + (parsed.feed.title.map { ": \($0)" } ?? "")]
        if let link = parsed.feed.link { lines.append("  link:     \(link)") }
        if let language = parsed.feed.language { lines.append("  language: \(language)") }
        if let updated = parsed.feed.updated { lines.append("  updated:  \(FeedDate.iso8601(updated))") }
        lines.append("  entries:  \(count)")
        if parsed.bozo {
            lines.append("  repaired: " + parsed.bozoReasons.joined(separator: "; "))
        }
        if !parsed.skippedRecords.isEmpty {
            lines.append("  skipped:  \(parsed.skippedRecords.count) records")
            for record in parsed.skippedRecords.prefix(10) { lines.append("    \(record)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
