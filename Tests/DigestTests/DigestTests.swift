import Foundation
import Testing
@testable import Digest

@Suite struct ComplaintTermsTests {
    @Test func overRepresentedComplaintsAreGrouped() {
        let negative = (0..<12).map { "Acme refund never arrived, refund request ignored \($0)" }
            + (0..<6).map { "Acme app crashes at checkout again \($0)" }
            + ["Acme delivery late", "weather is awful"]
        let baseline = (0..<200).map { "Acme delivery arrived on time, good app, checkout quick \($0)" }
        let groups = ComplaintTerms.groups(negative: negative, baseline: baseline, exclude: ["acme"])
        #expect(groups.count >= 2)
        #expect(groups.first?.terms.contains { $0.split(separator: " ").contains("refund") } == true, "\(groups)")
        for group in groups {
            let words = group.terms.filter { !$0.contains(" ") }
            let phrases = group.terms.filter { $0.contains(" ") }
            #expect(!words.contains { word in phrases.contains { $0.split(separator: " ").contains(Substring(word)) } },
                    "a word is not repeated by a phrase of its group: \(group.terms)")
        }
        #expect(groups.first?.mentions == 12)
        #expect(groups.contains { $0.terms.contains { $0.contains("crashes") } })
        #expect(!groups.contains { $0.terms.contains("acme") })
        #expect(!groups.contains { $0.terms.contains("delivery") }, "usual words are not complaints")
    }

    @Test func aPhraseTakesThePlaceOfItsWordsInAGroup() {
        // "caos" leads, "total" joins, then "caos total" (nearly always together) replaces both.
        let negative = (0..<10).map { "Acme caos total en el aeropuerto, colas \($0)" } + (0..<2).map { "Acme caos hoy \($0)" }
            + (0..<2).map { "Acme total desastre \($0)" }
        let baseline = (0..<100).map { "Acme vuelo puntual, buen servicio \($0)" }
        let groups = ComplaintTerms.groups(negative: negative, baseline: baseline, exclude: ["acme"])
        let lead = groups.first?.terms ?? []
        #expect(lead.contains("caos total"), "\(groups)")
        #expect(!lead.contains("caos") && !lead.contains("total"), "\(lead)")
    }

    @Test func nothingNegativeIsNoGroups() {
        #expect(ComplaintTerms.groups(negative: [], baseline: ["a b c"], exclude: []).isEmpty)
    }
}

@Suite struct DigestRenderingTests {
    private let report = DigestReport(
        since: Date(timeIntervalSince1970: 1_714_521_600), until: Date(timeIntervalSince1970: 1_714_608_000),
        timeZone: "Europe/Madrid", language: "en", generatedAt: Date(timeIntervalSince1970: 1_714_608_000),
        brands: [DigestReport.Brand(
            name: "Acme", competitor: false, period: .init(positive: 2, neutral: 1, negative: 7),
            previousPeriod: .init(positive: 3, neutral: 1, negative: 1), sameDayLastWeek: .init(positive: 1, neutral: 0, negative: 1),
            shareOfVoice: 0.6,
            topNegative: [.init(title: "<script>alert(1)</script> [boom]", source: "Forum", link: "https://f.example/1",
                                language: "en", score: -0.9, engagement: 42, date: Date(timeIntervalSince1970: 1_714_600_000),
                                snippet: "the \u{2}Acme\u{3} app <b>crashes</b>"),
                          .init(title: "sneaky", source: "Blog", link: "javascript:alert(1)", language: "en", score: -0.5,
                                engagement: nil, date: Date(timeIntervalSince1970: 1_714_600_000), snippet: "x")],
            topPositive: [], complaints: [.init(terms: ["refund", "refund never"], mentions: 5, share: 0.71, score: 4.2)],
            languages: [.init(language: "en", mentions: 8), .init(language: nil, mentions: 2)],
            alerts: [.init(start: Date(timeIntervalSince1970: 1_714_590_000), end: nil, message: "Acme: 7 negative mentions <b>", observed: 7,
                           expected: 1, sigma: 6.1)],
            dailyStart: Date(timeIntervalSince1970: 1_714_521_600 - 3 * 86_400),
            dailyTotal: [0, 1, 2, 8], dailyNegative: [0, 0, 1, 7], dailyPositive: [0, 1, 1, 1])],
        feedHealth: .init(active: 3, working: 2, failing: [.init(
            title: "Broken <feed>", url: "https://broken.example/feed", since: Date(timeIntervalSince1970: 1_714_500_000), failures: 9,
            lastStatus: 500, lastError: "HTTP 500")]))

    @Test func markdownEscapesOnlyWhatMarkdownWouldInterpret() {
        #expect(DigestRendering.escapeMarkdown("Pessimo!! 100% (sic) #3 ~ok") == "Pessimo!! 100% (sic) #3 ~ok")
        #expect(DigestRendering.escapeMarkdown("![img](x) ~~gone~~ *a* _b_ `c` <b>") == "\\!\\[img\\](x) \\~~gone\\~~ \\*a\\* \\_b\\_ \\`c\\` \\<b\\>")
        #expect(DigestRendering.escapeMarkdown("# not a heading") == "\\# not a heading")
        #expect(DigestRendering.escapeMarkdown("a | b") == "a | b")
        #expect(DigestRendering.escapeMarkdown("a | b", inTable: true) == "a \\| b")
    }

    @Test func sparklinesScaleToTheLargestValue() {
        #expect(DigestRendering.sparkline([0, 1, 2, 8]) == "▁▂▃█")
        #expect(DigestRendering.sparkline([0, 0]) == "▁▁")
    }

