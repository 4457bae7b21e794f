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
        #expect(groups.first?.terms.contains("refund") == true, "\(groups)")
        #expect(groups.first?.mentions == 12)
        #expect(groups.contains { $0.terms.contains("crashes") || $0.terms.contains("app crashes") })
        #expect(!groups.contains { $0.terms.contains("acme") })
        #expect(!groups.contains { $0.terms.contains("delivery") }, "usual words are not complaints")
    }

    @Test func nothingNegativeIsNoGroups() {
        #expect(ComplaintTerms.groups(negative: [], baseline: ["a b c"], exclude: []).isEmpty)
    }
}

@Suite struct DigestRenderingTests {
    private let report = DigestReport(
        since: Date(timeIntervalSince1970: 1_714_521_600), until: Date(timeIntervalSince1970: 1_714_608_000),
        brands: [DigestReport.Brand(
            name: "Acme", competitor: false, period: .init(positive: 2, neutral: 1, negative: 7),
            previousPeriod: .init(positive: 3, neutral: 1, negative: 1), sameDayLastWeek: .init(positive: 1, neutral: 0, negative: 1),
            shareOfVoice: 0.6,
            topNegative: [.init(title: "<script>alert(1)</script> [boom]", source: "Forum", link: "https://f.example/1",
                                language: "en", score: -0.9, date: Date(timeIntervalSince1970: 1_714_600_000),
                                snippet: "the \u{2}Acme\u{3} app <b>crashes</b>")],
            topPositive: [], complaints: [.init(terms: ["refund", "refund never"], mentions: 5, share: 0.71, score: 4.2)],
            dailyTotal: [0, 1, 2, 8], dailyNegative: [0, 0, 1, 7])])

    @Test func sparklinesScaleToTheLargestValue() {
        #expect(DigestRendering.sparkline([0, 1, 2, 8]) == "▁▂▃█")
        #expect(DigestRendering.sparkline([0, 0]) == "▁▁")
    }

    @Test func markdownShowsFiguresAndEscapesMentionText() {
        let markdown = DigestRendering.text(report, markdown: true)
        #expect(markdown.contains("Mentions: 10 (+100% vs the previous period, +400% vs a week ago)"))
        #expect(markdown.contains("Net Sentiment Score: -50 (-90) · share of voice 60%"))
        #expect(markdown.contains("`refund`, `refund never`: 5 complaints (71%)"))
        #expect(markdown.contains("\\<script\\>"))
        #expect(!markdown.contains("<script>"))
        #expect(markdown.contains("**Acme**"))
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
    }

    @Test func htmlIsSelfContainedAndEscapesEverything() {
        let html = DigestRendering.html(report)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script>"), "a mention's script is shown, never run")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<mark>Acme</mark>"))
        #expect(html.contains("<svg"))
        #expect(!html.contains("src=\"http"), "no external assets")
        #expect(!html.contains("<link "))
        #expect(html.contains("name=\"viewport\""))
    }
}
