import Foundation
import Storage

/// The digest of one period: per brand, volume by sentiment and its change, Net Sentiment Score,
/// share of voice, the mentions that matter, what people complain about, and the last 30 days.
/// `vigia digest --format json` prints it as is (the keys are stable).
public struct DigestReport: Sendable, Hashable, Codable {
    /// Every key, absent values as null.
    public func encode(to encoder: any Encoder) throws { try encodeEveryProperty(of: self, to: encoder) }

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
        /// Every key, absent values as null.
        public func encode(to encoder: any Encoder) throws { try encodeEveryProperty(of: self, to: encoder) }

        /// The entry's title; nil when it has none (forum replies, comments).
        public var title: String?
        /// Who wrote it, when the source says.
        public var author: String?
        public var source: String
        public var link: String?
        public var language: String?
        /// The brand's sentiment in this mention (−1…1).
        public var score: Double
        /// Score, likes or votes when the source gives them.
        public var engagement: Int?
        public var date: Date
        /// One line of text with the brand between U+0002 and U+0003 (renderers highlight it).
        public var snippet: String

        /// What a list shows first: the title, else the author, else the source.
        public var heading: String { title ?? author ?? source }
    }

    /// Mentions in one language (`language` nil: not identified).
    public struct LanguageShare: Sendable, Hashable, Codable {
        /// Every key, absent values as null.
        public func encode(to encoder: any Encoder) throws { try encodeEveryProperty(of: self, to: encoder) }

        public var language: String?
        public var mentions: Int
    }

    /// An alert fired during the period.
    public struct Alert: Sendable, Hashable, Codable {
        /// Every key, absent values as null.
        public func encode(to encoder: any Encoder) throws { try encodeEveryProperty(of: self, to: encoder) }

        public var start: Date
        public var end: Date?
        public var message: String
        /// Negative mentions observed and expected in the alert's window, and how unusual (σ).
        public var observed: Double
        public var expected: Double?
        public var sigma: Double?
    }

    /// A feed that stopped working.
    public struct FailingFeed: Sendable, Hashable, Codable {
        /// Every key, absent values as null.
        public func encode(to encoder: any Encoder) throws { try encodeEveryProperty(of: self, to: encoder) }

        public var title: String?
        public var url: String
        /// Since when it fails (its last success, or when the first failure was seen).
        public var since: Date?
        public var failures: Int
        public var lastStatus: Int?
        public var lastError: String?
    }

    /// The sources' state when the digest was built.
    public struct FeedHealth: Sendable, Hashable, Codable {
        /// Every key, absent values as null.
        public func encode(to encoder: any Encoder) throws { try encodeEveryProperty(of: self, to: encoder) }

        /// Active feeds, and how many of them work.
        public var active: Int
        public var working: Int
        /// The failing ones, longest failing first.
        public var failing: [FailingFeed]
    }

    public struct Brand: Sendable, Hashable, Codable {
        /// Every key, absent values as null.
        public func encode(to encoder: any Encoder) throws { try encodeEveryProperty(of: self, to: encoder) }

        public var name: String
        public var competitor: Bool
        public var period: Counts
        public var previousPeriod: Counts
        /// The same period one week earlier.
        public var sameDayLastWeek: Counts
        /// This brand's share of all configured brands' mentions in the period.
        public var shareOfVoice: Double?
        public var topNegative: [Mention]
        public var topPositive: [Mention]
        public var complaints: [ComplaintTerms.Group]
        public var languages: [LanguageShare]
        public var alerts: [Alert]
        /// Mentions per local day over the 30 days ending with the period (oldest first), and the
        /// negative ones; `dailyStart` is the first day's local midnight.
        public var dailyStart: Date
        public var dailyTotal: [Int]
        public var dailyNegative: [Int]
        public var dailyPositive: [Int]
    }

    public var since: Date
    public var until: Date
    /// The time zone days and times are shown in (an IANA name).
    public var timeZone: String
    /// The labels' language.
    public var language: String
    public var generatedAt: Date
    public var brands: [Brand]
    public var feedHealth: FeedHealth
}

/// Builds ``DigestReport``s from the store.
public struct DigestBuilder: Sendable {
    public let store: any MentionStore

    /// A brand to report on.
    public struct BrandSpec: Sendable, Hashable {
        public var name: String
        public var competitor: Bool
        public init(name: String, competitor: Bool = false) {
            self.name = name
            self.competitor = competitor
        }
    }

    public init(store: any MentionStore) {
        self.store = store
    }

