import Foundation
import Testing

@testable import FeedParsing

@Suite struct HTMLTextTests {
    private func text(_ html: String) -> String {
        HTMLTextExtractor().text(ofHTML: html)
    }

    @Test func tagsAreRemoved() {
        #expect(text("<p>Hello <b>bold</b> <a href=\"https://x.example\">world</a></p>") == "Hello bold world")
    }

    @Test func scriptAndStyleContentsAreRemoved() {
        #expect(text("<style>p { color: red }</style><p>Shown</p><script>alert('<b>no</b>')</script>") == "Shown")
    }

    @Test func blockElementsAreSeparatedByASpace() {
        #expect(text("<p>One</p><p>Two</p>") == "One Two")
        #expect(text("<ul><li>a</li><li>b</li></ul>") == "a b")
        #expect(text("line<br>break") == "line break")
        #expect(text("<div>x</div>y") == "x y")
    }

    @Test func inlineElementsAreNotSeparated() {
        #expect(text("<b>Bold</b><i>Italic</i>") == "BoldItalic")
        #expect(text("un<span>break</span>able") == "unbreakable")
    }

    @Test func whitespaceIsCollapsedAndTrimmed() {
        #expect(text("  lots \n\n of\t\twhitespace  ") == "lots of whitespace")
        #expect(text("<p>&nbsp; spaced &nbsp;</p>") == "spaced")
    }

    @Test func commonNamedEntitiesAreDecoded() {
        #expect(text("Wait&hellip; it&rsquo;s &NotEqualTilde; caf&eacute;") == "Wait\u{2026} it\u{2019}s \u{2242}\u{0338} café")
        #expect(text("<p>Wait&hellip; it&rsquo;s &NotEqualTilde;</p>") == "Wait\u{2026} it\u{2019}s \u{2242}\u{0338}")
    }

    /// Every name of the WHATWG list, on the plain-text path and inside markup.
    @Test func everyHTML5NamedEntityIsDecoded() {
        let table = HTMLEntities.byName
        #expect(table.count >= 2125)
        var failures: [String] = []
        let extractor = HTMLTextExtractor()
        for (name, value) in table.sorted(by: { $0.key < $1.key }) {
            // Whitespace values collapse, so test them with visible neighbours only.
            let isSpace = value.unicodeScalars.allSatisfy { TextCleanup.isCollapsibleSpace($0) }
            let expected = isSpace ? "x y" : "x\(value)y"
            if extractor.text(ofHTML: "x&\(name);y") != expected { failures.append("plain &\(name);") }
            if extractor.text(ofHTML: "<b>x&\(name);y</b>") != expected { failures.append("markup &\(name);") }
        }
        #expect(failures.isEmpty, "\(failures.count) not decoded: \(failures.prefix(20))")
    }

    @Test func legacyEntitiesWithoutSemicolonAreDecoded() {
        #expect(text("&copy 2024 Acme") == "\u{00A9} 2024 Acme")
        #expect(text("<p>&copy 2024 Acme</p>") == "\u{00A9} 2024 Acme")
    }

    @Test func numericReferencesAreDecoded() {
        #expect(text("&#169; &#xA9; &#x2603; &#128512;") == "\u{00A9} \u{00A9} \u{2603} \u{1F600}")
    }

    @Test func numericReferencesInC1RangeAreWindows1252() {
        #expect(text("&#150; &#x93;quoted&#x94; &#128; &#153;") == "\u{2013} \u{201C}quoted\u{201D} \u{20AC} \u{2122}")
        #expect(text("<p>&#145;single&#146;</p>") == "\u{2018}single\u{2019}")
    }

    @Test func doubleEscapedHTMLIsUnwrapped() {
        #expect(text("&lt;p&gt;Hello &lt;b&gt;there&lt;/b&gt;&lt;/p&gt;") == "Hello there")
        #expect(text("&lt;p&gt;One&lt;/p&gt;&lt;p&gt;Two&lt;/p&gt;") == "One Two")
    }

    @Test func escapedMarkupInsideProseIsKeptAsText() {
        #expect(text("<p>Use the &lt;em&gt; element</p>") == "Use the <em> element")
    }

    @Test func ampersandThatStartsNoReferenceIsKept() {
        #expect(text("Fish & Chips") == "Fish & Chips")
        #expect(text("AT&T and M&Ms") == "AT&T and M&Ms")
        #expect(text("<p>Q&A: &unknownname; &; &#;</p>") == "Q&A: &unknownname; &; &#;")
    }

    @Test func lessThanThatStartsNoTagIsKept() {
        #expect(text("1 < 2 and 3 > 2") == "1 < 2 and 3 > 2")
    }

