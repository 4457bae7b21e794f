import ArgumentParser
import FeedParsing
import Fetching
import Foundation
import Pipeline
import Polling
import VigiaModel

/// `vigia feeds check URL`: fetches and parses once and says, in plain words, what works and what
/// does not.
struct FeedsCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Fetch and parse a feed once and explain any problem.",
        discussion: """
            Also asks a second time with the validators the server gave, to see whether unchanged \
            polls will cost a 304. Exit status: 0 when the feed can be polled, 1 when it cannot be \
            fetched, 2 when it is not a feed Vigía can read.
            """)

    @Argument(help: "The feed's URL (http, https or file), or a local path.")
    var url: String

    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        let url = try FeedListFile.normalised(url)
        // The configuration's limits and contact when there is one; the defaults otherwise.
        let configuration = try? Configuration.load(from: config.path ?? Configuration.defaultPath)
        let limits = FetchLimits(settings: configuration?.fetch ?? FetchSettings(), contact: configuration?.contact)
        let fetcher = Fetcher(concurrency: .init(maxTransfers: 1, maxPerHost: 1))
        Terminal.line("Checking \(url)")

        let response: FetchResponse
        do {
            response = try await fetcher.fetch(FetchRequest(url: url, limits: limits))
        } catch let error as FetchError {
            Terminal.line("  ✗ \(Self.explain(error))")
            Terminal.line("Verdict: cannot be fetched")
            Terminal.flush()
            throw ExitCode(1)
        }
        let size = ByteCountFormatter.string(fromByteCount: Int64(response.body.count), countStyle: .file)
        let what = response.status == 0 ? "read the file" : "HTTP \(response.status)"
        Terminal.line("  ✓ fetched: \(what) in \(String(format: "%.2f", response.seconds)) s, \(size)")
        for redirect in response.redirects {
            let kind = redirect.isPermanent ? "permanently" : "temporarily"
            Terminal.line("  → redirected \(kind) (\(redirect.status)) to \(redirect.to)")
        }
        if let moved = response.permanentURL {
            Terminal.line("  ! the feed moved for good: the daemon polls \(moved) from now on; update your list to say so")
        }
        if response.status != 0 { try await checkValidators(response, url: url, limits: limits, fetcher: fetcher) }
        if let maxAge = response.headers.maxAge, maxAge > 0 {
            Terminal.line("  ✓ the server asks for at most one poll every \(FeedsStatus.relativeSpan(Double(maxAge))) (Cache-Control)")
        }

        let parsed: ParsedFeed
        do {
            let remote = response.effectiveURL.lowercased().hasPrefix("http")
            parsed = try FeedParser(options: .init(
                baseURL: remote ? response.effectiveURL : nil, contentType: response.contentType, documentName: url)
            ).parse(response.body)
        } catch let error as FeedParsingError {
            let type = response.contentType.map { " (Content-Type: \($0))" } ?? ""
            Terminal.line("  ✗ not a feed Vigía can read\(type): \(error.message)")
            Terminal.line("Verdict: not a feed; check the URL points at the feed itself, not at a web page")
            Terminal.flush()
            throw ExitCode(2)
        }
        let version = parsed.version.map { " \($0)" } ?? ""
        var summary = "  ✓ \(parsed.format.displayName)\(version): \(parsed.entries.count) entries"
        if let title = parsed.feed.title { summary += ", \"\(title)\"" }
        Terminal.line(summary)
        if let newest = parsed.entries.compactMap({ $0.published ?? $0.updated }).max() {
            let age = Date().timeIntervalSince(newest)
            Terminal.line("  \(age > 90 * 86_400 ? "!" : "✓") newest entry: \(ISO8601DateFormatter().string(from: newest)) (\(FeedsStatus.relative(newest, now: Date())))")
        } else if !parsed.entries.isEmpty {
            Terminal.line("  ! no entry has a date: entries are dated when Vigía first sees them")
        }
        if parsed.entries.isEmpty { Terminal.line("  ! the feed has no entries yet") }
        if parsed.bozo { Terminal.line("  ! the document was repaired: \(parsed.bozoReasons.joined(separator: "; "))") }
        if let hint = parsed.feed.suggestedInterval {
            Terminal.line("  ✓ the feed asks for at most one poll every \(FeedsStatus.relativeSpan(Double(hint))) (ttl / sy:updatePeriod)")
        }
        Terminal.line("Verdict: OK, the daemon can poll it")
        Terminal.flush()
    }

    /// Asks again with the validators: a 304 means unchanged polls are cheap.
    private func checkValidators(_ response: FetchResponse, url: String, limits: FetchLimits, fetcher: Fetcher) async throws {
        let etag = response.headers.etag, lastModified = response.headers.lastModified
        guard etag != nil || lastModified != nil else {
            Terminal.line("  ! no ETag or Last-Modified: every poll downloads the whole feed (unchanged bodies are still skipped by hash)")
            return
        }
        let names = [etag.map { _ in "ETag" }, lastModified.map { _ in "Last-Modified" }].compactMap { $0 }.joined(separator: " and ")
        let again = try? await fetcher.fetch(FetchRequest(url: url, etag: etag, lastModified: lastModified, limits: limits))
        if again?.isNotModified == true {
            Terminal.line("  ✓ conditional GET works (\(names)): unchanged polls cost a 304 with no body")
        } else {
            Terminal.line("  ! the server sends \(names) but answered a repeated conditional request in full; unchanged bodies are skipped by hash")
        }
    }

    /// A fetch error in plain words with what to do.
    static func explain(_ error: FetchError) -> String {
        switch error.kind {
        case .dns: "the host name does not resolve (\(error.message)); check the spelling, or the network's DNS"
        case .connection: "no connection: \(error.message)"
        case .tls: "\(error.message). Vigía always verifies certificates; the site must fix its certificate"
        case .timeout, .stalled: "\(error.message); try again later, or raise fetch.timeout if the feed is just big"
        case .tooManyRedirects: "\(error.message); the site's redirects loop"
        case .tooLarge: "\(error.message)"
        case .httpStatus: error.message
        case .badURL, .fileNotFound, .network, .cancelled: error.message
        }
    }
}