    /// The digest of `[since, until)` for `brands`, days counted in `timeZone`.
    /// - Parameter voiceAmong: the brands share of voice is measured among (every configured
    ///   brand, when a digest shows only some); `brands` when empty.
    public func build(
        brands: [BrandSpec], voiceAmong: [String] = [], since: Date, until: Date,
        timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt, language: String = "en", now: Date = Date()
    ) async throws -> DigestReport {
        let span = until.timeIntervalSince(since)
        let names = brands.map(\.name)
        var everyName = names
        for name in voiceAmong where !everyName.contains(where: { $0.lowercased() == name.lowercased() }) { everyName.append(name) }
        async let period = counts(everyName, since, until)
        async let previous = counts(names, since.addingTimeInterval(-span), since)
        async let lastWeek = counts(names, since.addingTimeInterval(-7 * 86_400), until.addingTimeInterval(-7 * 86_400))
        async let languageRows = store.languageCounts(MentionCountRequest(brands: names, since: since, until: until))
        async let alertRecords = store.alerts(since: since, limit: 10_000)
        async let sources = store.sources()
        let days = Self.dayBoundaries(endingWith: until, count: 30, timeZone: timeZone)
        async let daily = dailyCounts(names, days: days)

        let (periodCounts, previousCounts, lastWeekCounts) = try await (period, previous, lastWeek)
        let allTotal = periodCounts.values.reduce(0) { $0 + $1.total }
        var languages: [String: [DigestReport.LanguageShare]] = [:]
        for row in try await languageRows {
            languages[row.brand.lowercased(), default: []].append(.init(language: row.language, mentions: row.count))
        }
        var alerts: [String: [DigestReport.Alert]] = [:]
        for record in try await alertRecords.reversed() where record.alert.createdAt < until {
            let alert = record.alert
            alerts[alert.brand.lowercased(), default: []].append(.init(
                start: alert.bucketStart, end: alert.bucketEnd, message: alert.message, observed: alert.value,
                expected: alert.baseline, sigma: alert.score))
        }
        let dailyCounts = try await daily

        let sourceList = try await sources
        let sourceTitles = Dictionary(sourceList.compactMap { source in source.title.map { (source.id, $0) } }, uniquingKeysWith: { a, _ in a })
        var report = DigestReport(
            since: since, until: until, timeZone: timeZone.identifier, language: language, generatedAt: now, brands: [],
            feedHealth: Self.feedHealth(sourceList))
        // What each brand needs besides the shared figures (its top mentions and complaints),
        // read and analysed for two brands at a time.
        var perBrand = [(complaints: [ComplaintTerms.Group], negative: [DigestReport.Mention], positive: [DigestReport.Mention])?](
            repeating: nil, count: brands.count)
        try await withThrowingTaskGroup(of: (Int, [ComplaintTerms.Group], [DigestReport.Mention], [DigestReport.Mention]).self) { group in
            var next = 0
            func addNext() {
                guard next < brands.count else { return }
                let (index, brand) = (next, brands[next])
                next += 1
                group.addTask {
                    let (complaints, negative, positive) = try await self.details(
                        of: brand.name, since: since, until: until, sourceTitles: sourceTitles)
                    return (index, complaints, negative, positive)
                }
            }
            for _ in 0..<2 { addNext() }
            while let (index, complaints, negative, positive) = try await group.next() {
                perBrand[index] = (complaints, negative, positive)
                addNext()
            }
        }
        for (index, brand) in brands.enumerated() {
            let key = brand.name.lowercased()
            let counts = periodCounts[key] ?? DigestReport.Counts()
            let series = dailyCounts[key] ?? DailySeries(days: days.count - 1)
            let details = perBrand[index]
            report.brands.append(DigestReport.Brand(
                name: brand.name, competitor: brand.competitor, period: counts,
                previousPeriod: previousCounts[key] ?? DigestReport.Counts(),
                sameDayLastWeek: lastWeekCounts[key] ?? DigestReport.Counts(),
                shareOfVoice: allTotal > 0 ? Double(counts.total) / Double(allTotal) : nil,
                topNegative: details?.negative ?? [], topPositive: details?.positive ?? [],
                complaints: details?.complaints ?? [], languages: languages[key] ?? [], alerts: alerts[key] ?? [],
                dailyStart: days[0], dailyTotal: series.total, dailyNegative: series.negative, dailyPositive: series.positive))
        }
        return report
    }

