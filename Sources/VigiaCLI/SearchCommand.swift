import ArgumentParser
import Foundation
import Matching
import Pipeline
import Storage

/// `vigia search QUERY`: full-text search over everything stored, with the brand query language.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search stored entries with the brand query language.",
        discussion: """
            QUERY uses the language of brand queries: words, "phrases", AND, OR, NOT, -term, \
            (groups), refund*, NEAR/3, #hashtag, @handle, title:, site:, lang:, {Exact}. \
            Use '' to list everything that matches the filters.
            """)

    @Argument(help: "The query.")
    var query: String

    @Option(help: "Only mentions of this brand.")
    var brand: String?

    @Option(help: "Only entries in this language (es, it, en; repeat for several).")
    var lang: [String] = []

    @Option(help: "Only entries (or, with --brand, mentions) of this sentiment: pos, neg or neu.")
    var sentiment: String?

    @Option(help: "From this long ago (7d, 24h) or this date (2024-05-01).")
    var since: String?

    @Option(help: "Until this long ago or this date.")
    var until: String?

    @Option(help: "Only entries of this source: its URL, its title (case-insensitive; a file's name for imports) or its id.")
    var source: String?

    @Option(help: "How many results.")
    var limit = 20

    @Option(help: "Order: relevance (BM25 over the 10,000 newest matches) or date.")
    var sort = "relevance"

    @Option(help: "Output: table, json (one object per line) or csv.")
    var format = "table"

    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        var request = SearchRequest(limit: max(1, min(limit, 10_000)))
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty {
            switch Result(catching: { () throws(QueryParseError) -> BrandQuery in try BrandQuery(parsing: trimmed) }) {
            case .success(let parsed):
                request.query = parsed
            case .failure(let error):
                Terminal.error("vigia: error: bad query: \(error)")
                throw ExitCode(2)
            }
        }
        request.brand = brand
        request.languages = lang.map { $0.lowercased() }
        if let sentiment {
            guard let polarity = SentimentPolarity(rawValue: sentiment.lowercased()) else {
                throw ValidationError("--sentiment must be pos, neg or neu")
            }
            request.sentiment = polarity
        }
        if let since { request.since = try DateArgument.parse(since, option: "--since") }
        if let until { request.until = try DateArgument.parse(until, option: "--until") }
        request.source = source
        guard let order = SearchOrder(rawValue: sort.lowercased()) else {
            throw ValidationError("--sort must be relevance or date")
        }
        request.order = order
        guard ["table", "json", "csv"].contains(format) else {
            throw ValidationError("--format must be table, json or csv")
        }
        let configuration = try config.load()
        let store = try config.openStore(configuration)
        let started = Date()
        let hits = try await store.search(request)
        let elapsed = Date().timeIntervalSince(started)
        switch format {
        case "json":
            for hit in hits { Terminal.line(SearchOutput.json(hit)) }
        case "csv":
            Terminal.line(SearchOutput.csvHeader)
            for hit in hits { Terminal.line(SearchOutput.csv(hit)) }
        default:
            Terminal.write(SearchOutput.table(hits, colour: Terminal.stdoutIsTerminal))
            Terminal.line("\(hits.count) result\(hits.count == 1 ? "" : "s") in \(String(format: "%.1f", elapsed * 1000)) ms")
        }
        Terminal.flush()
    }
}

/// The three output formats of `vigia search`.
enum SearchOutput {
    static func date(_ hit: SearchHit) -> String {
        let iso = FeedDateBridge.iso(hit.date)
        return String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    static func json(_ hit: SearchHit) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("id"); writer.number(Int(hit.entryID))
        writer.key("date"); writer.string(FeedDateBridge.iso(hit.date))
        writer.key("published"); writer.string(hit.published.map(FeedDateBridge.iso))
        writer.key("title"); writer.string(hit.title)
        writer.key("link"); writer.string(hit.link)
        writer.key("source"); writer.string(hit.sourceTitle ?? hit.sourceURL)
        writer.key("lang"); writer.string(hit.language)
        writer.key("sentiment"); writer.string(hit.sentiment?.label.rawValue)
        writer.key("score"); if let score = hit.sentiment?.score { writer.number(score) } else { writer.null() }
        writer.key("brands"); writer.beginArray(); for brand in hit.brands { writer.string(brand) }; writer.endArray()
        writer.key("snippet"); writer.string(hit.snippet(highlightingWith: "**", "**"))
        writer.key("rank"); if let rank = hit.rank { writer.number(rank) } else { writer.null() }
        writer.endObject()
        return writer.text
    }

    static let csvHeader = "id,date,published,source,lang,sentiment,score,brands,title,link,snippet"

    static func csv(_ hit: SearchHit) -> String {
        let fields = [
            String(hit.entryID), FeedDateBridge.iso(hit.date), hit.published.map(FeedDateBridge.iso) ?? "",
            hit.sourceTitle ?? hit.sourceURL, hit.language ?? "", hit.sentiment?.label.rawValue ?? "",
            hit.sentiment.map { String(format: "%.4f", $0.score) } ?? "", hit.brands.joined(separator: ";"),
            hit.title ?? "", hit.link ?? "", hit.snippet(highlightingWith: "", ""),
        ]
        return fields.map(CSVField.escape).joined(separator: ",")
    }

    static func table(_ hits: [SearchHit], colour: Bool) -> String {
        let bold = colour ? "\u{1B}[1m" : "", reset = colour ? "\u{1B}[0m" : ""
        let mark = colour ? "\u{1B}[1;33m" : "[", unmark = colour ? "\u{1B}[0m" : "]"
        func paint(_ label: String?) -> String {
            guard let label else { return "   " }
            guard colour else { return label }
            switch label {
            case "pos": return "\u{1B}[32mpos\u{1B}[0m"
            case "neg": return "\u{1B}[31mneg\u{1B}[0m"
            default: return "\u{1B}[2mneu\u{1B}[0m"
            }
        }
        var lines: [String] = []
        for hit in hits {
            let source = (hit.sourceTitle ?? hit.sourceURL)
            let brands = hit.brands.isEmpty ? "" : "  [" + hit.brands.joined(separator: ", ") + "]"
            lines.append("\(date(hit))  \(paint(hit.sentiment?.label.rawValue))  \((hit.language ?? "--").padding(toLength: 2, withPad: " ", startingAt: 0))  \(bold)\(hit.title ?? "(no title)")\(reset)\(brands)")
            lines.append("    \(hit.snippet(highlightingWith: mark, unmark))")
            lines.append("    \(hit.link ?? "")  (\(source))")
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }
}

/// RFC 4180 quoting.
enum CSVField {
    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
