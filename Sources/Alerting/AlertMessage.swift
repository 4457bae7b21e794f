import Foundation

/// Everything an alert says, in the form every sink renders: what happened, how unusual it is,
/// and the mentions and terms behind it.
public struct AlertMessage: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable, CaseIterable {
        case warning, high, critical
    }

    /// One of the negative mentions driving the alert.
    public struct Mention: Sendable, Hashable, Codable {
        public var title: String
        public var link: String?
        public var source: String?
        /// Sentiment score in [-1, 1].
        public var score: Double

        public init(title: String, link: String? = nil, source: String? = nil, score: Double) {
            self.title = title
            self.link = link
            self.source = source
            self.score = score
        }
    }

    /// Identifies the alert across retries and restarts (receivers use it to drop repeats).
    public var id: String
    public var brand: String
    public var severity: Severity
    /// The window the alert is about.
    public var windowStart: Date
    public var windowEnd: Date
    /// Negative mentions in the window, and how many were expected.
    public var observed: Int
    public var expected: Double
    /// How unusual, in standard deviations.
    public var sigma: Double
    /// The share of negative mentions among all mentions of the window, when known.
    public var negativeShare: Double?
    /// A later alert of an episode that got worse.
    public var escalation: Bool
    public var topMentions: [Mention]
    /// Terms over-represented in the window's negative mentions.
    public var terms: [String]
    /// A sample sent by `vigia alerts test`.
    public var isTest: Bool

    public init(
        id: String, brand: String, severity: Severity, windowStart: Date, windowEnd: Date, observed: Int,
        expected: Double, sigma: Double, negativeShare: Double? = nil, escalation: Bool = false,
        topMentions: [Mention] = [], terms: [String] = [], isTest: Bool = false
    ) {
        self.id = id
        self.brand = brand
        self.severity = severity
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.observed = observed
        self.expected = expected
        self.sigma = sigma
        self.negativeShare = negativeShare
        self.escalation = escalation
        self.topMentions = topMentions
        self.terms = terms
        self.isTest = isTest
    }

    /// One line for people: `Negative spike for Acme: 42 negative mentions in 15 min (expected 6, 5.1σ)`.
    public var headline: String {
        let what = escalation ? "Negative spike getting worse" : "Negative spike"
        let minutes = Int(windowEnd.timeIntervalSince(windowStart) / 60)
        let span = minutes >= 120 && minutes % 60 == 0 ? "\(minutes / 60) h" : "\(minutes) min"
        let test = isTest ? "[TEST] " : ""
        return "\(test)\(what) for \(brand): \(observed) negative mentions in \(span) "
            + "(expected \(Self.number(expected)), \(String(format: "%.1f", sigma))σ)"
    }

    /// The explanation under the headline: severity, share, window and terms.
    public var details: String {
        var parts = ["severity \(severity.rawValue)"]
        if let share = negativeShare { parts.append("\(Int((share * 100).rounded()))% of mentions negative") }
        parts.append("window \(Self.time(windowStart))–\(Self.time(windowEnd)) UTC")
        if !terms.isEmpty { parts.append("driven by: " + terms.prefix(8).joined(separator: ", ")) }
        return parts.joined(separator: " · ")
    }

    static func number(_ value: Double) -> String {
        value >= 10 || value == value.rounded() ? String(Int(value.rounded())) : String(format: "%.1f", value)
    }

    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
