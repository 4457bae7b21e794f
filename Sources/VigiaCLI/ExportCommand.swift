import ArgumentParser
import Foundation
import Pipeline
import Storage

/// `vigia export --format jsonl|csv`: every stored entry with its mentions and scores.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write every stored entry, with its mentions and scores, as JSON Lines or CSV.")

    @Option(help: "jsonl (one object per line) or csv.")
    var format = "jsonl"

    @Option(help: "From this long ago (7d) or this date (2024-05-01).")
    var since: String?

    @Option(help: "Until this long ago or this date.")
    var until: String?

    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        guard ["jsonl", "csv"].contains(format) else { throw ValidationError("--format must be jsonl or csv") }
        var options = ExportOptions()
        if let since { options.since = try DateArgument.parse(since, option: "--since") }
        if let until { options.until = try DateArgument.parse(until, option: "--until") }
        let configuration = try config.load()
        let store = try config.openStore(configuration)
        if format == "csv" {
            Terminal.line("id,date,published,source,guid,title,link,author,lang,sentiment,score,duplicate_of,mentions,text")
        }
        var count = 0
        for try await entry in store.exportEntries(options) {
            Terminal.line(format == "csv" ? Self.csv(entry) : Self.json(entry))
            count += 1
        }
        Terminal.flush()
        Terminal.error("exported \(count) entries")
    }

    static func json(_ entry: ExportedEntry) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("id"); writer.number(Int(entry.id))
        writer.key("guid"); writer.string(entry.guid)
        writer.key("source"); writer.string(entry.sourceURL)
        writer.key("date"); writer.string(FeedDateBridge.iso(entry.date))
        writer.key("published"); writer.string(entry.published.map(FeedDateBridge.iso))
        writer.key("title"); writer.string(entry.title)
        writer.key("link"); writer.string(entry.link)
        writer.key("author"); writer.string(entry.author)
        writer.key("text"); writer.string(entry.text)
        writer.key("categories"); writer.beginArray(); for category in entry.categories { writer.string(category) }; writer.endArray()
        writer.key("lang"); writer.string(entry.language)
        writer.key("sentiment"); writer.string(entry.sentiment?.label.rawValue)
        writer.key("score"); if let score = entry.sentiment?.score { writer.number(score) } else { writer.null() }
        writer.key("duplicate_of"); if let duplicate = entry.duplicateOf { writer.number(Int(duplicate)) } else { writer.null() }
        writer.key("mentions")
        writer.beginArray()
        for mention in entry.mentions {
            writer.beginObject()
            writer.key("brand"); writer.string(mention.brand)
            writer.key("sentiment"); writer.string(mention.sentiment.label.rawValue)
            writer.key("score"); writer.number(mention.sentiment.score)
            writer.key("counted"); writer.bool(mention.counted)
            writer.key("terms"); writer.beginArray(); for match in mention.matches { writer.string(match.term) }; writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.text
    }

    static func csv(_ entry: ExportedEntry) -> String {
        let mentions = entry.mentions.map { "\($0.brand):\($0.sentiment.label.rawValue):\(String(format: "%.4f", $0.sentiment.score))" }
        let fields = [
            String(entry.id), FeedDateBridge.iso(entry.date), entry.published.map(FeedDateBridge.iso) ?? "", entry.sourceURL,
            entry.guid, entry.title ?? "", entry.link ?? "", entry.author ?? "", entry.language ?? "",
            entry.sentiment?.label.rawValue ?? "", entry.sentiment.map { String(format: "%.4f", $0.score) } ?? "",
            entry.duplicateOf.map { String($0) } ?? "", mentions.joined(separator: ";"), entry.text ?? "",
        ]
        return fields.map(CSVField.escape).joined(separator: ",")
    }
}

/// `vigia prune --older-than 180d`.
struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Delete stored entries (and their mentions) older than a duration or date.")

    @Option(name: .customLong("older-than"), help: "A duration (180d) or a date (2024-01-01).")
    var olderThan: String

    @Flag(help: "Compact the database file afterwards (VACUUM).")
    var vacuum = false

    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        let cutoff = try DateArgument.parse(olderThan, option: "--older-than")
        let configuration = try config.load()
        let store = try config.openStore(configuration)
        let result = try await store.prune(olderThan: cutoff, vacuum: vacuum)
        Terminal.line("pruned \(result.entries) entries and \(result.mentions) mentions older than \(FeedDateBridge.iso(cutoff))")
        if result.promoted > 0 {
            Terminal.line("\(result.promoted) kept copies of pruned entries now count as the original")
        }
        Terminal.flush()
    }
}
