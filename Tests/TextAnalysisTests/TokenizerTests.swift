import Testing

@testable import TextAnalysis

/// The normalised forms of the tokens of `text`.
private func words(_ text: String, splitsHashtags: Bool = true) -> [String] {
    Tokenizer(splitsHashtags: splitsHashtags).tokenize(text).normalizedStrings
}

private func tokens(_ text: String) -> [(kind: Token.Kind, text: String, flags: Token.Flags)] {
    let tokenized = Tokenizer().tokenize(text)
    return tokenized.tokens.map { ($0.kind, tokenized.normalized($0), $0.flags) }
}

@Suite struct TokenizerTests {
    @Test func splitsPlainWordsAndLowercases() {
        #expect(words("Me ENCANTA el café") == ["me", "encanta", "el", "café"])
        #expect(words("ÉXITO Ñandú straße ÀÈÌÒÙ") == ["éxito", "ñandú", "straße", "àèìòù"])
        #expect(Tokenizer().tokenize("ÉXITO").tokens.first?.flags.contains(.allCaps) == true)
        #expect(Tokenizer().tokenize("Éxito").tokens.first?.flags.contains(.capitalized) == true)
        #expect(words("3×4 días") == ["3", "×", "4", "días"])
    }

    @Test func keepsURLsWhole() {
        let result = tokens("mirad https://example.com/a?b=1, ya")
        #expect(result.map(\.text) == ["mirad", "https://example.com/a?b=1", ",", "ya"])
        #expect(result[1].kind == .url)
        #expect(tokens("en www.Example.org hoy")[1].kind == .url)
    }

    @Test func keepsHandles() {
        let result = tokens("@Iberia gracias")
        #expect(result[0].kind == .mention)
        #expect(result[0].text == "@iberia")
        // An e-mail address is not a handle.
        #expect(!tokens("ana@example.com").contains { $0.kind == .mention })
    }

    @Test func keepsHashtagsAndSplitsTheirWords() {
        let result = tokens("#MalServicio")
        #expect(result.map(\.text) == ["#malservicio", "mal", "servicio"])
        #expect(result[0].kind == .hashtag)
        #expect(result[1].flags.contains(.hashtagPart))
        #expect(words("#mal_servicio") == ["#mal_servicio", "mal", "servicio"])
        #expect(words("#HTTPServer2024") == ["#httpserver2024", "http", "server", "2024"])
        #expect(words("#MalServicio", splitsHashtags: false) == ["#malservicio"])
    }

    @Test func keepsEmojiWithModifiers() {
        // Thumbs up with a skin tone, a heart with a variation selector, a ZWJ family, a flag.
        let result = tokens("ok 👍🏽❤️👨‍👩‍👧🇪🇸")
        #expect(result.map(\.kind) == [.word, .emoji, .emoji, .emoji, .emoji])
        #expect(result[1].text == "👍")
        #expect(result[2].text == "\u{2764}")
        #expect(result[3].text == "👨\u{200D}👩\u{200D}👧")
        #expect(result[4].text == "🇪🇸")
        // Repeated emoji are separate tokens.
        #expect(tokens("😂😂😂").count == 3)
    }

    @Test func recognisesEmoticons() {
        for (text, expected) in [
            (":-(", ":("), (":(", ":("), (":)))", ":)"), ("xD", "xd"), ("XDDD", "xd"), ("<3", "<3"),
            (":'(", ":'("), (";)", ";)"), ("</3", "</3"), ("^_^", "^_^"), ("-_-", "-_-"), (":D", ":d"),
            (":P", ":p"), ("=)", "=)"), ("D:", "d:"), ("T_T", "t_t"),
        ] {
            let result = tokens("hola \(text) ya")
            #expect(result.count == 3, "\(text)")
            #expect(result[1].kind == .emoticon, "\(text)")
            #expect(result[1].text == expected, "\(text)")
        }
        // Attached to a word.
        #expect(tokens("gracias:)").map(\.kind) == [.word, .emoticon])
        // Not emoticons.
        #expect(!tokens("a las 10:30").contains { $0.kind == .emoticon })
        #expect(!tokens("xbox Dr. Tom").contains { $0.kind == .emoticon })
        #expect(!tokens("http://example.com").contains { $0.kind == .emoticon })
        #expect(!tokens("(nota: ver abajo)").contains { $0.kind == .emoticon })
    }

    @Test func keepsNumbers() {
        let result = tokens("pagué 12,50 y 3.000 o 50% a las 10:30")
        #expect(result.filter { $0.kind == .number }.map(\.text) == ["12,50", "3.000", "50%", "10:30"])
    }

    @Test func groupsPunctuationRuns() {
        let result = tokens("¡¡Genial!!! ¿En serio?! Bueno...")
        #expect(result.map(\.text) == ["¡¡", "genial", "!!!", "¿", "en", "serio", "?!", "bueno", "..."])
        #expect(result[2].kind == .punctuationRun)
        #expect(tokens("ah…")[1].text == "...")
    }

    @Test func collapsesElongationsWithAFlag() {
        let tokenized = Tokenizer().tokenize("buenísimoooo sooooo feeeel")
        let strings = tokenized.normalizedStrings
        #expect(strings == ["buenísimo", "so", "fel"])
        #expect(tokenized.tokens.allSatisfy { $0.flags.contains(.elongated) })
        let feel = tokenized.tokens[2]
        #expect(String(decoding: tokenized.normalizedBytes[feel.alternativeRange], as: UTF8.self) == "feel")
    }

