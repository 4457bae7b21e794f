import Foundation

/// The digest as Markdown, plain text or JSON.
public enum DigestRendering {
    /// `▁▂▃▅▇` for a series, scaled to its largest value.
    public static func sparkline(_ values: [Int]) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        guard let top = values.max(), top > 0 else { return String(repeating: "▁", count: values.count) }
        return String(values.map { bars[min(bars.count - 1, Int((Double(max(0, $0)) / Double(top) * Double(bars.count - 1)).rounded()))] })
    }

    /// The stable JSON: snake_case keys, ISO 8601 dates in UTC, keys sorted.
    public static func json(_ report: DigestReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    /// Markdown (`markdown: true`) or plain text.
    public static func text(_ report: DigestReport, markdown: Bool) -> String {
        let labels = DigestLabels.forLanguage(report.language)
        let zone = TimeZone(identifier: report.timeZone) ?? .gmt
        var lines: [String] = []
        let period = periodText(report, zone: zone)
        lines.append(markdown ? "# \(labels.title), \(period)" : "\(labels.title), \(period)")
        if report.brands.count > 1 {
            lines.append("")
            lines += overview(report, labels, markdown: markdown)
        }
        for brand in report.brands {
            lines.append("")
            let heading = brand.name + (brand.competitor ? " (\(labels.competitor))" : "")
            lines.append(markdown ? "## \(escapeMarkdown(heading))" : "== \(heading)")
            let now = brand.period
            lines.append("\(labels.mentions): \(now.total) (\(change(now.total, brand.previousPeriod.total, labels)) \(labels.vsPrevious), "
                + "\(change(now.total, brand.sameDayLastWeek.total, labels)) \(labels.vsLastWeek)) · "
                + "\(labels.positive) \(now.positive), \(labels.neutral) \(now.neutral), \(labels.negative) \(now.negative)")
            if let score = now.netSentiment {
                lines.append("\(labels.netSentiment): \(signed(score))\(netChange(brand, labels))"
                    + (brand.shareOfVoice.map { " · \(labels.shareOfVoice) \(percent($0))" } ?? ""))
            } else {
                lines.append(labels.noMentions)
            }
            if !brand.languages.isEmpty {
                lines.append("\(labels.languages): " + languageList(brand, labels))
            }
            lines.append("\(labels.last30Days): \(sparkline(brand.dailyTotal)) \(labels.all), \(sparkline(brand.dailyNegative)) \(labels.negative)")
            if !brand.alerts.isEmpty {
                lines.append(markdown ? "### \(labels.alertsHeading)" : "\(labels.alertsHeading):")
                for alert in brand.alerts {
                    lines.append("- \(time(alert.start, zone)): \(markdown ? escapeMarkdown(oneLine(alert.message)) : oneLine(alert.message))")
                }
            }
            if !brand.complaints.isEmpty {
                lines.append(markdown ? "### \(labels.complaintsHeading)" : "\(labels.complaintsHeading):")
                for group in brand.complaints {
                    let terms = group.terms.map { markdown ? "`\($0.replacingOccurrences(of: "`", with: "'"))`" : $0 }.joined(separator: ", ")
                    lines.append("- \(terms): \(group.mentions) \(labels.complaints) (\(percent(group.share)))")
                }
            }
            for (title, mentions) in [(labels.topNegative, brand.topNegative), (labels.topPositive, brand.topPositive)] where !mentions.isEmpty {
                lines.append(markdown ? "### \(title)" : "\(title):")
                for mention in mentions {
                    let heading = mention.heading
                    let name = markdown ? link(heading, mention.link) : oneLine(heading)
                    lines.append("- \(name) — \(details(mention, labels, markdown: markdown))")
                    lines.append("  " + highlight(mention.snippet, markdown: markdown))
                    if !markdown, let link = mention.link { lines.append("  \(oneLine(link))") }
                }
            }
        }
        let health = report.feedHealth
        lines.append("")
        lines.append(markdown ? "## \(labels.feedHealthHeading)" : "== \(labels.feedHealthHeading)")
        lines.append("\(health.working)/\(health.active) \(labels.feedsOK)")
        for feed in health.failing.prefix(10) {
            let name = markdown ? escapeMarkdown(oneLine(feed.title ?? feed.url)) : oneLine(feed.title ?? feed.url)
            let since = feed.since.map { ", \(labels.failingSince) \(time($0, zone))" } ?? ""
            let error = feed.lastError.map { ": " + (markdown ? escapeMarkdown(oneLine($0)) : oneLine($0)) } ?? ""
            lines.append("- \(name)\(since)\(error)")
        }
        if health.failing.count > 10 { lines.append("- … +\(health.failing.count - 10)") }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Shared by the renderers

    static func periodText(_ report: DigestReport, zone: TimeZone) -> String {
        "\(time(report.since, zone)) – \(time(report.until, zone)) (\(report.timeZone))"
    }

    static func change(_ now: Int, _ before: Int, _ labels: DigestLabels) -> String {
        guard before > 0 else { return now > 0 ? labels.new : "±0%" }
        let percent = (Double(now) - Double(before)) * 100 / Double(before)
        return percent.rounded() == 0 ? "±0%" : String(format: "%+.0f%%", percent)
    }

    /// ` (+5 vs the previous period)`, or nothing without mentions in either period.
    static func netChange(_ brand: DigestReport.Brand, _ labels: DigestLabels) -> String {
        guard let now = brand.period.netSentiment, let before = brand.previousPeriod.netSentiment else { return "" }
        return " (\(signed(now - before)) \(labels.vsPrevious))"
    }

    /// One line per brand: mentions and their change, Net Sentiment Score, the top complaint.
    static func overview(_ report: DigestReport, _ labels: DigestLabels, markdown: Bool) -> [String] {
        let rows = report.brands.map { brand -> [String] in
            let now = brand.period
            return [
                brand.name + (brand.competitor ? " (\(labels.competitor))" : ""),
                "\(now.total) (\(change(now.total, brand.previousPeriod.total, labels)))",
                now.netSentiment.map(signed) ?? "–",
                brand.complaints.first.map { $0.terms.prefix(2).joined(separator: ", ") } ?? "",
            ]
        }
        let header = [labels.brand, labels.mentions, labels.netSentiment, labels.complaintsHeading]
        if markdown {
            let escaped = rows.map { $0.map { escapeMarkdown(oneLine($0), inTable: true) } }
            return ["| " + header.joined(separator: " | ") + " |", "| --- | ---: | ---: | --- |"]
                + escaped.map { "| " + $0.joined(separator: " | ") + " |" }
        }
        let widths = (0..<3).map { column in ([header[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            (0..<3).map { cells[$0].padding(toLength: widths[$0] + 2, withPad: " ", startingAt: 0) }.joined() + cells[3]
        }
        return [line(header)] + rows.map { line($0.map(oneLine)) }
    }

    static func signed(_ value: Double) -> String {
        value.rounded() == 0 ? "0" : String(format: "%+.0f", value)
    }

    static func percent(_ share: Double) -> String {
        "\(Int((share * 100).rounded()))%"
    }

    static func languageList(_ brand: DigestReport.Brand, _ labels: DigestLabels) -> String {
        let total = max(1, brand.languages.reduce(0) { $0 + $1.mentions })
        return brand.languages.prefix(5).map { "\($0.language ?? labels.unknownLanguage) \(percent(Double($0.mentions) / Double(total)))" }
            .joined(separator: ", ")
    }

    static func details(_ mention: DigestReport.Mention, _ labels: DigestLabels, markdown: Bool) -> String {
        var parts = [markdown ? escapeMarkdown(oneLine(mention.source)) : oneLine(mention.source)]
        if let language = mention.language { parts.append(language) }
        parts.append(String(format: "%+.2f", mention.score))
        if let engagement = mention.engagement, engagement > 0 { parts.append("\(engagement) \(labels.engagement)") }
        return parts.joined(separator: ", ")
    }

    static func time(_ date: Date, _ zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }

    static func oneLine(_ text: String) -> String { Snippet.oneLine(text) }

    /// Markdown's `[title](link)` with the title escaped and the link's parentheses and spaces encoded.
    static func link(_ title: String, _ link: String?) -> String {
        let safe = escapeMarkdown(oneLine(title))
        guard let link, isWebLink(link) else { return safe }
        let target = oneLine(link).replacingOccurrences(of: "(", with: "%28").replacingOccurrences(of: ")", with: "%29")
            .replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: "<", with: "%3C").replacingOccurrences(of: ">", with: "%3E")
        return "[\(safe)](\(target))"
    }

    /// Only http(s) links become links (never `javascript:` or `data:`).
    static func isWebLink(_ link: String) -> Bool {
        let lower = link.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }

    /// The snippet's highlight markers as bold (Markdown) or «…» (text); the rest escaped.
    static func highlight(_ snippet: String, markdown: Bool) -> String {
        let text = markdown ? escapeMarkdown(snippet) : snippet
        return text.replacingOccurrences(of: "\u{2}", with: markdown ? "**" : "«").replacingOccurrences(of: "\u{3}", with: markdown ? "**" : "»")
    }

    /// Text that Markdown shows as written: the characters that start emphasis, code, links, raw
    /// HTML or escapes are backslashed everywhere; `!` only before `[` (an image), `~` only
    /// before `~`, `#` only at the start, `|` only in a table cell. Ordinary punctuation stays
    /// readable in the source.
    static func escapeMarkdown(_ text: String, inTable: Bool = false) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            let escape = switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">": true
            case "!": next == "["
            case "~": next == "~"
            case "#": index == 0
            case "|": inTable
            default: false
            }
            if escape { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
