import Fetching
import Foundation
import Pipeline

/// When to poll a feed next: its interval, bounded by what the feed and the server ask for, with
/// jitter so that feeds added together do not stay in lock-step; exponential backoff with jitter
/// after failures; a server's `Retry-After` always honoured.
public struct PollSchedule: Sendable {
    /// The interval of a feed with none of its own.
    public var defaultInterval: TimeInterval
    /// Never poll more often than this.
    public var minInterval: TimeInterval
    /// Never wait longer than this, failing feeds included (so that they are noticed recovering).
    public var maxInterval: TimeInterval
    /// The longest `Retry-After` honoured (a server asking for a month is asking for too much).
    public var maxRetryAfter: TimeInterval = 7 * 24 * 3600
    /// Failures in a row after which a feed counts as failing, and the time after which it is
    /// flagged in `vigia feeds status`.
    public static let failingAfter: TimeInterval = 24 * 3600

    public init(defaultInterval: TimeInterval = 1800, minInterval: TimeInterval = 300, maxInterval: TimeInterval = 86_400) {
        self.defaultInterval = defaultInterval
        self.minInterval = min(minInterval, maxInterval)
        self.maxInterval = maxInterval
    }

    public init(settings: FetchSettings) {
        self.init(
            defaultInterval: Self.seconds(settings.interval), minInterval: Self.seconds(settings.minInterval),
            maxInterval: Self.seconds(settings.maxInterval))
    }

    /// The regular interval of a feed: the configured one (or the default), lengthened to what the
    /// feed (`<ttl>`, `sy:updatePeriod`) or the server (`Cache-Control: max-age`) asks for, within
    /// the minimum and maximum.
    public func interval(configured: TimeInterval?, feedHint: TimeInterval?, maxAge: TimeInterval?) -> TimeInterval {
        var interval = configured ?? defaultInterval
        if let feedHint, feedHint > interval { interval = feedHint }
        if let maxAge, maxAge > interval { interval = maxAge }
        return min(max(interval, minInterval), maxInterval)
    }

    /// The next poll after a success: the interval, give or take 10%.
    public func nextAfterSuccess(interval: TimeInterval, now: Date, random: Double = Double.random(in: 0..<1)) -> Date {
        now.addingTimeInterval(interval * (0.9 + 0.2 * random))
    }

    /// The wait after the `failures`-th failure in a row: the interval doubled per failure beyond
    /// the first, at most the maximum interval, with "equal jitter" (between half and all of it).
    public func backoff(failures: Int, interval: TimeInterval, random: Double = Double.random(in: 0..<1)) -> TimeInterval {
        let exponent = min(max(failures - 1, 0), 30)
        let base = max(min(interval, maxInterval), 60)
        let ceiling = min(base * pow(2, Double(exponent)), maxInterval)
        return ceiling / 2 + ceiling / 2 * random
    }

    /// `Retry-After` as seconds from `now`: a number of seconds or an HTTP date; nil when absent or
    /// unreadable; capped at ``maxRetryAfter``.
    public func retryAfter(_ value: String?, now: Date) -> TimeInterval? {
        RetryAfter.seconds(value, now: now).map { min($0, maxRetryAfter) }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
