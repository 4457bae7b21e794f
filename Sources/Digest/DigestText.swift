import Foundation

/// The digest as Markdown, plain text or JSON.
public enum DigestRendering {
    /// `▁▂▃▅▇` for a series (empty for an empty one).
    public static func sparkline(_ values: [Int]) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        guard let top = values.max(), top > 0 else { return String(repeating: "▁", count: values.count) }
        return String(values.map { bars[min(bars.count - 1, Int((Double($0) / Double(top) * Double(bars.count - 1)).rounded()))] })
    }

    /// The stable JSON: snake_case keys, ISO 8601 dates, keys sorted.
    public static func json(_ report: DigestReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    /// Markdown (`markdown: true`) or plain text.
    public static func text(_ report: DigestReport, markdown: Bool) -> String {
        var lines: [String] = []
        let period = "\(day(report.since)) – \(day(report.until))"
        lines.append(markdown ? "# Vigía digest, \(period)" : "Vigía digest, \(period)")
        for brand in report.brands {
            lines.append("")
            lines.append(markdown ? "## \(brand.name)\(brand.competitor ? " (competitor)" : "")" : "== \(brand.name)\(brand.competitor ? " (competitor)" : "")")
            let now = brand.period, before = brand.previousPeriod
            lines.append("Mentions: \(now.total) (\(change(now.total, before.total)) vs the previous period, "
                + "\(change(now.total, brand.sameDayLastWeek.total)) vs a week ago) · "
                + "positive \(now.positive), neutral \(now.neutral), negative \(now.negative)")
            if let score = now.netSentiment {
                let delta = before.netSentiment.map { String(format: " (%+.0f)", score - $0) } ?? ""
                lines.append("Net Sentiment Score: \(String(format: "%+.0f", score))\(delta)"
                    + (brand.shareOfVoice.map { String(format: " · share of voice %.0f%%", $0 * 100) } ?? ""))
            }
            lines.append("Last 30 days: \(sparkline(brand.dailyTotal)) all, \(sparkline(brand.dailyNegative)) negative")
            if !brand.complaints.isEmpty {
                lines.append(markdown ? "### What people complain about" : "What people complain about:")
                for group in brand.complaints {
                    let terms = group.terms.map { markdown ? "`\($0)`" : $0 }.joined(separator: ", ")
                    lines.append("- \(terms): \(group.mentions) complaints (\(Int((group.share * 100).rounded()))%)")
                }
            }
            for (title, mentions) in [("Top negative", brand.topNegative), ("Top positive", brand.topPositive)] where !mentions.isEmpty {
                lines.append(markdown ? "### \(title)" : "\(title):")
                for mention in mentions {
                    let name = markdown ? link(mention.title, mention.link) : mention.title
                    lines.append("- \(name) — \(mention.source)\(mention.language.map { ", \($0)" } ?? ""), \(String(format: "%.2f", mention.score))")
                    lines.append("  " + highlight(mention.snippet, markdown: markdown))
                    if !markdown, let link = mention.link { lines.append("  \(link)") }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func change(_ now: Int, _ before: Int) -> String {
        guard before > 0 else { return now > 0 ? "new" : "±0" }
        let percent = (Double(now) - Double(before)) * 100 / Double(before)
        return String(format: "%+.0f%%", percent)
    }

    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// Markdown's `[title](link)` with the brackets of the title neutralised.
    static func link(_ title: String, _ link: String?) -> String {
        let safe = escapeMarkdown(title)
        guard let link else { return safe }
        return "[\(safe)](\(link.replacingOccurrences(of: ")", with: "%29")))"
    }

    /// The snippet's highlight markers as bold (Markdown) or «…» (text); the rest escaped.
    static func highlight(_ snippet: String, markdown: Bool) -> String {
        let text = markdown ? escapeMarkdown(snippet) : snippet
        return text.replacingOccurrences(of: "\u{2}", with: markdown ? "**" : "«").replacingOccurrences(of: "\u{3}", with: markdown ? "**" : "»")
    }

    static func escapeMarkdown(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\`*_[]<>#|".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