    @Test("long ASCII words: elongations, capitals and digits on both sides of each eighth byte")
    func longASCIIWords() {
        let tokenized = Tokenizer().tokenize(
            "abcdefghhhij ABCDEFGHIJKLMNOPQ abcdefGHIJklmnop abcdefg1234567xx aaaaaaaaaaaaaaaaaa abcdefgHHHijk abcdefgh99aaab ZZZzzz")
        #expect(tokenized.normalizedStrings == [
            "abcdefghij", "abcdefghijklmnopq", "abcdefghijklmnop", "abcdefg1234567xx", "a", "abcdefghijk",
            "abcdefgh99ab", "z",
        ])
        let elongated = tokenized.tokens.map { $0.flags.contains(.elongated) }
        #expect(elongated == [true, false, false, false, true, true, true, true])
        let allCaps = tokenized.tokens.map { $0.flags.contains(.allCaps) }
        #expect(allCaps == [false, true, false, false, false, false, false, false])
        let alternatives = tokenized.tokens.map {
            String(decoding: tokenized.normalizedBytes[$0.alternativeRange], as: UTF8.self)
        }
        #expect(alternatives[0] == "abcdefghhij")
        #expect(alternatives[4] == "aa")
    }

    @Test func keepsLegitimateDoubleLetters() {
        let tokenized = Tokenizer().tokenize("llamar perro feel cool")
        #expect(tokenized.normalizedStrings == ["llamar", "perro", "feel", "cool"])
        #expect(tokenized.tokens.allSatisfy { !$0.flags.contains(.elongated) })
    }

    @Test func splitsElisionsAndClitics() {
        #expect(words("dell'assistenza") == ["dell'", "assistenza"])
        #expect(words("l'ho") == ["l'", "ho"])
        #expect(words("c'è") == ["c'", "è"])
        #expect(words("don't") == ["do", "n't"])
        #expect(words("can’t") == ["ca", "n't"])
        #expect(words("it's") == ["it", "'s"])
        #expect(words("I'll") == ["i", "'ll"])
        #expect(words("un po' lento") == ["un", "po'", "lento"])
        #expect(words("dímelo") == ["dímelo"])
    }

    @Test func mapsTypographicApostrophes() {
        #expect(words("dell’assistenza") == ["dell'", "assistenza"])
        #expect(words("perche´") == ["perche'"])
    }

    @Test func flagsAllCaps() {
        let tokenized = Tokenizer().tokenize("Es HORRIBLE y A")
        #expect(tokenized.tokens[1].flags.contains(.allCaps))
        #expect(!tokenized.tokens[0].flags.contains(.allCaps))
        #expect(!tokenized.tokens[3].flags.contains(.allCaps))
        #expect(tokenized.tokens[0].flags.contains(.capitalized))
    }

    @Test func rangesPointIntoTheOriginalText() {
        let text = "¡Me encanta Iberia pero odio Vueling! 😍"
        let tokenized = Tokenizer().tokenize(text)
        let utf8 = Array(text.utf8)
        for token in tokenized.tokens {
            #expect(token.range.lowerBound >= 0 && token.range.upperBound <= utf8.count)
        }
        let iberia = tokenized.tokens.first { tokenized.normalized($0) == "iberia" }
        #expect(iberia.map { String(decoding: utf8[$0.range], as: UTF8.self) } == "Iberia")
    }

    @Test func composesDecomposedText() {
        // "café" written with a combining acute accent.
        #expect(words("cafe\u{301} CAFE\u{301}") == ["café", "café"])
    }

    @Test func marksSpaceAfter() {
        let tokenized = Tokenizer().tokenize("dell'assistenza ok")
        #expect(!tokenized.tokens[0].flags.contains(.spaceAfter))
        #expect(tokenized.tokens[1].flags.contains(.spaceAfter))
    }

    @Test func survivesHostileInput() {
        let invalid: [UInt8] = [0x61, 0xFF, 0xC3, 0x28, 0xE2, 0x82, 0xF0, 0x9F, 0x98, 0x62, 0x00, 0x07]
        var output = TokenizedText()
        invalid.withUnsafeBufferPointer { Tokenizer().tokenize($0, into: &output) }
        #expect(!output.tokens.isEmpty)
        for token in output.tokens {
            #expect(token.range.upperBound <= invalid.count)
        }
        #expect(Tokenizer().tokenize("").tokens.isEmpty)
        #expect(Tokenizer().tokenize("\u{0}\u{1}\u{1B}[31m").tokens.count >= 1)
        let long = String(repeating: "jajaja 😂 ", count: 50_000)
        #expect(Tokenizer().tokenize(long).tokens.count == 100_000)
        let lone = "\u{301}\u{200D}\u{FE0F}🏽"
        _ = Tokenizer().tokenize(lone)
    }
}

@Suite struct NormalizationTests {
    @Test func foldsCaseAndAccents() {
        #expect(TextNormalization.matchKey("Pésimo PERCHÉ Niño’s") == "pesimo perche nino's")
        #expect(TextNormalization.caseFolded("ÁRBOL") == "árbol")
        #expect(TextNormalization.accentFolded("Pésimo") == "Pesimo")
        #expect(TextNormalization.nfc("e\u{301}") == "é")
    }
}