    /// A brand's complaint groups and top negative and positive mentions for `[since, until)`.
    private func details(
        of brand: String, since: Date, until: Date, sourceTitles: [Int64: String]
    ) async throws -> ([ComplaintTerms.Group], [DigestReport.Mention], [DigestReport.Mention]) {
        let span = until.timeIntervalSince(since)
        async let negative = topMentions(brand, .neg, since, until)
        async let positive = topMentions(brand, .pos, since, until)
        async let negativeTexts = store.mentionTexts(BrandMentionRequest(
            brand: brand, sentiment: .neg, since: since, until: until, order: .newest, limit: 1000))
        async let baselineTexts = store.mentionTexts(BrandMentionRequest(
            brand: brand, since: since.addingTimeInterval(-28 * 86_400), until: since, order: .newest, limit: 1000))
        let exclude = Set(brand.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        let complaints = ComplaintTerms.groups(negative: try await negativeTexts, baseline: try await baselineTexts, exclude: exclude)
        return (
            complaints,
            Self.top(try await negative, brand: brand, sourceTitles: sourceTitles, until: until, span: span),
            Self.top(try await positive, brand: brand, sourceTitles: sourceTitles, until: until, span: span)
        )
    }

    /// Counts per brand (lowercased name) for `[since, until)`.
    private func counts(_ brands: [String], _ since: Date, _ until: Date) async throws -> [String: DigestReport.Counts] {
        var result: [String: DigestReport.Counts] = [:]
        for count in try await store.mentionCounts(MentionCountRequest(brands: brands, since: since, until: until)) {
            var counts = result[count.brand.lowercased()] ?? DigestReport.Counts()
            counts.positive += count.positive
            counts.neutral += count.neutral
            counts.negative += count.negative
            result[count.brand.lowercased()] = counts
        }
        return result
    }

    /// Total and negative mentions per local day; `days` holds the days' boundaries (one more than days).
    private func dailyCounts(_ brands: [String], days: [Date]) async throws -> [String: DailySeries] {
        guard let first = days.first, let last = days.last else { return [:] }
        // Quarter-hour buckets fall inside one local day in every time zone (offsets are whole quarters).
        let rows = try await store.mentionCounts(MentionCountRequest(brands: brands, since: first, until: last, bucketSeconds: 900))
        let count = days.count - 1
        var result: [String: DailySeries] = [:]
        for row in rows {
            guard let bucket = row.bucketStart else { continue }
            // The last boundary at or before the bucket.
            var low = 0, high = count
            while high - low > 1 {
                let middle = (low + high) / 2
                if days[middle] <= bucket { low = middle } else { high = middle }
            }
            let key = row.brand.lowercased()
            var series = result[key] ?? DailySeries(days: count)
            series.total[low] += row.total
            series.negative[low] += row.negative
            series.positive[low] += row.positive
            result[key] = series
        }
        return result
    }

    struct DailySeries {
        var total: [Int], negative: [Int], positive: [Int]
        init(days: Int) {
            total = Array(repeating: 0, count: days)
            negative = total
            positive = total
        }
    }

    /// Local midnights: the start of each of the `count` days ending with the day of `end`'s last
    /// instant, then `end` itself.
    static func dayBoundaries(endingWith end: Date, count: Int, timeZone: TimeZone) -> [Date] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let lastDay = calendar.startOfDay(for: end.addingTimeInterval(-1))
        var days = (0..<count).reversed().map { calendar.date(byAdding: .day, value: -$0, to: lastDay) ?? lastDay }
        days.append(max(end, lastDay.addingTimeInterval(1)))
        return days
    }

    static func feedHealth(_ sources: [SourceRecord]) -> DigestReport.FeedHealth {
        let active = sources.filter { $0.active && $0.kind == .feed }
        let failing = active.filter { $0.consecutiveFailures > 0 }
            .map {
                DigestReport.FailingFeed(
                    title: $0.title, url: $0.url, since: $0.failingSince ?? $0.lastSuccessAt, failures: $0.consecutiveFailures,
                    lastStatus: $0.lastStatus, lastError: $0.lastError)
            }
            .sorted { ($0.since ?? .distantPast) < ($1.since ?? .distantPast) }
        return DigestReport.FeedHealth(active: active.count, working: active.count - failing.count, failing: failing)
    }

    /// Candidates for the mentions that matter: the strongest in the period.
    private func topMentions(_ brand: String, _ sentiment: SentimentPolarity, _ since: Date, _ until: Date) async throws -> [ExportedEntry] {
        let ids = try await store.mentionEntryIDs(BrandMentionRequest(
            brand: brand, sentiment: sentiment, since: since, until: until, order: .strongest, limit: 60))
        return try await store.entries(ids: ids)
    }

    /// The three that matter most: the brand's sentiment in the mention, weighted by engagement
    /// (logarithmically: a thousand votes triple the weight) and by recency within the period.
    static func top(
        _ entries: [ExportedEntry], brand: String, sourceTitles: [Int64: String], until: Date, span: TimeInterval
    ) -> [DigestReport.Mention] {
        let key = brand.lowercased()
        let scored: [(weight: Double, mention: DigestReport.Mention)] = entries.compactMap { entry in
            guard let mention = entry.mentions.first(where: { $0.brand.lowercased() == key }) else { return nil }
            let strength = abs(mention.sentiment.score)
            let age = max(0, until.timeIntervalSince(entry.date)) / max(span, 3600)
            let reach = 1 + log10(1 + Double(max(0, entry.engagement ?? 0))) * 2 / 3
            let weight = strength * reach * (1 + 0.5 * max(0, 1 - age))
            let title = entry.title.map { Snippet.oneLine($0) }.flatMap { $0.isEmpty ? nil : $0 }
            return (weight, DigestReport.Mention(
                title: title, author: entry.author.map { Snippet.oneLine($0) }.flatMap { $0.isEmpty ? nil : $0 },
                source: sourceTitles[entry.sourceID] ?? entry.sourceURL, link: entry.link, language: entry.language,
                score: mention.sentiment.score, engagement: entry.engagement, date: entry.date,
                snippet: Snippet.around(mention.matches, title: entry.title, text: entry.text)))
        }
        return scored.sorted { $0.weight > $1.weight || ($0.weight == $1.weight && $0.mention.date > $1.mention.date) }
            .prefix(3).map(\.mention)
    }
}
