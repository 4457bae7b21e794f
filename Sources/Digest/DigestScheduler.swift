import Alerting
import Foundation
import Logging
import ServiceLifecycle
import Storage

/// What the daemon sends, and when: the schedule, the brands grouped by time zone (each group gets
/// its digest at the scheduled local time), the labels' language and the targets.
public struct DigestPlan: Sendable {
    /// Brands whose digest follows one time zone's clock.
    public struct Scope: Sendable, Hashable {
        public var timeZone: TimeZone
        public var brands: [DigestBuilder.BrandSpec]

        public init(timeZone: TimeZone, brands: [DigestBuilder.BrandSpec]) {
            self.timeZone = timeZone
            self.brands = brands
        }
    }

    public var schedule: DigestSchedule
    public var scopes: [Scope]
    public var language: String
    /// Where the whole digest can be read; chat summaries link to it.
    public var link: String?
    /// Email, webhooks and the archive directory.
    public var targets: [DigestTarget]

    public init(schedule: DigestSchedule, scopes: [Scope], language: String, link: String?, targets: [DigestTarget]) {
        self.schedule = schedule
        self.scopes = scopes
        self.language = language
        self.link = link
        self.targets = targets
    }

    /// Brands grouped by their own time zone, or the schedule's; competitors stay beside the
    /// brands of their zone so that share of voice compares them.
    public static func scopes(_ brands: [(spec: DigestBuilder.BrandSpec, timeZone: TimeZone?)], default zone: TimeZone) -> [Scope] {
        var scopes: [Scope] = []
        for brand in brands {
            let timeZone = brand.timeZone ?? zone
            if let index = scopes.firstIndex(where: { $0.timeZone.identifier == timeZone.identifier }) {
                scopes[index].brands.append(brand.spec)
            } else {
                scopes.append(Scope(timeZone: timeZone, brands: [brand.spec]))
            }
        }
        return scopes
    }
}

/// Sends each period's digest once per target: when a slot of the schedule passes, one delivery
/// per target is recorded in the store (keyed by the scope and the period, so a restart never
/// sends a period twice); due deliveries are built, sent, and retried with backoff on failure.
public struct DigestScheduler: Sendable {
    public let store: any MentionStore
    public let plan: DigestPlan
    public let sender: DigestSender
    public let policy: Outbox.Policy
    let logger: Logger

    /// A slot older than this share of its period is not sent late: the next digest is near.
    static let lateness = 0.5

    public init(store: any MentionStore, plan: DigestPlan, sender: DigestSender, logger: Logger, policy: Outbox.Policy = Outbox.Policy()) {
        self.store = store
        self.plan = plan
        self.sender = sender
        self.logger = logger
        self.policy = policy
    }

    /// The run (scope and period) of the latest slot at `now`, if it is not too old to send.
    public func dueRuns(now: Date) -> [DigestRun] {
        plan.scopes.compactMap { scope in
            let schedule = plan.schedule.in(scope.timeZone)
            let end = schedule.latestSlot(atOrBefore: now)
            let start = schedule.previousSlot(before: end)
            guard now.timeIntervalSince(end) <= end.timeIntervalSince(start) * Self.lateness else { return nil }
            return Self.run(scope: scope, start: start, end: end)
        }
    }

    static func run(scope: DigestPlan.Scope, start: Date, end: Date) -> DigestRun {
        let stamp = ISO8601DateFormatter().string(from: end)
        return DigestRun(key: "\(scope.timeZone.identifier)/\(stamp)", scope: scope.timeZone.identifier, periodStart: start, periodEnd: end)
    }

    /// The next moment something may be due: the next slot of any scope.
    public func nextSlot(after now: Date) -> Date {
        plan.scopes.map { plan.schedule.in($0.timeZone).nextSlot(after: now) }.min() ?? now.addingTimeInterval(3600)
    }

    /// What one pass did.
    public struct Report: Sendable, Hashable {
        public var queued = 0
        public var delivered = 0
        public var retrying = 0
        public var givenUp = 0
    }

