import Testing

@testable import TextAnalysis

private func decoded(_ text: String) -> String { HTMLCharacterReferences.decode(text) }

@Suite struct HTMLCharacterReferencesTests {
    @Test func decodesTheCommonNamedReferences() {
        #expect(decoded("Lol &lt;3") == "Lol <3")
        #expect(decoded("ugh &gt;:(") == "ugh >:(")
        #expect(decoded("Tom &amp; Jerry") == "Tom & Jerry")
        #expect(decoded("&quot;great&quot; service") == "\"great\" service")
        #expect(decoded("it&apos;s") == "it's")
        #expect(decoded("a&nbsp;b") == "a\u{A0}b")
        #expect(decoded("&iquest;qu&eacute; tal? &iexcl;s&iacute;! ni&ntilde;o") == "¿qué tal? ¡sí! niño")
        #expect(decoded("perch&Egrave; &hellip; &rsquo;") == "perchÈ … ’")
    }

    @Test func decodesNumericReferences() {
        #expect(decoded("I don&#39;t like it") == "I don't like it")
        #expect(decoded("don&#x27;t &#X27;") == "don't '")
        #expect(decoded("&#128512; &#x1F600;") == "😀 😀")
    }

    @Test func undoesOneLevelOfDoubleEscaping() {
        #expect(decoded("love it &amp;lt;3") == "love it <3")
        #expect(decoded("&amp;#39;") == "'")
        #expect(decoded("&amp;amp;") == "&")
        #expect(decoded("&amp;amp;amp;") == "&amp;")
        #expect(decoded("R&amp;D") == "R&D")
    }

    @Test func leavesEverythingElseAsWritten() {
        for text in [
            "AT&T", "a & b", "&", "&&", "&;", "&#;", "&#x;", "&nbsp no semicolon", "&unknown;",
            "&#0;", "&#xD800;", "&#x110000;", "&#99999999;", "&abcdefghij;", "fish&chips;", "end&",
            "end&#", "end&lt", "",
        ] {
            #expect(decoded(text) == text, "\(text)")
        }
        #expect(decoded("&lt;&gt;&amp;") == "<>&")
        #expect(decoded("x&lt") == "x&lt")
    }

    @Test func reportsWhetherItChangedAnything() {
        var output: [UInt8] = [1, 2, 3]
        var plain = "no references here & there"
        let changed = plain.withUTF8 { HTMLCharacterReferences.decode($0, into: &output) }
        #expect(!changed)
        #expect(output == [1, 2, 3])
        var escaped = "a &lt;3"
        #expect(escaped.withUTF8 { HTMLCharacterReferences.decode($0, into: &output) })
        #expect(output == Array("a <3".utf8))
        // The output is replaced, not appended to.
        var other = "&gt;"
        #expect(other.withUTF8 { HTMLCharacterReferences.decode($0, into: &output) })
        #expect(output == Array(">".utf8))
    }

    @Test func decodedEmoticonsTokenizeAsEmoticons() {
        let text = Tokenizer().tokenize(decoded("so cute &lt;3 &gt;:("))
        let kinds = text.tokens.map(\.kind)
        #expect(kinds.contains(.emoticon))
        #expect(text.normalizedStrings.contains("<3"))
        #expect(text.normalizedStrings.contains(":("))
    }

    @Test func acceptsInvalidUTF8AndOddBytes() {
        var bytes: [UInt8] = [0xFF, 0x26, 0x6C, 0x74, 0x3B, 0xC3, 0x26, 0x23, 0x33, 0x39, 0x3B, 0x80]
        var output: [UInt8] = []
        let changed = bytes.withUnsafeMutableBufferPointer {
            HTMLCharacterReferences.decode(UnsafeBufferPointer($0), into: &output)
        }
        #expect(changed)
        #expect(output == [0xFF, 0x3C, 0xC3, 0x27, 0x80])
    }
}
