import FeedParsing
import Fetching
import Foundation
import Logging
import Pipeline
import Storage
import Synchronization
import VigiaModel

/// What one polling cycle did.
public struct PollReport: Sendable {
    /// Feeds the cycle was asked to poll.
    public var feeds = 0
    /// Feeds that got an answer or a failure (cancelled ones are not counted).
    public var polled = 0
    /// 200 responses with a new body, parsed.
    public var fetched = 0
    /// 304 responses.
    public var notModified = 0
    /// 200 responses with the body of last time (skipped by content hash).
    public var unchanged = 0
    public var failed = 0
    /// Feeds left unpolled because the daemon was stopping.
    public var cancelled = 0
    /// Entries in the parsed documents.
    public var entriesRead = 0
    /// New entries stored (copies of entries already stored included).
    public var entriesNew = 0
    /// New entries that copy an entry already stored.
    public var duplicates = 0
    /// Mentions in new entries (copies left out), per brand and sentiment label.
    public var mentions: [String: [String: Int]] = [:]
    /// Failures by kind (`timeout`, `http_status`, `parse`…).
    public var failuresByKind: [String: Int] = [:]
    /// The failed feeds: URL, kind and message.
    public var failures: [(url: String, kind: String, message: String)] = []
    public var seconds: Double = 0

    public init() {}

    /// Mentions in new entries, all brands.
    public var mentionsNew: Int { mentions.values.reduce(0) { $0 + $1.values.reduce(0, +) } }
}

/// What one write of a cycle stored.
struct WriteTotals: Sendable {
    var entriesNew = 0
    var duplicates = 0
    var mentions: [String: [String: Int]] = [:]
}

/// Progress of a cycle, for a terminal.
public struct PollProgress: Sendable {
    public var done: Int
    public var total: Int
    public var report: PollReport
    public var elapsed: Double
}

/// Polls feeds: fetch (libcurl, concurrently) → parse → language → match → sentiment → store,
/// with each feed's new polling state written in the same transaction as its entries.
public final class Poller: Sendable {
    public let store: any MentionStore
    public let schedule: PollSchedule
    let limits: FetchLimits
    let fetcher: Fetcher
    let workers: AnalysisWorkers
    let metrics: PollMetrics
    let logger: Logger
    /// Polls in flight at once (fetching, waiting for a worker, or being analysed).
    let inFlight: Int
    private let stopping = Atomic<Bool>(false)

    /// Records per transaction, and the longest a finished poll waits to be written.
    static let flushRecords = 2_000
    static let flushSources = 1_000
    static let flushSeconds = 1.0

    /// A poller whose analysis model is ready.
    public convenience init(
        store: any MentionStore, model: AnalysisModel, settings: FetchSettings, contact: String?, logger: Logger,
        analysisThreads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.init(
            store: store, loadModel: { model }, settings: settings, contact: contact, logger: logger,
            analysisThreads: analysisThreads)
    }

    /// A poller that builds its analysis model on an analysis thread while the first transfers
    /// run (loading the lexicons takes a moment; a cycle of 304s never waits for it).
    public init(
        store: any MentionStore, loadModel: @escaping @Sendable () throws -> AnalysisModel, settings: FetchSettings,
        contact: String?, logger: Logger, analysisThreads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.store = store
        self.logger = logger
        schedule = PollSchedule(settings: settings)
        limits = FetchLimits(settings: settings, contact: contact)
        fetcher = Fetcher(concurrency: .init(maxTransfers: settings.concurrency, maxPerHost: settings.perHost))
        inFlight = max(settings.concurrency * 2, 16)
        workers = AnalysisWorkers(loadModel: loadModel, threads: analysisThreads)
        metrics = PollMetrics()
    }

    deinit {
        workers.stop()
    }

    /// Transfers waiting and running.
    public var queueDepth: Int {
        let depth = fetcher.queueDepth
        return depth.waiting + depth.running
    }