    @Test func undeclaredHTMLEntitiesInXMLAreDecodedAndMarkTheFeedBozo() throws {
        let parsed = try parse("""
            <rss version="2.0"><channel><title>Caf&eacute;</title><item>
            <title>Wait&hellip; it&rsquo;s &NotEqualTilde;</title>
            <description>&lt;p&gt;Na&iuml;ve&lt;/p&gt; &copy;</description>
            </item></channel></rss>
            """)
        #expect(parsed.bozo)
        #expect(parsed.feed.title == "Café")
        let entry = try #require(parsed.entries.first)
        #expect(entry.title == "Wait\u{2026} it\u{2019}s \u{2242}\u{0338}")
        #expect(entry.summaryText == "Naïve \u{00A9}")
    }

    @Test func declaredEntitiesAreNotBozo() throws {
        let parsed = try parse("""
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY brand "Acme Air">]>
            <rss version="2.0"><channel><title>&brand; news</title><item><title>x</title></item></channel></rss>
            """)
        #expect(parsed.bozo == false)
        #expect(parsed.feed.title == "Acme Air news")
    }

    @Test func numericC1ReferencesInXMLAreWindows1252() throws {
        let entry = try parseItem("<title>&#147;Quoted&#148; &#150; fine</title>")
        #expect(entry.title == "\u{201C}Quoted\u{201D} \u{2013} fine")
    }

    @Test func doubleEscapedDescriptionInAFeedIsUnwrapped() throws {
        let entry = try parseItem("<description>&amp;lt;p&amp;gt;Hello &amp;lt;b&amp;gt;there&amp;lt;/b&amp;gt;&amp;lt;/p&amp;gt;</description>")
        #expect(entry.summaryText == "Hello there")
    }

    /// The byte-scan fast path must give exactly what libxml2's HTML parser gives.
    static let fragments: [String] = [
        "<p>Hello <b>world</b></p>",
        "<div><p>One</p><p>Two</p></div>",
        "<ul><li>a</li><li>b <em>c</em></li></ul>",
        "Text<br>after<br/>break<BR >end",
        "<p>Comment <!-- hidden <b>x</b> --> here</p>",
        "<p>Before</p><script>var x = '<p>no</p>';</script><p>After</p>",
        "<style>p { color: red; }</style><p>Styled</p>",
        "<svg width=\"10\"><title>Icon</title><circle r=\"4\"/></svg> caption",
        "<a href=\"x?a=1&b=2\" title=\"a > b\">link</a> after",
        "<img alt='x > y' src=\"i.png\">after image",
        "<a href=\"x title=broken>text</a> tail",
        "<p class=\"a\"class=\"b\">adjacent attributes</p>",
        "<p id=unquoted class=also>unquoted attributes</p>",
        "caf&eacute; &amp; cr&egrave;me",
        "<b>caf&eacute; &amp; cr&egrave;me</b>",
        "&copy 2024 no semicolon",
        "<i>&copy 2024 no semicolon</i>",
        "&notit; and &notin;",
        "<p>&notit; and &notin;</p>",
        "&#169; &#xA9; &#x2603; &#128512;",
        "<p>&#150; dash &#x93;quotes&#x94;</p>",
        "AT&T & friends",
        "<p>AT&T & friends</p>",
        "&hellip;&rsquo;&NotEqualTilde;",
        "<p>&hellip;&rsquo;&NotEqualTilde;</p>",
        "<![CDATA[not really cdata]]> text",
        "<unknown>custom</unknown> <x-widget>tag</x-widget>",
        "<foo:bar>prefixed tag</foo:bar>",
        "<table><tr><td>a</td><td>b</td></tr></table>",
        "<h1>Title</h1>Body text",
        "  lots   of \n\n whitespace\t here  ",
        "<p>&nbsp;&nbsp;spaced&nbsp;</p>",
        "<span>in</span><span>line</span>",
        "1 < 2 and 3 > 2",
        "<p>unclosed paragraph<p>next",
        "<b><i>misnested</b></i> tags",
        "<pre>  pre   text  </pre>",
        "<iframe src=x></iframe>after",
        "<head><title>hidden</title></head><body>shown</body>",
        "<template><p>t</p></template>visible",
        "<SCRIPT>alert(1)</SCRIPT>Upper",
        "<p>emoji \u{1F600} and ñ</p>",
        "<input value=\"a<b\">after",
        "<p>&lt;escaped&gt; tags</p>",
        "<!DOCTYPE html><p>doctype</p>",
        "<?php echo 1; ?>processing instruction",
        "<p>x</p  >y",
        "</p>stray close",
        "<br/><br/>double",
        "&#0; null &#xD800; surrogate &#1114112; too big",
        "<script>unterminated",
        "<p title=\"&quot;q&quot;\">attribute reference</p>",
        "a<b",
        "tail <",
        "<p>&amp;amp; twice</p>",
        "<p>&ampx &lt3 &gt</p>",
        "<a href='single'>single quotes</a>",
        "<p>x &#x; &#xZZ; &# y</p>",
    ]

    @Test(arguments: fragments)
    func fastPathEqualsLibxml2(_ fragment: String) {
        let extractor = HTMLTextExtractor()
        #expect(extractor.text(ofHTML: fragment) == extractor.textThroughLibxml2(ofHTML: fragment))
    }
}
