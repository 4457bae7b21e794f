import Foundation

/// A streaming spike detector for volume series (mentions per bucket, or any `timestamp,value`
/// series): each decision uses only the points before it.
///
/// For each point it computes how unusual the value is against two robust baselines:
/// - **recent**: the median and spread (MAD) of the last few hours, which absorbs a lasting change
///   (a new normal) within hours;
/// - **seasonal**: the same time of day on the previous days (and a week ago), which knows that a
///   daily peak or a quiet night is normal.
///
/// The point's score is the smaller of the two z-scores (a spike is unusual against both), in
/// standard deviations. Counts (non-negative integers) are first put on a square-root scale
/// (Anscombe), on which Poisson noise has a standard deviation of about 1, so that long stretches
/// of zeros and low counts do not make single mentions look like spikes.
///
/// Alerts follow episodes: one alert when the score first passes the threshold, another only
/// when the episode escalates (the excess doubles), and none for a cooldown after an episode ends.
public struct SpikeDetector: Sendable {
    /// Fixed in code (the same for every series), chosen on the development series of
    /// `../shared/data/volume` (`bash bench/detect/run.sh`).
    public struct Settings: Sendable, Hashable {
        /// Score (σ) at which an episode starts.
        public var threshold = 3.0
        /// Score below which an episode is over (after `calmPoints` such points in a row).
        public var calmThreshold = 2.0
        /// A later alert in the same episode needs this multiple of the excess that alerted.
        public var escalation = 4.0
        /// No new episode within this many seconds of the last alert.
        public var cooldown: TimeInterval = 12 * 3600
        /// Whether unusual drops alert too (for generic series; mention volume alerts on spikes).
        public var detectsDrops = true
        /// A deviation from the previous days alone alerts at this multiple of the threshold.
        public var seasonalOnlyFactor = 3.0
        /// How far (in spreads) a spike must top the highest value of the last day.
        public var novelty = 0.5
        /// The smallest value that may alert (e.g. a minimum number of negative mentions).
        public var minimumValue = 0.0

        public init() {}
    }

    /// One alert: when, how unusual, and against what.
    public struct Alert: Sendable, Hashable {
        public var time: Double
        public var observed: Double
        /// The expected value (on the original scale).
        public var expected: Double
        /// How unusual, in standard deviations.
        public var score: Double
        /// True for a re-alert of an escalating episode.
        public var escalation: Bool
    }

    public let settings: Settings
    private var lastTime: Double?
    private var history: Ring
    private var step: Double?
    private var stepSamples: [Double] = []
    private var isCount = true
    // Episode state.
    private var inEpisode = false
    private var calmCount = 0
    private var lastAlertTime: Double?
    private var lastAlertExcess = 0.0

    public init(settings: Settings = Settings()) {
        self.settings = settings
        history = Ring(capacity: 1)
    }

    /// Observes the next point (times in seconds, increasing); returns an alert when it starts or
    /// escalates an episode.
    public mutating func observe(time: Double, value: Double) -> Alert? {
        guard value.isFinite else { return nil }
        if let previous = lastTime, stepSamples.count < 32, time > previous { stepSamples.append(time - previous) }
        lastTime = time
        if value < 0 || value != value.rounded() { isCount = false }
        if step == nil, stepSamples.count >= 8 { configure() }
        defer { history.append(value) }
        guard step != nil, history.count >= localLength else { return nil }
        let x = transform(value)

        // Recent baseline.
        var recent = history.last(localLength).map(transform)
        let recentMedian = Self.median(&recent)
        var recentDeviations = recent.map { abs($0 - recentMedian) }
        let recentSpread = 1.4826 * Self.median(&recentDeviations)

        // Seasonal baseline: the same time on previous days (±1 point) and a week ago.
        var seasonal: [Double] = []
        var days = 0
        if let period {
            for day in [1, 2, 3, 4, 5, 6, 7] {
                let back = day * period
                guard back + 1 <= history.count else { break }
                days += 1
                for offset in [-1, 0, 1] where back - offset >= 1 && back - offset <= history.count {
                    seasonal.append(transform(history.back(back - offset)))
                }
            }
        }
        let floor = scaleFloor(recentMedian)
        // Upward and downward deviations, each against both baselines (the weaker one counts).
        var up = (x - recentMedian) / max(recentSpread, floor)
        var down = (recentMedian - x) / max(recentSpread, floor)
        var expected = recentMedian
        var seasonalOnly = -Double.infinity
        if days >= 2 {
            let seasonalMedian = Self.median(&seasonal)
            var deviations = seasonal.map { abs($0 - seasonalMedian) }
            let seasonalSpread = 1.4826 * Self.median(&deviations)
            let seasonalUp = (x - seasonalMedian) / max(seasonalSpread, floor)
            let seasonalDown = (seasonalMedian - x) / max(seasonalSpread, floor)
            up = min(up, seasonalUp)
            down = min(down, seasonalDown)
            // A day unlike the previous days at this hour, far beyond their spread, is unusual even
            // when the last hours look alike (a missing daily peak, a flattened day).
            seasonalOnly = max(seasonalUp, settings.detectsDrops ? seasonalDown : -.infinity) / settings.seasonalOnlyFactor
            expected = seasonalMedian
        } else {
            up -= 1  // no seasonal view yet: a little more evidence needed
            down -= 1
        }
        // Novelty: a spike must also top everything of the last day, a drop go below it (a series
        // whose spikes recur has its own normal spikes).
        let span = min(history.count, max(period ?? 0, localLength * 4))
        var highest = -Double.infinity
        var lowest = Double.infinity
        for back in 1...span {
            let past = transform(history.back(back))
            highest = max(highest, past)
            lowest = min(lowest, past)
        }
        let margin = settings.novelty * max(recentSpread, floor)
        if x <= highest + margin { up = min(up, settings.threshold - 0.01) }
        if x >= lowest - margin || !settings.detectsDrops { down = min(down, settings.threshold - 0.01) }
        let score = max(up, down, seasonalOnly)
        return decide(time: time, value: value, score: score, excess: abs(x - expected), expected: untransform(expected))
    }

