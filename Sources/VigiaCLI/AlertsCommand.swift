import Alerting
import ArgumentParser
import Fetching
import Foundation
import Pipeline

/// `vigia alerts …`: the alert sinks and the recorded alerts.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Alert sinks and recorded alerts.",
        subcommands: [AlertsList.self, AlertsTest.self, AlertsReplay.self, AlertsBacktest.self])
}

/// The configured sinks, with configuration errors as exit status 2.
extension ConfigurationOptions {
    func alertSinks(_ configuration: Configuration) throws -> [AlertSink] {
        do {
            return try configuration.alerts.sinks.enumerated().map { index, fields in
                try AlertSink(fields: fields, index: index, directory: configuration.directory)
            }
        } catch let error as AlertSink.SettingsError {
            Terminal.error("vigia: error: \(configuration.file.path): \(error)")
            throw ExitCode(2)
        }
    }
}

/// `vigia alerts list`: recorded alerts, newest first, with each delivery's state.
struct AlertsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Recorded alerts, newest first, with each sink's delivery state (delivered, pending, failed).")

    @Option(help: "Only alerts since then: 7d, 24h or a date.")
    var since: String?

    @Option(help: "At most this many alerts.")
    var limit = 50

    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        let configuration = try config.load()
        let store = try config.openStore(configuration)
        let since = try self.since.map { try DateArgument.parse($0, option: "--since") }
        let alerts = try await store.alerts(since: since, limit: max(1, limit))
        if alerts.isEmpty { Terminal.line("No alerts recorded" + (since == nil ? "." : " since then.")) }
        let deliveries = Dictionary(grouping: try await store.deliveries(alertIDs: alerts.map(\.id)), by: { $0.alert.id })
        let formatter = ISO8601DateFormatter()
        for record in alerts {
            let alert = record.alert
            Terminal.line("#\(record.id)  \(formatter.string(from: alert.createdAt))  \(alert.brand)  \(alert.message)")
            for delivery in deliveries[record.id] ?? [] {
                var state = delivery.status.rawValue
                switch delivery.status {
                case .delivered: state += delivery.deliveredAt.map { " at \(formatter.string(from: $0))" } ?? ""
                case .pending: state += " (attempt \(delivery.attempts + 1) due \(formatter.string(from: delivery.nextAttemptAt)))"
                case .failed: state = "FAILED after \(delivery.attempts) attempts (dead letter; `vigia alerts replay \(record.id)` retries)"
                }
                Terminal.line("    \(delivery.sink): \(state)" + (delivery.lastError.map { " — \($0)" } ?? ""))
            }
        }
        Terminal.flush()
    }
}

/// `vigia alerts replay [ID]`: failed deliveries queued again and delivered now.
struct AlertsReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Queue given-up deliveries again (all, or one alert's) and deliver what is due now.")

    @Argument(help: "An alert id from `vigia alerts list`; every failed delivery when absent.")
    var alert: Int64?

    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        let configuration = try config.load()
        let sinks = try config.alertSinks(configuration)
        let store = try config.openStore(configuration)
        let queued = try await store.requeueFailedDeliveries(alertID: alert, at: Date())
        let outbox = Outbox(store: store, sinks: sinks, deliverer: AlertDeliverer(fetcher: Fetcher()))
        let report = try await outbox.deliverDue()
        Terminal.line("queued again: \(queued); delivered: \(report.delivered), retrying: \(report.retrying), given up: \(report.givenUp)")
        Terminal.flush()
        if report.retrying + report.givenUp > 0 { throw ExitCode(1) }
    }
}

/// `vigia alerts test`: a clearly marked sample alert to every sink, and each result.
struct AlertsTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Send a sample alert, marked TEST, to every sink in vigia.yaml and report each result.",
        discussion: "Exit status 0 when every sink accepted it, 1 when one did not, 2 for a configuration error.")

    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        let configuration = try config.load()
        let sinks = try config.alertSinks(configuration)
        guard !sinks.isEmpty else {
            Terminal.error("vigia: error: \(configuration.file.path) lists no alert sinks; add e.g. `alerts: {sinks: [{type: file, path: alerts.jsonl}]}`")
            throw ExitCode(2)
        }
        let brand = configuration.brands.first?.name ?? "Acme"
        let now = Date()
        let deliverer = AlertDeliverer(fetcher: Fetcher(concurrency: .init(maxTransfers: 8, maxPerHost: 2)))
        var failures = 0
        for sink in sinks {
            let sample = AlertMessage(
                id: "test-\(Int(now.timeIntervalSince1970))-\(sink.name)", brand: brand, severity: .warning,
                windowStart: now.addingTimeInterval(-900), windowEnd: now, observed: 12, expected: 2.5, sigma: 4.2,
                negativeShare: 0.64,
                topMentions: [.init(title: "This is a test alert from vigia alerts test", source: "Vigía", score: -0.5)],
                terms: ["test"], isTest: true)
            switch await deliverer.deliver(sample, to: sink) {
            case .delivered(let status):
                Terminal.line("\(sink.name): delivered" + (status > 0 ? " (HTTP \(status))" : ""))
            case .failed(let reason, let retryAfter):
                failures += 1
                Terminal.line("\(sink.name): FAILED: \(reason)" + (retryAfter.map { " (retry after \(Int($0)) s)" } ?? ""))
            }
        }
        Terminal.flush()
        if failures > 0 { throw ExitCode(1) }
    }
}

/// `vigia alerts backtest --since 30d`: when alerts would have fired on the stored history with
/// the current settings (nothing is recorded or sent).
struct AlertsBacktest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Replay the stored history and show when alerts would have fired with the current settings.")

    @Option(help: "The period to replay: 30d, 72h or a date (a week before it warms the detector up).")
    var since = "30d"

    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        let configuration = try config.load()
        let store = try config.openStore(configuration)
        let now = Date()
        let start = try DateArgument.parse(since, option: "--since", now: now)
        var settings = SpikeMonitor.Settings()
        settings.bucket = max(60, Double(configuration.alerts.bucket.components.seconds))
        settings.history = now.timeIntervalSince(start) + 7 * 86_400
        settings.recordWindow = now.timeIntervalSince(start)
        let monitor = SpikeMonitor(
            store: store, brands: configuration.brands.map(\.name), sinks: [], settings: settings, dryRun: true)
        let alerts = try await monitor.evaluate(now: now)
        let formatter = ISO8601DateFormatter()
        for alert in alerts {
            Terminal.line("\(formatter.string(from: alert.windowStart))  \(alert.brand)  \(alert.headline)  [\(alert.details)]")
        }
        Terminal.line("\(alerts.count) alert\(alerts.count == 1 ? "" : "s") would have fired since \(formatter.string(from: start))"
            + " (\(configuration.brands.count) brands, \(Int(settings.bucket / 60))-minute buckets)")
        Terminal.flush()
    }
}
