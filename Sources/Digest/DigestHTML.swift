import Foundation
import VigiaModel

extension DigestRendering {
    /// A self-contained HTML page: inline styles and inline SVG charts (no external assets, so it
    /// renders in mail clients that block remote images), one column that narrows with the
    /// screen, and every piece of mention text escaped.
    public static func html(_ report: DigestReport) -> String {
        let labels = DigestLabels.forLanguage(report.language)
        let zone = TimeZone(identifier: report.timeZone) ?? .gmt
        let muted = "color:#5b6572;"
        let period = escape(periodText(report, zone: zone))
        var page = """
            <!DOCTYPE html>
            <html lang="\(escape(labels.code))"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light">
            <title>\(escape(labels.title)), \(period)</title>
            </head>
            <body style="margin:0;padding:12px;background:#f3f5f8;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1d232b;font-size:15px;line-height:1.45;">
            <div style="max-width:680px;margin:0 auto;">
            <h1 style="font-size:22px;margin:4px 0;">\(escape(labels.title))</h1>
            <p style="margin:0 0 14px;\(muted)">\(period)</p>

            """
        if report.brands.count > 1 { page += overview(report, labels: labels) }
        for brand in report.brands {
            let now = brand.period
            page += card
            page += "<h2 style=\"font-size:19px;margin:0 0 6px;\">\(escape(brand.name))"
                + (brand.competitor ? " <span style=\"\(muted)font-weight:normal;font-size:14px;\">(\(escape(labels.competitor)))</span>" : "")
                + "</h2>\n"
            page += "<p style=\"margin:0 0 4px;\"><b style=\"font-size:20px;\">\(now.total)</b> \(escape(labels.mentions.lowercased())) "
                + "<span style=\"\(muted)\">(\(escape(change(now.total, brand.previousPeriod.total, labels))) \(escape(labels.vsPrevious)), "
                + "\(escape(change(now.total, brand.sameDayLastWeek.total, labels))) \(escape(labels.vsLastWeek)))</span><br>"
                + "<span style=\"color:#1a7f37;\">\(escape(labels.positive)): <b>\(now.positive)</b></span> · \(escape(labels.neutral)): <b>\(now.neutral)</b> · "
                + "<span style=\"color:#c62828;\">\(escape(labels.negative)): <b>\(now.negative)</b></span></p>\n"
            if let score = now.netSentiment {
                page += "<p style=\"margin:0 0 8px;\">\(escape(labels.netSentiment)) <b>\(escape(signed(score)))</b><span style=\"\(muted)\">\(escape(netChange(brand, labels)))</span>"
                    + (brand.shareOfVoice.map { " · \(escape(labels.shareOfVoice)) <b>\(escape(percent($0)))</b>" } ?? "") + "</p>\n"
            } else {
                page += "<p style=\"margin:0 0 8px;\(muted)\">\(escape(labels.noMentions))</p>\n"
            }
            if !brand.languages.isEmpty {
                page += "<p style=\"margin:0 0 8px;\(muted)font-size:13px;\">\(escape(labels.languages)): \(escape(languageList(brand, labels)))</p>\n"
            }
            page += "<p style=\"margin:8px 0 2px;font-size:13px;\(muted)\">\(escape(labels.last30Days))</p>\n"
            page += chart(brand, labels: labels, zone: zone)
            if !brand.alerts.isEmpty {
                page += heading(labels.alertsHeading) + "<ul style=\"margin:0;padding-left:18px;\">\n"
                for alert in brand.alerts {
                    page += "<li><span style=\"\(muted)\">\(escape(time(alert.start, zone)))</span> \(escape(oneLine(alert.message)))</li>\n"
                }
                page += "</ul>\n"
            }
            if !brand.complaints.isEmpty {
                page += heading(labels.complaintsHeading) + complaintBars(brand.complaints, labels: labels)
            }
            for (title, mentions, color) in [(labels.topNegative, brand.topNegative, "#c62828"), (labels.topPositive, brand.topPositive, "#1a7f37")]
            where !mentions.isEmpty {
                page += heading(title)
                for mention in mentions {
                    let name = escape(oneLine(mention.heading))
                    let title = mention.link.flatMap { isWebLink($0) ? $0 : nil }
                        .map { "<a href=\"\(escape(oneLine($0)))\" style=\"color:#0b57d0;text-decoration:none;\">\(name)</a>" } ?? name
                    page += "<div style=\"margin:0 0 10px;padding-left:8px;border-left:3px solid \(color);\">\(title)<br>"
                        + "<span style=\"\(muted)font-size:13px;\">\(escape(details(mention, labels, markdown: false)))</span><br>"
                        + "<span style=\"font-size:14px;\">\(highlightHTML(mention.snippet))</span></div>\n"
                }
            }
            page += "</div>\n"
        }
        let health = report.feedHealth
        page += card
        page += "<h2 style=\"font-size:17px;margin:0 0 6px;\">\(escape(labels.feedHealthHeading))</h2>\n"
        page += "<p style=\"margin:0;\"><b>\(health.working)/\(health.active)</b> \(escape(labels.feedsOK))</p>\n"
        if !health.failing.isEmpty {
            page += "<ul style=\"margin:6px 0 0;padding-left:18px;font-size:14px;\">\n"
            for feed in health.failing.prefix(10) {
                page += "<li>\(escape(oneLine(feed.title ?? feed.url)))"
                    + (feed.since.map { " <span style=\"\(muted)\">\(escape(labels.failingSince)) \(escape(time($0, zone)))</span>" } ?? "")
                    + (feed.lastError.map { "<br><span style=\"\(muted)font-size:13px;\">\(escape(oneLine($0)))</span>" } ?? "") + "</li>\n"
            }
            if health.failing.count > 10 { page += "<li>… +\(health.failing.count - 10)</li>\n" }
            page += "</ul>\n"
        }
        page += "</div>\n<p style=\"\(muted)font-size:12px;\">\(escape(labels.footer))</p>\n</div></body></html>\n"
        return page
    }