    @Test func markdownShowsFiguresAndEscapesMentionText() {
        let markdown = DigestRendering.text(report, markdown: true)
        #expect(markdown.contains("Mentions: 10 (+100% vs the previous period, +400% vs a week ago)"))
        #expect(markdown.contains("Net Sentiment Score: -50 (-90 vs the previous period) · share of voice 60%"))
        #expect(markdown.contains("`refund`, `refund never`: 5 complaints (71%)"))
        #expect(markdown.contains("\\<script\\>"))
        #expect(!markdown.contains("<script>"))
        #expect(markdown.contains("**Acme**"))
        #expect(markdown.contains("Languages: en 80%, unknown 20%"))
        #expect(markdown.contains("42 engagement"))
        #expect(markdown.contains("2/3 feeds working"))
        #expect(markdown.contains("Broken \\<feed\\>, failing since 2024-04-30"), "times in the report's zone (Madrid)")
        #expect(markdown.contains("- 2024-05-01 21:00: Acme: 7 negative mentions \\<b\\>"))
        #expect(!markdown.contains("(javascript:"), "only http(s) links become links")
        #expect(markdown.hasPrefix("# Vigía digest, 2024-05-01 02:00 – 2024-05-02 02:00 (Europe/Madrid)"))
    }

    @Test func severalBrandsGetAnOverviewFirst() throws {
        var two = report
        var rival = try #require(report.brands.first)
        rival.name = "Rival | Co"
        rival.competitor = true
        rival.topNegative = [.init(title: nil, source: "Forum", link: nil, language: "en", score: -0.4, engagement: nil,
                                   date: report.until, snippet: "a reply about \u{2}Rival\u{3}")]
        two.brands.append(rival)
        let markdown = DigestRendering.text(two, markdown: true)
        #expect(markdown.contains("| Brand | Mentions | Net Sentiment Score | What people complain about |"))
        #expect(markdown.contains("| Acme | 10 (+100%) | -50 | refund, refund never |"))
        #expect(markdown.contains("| Rival \\| Co (competitor) |"), "a bar in a name cannot break the table")
        #expect(markdown.contains("- Forum — Forum, en, -0.40"), "an untitled mention is headed by its source")
        let text = DigestRendering.text(two, markdown: false)
        #expect(text.contains("Brand") && text.contains("Mentions") && text.contains("10 (+100%)"))
        let html = DigestRendering.html(two)
        #expect(html.contains("At a glance"))
        #expect(html.contains("Rival | Co"))
        #expect(DigestRendering.text(report, markdown: true).contains("| Brand |") == false, "one brand needs no overview")
    }

    @Test func spanishAndItalianLabels() {
        var spanish = report
        spanish.language = "es"
        let markdown = DigestRendering.text(spanish, markdown: true)
        #expect(markdown.hasPrefix("# Resumen de Vigía"))
        #expect(markdown.contains("Menciones: 10 (+100% frente al periodo anterior"))
        #expect(markdown.contains("### De qué se queja la gente"))
        var italian = report
        italian.language = "it"
        let html = DigestRendering.html(italian)
        #expect(html.contains("<html lang=\"it\">"))
        #expect(html.contains("Di cosa si lamentano"))
        #expect(html.contains("Indice di sentiment netto"))
    }

    @Test func jsonIsStableSnakeCaseWithTotals() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(DigestRendering.json(report).utf8)) as? [String: Any])
        #expect(object["since"] as? String == "2024-05-01T00:00:00Z")
        let brand = try #require((object["brands"] as? [[String: Any]])?.first)
        let period = try #require(brand["period"] as? [String: Any])
        #expect(period["total"] as? Int == 10)
        #expect(period["net_sentiment"] as? Double == -50)
        #expect(brand["share_of_voice"] as? Double == 0.6)
        #expect((brand["daily_total"] as? [Int]) == [0, 1, 2, 8])
        #expect(object["time_zone"] as? String == "Europe/Madrid")
        #expect((object["feed_health"] as? [String: Any])?["working"] as? Int == 2)
        let mention = try #require((brand["top_negative"] as? [[String: Any]])?.first)
        #expect(mention["engagement"] as? Int == 42)
        #expect(Set(mention.keys) == ["title", "author", "source", "link", "language", "score", "engagement", "date", "snippet"])
        #expect(mention["author"] is NSNull, "an absent value is null, never a missing key")
        #expect(((object["feed_health"] as? [String: Any])?["failing"] as? [[String: Any]])?.first?["last_status"] as? Int == 500)
        #expect(Set(brand.keys) == [
            "name", "competitor", "period", "previous_period", "same_day_last_week", "share_of_voice", "top_negative", "top_positive",
            "complaints", "languages", "alerts", "daily_start", "daily_total", "daily_negative", "daily_positive",
        ])
    }

    @Test func htmlIsSelfContainedAndEscapesEverything() {
        let html = DigestRendering.html(report)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script>"), "a mention's script is shown, never run")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains(">Acme</mark>"))
        #expect(html.contains("<svg"))
        #expect(!html.contains("src=\"http"), "no external assets")
        #expect(!html.contains("<link "))
        #expect(html.contains("name=\"viewport\""))
        #expect(!html.contains("href=\"javascript:"), "only http(s) links become links")
        #expect(html.contains("Broken &lt;feed&gt;"))
        #expect(html.contains("7 negative mentions &lt;b&gt;"))
        #expect(!html.contains("<img"), "nothing loads from outside")
    }
}
