import Foundation
import Storage

/// The digest of one period: per brand, volume by sentiment and its change, Net Sentiment Score,
/// share of voice, the mentions that matter, what people complain about, and the last 30 days.
/// `vigia digest --format json` prints it as is (the keys are stable).
public struct DigestReport: Sendable, Hashable, Codable {
    public struct Counts: Sendable, Hashable, Codable {
        public var positive = 0
        public var neutral = 0
        public var negative = 0
        public var total: Int { positive + neutral + negative }
        /// % positive − % negative (−100…100); nil without mentions.
        public var netSentiment: Double? {
            total > 0 ? (Double(positive) - Double(negative)) * 100 / Double(total) : nil
        }

        public init(positive: Int = 0, neutral: Int = 0, negative: Int = 0) {
            self.positive = positive
            self.neutral = neutral
            self.negative = negative
        }

        enum CodingKeys: String, CodingKey {
            case positive, neutral, negative, total, netSentiment
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            positive = try container.decode(Int.self, forKey: .positive)
            neutral = try container.decode(Int.self, forKey: .neutral)
            negative = try container.decode(Int.self, forKey: .negative)
        }

        /// The counts with their total and Net Sentiment Score (null without mentions).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(positive, forKey: .positive)
            try container.encode(neutral, forKey: .neutral)
            try container.encode(negative, forKey: .negative)
            try container.encode(total, forKey: .total)
            try container.encode(netSentiment, forKey: .netSentiment)
        }
    }

    public struct Mention: Sendable, Hashable, Codable {
        public var title: String
        public var source: String
        public var link: String?
        public var language: String?
        public var score: Double
        public var date: Date
        /// One line of text with the brand between U+0002 and U+0003 (renderers highlight it).
        public var snippet: String
    }

    public struct Brand: Sendable, Hashable, Codable {
        public var name: String
        public var competitor: Bool
        public var period: Counts
        public var previousPeriod: Counts
        public var sameDayLastWeek: Counts
        /// This brand's share of all configured brands' mentions in the period.
        public var shareOfVoice: Double?
        public var topNegative: [Mention]
        public var topPositive: [Mention]
        public var complaints: [ComplaintTerms.Group]
        /// Mentions per day over the last 30 days (oldest first), and negative ones.
        public var dailyTotal: [Int]
        public var dailyNegative: [Int]
    }

    public var since: Date
    public var until: Date
    public var brands: [Brand]
}

/// Builds ``DigestReport``s from the store.
public struct DigestBuilder: Sendable {
    public let store: any MentionStore

    public init(store: any MentionStore) {
        self.store = store
    }

    /// The digest of `[since, until)` for `brands` (name, competitor).
    public func build(brands: [(name: String, competitor: Bool)], since: Date, until: Date) async throws -> DigestReport {
        let span = until.timeIntervalSince(since)
        let names = brands.map(\.name)
        let period = try await counts(names, since, until)
        let previous = try await counts(names, since.addingTimeInterval(-span), since)
        let lastWeek = try await counts(names, since.addingTimeInterval(-7 * 86_400), until.addingTimeInterval(-7 * 86_400))
        let allTotal = period.values.reduce(0) { $0 + $1.total }
        let dayStart = Date(timeIntervalSince1970: (until.timeIntervalSince1970 / 86_400).rounded(.up) * 86_400 - 30 * 86_400)
        let daily = try await store.mentionCounts(
            MentionCountRequest(brands: names, since: dayStart, until: dayStart.addingTimeInterval(30 * 86_400), bucketSeconds: 86_400))

        var report = DigestReport(since: since, until: until, brands: [])
        for brand in brands {
            let counts = period[brand.name] ?? DigestReport.Counts()
            var totals = [Int](repeating: 0, count: 30), negatives = [Int](repeating: 0, count: 30)
            for count in daily where count.brand == brand.name {
                guard let bucket = count.bucketStart else { continue }
                let day = Int((bucket.timeIntervalSince(dayStart) / 86_400).rounded(.down))
                guard (0..<30).contains(day) else { continue }
                totals[day] += count.total
                negatives[day] += count.negative
            }
            let negativeHits = try await store.search(SearchRequest(
                brand: brand.name, sentiment: .neg, since: since, until: until, limit: 200, order: .date, includeDuplicates: false))
            let positiveHits = try await store.search(SearchRequest(
                brand: brand.name, sentiment: .pos, since: since, until: until, limit: 100, order: .date, includeDuplicates: false))
            let baselineHits = try await store.search(SearchRequest(
                brand: brand.name, since: since.addingTimeInterval(-28 * 86_400), until: since, limit: 1000, order: .date,
                includeDuplicates: false))
            let texts = try await fullTexts(negativeHits.map(\.entryID))
            let baseline = try await fullTexts(baselineHits.map(\.entryID))
            let exclude = Set(brand.name.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
            report.brands.append(DigestReport.Brand(
                name: brand.name, competitor: brand.competitor, period: counts,
                previousPeriod: previous[brand.name] ?? DigestReport.Counts(),
                sameDayLastWeek: lastWeek[brand.name] ?? DigestReport.Counts(),
                shareOfVoice: allTotal > 0 ? Double(counts.total) / Double(allTotal) : nil,
                topNegative: Self.top(negativeHits, until: until, span: span, negative: true),
                topPositive: Self.top(positiveHits, until: until, span: span, negative: false),
                complaints: ComplaintTerms.groups(negative: texts, baseline: baseline, exclude: exclude),
                dailyTotal: totals, dailyNegative: negatives))
        }
        return report
    }

    private func counts(_ brands: [String], _ since: Date, _ until: Date) async throws -> [String: DigestReport.Counts] {
        var result: [String: DigestReport.Counts] = [:]
        for count in try await store.mentionCounts(MentionCountRequest(brands: brands, since: since, until: until)) {
            var counts = result[count.brand] ?? DigestReport.Counts()
            counts.positive += count.positive
            counts.neutral += count.neutral
            counts.negative += count.negative
            result[count.brand] = counts
        }
        return result
    }

    private func fullTexts(_ ids: [Int64]) async throws -> [String] {
        try await store.entries(ids: ids).map { [$0.title, $0.text].compactMap { $0 }.joined(separator: ". ") }
    }

    /// The three that matter most: the strongest sentiment, weighted by engagement and recency.
    static func top(_ hits: [SearchHit], until: Date, span: TimeInterval, negative: Bool) -> [DigestReport.Mention] {
        func weight(_ hit: SearchHit) -> Double {
            let strength = abs(hit.sentiment?.score ?? 0)
            let age = max(0, until.timeIntervalSince(hit.date)) / max(span, 3600)
            return strength * (1 + 0.5 * max(0, 1 - age))
        }
        // The search filters on the brand's own (target-aware) sentiment; the list shows the
        // mentions whose score agrees, so a mixed text never appears under the wrong heading.
        let agreeing = hits.filter { negative ? ($0.sentiment?.score ?? 0) < 0 : ($0.sentiment?.score ?? 0) > 0 }
        return agreeing.sorted { weight($0) > weight($1) }.prefix(3).map { hit in
            DigestReport.Mention(
                title: hit.title ?? String(hit.snippet.prefix(80)), source: hit.sourceTitle ?? hit.sourceURL, link: hit.link,
                language: hit.language, score: hit.sentiment?.score ?? 0, date: hit.date, snippet: hit.snippet)
        }
    }
}
