import Foundation

extension DigestRendering {
    /// A self-contained HTML page: inline styles and inline SVG charts (no external assets, so it
    /// renders in mail clients that block remote images), one column on narrow screens, and every
    /// piece of mention text escaped.
    public static func html(_ report: DigestReport) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Vigía digest, \(escape(day(report.since))) – \(escape(day(report.until)))</title>
            </head>
            <body style="margin:0;padding:16px;background:#f6f7f9;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1d232b;">
            <div style="max-width:680px;margin:0 auto;">
            <h1 style="font-size:22px;margin:0 0 12px;">Vigía digest</h1>
            <p style="margin:0 0 16px;color:#5b6572;">\(escape(day(report.since))) – \(escape(day(report.until))) UTC</p>

            """
        for brand in report.brands {
            let now = brand.period
            page += "<div style=\"background:#fff;border-radius:8px;padding:16px;margin:0 0 16px;\">\n"
            page += "<h2 style=\"font-size:18px;margin:0 0 8px;\">\(escape(brand.name))\(brand.competitor ? " <span style=\"color:#5b6572;font-weight:normal;\">(competitor)</span>" : "")</h2>\n"
            page += "<p style=\"margin:0 0 4px;\"><b>\(now.total)</b> mentions (\(escape(change(now.total, brand.previousPeriod.total))) vs the previous period, "
                + "\(escape(change(now.total, brand.sameDayLastWeek.total))) vs a week ago): "
                + "<span style=\"color:#1a7f37;\">\(now.positive) positive</span>, \(now.neutral) neutral, "
                + "<span style=\"color:#c62828;\">\(now.negative) negative</span></p>\n"
            if let score = now.netSentiment {
                let delta = brand.previousPeriod.netSentiment.map { String(format: " (%+.0f)", score - $0) } ?? ""
                page += "<p style=\"margin:0 0 8px;\">Net Sentiment Score <b>\(String(format: "%+.0f", score))</b>\(delta)"
                    + (brand.shareOfVoice.map { String(format: " · share of voice %.0f%%", $0 * 100) } ?? "") + "</p>\n"
            }
            page += chart(total: brand.dailyTotal, negative: brand.dailyNegative)
            if !brand.complaints.isEmpty {
                page += "<h3 style=\"font-size:15px;margin:12px 0 4px;\">What people complain about</h3><ul style=\"margin:0;padding-left:18px;\">\n"
                for group in brand.complaints {
                    page += "<li>\(group.terms.map { "<b>\(escape($0))</b>" }.joined(separator: ", ")): \(group.mentions) complaints (\(Int((group.share * 100).rounded()))%)</li>\n"
                }
                page += "</ul>\n"
            }
            for (title, mentions) in [("Top negative", brand.topNegative), ("Top positive", brand.topPositive)] where !mentions.isEmpty {
                page += "<h3 style=\"font-size:15px;margin:12px 0 4px;\">\(title)</h3>\n"
                for mention in mentions {
                    let heading = mention.link.map { "<a href=\"\(escape($0))\" style=\"color:#0b57d0;\">\(escape(mention.title))</a>" } ?? escape(mention.title)
                    page += "<p style=\"margin:0 0 8px;\">\(heading)<br><span style=\"color:#5b6572;font-size:13px;\">"
                        + "\(escape(mention.source))\(mention.language.map { " · \(escape($0))" } ?? "") · \(String(format: "%.2f", mention.score))</span><br>"
                        + "<span style=\"font-size:14px;\">\(highlightHTML(mention.snippet))</span></p>\n"
                }
            }
            page += "</div>\n"
        }
        page += "<p style=\"color:#5b6572;font-size:12px;\">Sent by Vigía, self-hosted social listening.</p>\n</div></body></html>\n"
        return page
    }

    /// Thirty daily bars: all mentions in grey, negative ones in red over them.
    static func chart(total: [Int], negative: [Int]) -> String {
        let width = 600.0, height = 80.0
        let top = Double(max(1, total.max() ?? 1))
        let step = width / Double(max(1, total.count))
        var bars = ""
        for (day, value) in total.enumerated() {
            let x = Double(day) * step + 1
            let h = Double(value) / top * (height - 4)
            let n = Double(day < negative.count ? negative[day] : 0) / top * (height - 4)
            bars += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#c9d1dc\"/>", x, height - h, step - 2, h)
            if n > 0 { bars += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#c62828\"/>", x, height - n, step - 2, n) }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" "
            + "aria-label=\"Mentions per day over the last 30 days, negative ones in red\" style=\"max-width:600px;display:block;\">"
            + bars + "</svg>\n"
    }

    /// HTML text: `&`, `<`, `>`, `"` and `'` as entities.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// The snippet escaped, its highlight markers as `<mark>`.
    static func highlightHTML(_ snippet: String) -> String {
        escape(snippet).replacingOccurrences(of: "\u{2}", with: "<mark>").replacingOccurrences(of: "\u{3}", with: "</mark>")
    }
}