    /// Queues the digests whose slot has come, then sends every delivery that is due.
    public func pass(now: Date = Date()) async throws -> Report {
        var report = Report()
        let targets = plan.targets.map(\.name)
        for run in dueRuns(now: now) {
            report.queued += try await store.scheduleDigest(run, targets: targets, at: now)
        }
        let pending = try await store.pendingDigestDeliveries(dueAt: now, limit: 100)
        var rendered: [String: RenderedDigest] = [:]
        for delivery in pending {
            guard let target = plan.targets.first(where: { $0.name == delivery.target }) else {
                try await store.markDigestFailed(delivery.id, error: "\(delivery.target) is no longer in vigia.yaml", retryAt: nil)
                report.givenUp += 1
                continue
            }
            guard let scope = plan.scopes.first(where: { $0.timeZone.identifier == delivery.run.scope }) else {
                try await store.markDigestFailed(delivery.id, error: "no brand follows the time zone \(delivery.run.scope) any more", retryAt: nil)
                report.givenUp += 1
                continue
            }
            let digest: RenderedDigest
            if let done = rendered[delivery.run.key] {
                digest = done
            } else {
                let built = try await DigestBuilder(store: store).build(
                    brands: scope.brands, voiceAmong: plan.scopes.flatMap(\.brands).map(\.name), since: delivery.run.periodStart,
                    until: delivery.run.periodEnd, timeZone: scope.timeZone, language: plan.language, now: now)
                digest = RenderedDigest(built, id: "digest/" + delivery.run.key, link: plan.link)
                rendered[delivery.run.key] = digest
            }
            switch await sender.deliver(digest, to: target, now: now) {
            case .delivered:
                try await store.markDigestDelivered(delivery.id, at: now)
                report.delivered += 1
                logger.notice("digest sent", metadata: ["target": "\(target.name)", "period_end": "\(delivery.run.periodEnd)", "scope": "\(delivery.run.scope)"])
            case .giveUp(let reason):
                try await store.markDigestFailed(delivery.id, error: reason, retryAt: nil)
                report.givenUp += 1
                logger.error("digest not sent", metadata: ["target": "\(target.name)", "error": "\(reason)"])
            case .retry(let reason, let after):
                let attempts = delivery.attempts + 1
                if attempts >= policy.maxAttempts {
                    try await store.markDigestFailed(delivery.id, error: "\(reason) (gave up after \(attempts) attempts)", retryAt: nil)
                    report.givenUp += 1
                    logger.error("digest not sent", metadata: ["target": "\(target.name)", "error": "\(reason)"])
                } else {
                    let wait = max(policy.wait(afterAttempts: attempts), after ?? 0)
                    try await store.markDigestFailed(delivery.id, error: reason, retryAt: now.addingTimeInterval(wait))
                    report.retrying += 1
                    logger.warning("digest delivery failed; retrying", metadata: ["target": "\(target.name)", "error": "\(reason)", "in_seconds": "\(Int(wait))"])
                }
            }
        }
        return report
    }
}

/// The daemon's digest loop as a swift-service-lifecycle service: a pass at start (a digest
/// missed while the daemon was down is sent if still timely), then at each slot and whenever a
/// retry is due, until a graceful shutdown.
public struct DigestService: Service, CustomStringConvertible {
    let scheduler: DigestScheduler
    let logger: Logger
    /// The longest sleep: retries are looked for at least this often.
    let interval: Duration

    public init(scheduler: DigestScheduler, logger: Logger, interval: Duration = .seconds(60)) {
        self.scheduler = scheduler
        self.logger = logger
        self.interval = interval
    }

    public var description: String { "DigestService" }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                _ = try await scheduler.pass()
            } catch {
                logger.error("digest pass failed", metadata: ["error": "\(error)"])
            }
            let now = Date()
            let untilSlot = max(1, scheduler.nextSlot(after: now).timeIntervalSince(now))
            let sleep = min(Double(interval.components.seconds), untilSlot)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(sleep)) }
        }
    }
}