    /// Abandons waiting and running transfers; what was already fetched is still stored. The
    /// current cycle (if any) then returns quickly, and later cycles poll nothing.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        fetcher.cancelAll()
    }

    public var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Polls `sources` once, all concurrently within the fetcher's limits, and stores what they
    /// bring. Failures are recorded on their source (with backoff), never thrown.
    /// - Throws: only store errors (the database is unusable).
    public func poll(
        _ sources: [SourceRecord], now: @escaping @Sendable () -> Date = Date.init,
        progress: (@Sendable (PollProgress) -> Void)? = nil
    ) async throws -> PollReport {
        let start = Date()
        var report = PollReport()
        report.feeds = sources.count
        var pendingRecords: [EntryRecord] = []
        var pendingSources: [SourceRecord] = []
        var pendingFiles: [FolderFile] = []
        var lastFlush = Date()
        var done = 0

        // Writes run one at a time, each overlapping the next batch's polls (awaiting a write
        // before polling on would leave the analysis threads idle); a batch waits for the write
        // before it, so memory stays bounded and transactions stay in order.
        var writing: Task<WriteTotals, any Error>?
        func collect(_ totals: WriteTotals) {
            report.entriesNew += totals.entriesNew
            report.duplicates += totals.duplicates
            for (brand, labels) in totals.mentions {
                report.mentions[brand, default: [:]].merge(labels, uniquingKeysWith: +)
            }
        }
        func flush() async throws {
            guard !pendingSources.isEmpty || !pendingRecords.isEmpty else { return }
            if let previous = writing { collect(try await previous.value) }
            let (records, updates, files) = (pendingRecords, pendingSources, pendingFiles)
            let (store, metrics, receivedAt) = (self.store, self.metrics, now())
            writing = Task {
                let result = try await store.recordPolls(records, sources: updates, files: files, receivedAt: receivedAt)
                var totals = WriteTotals(entriesNew: result.stored + result.duplicates, duplicates: result.duplicates)
                for (record, outcome) in zip(records, result.outcomes) {
                    guard case .stored = outcome else { continue }
                    for mention in record.mentions {
                        totals.mentions[mention.brand, default: [:]][mention.sentiment.label.rawValue, default: 0] += 1
                        metrics.mentionStored(brand: mention.brand, label: mention.sentiment.label.rawValue)
                    }
                }
                metrics.entriesStored(totals.entriesNew)
                return totals
            }
            pendingRecords = []
            pendingSources = []
            pendingFiles = []
            lastFlush = Date()
        }

        /// What the group's children report: a finished poll, or a tick of the flush clock (so
        /// that finished polls are written within a second even while slow ones are in flight).
        enum Event: Sendable {
            case polled(SourceRecord, PollOutcome)
            case tick
        }
        try await withThrowingTaskGroup(of: Event.self) { group in
            // A window of polls in flight, a little wider than the fetcher's: fetched bodies wait
            // for parsing in bounded numbers, whatever the number of feeds.
            var waiting = Self.interleavedByHost(sources).makeIterator()
            var outstanding = 0
            /// Starts the next poll; false when none is left.
            func startNext() -> Bool {
                guard let source = waiting.next() else { return false }
                group.addTask { [self] in .polled(source, await pollOne(source)) }
                return true
            }
            for _ in 0..<inFlight where startNext() { outstanding += 1 }
            let tick = Self.flushSeconds
            if outstanding > 0 {
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(Int(tick * 1000)))
                    return .tick
                }
            }
            for try await event in group {
                guard case .polled(let source, let outcome) = event else {
                    if Date().timeIntervalSince(lastFlush) >= tick { try await flush() }
                    if outstanding > 0 {
                        group.addTask {
                            try? await Task.sleep(for: .milliseconds(Int(tick * 1000)))
                            return .tick
                        }
                    }
                    continue
                }
                outstanding -= 1
                if startNext() { outstanding += 1 }
                if outstanding == 0 { group.cancelAll() }  // wakes the flush clock: nothing left to wait for
                done += 1
                metrics.queueDepth(queueDepth)
                count(outcome, source: source, into: &report)
                if case .cancelled = outcome {
                    report.cancelled += 1
                } else {
                    report.polled += 1
                    let updated = schedule.updated(source, after: outcome, at: now())
                    pendingSources.append(updated)
                    if case .fetched(let fetched) = outcome {
                        pendingRecords += fetched.records
                        pendingFiles += fetched.files
                    }
                }
                if pendingRecords.count >= Self.flushRecords || pendingSources.count >= Self.flushSources
                    || Date().timeIntervalSince(lastFlush) >= tick
                {
                    try await flush()
                }
                progress?(PollProgress(done: done, total: sources.count, report: report, elapsed: Date().timeIntervalSince(start)))
            }
            try await flush()
            if let last = writing { collect(try await last.value) }
        }
        report.seconds = Date().timeIntervalSince(start)
        return report
    }

    /// The sources with hosts taking turns, so that one slow host with many feeds cannot fill
    /// the window of polls in flight.
    static func interleavedByHost(_ sources: [SourceRecord]) -> [SourceRecord] {
        var queues: [String: [SourceRecord]] = [:]
        var hosts: [String] = []
        for source in sources {
            let host = Fetcher.hostKey(of: source.effectiveURL)
            if queues[host] == nil { hosts.append(host) }
            queues[host, default: []].append(source)
        }
        guard hosts.count > 1 else { return sources }
        var result: [SourceRecord] = []
        result.reserveCapacity(sources.count)
        var round = 0
        while result.count < sources.count {
            for host in hosts {
                if let queue = queues[host], round < queue.count { result.append(queue[round]) }
            }
            round += 1
        }
        return result
    }

    private func count(_ outcome: PollOutcome, source: SourceRecord, into report: inout PollReport) {
        switch outcome {
        case .fetched(let fetched):
            report.fetched += 1
            report.entriesRead += fetched.entriesRead
            metrics.poll("fetched", seconds: fetched.response.seconds)
        case .notModified(let facts):
            report.notModified += 1
            metrics.poll("not_modified", seconds: facts.seconds)
        case .unchanged(let facts):
            report.unchanged += 1
            metrics.poll("unchanged", seconds: facts.seconds)
        case .failed(let failure):
            report.failed += 1
            report.failuresByKind[failure.kind, default: 0] += 1
            report.failures.append((source.effectiveURL, failure.kind, failure.message))
            metrics.poll("failed", seconds: nil)
            metrics.error(kind: failure.kind)
            logger.warning(
                "poll failed", metadata: ["url": "\(source.effectiveURL)", "kind": "\(failure.kind)", "error": "\(failure.message)",
                                          "failures_in_a_row": "\(source.consecutiveFailures + 1)"])
        case .cancelled:
            break
        }
    }

    /// Fetches one feed and, when its body is new, parses it and analyses its new entries.
    func pollOne(_ source: SourceRecord) async -> PollOutcome {
        guard !isStopping else { return .cancelled }
        if let folder = FolderSource(url: source.effectiveURL) { return await pollFolder(source, folder) }
        let request = FetchRequest(url: source.effectiveURL, etag: source.etag, lastModified: source.lastModified, limits: limits)
        let response: FetchResponse
        do {
            response = try await fetcher.fetch(request)
        } catch {
            return outcome(of: error)
        }
        let facts = ResponseFacts(response)
        if response.isNotModified { return .notModified(facts) }
        let hash = BodyHash.of(response.body)
        if hash == source.contentHash { return .unchanged(facts) }
        switch await parseAndAnalyse(response, source: source) {
        case .success(let document):
            return .fetched(FetchedFeed(
                response: facts, bodyHash: hash, feed: document.parsed.feed, format: document.parsed.format,
                entriesRead: document.parsed.entries.count, records: document.records,
                publishedDates: document.parsed.entries.compactMap { $0.published ?? $0.updated }))
        case .failure(let failure):
            return .failed(failure)
        }
    }

    /// A document's parse and the analysed records of the entries the source did not have.
    struct AnalysedDocument: Sendable {
        var parsed: ParsedFeed
        var records: [EntryRecord]
    }

    /// Parses on a worker thread; asks the store which entries the source has; analyses the rest
    /// on a worker thread.
    func parseAndAnalyse(_ response: FetchResponse, source: SourceRecord) async -> Result<AnalysedDocument, PollFailure> {
        let options = parserOptions(for: source, response: response)
        let parsing: Result<(ParsedFeed, [Int64]), FeedParsingError>
        do {
            parsing = try await workers.run { _ in
                Result {
                    let parsed = try FeedParser(options: options).parse(response.body)
                    return (parsed, parsed.entries.map(EntryIdentity.guidKey(of:)))
                }.mapError { $0 as? FeedParsingError ?? FeedParsingError(.notWellFormed, document: options.documentName, message: "\($0)") }
            }
        } catch {
            return .failure(Self.modelFailure(error))
        }
        let parsed: ParsedFeed, keys: [Int64]
        switch parsing {
        case .success(let result): (parsed, keys) = result
        case .failure(let error):
            return .failure(PollFailure(kind: "parse", message: "not a feed Vigía can read: \(error.message)", status: response.status))
        }
        let known: Set<Int64>
        do {
            known = try await store.storedGuidKeys(sourceID: source.id, among: keys)
        } catch {
            return .failure(PollFailure(kind: "store", message: "\(error)", status: response.status))
        }
        let fresh = zip(parsed.entries, keys).filter { !known.contains($0.1) }.map(\.0)
        let sourceID = source.id
        do {
            let records = fresh.isEmpty ? [] : try await workers.run { analyzer in fresh.map { analyzer.analyze($0, sourceID: sourceID) } }
            return .success(AnalysedDocument(parsed: parsed, records: records))
        } catch {
            return .failure(Self.modelFailure(error))
        }
    }

    /// The analysis model did not load (missing or broken lexicon files): every new body fails.
    private static func modelFailure(_ error: any Error) -> PollFailure {
        PollFailure(kind: "analysis", message: "the analysis model did not load: \(error); reinstall Vigía's lexicons")
    }

    /// A failed fetch as an outcome (a cancelled one is not a failure).
    func outcome(of error: any Error) -> PollOutcome {
        if let error = error as? FetchError {
            return error.kind == .cancelled ? .cancelled : .failed(PollFailure(error))
        }
        return isStopping ? .cancelled : .failed(PollFailure(kind: "network", message: "\(error)"))
    }

    func parserOptions(for source: SourceRecord, response: FetchResponse) -> FeedParser.Options {
        // Syndication formats are sniffed reliably (and OPML files call Atom feeds "rss"); export
        // formats that a configuration or OPML names are forced.
        let forced: FeedFormat? = switch source.format {
        case .rss, .rdf, .atom, .jsonFeed, .opml, nil: nil
        case let format?: format
        }
        let remote = response.effectiveURL.lowercased().hasPrefix("http")
        return FeedParser.Options(
            format: forced, baseURL: remote ? response.effectiveURL : nil, contentType: response.contentType,
            documentName: response.effectiveURL)
    }
}

extension FetchLimits {
    /// The limits `fetch:` in `vigia.yaml` sets, with the configured contact in the User-Agent.
    public init(settings: FetchSettings, contact: String?) {
        func seconds(_ duration: Duration) -> Int { max(1, Int(duration.components.seconds)) }
        self.init(
            maxBodyBytes: settings.maxBodyBytes, connectTimeout: seconds(settings.connectTimeout),
            totalTimeout: seconds(settings.timeout), stallTimeout: seconds(settings.stallTimeout),
            userAgent: Fetcher.userAgent(contact: contact))
    }
}

/// A 64-bit hash of a body, stable across runs (the store keeps it to recognise unchanged bodies).
enum BodyHash {
    static func of(_ bytes: [UInt8]) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset + 8 <= raw.count {
                let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                hash = (hash ^ word) &* 0x0000_0100_0000_01b3
                hash ^= hash >> 29
                offset += 8
            }
            while offset < raw.count {
                hash = (hash ^ UInt64(raw[offset])) &* 0x0000_0100_0000_01b3
                offset += 1
            }
        }
        return Int64(bitPattern: hash)
    }
}