    /// A white card; long words and addresses wrap inside it instead of widening the page.
    static let card = "<div style=\"background:#ffffff;border:1px solid #e1e5ea;border-radius:8px;padding:14px 16px;margin:0 0 14px;"
        + "overflow-wrap:anywhere;word-break:break-word;\">\n"

    /// A table of the brands: mentions and their change, Net Sentiment Score, the top complaint.
    static func overview(_ report: DigestReport, labels: DigestLabels) -> String {
        let cell = "padding:4px 6px;border-bottom:1px solid #e1e5ea;"
        var table = card + "<h2 style=\"font-size:17px;margin:0 0 6px;\">\(escape(labels.overview))</h2>\n"
            + "<table role=\"presentation\" style=\"width:100%;border-collapse:collapse;font-size:14px;word-break:normal;overflow-wrap:break-word;\">\n<tr style=\"color:#5b6572;text-align:left;\">"
            + [labels.brand, labels.mentions, labels.netSentiment, labels.complaintsHeading].map { "<th style=\"\(cell)font-weight:normal;\">\(escape($0))</th>" }.joined()
            + "</tr>\n"
        for brand in report.brands {
            let now = brand.period
            let color = (now.netSentiment ?? 0) < 0 ? "#c62828" : "#1a7f37"
            table += "<tr><td style=\"\(cell)\"><b>\(escape(brand.name))</b>\(brand.competitor ? " <span style=\"color:#5b6572;\">(\(escape(labels.competitor)))</span>" : "")</td>"
                + "<td style=\"\(cell)white-space:nowrap;\">\(now.total) <span style=\"color:#5b6572;\">\(escape(change(now.total, brand.previousPeriod.total, labels)))</span></td>"
                + "<td style=\"\(cell)color:\(color);\">\(escape(now.netSentiment.map(signed) ?? "–"))</td>"
                + "<td style=\"\(cell)\">\(escape(brand.complaints.first.map { $0.terms.prefix(2).joined(separator: ", ") } ?? ""))</td></tr>\n"
        }
        return table + "</table>\n</div>\n"
    }

    static func heading(_ text: String) -> String {
        "<h3 style=\"font-size:15px;margin:14px 0 6px;\">\(escape(text))</h3>\n"
    }

    /// Thirty daily bars stacked negative (red), neutral (grey) and positive (green), with the
    /// first and last day and the largest count.
    static func chart(_ brand: DigestReport.Brand, labels: DigestLabels, zone: TimeZone) -> String {
        // A narrow canvas keeps the labels legible when a phone shrinks the chart.
        let width = 450.0, height = 100.0, base = height - 16
        let days = brand.dailyTotal.count
        let top = Double(max(1, brand.dailyTotal.max() ?? 1))
        let step = width / Double(max(1, days))
        let scale = (base - 16) / top
        var shapes = ""
        for day in 0..<days {
            let total = Double(brand.dailyTotal[day])
            let negative = Double(day < brand.dailyNegative.count ? brand.dailyNegative[day] : 0)
            let positive = Double(day < brand.dailyPositive.count ? brand.dailyPositive[day] : 0)
            let x = Double(day) * step + 1
            var y = base
            for (value, color) in [(negative, "#c62828"), (max(0, total - negative - positive), "#c9d1dc"), (positive, "#2e9e4f")] where value > 0 {
                let h = value * scale
                y -= h
                shapes += "<rect x=\"\(Int(x.rounded()))\" y=\"\(Int(y.rounded()))\" width=\"\(Int(max(1, step - 2)))\" height=\"\(max(1, Int(h.rounded())))\" fill=\"\(color)\"/>"
            }
        }
        let first = String(time(brand.dailyStart, zone).prefix(10))
        let last = String(time(brand.dailyStart.addingTimeInterval(Double(max(0, days - 1)) * 86_400 + 43_200), zone).prefix(10))
        let font = "font-family=\"Helvetica,Arial,sans-serif\" font-size=\"12\" fill=\"#5b6572\""
        shapes += "<line x1=\"0\" y1=\"\(base)\" x2=\"\(width)\" y2=\"\(base)\" stroke=\"#aab3bf\" stroke-width=\"1\"/>"
        shapes += "<text x=\"0\" y=\"\(height - 2)\" \(font)>\(escape(first))</text>"
        shapes += "<text x=\"\(width)\" y=\"\(height - 2)\" text-anchor=\"end\" \(font)>\(escape(last))</text>"
        shapes += "<text x=\"0\" y=\"11\" \(font)>\(escape(labels.maximum)) \(Int(top))</text>"
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" "
            + "aria-label=\"\(escape(labels.chartLabel))\" style=\"max-width:450px;display:block;\"><title>\(escape(labels.chartLabel))</title>"
            + shapes + "</svg>\n"
    }

    /// Each complaint group as a bar of its share of negative mentions, so one or two dominant
    /// problems stand out.
    static func complaintBars(_ groups: [ComplaintTerms.Group], labels: DigestLabels) -> String {
        var rows = "<table role=\"presentation\" style=\"width:100%;border-collapse:collapse;font-size:14px;\">\n"
        for group in groups {
            let width = max(2, Int((group.share * 100).rounded()))
            rows += "<tr><td style=\"padding:3px 8px 3px 0;width:55%;\">\(group.terms.map { "<b>\(escape($0))</b>" }.joined(separator: ", "))</td>"
                + "<td style=\"padding:3px 0;width:25%;\"><div style=\"background:#f3d0d0;width:100%;border-radius:3px;\">"
                + "<div style=\"background:#c62828;width:\(min(100, width))%;height:10px;border-radius:3px;\"></div></div></td>"
                + "<td style=\"padding:3px 0 3px 8px;white-space:nowrap;color:#5b6572;\">\(group.mentions) \(escape(labels.complaints)) (\(percent(group.share)))</td></tr>\n"
        }
        return rows + "</table>\n"
    }

    /// HTML text and attribute values (see ``MarkupText/escaped(_:)``).
    static func escape(_ text: String) -> String { MarkupText.escaped(text) }

    /// The snippet escaped, its highlight markers as `<mark>` (the markers are control
    /// characters, which escaping leaves out, so the text between them is escaped piece by piece).
    static func highlightHTML(_ snippet: String) -> String {
        var html = ""
        var piece = ""
        for scalar in snippet.unicodeScalars {
            switch scalar {
            case "\u{2}":
                html += escape(piece) + "<mark style=\"background:#fff1a8;\">"
                piece = ""
            case "\u{3}":
                html += escape(piece) + "</mark>"
                piece = ""
            default:
                piece.unicodeScalars.append(scalar)
            }
        }
        return html + escape(piece)
    }
}
