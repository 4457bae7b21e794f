import Foundation
import Logging
import ServiceLifecycle
import Storage
import Synchronization

/// The daemon's polling loop as a swift-service-lifecycle service: poll the feeds that are due,
/// store what they bring, hand each cycle's report on, sleep until the next feed is due.
///
/// On graceful shutdown (SIGTERM, SIGINT) waiting and running transfers are abandoned, what was
/// already fetched is stored, and `run()` returns within a few seconds.
public struct PollingService: Service {
    /// Which feeds a cycle polls.
    public enum Mode: Sendable {
        /// Forever: each feed when its schedule says it is due.
        case continuous
        /// One cycle over every active feed that neither a server's `Retry-After` nor the backoff
        /// after failures holds back, then return (`vigia run --once`).
        case once
    }

    public let poller: Poller
    public let mode: Mode
    /// Called after every cycle with its report (alerting and the digest hook in here).
    public let onCycle: @Sendable (PollReport) async -> Void
    /// Reports progress during a cycle (the terminal's progress line).
    public let progress: (@Sendable (PollProgress) -> Void)?
    let logger: Logger
    /// The longest sleep between checks for due feeds.
    let maxSleep: TimeInterval
    /// The feeds as just read from the store, to spare `once` a second read.
    let initialSources: [SourceRecord]?
    /// Told when the daemon stops or a cycle fails.
    let health: DaemonHealth?

    public init(
        poller: Poller, mode: Mode, logger: Logger, maxSleep: TimeInterval = 60, initialSources: [SourceRecord]? = nil,
        health: DaemonHealth? = nil,
        progress: (@Sendable (PollProgress) -> Void)? = nil,
        onCycle: @escaping @Sendable (PollReport) async -> Void = { _ in }
    ) {
        self.poller = poller
        self.mode = mode
        self.logger = logger
        self.maxSleep = maxSleep
        self.initialSources = initialSources
        self.health = health
        self.progress = progress
        self.onCycle = onCycle
    }

    public func run() async throws {
        let poller = self.poller
        try await withGracefulShutdownHandler {
            switch mode {
            case .once:
                let now = Date()
                var known = initialSources
                if known == nil { known = try await poller.store.sources() }
                let sources = (known ?? []).filter {
                    $0.kind == .feed && $0.active && ($0.holdUntil.map { $0 <= now } ?? true)
                }
                try await cycle(sources)
            case .continuous:
                while !poller.isStopping {
                    let due = try await poller.store.sourcesDue(at: Date())
                    if !due.isEmpty { try await cycle(due) }
                    try await sleepUntilDue()
                }
            }
        } onGracefulShutdown: { [health] in
            health?.report("stopping")
            poller.stop()
        }
    }

    private func cycle(_ sources: [SourceRecord]) async throws {
        logger.debug("cycle starts", metadata: ["feeds": "\(sources.count)"])
        let report: PollReport
        do {
            report = try await poller.poll(sources, progress: progress)
        } catch {
            health?.report("the last cycle failed: \(error)")
            throw error
        }
        if case .continuous = mode {
            let all = try await poller.store.sources().filter { $0.kind == .feed && $0.active }
            poller.metrics.feeds(active: all.count, failing: all.filter { $0.consecutiveFailures > 0 }.count)
        }
        poller.metrics.cycleFinished(at: Date())
        logger.info(
            "cycle done",
            metadata: [
                "feeds": "\(report.feeds)", "fetched": "\(report.fetched)", "not_modified": "\(report.notModified)",
                "unchanged": "\(report.unchanged)", "failed": "\(report.failed)", "entries_new": "\(report.entriesNew)",
                "mentions_new": "\(report.mentionsNew)", "seconds": "\(String(format: "%.2f", report.seconds))",
            ])
        await onCycle(report)
    }

    /// Sleeps until the earliest next poll (at most ``maxSleep``), waking early on shutdown.
    private func sleepUntilDue() async throws {
        let now = Date()
        let next = try await poller.store.sources()
            .filter { $0.kind == .feed && $0.active }
            .compactMap(\.nextPollAt).min()
        var remaining = min(max(next.map { $0.timeIntervalSince(now) } ?? maxSleep, 0.05), maxSleep)
        while remaining > 0, !poller.isStopping {
            let step = min(remaining, 0.25)
            try? await Task.sleep(for: .milliseconds(Int(step * 1000)))
            remaining -= step
        }
    }
}

/// What `/healthz` says: nil while the daemon works, else what is wrong.
public final class DaemonHealth: Sendable {
    private let state = Mutex<String?>(nil)

    public init() {}

    /// The current problem, if any.
    public var problem: String? { state.withLock { $0 } }

    public func report(_ problem: String?) { state.withLock { $0 = problem } }
}

extension PollingService: CustomStringConvertible {
    /// The name swift-service-lifecycle logs (its default would describe every field).
    public var description: String { "PollingService(\(mode))" }
}