    private mutating func decide(time: Double, value: Double, score: Double, excess: Double, expected: Double) -> Alert? {
        let unusual = score >= settings.threshold && value >= settings.minimumValue
        if inEpisode {
            if score < settings.calmThreshold {
                calmCount += 1
                if calmCount >= max(3, localLength / 4) { inEpisode = false }
            } else {
                calmCount = 0
            }
            if unusual, excess >= lastAlertExcess * settings.escalation {
                lastAlertExcess = excess
                lastAlertTime = time
                return Alert(time: time, observed: value, expected: expected, score: score, escalation: true)
            }
            return nil
        }
        guard unusual else { return nil }
        if let last = lastAlertTime, time - last < settings.cooldown { return nil }
        inEpisode = true
        calmCount = 0
        lastAlertTime = time
        lastAlertExcess = excess
        return Alert(time: time, observed: value, expected: expected, score: score, escalation: false)
    }

    // MARK: Shape of the series

    /// Points per day, when the step divides a day.
    private var period: Int?
    /// Points in the recent baseline: about six hours, at least 12.
    private var localLength = 12

    private mutating func configure() {
        var samples = stepSamples
        let step = max(Self.median(&samples), 1)
        self.step = step
        let perDay = 86_400 / step
        if perDay >= 4, perDay <= 2_000, abs(perDay - perDay.rounded()) < 0.01 {
            period = Int(perDay.rounded())
        }
        localLength = max(12, Int((6 * 3600 / step).rounded()))
        history = Ring(capacity: max(localLength, (period ?? 0) * 7 + 2) + 1, carrying: history)
    }

    private func transform(_ value: Double) -> Double {
        isCount ? 2 * (max(value, 0) + 0.375).squareRoot() : value
    }

    private func untransform(_ value: Double) -> Double {
        isCount ? max(0, (value / 2) * (value / 2) - 0.375) : value
    }

    /// The smallest spread a baseline may have: 1 on the count scale (Poisson noise), else a
    /// small fraction of the level, so that a flat line does not make every wiggle a spike.
    private func scaleFloor(_ level: Double) -> Double {
        isCount ? 1 : max(abs(level) * 0.01, 1e-9)
    }

    static func median(_ values: inout [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        values.sort()
        let middle = values.count / 2
        return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
    }
}

/// The last values of a series, oldest dropped first.
struct Ring: Sendable {
    private var storage: [Double]
    private var start = 0
    private(set) var count = 0

    init(capacity: Int) {
        storage = Array(repeating: 0, count: max(1, capacity))
    }

    /// A ring of `capacity` holding the newest values of `other`.
    init(capacity: Int, carrying other: Ring) {
        self.init(capacity: capacity)
        let kept = min(other.count, storage.count)
        for back in stride(from: kept, through: 1, by: -1) { append(other.back(back)) }
    }

    mutating func append(_ value: Double) {
        if count < storage.count {
            storage[(start + count) % storage.count] = value
            count += 1
        } else {
            storage[start] = value
            start = (start + 1) % storage.count
        }
    }

    /// The value `back` points before the end (1 = the newest).
    func back(_ back: Int) -> Double {
        storage[(start + count - back + storage.count * 2) % storage.count]
    }

    /// The newest `n` values, oldest first.
    func last(_ n: Int) -> [Double] {
        let n = min(n, count)
        return (0..<n).map { back(n - $0) }
    }
}
