import Alerting
import ArgumentParser
import Fetching
import Foundation
import Pipeline

/// `vigia alerts …`: the alert sinks and the recorded alerts.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Alert sinks and recorded alerts.", subcommands: [AlertsTest.self])
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
        var sinks: [AlertSink] = []
        do {
            for (index, fields) in configuration.alerts.sinks.enumerated() {
                sinks.append(try AlertSink(fields: fields, index: index, directory: configuration.directory))
            }
        } catch let error as AlertSink.SettingsError {
            Terminal.error("vigia: error: \(configuration.file.path): \(error)")
            throw ExitCode(2)
        }
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
