import Detection
import Foundation
import Storage
import VigiaModel

/// Watches each brand's negative mentions in buckets and records an alert (with its deliveries,
/// in one transaction) when the streaming detector sees a spike.
///
/// A bucket is judged once it is closed and a grace period has passed (entries arrive with the
/// polls after the time they were published). At start the monitor replays the recent history
/// from the store to warm up its detectors; alert keys are `brand/negative-spike/bucket start`,
/// so judging a bucket again after a restart never records an alert twice.
public actor SpikeMonitor {
    public struct Settings: Sendable, Hashable {
        /// Bucket width in seconds.
        public var bucket: TimeInterval = 300
        /// A bucket is judged this long after it closed.
        public var grace: TimeInterval = 600
        /// History replayed at start.
        public var history: TimeInterval = 8 * 86_400
        /// Spikes older than this at start are not recorded (the history only warms up).
        public var recordWindow: TimeInterval = 86_400
        /// No alert for fewer negative mentions than this in the bucket.
        public var minimumNegative = 5
        /// The bucket's negative share must be at least this multiple of the brand's recent share,
        /// so that a neutral viral surge does not alert.
        public var shareFactor = 1.2

        public init() {}
    }

    private struct BrandState {
        var detector: SpikeDetector
        /// Negative and all mentions of the last week's judged buckets, and their running sums
        /// (for the brand's usual negative share).
        var recent = FIFO<(negative: Int, total: Int)>()
        var recentNegative = 0
        var recentTotal = 0
    }

    let store: any MentionStore
    let brands: [String]
    let sinks: [String]
    let settings: Settings
    /// Judges without recording anything (`vigia alerts backtest`).
    let dryRun: Bool
    private var states: [String: BrandState] = [:]
    /// The start of the next bucket to judge.
    private var nextBucket: Date?

    /// - Parameter dryRun: judge and return the alerts that would fire, recording nothing.
    public init(store: any MentionStore, brands: [String], sinks: [String], settings: Settings = Settings(), dryRun: Bool = false) {
        self.store = store
        self.brands = brands
        self.sinks = sinks
        self.settings = settings
        self.dryRun = dryRun
    }

    /// Judges every bucket closed (and past its grace) at `now`; returns the alerts recorded now.
    @discardableResult
    public func evaluate(now: Date = Date()) async throws -> [AlertMessage] {
        let width = settings.bucket
        let lastClosedEnd = Self.floor(now.addingTimeInterval(-settings.grace), width)
        let start = nextBucket ?? Self.floor(now.addingTimeInterval(-settings.history), width)
        guard start < lastClosedEnd else { return [] }
        let counts = try await store.mentionCounts(
            MentionCountRequest(brands: brands, since: start, until: lastClosedEnd, bucketSeconds: Int(width)))
        var byBucket: [String: [Date: MentionCount]] = [:]
        for count in counts {
            if let bucket = count.bucketStart { byBucket[count.brand, default: [:]][bucket] = count }
        }
        var recorded: [AlertMessage] = []
        var bucket = start
        while bucket < lastClosedEnd {
            for brand in brands {
                let count = byBucket[brand]?[bucket]
                if let message = try await judge(brand: brand, bucket: bucket, negative: count?.negative ?? 0,
                                                  total: count?.total ?? 0, now: now) {
                    recorded.append(message)
                }
            }
            bucket = bucket.addingTimeInterval(width)
        }
        nextBucket = lastClosedEnd
        return recorded
    }

    private func judge(brand: String, bucket: Date, negative: Int, total: Int, now: Date) async throws -> AlertMessage? {
        var detectorSettings = SpikeDetector.Settings()
        detectorSettings.minimumValue = Double(settings.minimumNegative)
        detectorSettings.detectsDrops = false
        var state = states[brand] ?? BrandState(detector: SpikeDetector(settings: detectorSettings))
        defer { states[brand] = state }
        let spike = state.detector.observe(time: bucket.timeIntervalSince1970, value: Double(negative))
        let (recentNegative, recentTotal) = (state.recentNegative, state.recentTotal)
        state.recent.append((negative, total))
        state.recentNegative += negative
        state.recentTotal += total
        if state.recent.count > Int(7 * 86_400 / settings.bucket), let oldest = state.recent.popFirst() {
            state.recentNegative -= oldest.negative
            state.recentTotal -= oldest.total
        }
        guard let spike, now.timeIntervalSince(bucket) <= settings.recordWindow else { return nil }
        let share = total > 0 ? Double(negative) / Double(total) : 0
        let usualShare = recentTotal > 0 ? Double(recentNegative) / Double(recentTotal) : 0
        guard share >= min(1, usualShare * settings.shareFactor) else { return nil }  // a neutral surge

        let end = bucket.addingTimeInterval(settings.bucket)
        let top = try await store.search(SearchRequest(
            brand: brand, sentiment: .neg, since: bucket, until: end, limit: 20, order: .date))
        let mentions = top.sorted { ($0.sentiment?.score ?? 0) < ($1.sentiment?.score ?? 0) }.prefix(5).map { hit in
            AlertMessage.Mention(
                title: hit.title ?? hit.snippet.replacingOccurrences(of: "\u{2}", with: "").replacingOccurrences(of: "\u{3}", with: ""),
                link: hit.link, source: hit.sourceTitle ?? hit.sourceURL, score: hit.sentiment?.score ?? 0)
        }
        let key = "\(brand)/negative-spike/\(Int(bucket.timeIntervalSince1970))"
        let severity: AlertMessage.Severity = spike.score >= 8 ? .critical : spike.score >= 5 ? .high : .warning
        let message = AlertMessage(
            id: key, brand: brand, severity: severity, windowStart: bucket, windowEnd: end, observed: negative,
            expected: spike.expected, sigma: spike.score, negativeShare: total > 0 ? share : nil,
            escalation: spike.escalation, topMentions: Array(mentions), terms: Self.terms(top.map { $0.title ?? $0.snippet }, brand: brand))
        if dryRun { return message }
        let details = String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
        let recording = try await store.recordAlert(
            NewAlert(
                key: key, brand: brand, kind: "negative-spike", bucketStart: bucket, bucketEnd: end, value: Double(negative),
                baseline: spike.expected, score: spike.score, message: message.headline, details: details, createdAt: now),
            deliverTo: sinks)
        if case .recorded = recording { return message }
        return nil
    }

    /// The words that recur most in the spike's negative mentions (the brand's own name left out).
    static func terms(_ texts: [String], brand: String) -> [String] {
        let brandWords = Set(brand.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
        var counts: [String: Int] = [:]
        for text in texts {
            let words = Set(text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
            for word in words where word.count >= 4 && !brandWords.contains(word) { counts[word, default: 0] += 1 }
        }
        return counts.filter { $0.value >= 2 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(6).map(\.key)
    }

    static func floor(_ date: Date, _ width: TimeInterval) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / width).rounded(.down) * width)
    }
}
