import Foundation
import Storage

/// Delivers the store's outbox: every pending delivery that is due goes to its sink; a success is
/// marked delivered, a failure is retried with exponential backoff and jitter (never sooner than
/// the receiver's `Retry-After`), and after ``Policy/maxAttempts`` the delivery is given up
/// (`failed`, the dead-letter state `vigia alerts list` shows and `vigia alerts replay` retries).
///
/// An alert and its deliveries are recorded in one transaction (``MentionStore/recordAlert(_:deliverTo:)``),
/// and a delivery is marked only after the sink answered, so a crash loses none and at worst
/// repeats one (receivers drop repeats by the `Vigia-Delivery` id).
public struct Outbox: Sendable {
    public struct Policy: Sendable, Hashable {
        public var maxAttempts = 8
        /// The wait after the first failure; it doubles per failure.
        public var firstRetry: TimeInterval = 30
        public var longestRetry: TimeInterval = 3600

        public init() {}

        /// The wait before the next attempt after `attempts` failed ones (equal jitter).
        public func wait(afterAttempts attempts: Int, random: Double = Double.random(in: 0..<1)) -> TimeInterval {
            let ceiling = min(firstRetry * pow(2, Double(max(0, attempts - 1))), longestRetry)
            return ceiling / 2 + ceiling / 2 * random
        }
    }

    /// What one pass did.
    public struct Report: Sendable, Hashable {
        public var delivered = 0
        public var retrying = 0
        public var givenUp = 0
        public init() {}
    }

    public let store: any MentionStore
    public let sinks: [AlertSink]
    public let deliverer: AlertDeliverer
    public let policy: Policy

    public init(store: any MentionStore, sinks: [AlertSink], deliverer: AlertDeliverer, policy: Policy = Policy()) {
        self.store = store
        self.sinks = sinks
        self.deliverer = deliverer
        self.policy = policy
    }

    /// Delivers everything due at `now` (at most `limit` deliveries).
    public func deliverDue(now: Date = Date(), limit: Int = 500) async throws -> Report {
        var report = Report()
        let byName = Dictionary(sinks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for delivery in try await store.pendingDeliveries(dueAt: now, limit: limit) {
            guard let sink = byName[delivery.sink] else {
                try await store.markFailed(delivery.id, error: "the sink \(delivery.sink) is no longer in vigia.yaml", retryAt: nil)
                report.givenUp += 1
                continue
            }
            switch await deliverer.deliver(Self.message(for: delivery), to: sink, now: now) {
            case .delivered:
                try await store.markDelivered(delivery.id, at: now)
                report.delivered += 1
            case .failed(let reason, let retryAfter):
                let attempts = delivery.attempts + 1
                if attempts >= policy.maxAttempts {
                    try await store.markFailed(delivery.id, error: "\(reason) (gave up after \(attempts) attempts)", retryAt: nil)
                    report.givenUp += 1
                } else {
                    let wait = max(policy.wait(afterAttempts: attempts), retryAfter ?? 0)
                    try await store.markFailed(delivery.id, error: reason, retryAt: now.addingTimeInterval(wait))
                    report.retrying += 1
                }
            }
        }
        return report
    }

    /// The message of a recorded alert: the one it was recorded with, or one rebuilt from its fields.
    static func message(for delivery: Delivery) -> AlertMessage {
        let alert = delivery.alert.alert
        if let details = alert.details, let message = try? JSONDecoder().decode(AlertMessage.self, from: Data(details.utf8)) {
            var keyed = message
            keyed.id = "\(alert.key)/\(delivery.sink)"
            return keyed
        }
        return AlertMessage(
            id: "\(alert.key)/\(delivery.sink)", brand: alert.brand, severity: .warning, windowStart: alert.bucketStart,
            windowEnd: alert.bucketEnd ?? alert.bucketStart, observed: Int(alert.value), expected: alert.baseline ?? 0,
            sigma: alert.score ?? 0)
    }
}
