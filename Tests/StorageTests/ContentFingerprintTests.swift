import Testing

@testable import Storage

@Suite struct ContentFingerprintTests {
    let text = "Iberia canceló mi vuelo a Madrid y todavía espero el reembolso"

    @Test func normalisationFoldsCaseAccentsPunctuationAndSpacing() {
        #expect(ContentFingerprint.normalised(title: "¡Vuelo  CANCELADO!", text: "Ñandú,\tcafé… straße")
            == "vuelo cancelado nandu cafe strasse")
    }

    @Test func sameTextUnderDifferentMarkupHasTheSameFingerprint() {
        let a = ContentFingerprint(title: "Vuelo cancelado", text: text)
        let b = ContentFingerprint(title: "VUELO CANCELADO!", text: "  " + text.uppercased() + " ...")
        #expect(a.value != nil)
        #expect(a == b)
    }

    @Test func decomposedAccentsFoldLikeComposedOnes() {
        let composed = ContentFingerprint(title: nil, text: "canceló " + text)
        let decomposed = ContentFingerprint(title: nil, text: "cancelo\u{301} " + text)
        #expect(composed.value == decomposed.value)
    }

    @Test func differentTextsHaveDifferentFingerprints() {
        let a = ContentFingerprint(title: nil, text: text)
        let b = ContentFingerprint(title: nil, text: text + " otra vez")
        #expect(a.value != b.value)
    }

    @Test func titleAndTextDoNotRunTogether() {
        let a = ContentFingerprint(title: "one two three four", text: "five six seven eight")
        let b = ContentFingerprint(title: "one two three fourfive", text: "six seven eight")
        #expect(a.value != b.value)
    }

    @Test func shortTextsAreNotFingerprinted() {
        let short = ContentFingerprint(title: nil, text: "Great service, thanks!")
        #expect(short.value == nil)
        #expect(short.wordCount == 3)
    }

    @Test func nonLatinLettersAndDigitsCount() {
        #expect(ContentFingerprint.normalised(title: nil, text: "Ελλάδα 2024 — 東京!") == "ελλάδα 2024 東京")
    }

    @Test func emptyAndSymbolOnlyTexts() {
        #expect(ContentFingerprint(title: nil, text: nil).value == nil)
        #expect(ContentFingerprint.normalised(title: "!!!", text: "🙂 ×÷") == "")
    }
}
