import ArgumentParser
import CoreMetrics
import Foundation
import Alerting
import Digest
import Fetching
import Logging
import Pipeline
import Polling
import Prometheus
import ServiceLifecycle
import Storage

/// `vigia run [--once]`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The daemon: poll feeds, parse, match brands, score and store, on each feed's schedule.",
        discussion: """
            Feeds come from vigia.yaml's `sources:` and every feeds/*.opml file beside it. SIGTERM or \
            SIGINT stops the daemon cleanly: what was fetched is stored, then it exits.
            With --once it polls every active feed once (except feeds a server's Retry-After or the \
            backoff after failures holds back), prints what it found and exits: 0 when something \
            could be polled, 1 when nothing could.
            """)

    @Flag(help: "One cycle over every feed, a summary, then exit.")
    var once = false

    @Option(help: "Serve Prometheus metrics and /healthz on this address, e.g. 127.0.0.1:9464.")
    var metrics: String?

    @Option(help: "The --once summary as text or json.")
    var format: SummaryFormat = .text

    @Flag(help: "No progress line.")
    var quiet = false

    @OptionGroup var logging: LogOptions
    @OptionGroup var config: ConfigurationOptions

    enum SummaryFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() async throws {
        ProcessSignals.unblockTermination()
        let logger = try logging.bootstrap()
        let configuration = try config.load()
        let feeds: [ConfiguredFeed]
        do {
            _ = try AnalysisModel.brandMatcher(for: configuration)  // every brand query checked now
            feeds = try SourceList.configuredFeeds(configuration)
        } catch let error as ConfigurationError {
            Terminal.error("vigia: error: \(error)")
            throw ExitCode(2)
        } catch let error as SourceListError {
            Terminal.error("vigia: error: \(error)")
            throw ExitCode(2)
        }
        let store = try config.openStore(configuration)

        // Metrics first: the poller's counters are made once, from the backend bootstrapped now.
        var metricsServer: MetricsServer?
        let health = DaemonHealth()
        if let metrics {
            let registry = PrometheusCollectorRegistry()
            Once.metrics.run { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }
            do {
                metricsServer = try MetricsServer(address: metrics, registry: registry) { health.problem }
            } catch {
                Terminal.error("vigia: error: --metrics \(error)")
                throw ExitCode(2)
            }
        }
        // The lexicons load on an analysis thread from now on, while the feeds are synchronised
        // and the first transfers run.
        let poller = Poller(
            store: store, loadModel: { try AnalysisModel(configuration: configuration) }, settings: configuration.fetch,
            contact: configuration.contact, logger: logger)
        let active = try await SourceList.synchronize(feeds, into: store)
        if active.isEmpty {
            Terminal.error("vigia: error: no feeds to poll; add one with `vigia feeds add URL` or list an OPML file under `sources:` in \(configuration.file.path)")
            throw ExitCode(once ? 1 : 2)
        }
        logger.info("starting", metadata: ["feeds": "\(active.count)", "database": "\(configuration.database.path)", "once": "\(once)"])
        // Alerting: each brand's negative mentions per bucket through the spike detector; alerts
        // recorded with their deliveries, the outbox delivered.
        let sinks = try config.alertSinks(configuration)
        var monitorSettings = SpikeMonitor.Settings()
        monitorSettings.bucket = max(60, Double(configuration.alerts.bucket.components.seconds))
        let monitor = SpikeMonitor(
            store: store, brands: configuration.brands.map(\.name), sinks: sinks.map(\.name), settings: monitorSettings)
        // One deliverer (one transfer thread) posts alerts and digest summaries alike.
        let deliverer = AlertDeliverer(fetcher: Fetcher())
        let outbox = Outbox(store: store, sinks: sinks, deliverer: deliverer)
        // The digest: each period's digest sent once per target on `digest.schedule`.
        let digests = try config.digestPlan(configuration).map { plan in
            DigestScheduler(store: store, plan: plan, sender: DigestSender(deliverer: deliverer), logger: logger)
        }

        let line = ProgressLine(enabled: once && !quiet && Terminal.stderrIsTerminal)
        let lastReport = ReportBox()
        let polling = PollingService(
            poller: poller, mode: once ? .once : .continuous, logger: logger, initialSources: active, health: health,
            progress: { line.update($0) },
            onCycle: { [once] report in
                lastReport.set(report)
                if once {
                    await pass(monitor: monitor, outbox: outbox, logger: logger)
                    if let digests {
                        do { _ = try await digests.pass() } catch { logger.error("digest pass failed", metadata: ["error": "\(error)"]) }
                    }
                }
            })

        var services = [ServiceGroupConfiguration.ServiceConfiguration(
            service: polling, successTerminationBehavior: .gracefullyShutdownGroup)]
        if !once { services.append(.init(service: AlertingService(monitor: monitor, outbox: outbox, logger: logger))) }
        if !once, let digests { services.append(.init(service: DigestService(scheduler: digests, logger: logger))) }
        if let metricsServer {
            services.append(.init(service: metricsServer))
            logger.info("metrics", metadata: ["address": "\(metricsServer.address)"])
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger))
        do {
            try await group.run()
        } catch {
            line.finish()
            Terminal.error("vigia: error: \(error)")
            throw ExitCode(1)
        }
        line.finish()
        guard once else { return }
        let report = lastReport.get() ?? PollReport()
        Terminal.write(format == .json ? Self.json(report) : Self.text(report))
        Terminal.flush()
        if report.polled == 0 || report.failed == report.polled { throw ExitCode(1) }
    }

    // MARK: Summaries

    static func text(_ report: PollReport) -> String {
        var lines = [
            "Polled \(report.polled) of \(report.feeds) feeds in \(String(format: "%.1f", report.seconds)) s: "
                + "\(report.fetched) new content, \(report.notModified) not modified (304), "
                + "\(report.unchanged) unchanged, \(report.failed) failed"
                + (report.cancelled > 0 ? ", \(report.cancelled) not polled (stopping)" : ""),
            "New entries: \(report.entriesNew)"
                + (report.duplicates > 0 ? " (\(report.duplicates) copies of entries already stored)" : "")
                + " of \(report.entriesRead) read",
        ]
        if report.mentions.isEmpty {
            lines.append("Mentions in new entries: none")
        } else {
            lines.append("Mentions in new entries:")
            let width = max(12, report.mentions.keys.map(\.count).max() ?? 0)
            func row(_ name: String, _ cells: [String]) -> String {
                "  " + name.padding(toLength: width, withPad: " ", startingAt: 0)
                    + cells.map { String(repeating: " ", count: max(0, 9 - $0.count)) + $0 }.joined()
            }
            lines.append(row("brand", ["positive", "neutral", "negative", "total"]))
            for (brand, counts) in report.mentions.sorted(by: { $0.key.lowercased() < $1.key.lowercased() }) {
                let (pos, neu, neg) = (counts["pos"] ?? 0, counts["neu"] ?? 0, counts["neg"] ?? 0)
                lines.append(row(brand, [pos, neu, neg, pos + neu + neg].map(String.init)))
            }
        }
        if !report.failures.isEmpty {
            lines.append("Failed feeds:")
            for failure in report.failures.prefix(50) {
                lines.append("  \(failure.url): \(failure.message) [\(failure.kind)]")
            }
            if report.failures.count > 50 { lines.append("  … and \(report.failures.count - 50) more (see `vigia feeds status`)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ report: PollReport) -> String {
        var json = JSONWriter()
        json.beginObject()
        for (key, value) in [
            ("feeds", report.feeds), ("polled", report.polled), ("fetched", report.fetched),
            ("not_modified", report.notModified), ("unchanged", report.unchanged), ("failed", report.failed),
            ("cancelled", report.cancelled), ("entries_read", report.entriesRead), ("entries_new", report.entriesNew),
            ("duplicates", report.duplicates), ("mentions_new", report.mentionsNew),
        ] {
            json.key(key)
            json.number(value)
        }
        json.key("mentions")
        json.beginObject()
        for (brand, counts) in report.mentions.sorted(by: { $0.key < $1.key }) {
            json.key(brand)
            json.beginObject()
            for label in ["pos", "neu", "neg"] {
                json.key(label)
                json.number(counts[label] ?? 0)
            }
            json.endObject()
        }
        json.endObject()
        json.key("failures")
        json.beginArray()
        for failure in report.failures {
            json.beginObject()
            json.key("url")
            json.string(failure.url)
            json.key("kind")
            json.string(failure.kind)
            json.key("message")
            json.string(failure.message)
            json.endObject()
        }
        json.endArray()
        json.key("seconds")
        json.number((report.seconds * 1000).rounded() / 1000)
        json.endObject()
        return json.text + "\n"
    }
}

/// The last cycle's report, handed from the polling service to the command.
private final class ReportBox: @unchecked Sendable {
    private let lock = NSLock()
    private var report: PollReport?

    func set(_ report: PollReport) { lock.withLock { self.report = report } }
    func get() -> PollReport? { lock.withLock { report } }
}

/// `polled 523/10000 (900/s) · new content 300 · 304 200 · … · new entries 1200` on standard error.
private struct ProgressLine: Sendable {
    private let line: StatusLine

    init(enabled: Bool) { line = StatusLine(enabled: enabled) }

    func update(_ progress: PollProgress) {
        line.draw(force: progress.done == progress.total) {
            let report = progress.report
            let rate = progress.elapsed > 0 ? Int(Double(progress.done) / progress.elapsed) : 0
            return "polled \(progress.done)/\(progress.total) (\(rate)/s) · new content \(report.fetched) · 304 \(report.notModified)"
                + " · unchanged \(report.unchanged) · failed \(report.failed) · new entries \(report.entriesNew)"
        }
    }

    func finish() { line.finish() }
}
