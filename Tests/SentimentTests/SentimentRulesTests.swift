import Foundation
import Testing
import TextAnalysis

@testable import Sentiment

private func score(_ text: String, _ language: Language = .es) -> SentimentScore {
    Fixture.analyzer.score(text, language: language, explain: true)
}

private func compound(_ text: String, _ language: Language = .es) -> Double {
    score(text, language).compound
}

@Suite struct LexiconTests {
    @Test func loadsTheFixtureWithoutIssues() {
        #expect(Fixture.analyzer.lexiconIssues.isEmpty)
    }

    @Test func generatesInflectedForms() {
        // Adjective gender/number, verb conjugations, in each language.
        for text in ["buenas", "buenos", "buena", "encantó", "encantaba", "encantado", "encantan"] {
            #expect(score(text).label == .pos, "\(text)")
        }
        for text in ["malas", "odiamos", "odiaba", "odiado"] {
            #expect(score(text).label == .neg, "\(text)")
        }
        #expect(score("bellissima", .it).label == .pos)
        #expect(score("belle", .it).label == .pos)
        #expect(score("deluso", .it).label == .neu)  // irregular participle: not generated
        #expect(score("deludente", .it).label == .neu)
        #expect(score("delude", .it).label == .neg)
        for text in ["loved", "loving", "loves", "happily", "happier"] {
            #expect(score(text, .en).label == .pos, "\(text)")
        }
        #expect(score("hated", .en).label == .neg)
    }

    @Test func emphaticFormsWeighMore() {
        #expect(compound("buenísimo") > compound("bueno"))
        let contribution = score("buenísimo").contributions.first
        #expect(contribution?.term == "bueno")
        #expect(contribution?.rules.contains { $0.hasPrefix("emphatic") } == true)
    }

    @Test func fallsBackToAccentlessForms() {
        #expect(compound("pesimo") == compound("pésimo"))
        #expect(compound("PÉSIMO") < 0)
    }

    @Test func explicitEntriesBeatGeneratedOnes() {
        // "odio" is both an explicit entry (−3, other) and a form of the verb odiar.
        let contribution = score("odio").contributions.first
        #expect(contribution?.term == "odio")
    }

    @Test func stripsEncliticPronouns() {
        #expect(score("odiarlo").label == .neg)
        #expect(score("encantarme").label == .pos)
    }
}

@Suite struct RuleTests {
    @Test func negationFlipsPositiveWords() {
        #expect(score("no es bueno").label == .neg)
        #expect(score("nunca es bueno").label == .neg)
        #expect(score("it is not good", .en).label == .neg)
        #expect(score("I don't like it", .en).label == .neg)
        #expect(score("non è bello", .it).label == .neg)
    }

    @Test func aNegatedNegativeIsDampedNotFlipped() {
        // "nunca estuve tan enojado", "no inventen chismes": denying a complaint is no praise.
        let result = compound("no es malo")
        #expect(result < 0)
        #expect(result > compound("es malo"))
        #expect(score("nunca es malo").contributions.first?.rules.contains { $0.contains("×0.2") } == true)
        // Idioms that deny a complaint are phrases: "no está mal".
        #expect(score("no está mal").label == .pos)
    }

    @Test func aNegatorOfAbsenceTurnsANegativeWordIntoMildPraise() {
        // `sin` is marked `absence` in negators.txt: "sin retraso" is praise.
        let result = compound("sin retraso")
        #expect(result > 0)
        #expect(result < compound("es bueno"))
        #expect(score("sin bueno").label == .neg)
    }

    @Test func negativeConcordNegatesOnce() {
        // A phrase that holds a negator is not negated again by an earlier one.
        #expect(score("non è niente male", .it).label == .pos)
        #expect(score("not that I can't wait", .en).contributions.first?.rules == [])
        // "no" is a negator and a negative word: "No and no." is two negative answers.
        let answers = score("No and no.", .en).contributions
        #expect(answers.count == 2)
        #expect(answers.allSatisfy { $0.value < 0 && $0.rules.isEmpty })
    }

    @Test func negatorsDoNotReachInterjectionsOrLaughter() {
        #expect(score("I don't know lol", .en).label == .pos)
        #expect(score("I don't know lol", .en).contributions.first?.rules == [])
        #expect(score("no jajaja").label == .pos)
        #expect(score("I do not like it", .en).label == .neg)
    }

    @Test func neverBeforeADegreeWordIsAnExclamation() {
        // "nunca estuve tan feliz" = never been so happy; "no es tan bueno" is still negated.
        #expect(score("nunca fue tan bueno").label == .pos)
        #expect(score("nunca fue tan bueno").contributions.first?.rules.contains { $0.contains("exclamation") } == true)
        #expect(compound("nunca fue tan malo") < compound("es malo"))
        #expect(score("no es tan bueno").label == .neg)
        #expect(score("nunca es bueno").label == .neg)
    }

    @Test func pocoBeforeAWordNegatesIt() {
        // `poco` is a `next` negator: "poco bueno" is not good; "un poco" stays a diminisher.
        #expect(score("poco bueno").label == .neg)
        #expect(score("es poco bueno").contributions.first?.rules.contains { $0.contains("negated by 'poco'") } == true)
        #expect(score("un poco malo").contributions.first?.rules.contains { $0.contains("boosted by 'un poco'") } == true)
        // Only the word right after it: "falta poco para lo bueno".
        #expect(score("falta poco para lo bueno").label == .pos)
    }

    @Test func negationStopsAtClauseBoundaries() {
        #expect(score("no, es bueno").label == .pos)
        #expect(score("no lo sé. Es bueno").label == .pos)
    }

    @Test func negationHasALimitedReach() {
        #expect(score("no me lo dijeron ayer, es bueno").label == .pos)
        #expect(compound("no sé qué decir del bueno") > 0)
    }

    @Test func boostersScaleTheNextSentimentWord() {
        #expect(compound("muy bueno") > compound("bueno"))
        #expect(compound("un poco malo") > compound("malo"))
        #expect(compound("un poco malo") < 0)
        #expect(compound("very good", .en) > compound("good", .en))
        #expect(compound("kind of good", .en) < compound("good", .en))
        let rules = score("muy bueno").contributions.first?.rules ?? []
        #expect(rules.contains { $0.contains("boosted by 'muy'") })
    }

    @Test func aBoosterAfterAWordBoostsIt() {
        // `both` boosters: after the word ("mi piace tantissimo") or before it ("molto bello").
        #expect(compound("mi piace tantissimo", .it) > compound("mi piace", .it))
        #expect(score("mi piace tantissimo", .it).contributions.first?.rules
            .contains { $0.contains("'tantissimo' after it") } == true)
        #expect(compound("molto bello", .it) > compound("bello", .it))
        #expect(compound("me gusta mucho") > compound("me gusta"))
        // `after` boosters never boost what follows them.
        #expect(compound("good af", .en) > compound("good", .en))
        #expect(compound("af good", .en) == compound("good", .en))
        #expect(compound("I like it a lot", .en) > compound("I like it", .en))
        // A quantity is no intensifier: "a lot of" (factor 0) wins over "a lot".
        #expect(compound("good, a lot of people", .en) == compound("good", .en))
        // After a negated word a post-booster does nothing: "no me gusta mucho" is mild.
        #expect(compound("no me gusta mucho") == compound("no me gusta"))
    }

    @Test func anIntensifyingPrefixMakesTheWordEmphatic() {
        #expect(compound("superbueno") > compound("bueno"))
        #expect(score("superbueno").contributions.first?.rules.contains { $0.hasPrefix("intensifying prefix") } == true)
        #expect(compound("rebueno") > compound("bueno"))  // Rioplatense re- before an adjective
        #expect(score("reodia").label == .neu)  // not before a verb form
        #expect(compound("strabello", .it) > compound("bello", .it))
        #expect(score("superamo", .it).label == .neu)  // superare, not super + amo
    }

    @Test func aWordThatIsAlsoABoosterBoostsWhenASentimentWordFollows() {
        // "bien" is a positive word and an intensifier.
        #expect(compound("bien malo") < compound("malo"))
        #expect(score("todo bien").label == .pos)
    }

    @Test func contrastWeighsTheClauseAfterMore() {
        #expect(score("es bueno pero malo").label == .neg)
        #expect(score("es malo pero bueno").label == .pos)
        #expect(score("good but bad", .en).label == .neg)
        #expect(score("bello ma male", .it).label == .neg)
        let rules = score("es bueno pero malo").contributions.map(\.rules)
        #expect(rules.allSatisfy { $0.contains { $0.contains("contrast 'pero'") } })
    }

    @Test func contrastWeighsWhatFollowsOnlyInItsSentence() {
        // "X pero Y. Z": Z is a statement of its own.
        let later = score("es malo pero bueno. Es malo").contributions
        #expect(later.count == 3)
        #expect(later[1].rules.contains { $0.contains("contrast 'pero' ×1.5") })
        #expect(later[2].rules.isEmpty)
        // A sentence-opening contrast weighs the sentence before it…
        let statement = score("Es bueno. Pero es malo.").contributions
        #expect(statement[0].rules.contains { $0.contains("contrast 'pero' ×0.5") })
        // …unless it opens a question ("Ma è buona?").
        let question = score("Es malo. ¿Pero es bueno?").contributions
        #expect(question[0].rules.isEmpty)
        #expect(score("è male. Ma è bello?", .it).contributions[0].rules.isEmpty)
    }

    @Test func aFrontedConcessionWeighsTheClauseAfterTheComma() {
        #expect(score("aunque es bueno, es malo").label == .neg)
        #expect(score("although it is good, it is bad", .en).label == .neg)
    }

    @Test func anAdversativeEndingItsSentenceIsNoContrast() {
        // "still" as an adverb at the end of a sentence does not reweigh what follows.
        let rules = Fixture.analyzer.score("it is bad still. good", language: .en, explain: true).contributions
        #expect(rules.allSatisfy { $0.rules.isEmpty })
    }

    @Test func aConcessionAtTheStartWeighsLess() {
        #expect(score("aunque es malo, es bueno").label == .pos)
        #expect(score("es bueno aunque malo").label == .pos)
        #expect(score("although it is bad, it is good", .en).label == .pos)
    }

    @Test func aDiscourseMarkerOpeningASentenceCarriesNoValence() {
        #expect(score("Bueno, me voy").label == .neu)
        #expect(score("@ana bueno lo pienso").label == .neu)
        #expect(score("Bueno, es malo").label == .neg)
        #expect(score("Bueno, es malo").contributions.first?.rules.contains { $0.hasPrefix("discourse marker") } == true)
        // Alone, or not first in its sentence, it keeps its valence.
        #expect(score("Bueno.").label == .pos)
        #expect(score("es bueno").label == .pos)
        #expect(score("Me voy. Bueno, vale").label == .neu)
    }

    @Test func aRequestCountsLessThanAQuestion() {
        let request = score("Can you recommend a good place?", .en)
        #expect(request.contributions.first?.rules == ["request ×0.2"])
        #expect(compound("Can you recommend a good place?", .en) < compound("Is it a good place?", .en))
        #expect(score("¿Alguien sabe de un sitio bueno?").contributions.first?.rules == ["request ×0.2"])
        // A request formula with an adjective in it asks for something good; it praises nothing.
        #expect(score("What's a good place to eat?", .en).label == .neu)
        // Only when it opens a clause: "how can you not love it" is no request.
        #expect(score("how can you not love it", .en).contributions.first?.rules.contains("request ×0.2") == false)
    }

    @Test func aPoliteClosingOfAQuestionOrRequestIsNoPraise() {
        #expect(score("¿Alguien sabe dónde comprarlo? Gracias").label == .neu)
        #expect(score("¿A qué hora abren? Gracias").label == .neu)
        #expect(score("Can you send it again? Thanks", .en).label == .neu)
        #expect(score("Arreglen esto por favor, gracias").label == .neu)
        // Thanks that open a text, or with no question, are praise.
        #expect(score("¡Gracias por todo!").label == .pos)
        #expect(score("Gracias. ¿A qué hora abren?").label == .pos)
    }

    @Test func capitalsAddEmphasisInMixedCaseText() {
        #expect(compound("el servicio es MALO") < compound("el servicio es malo"))
        // An all-capitals text gets no capitals emphasis.
        #expect(compound("ES MALO") == compound("es malo"))
    }

    @Test func interjectionsInCapitalsAreNotEmphasised() {
        // `LOL` is an acronym, written in capitals by convention.
        let result = score("that was bad LOL", .en)
        #expect(result.contributions.last?.rules.contains { $0.hasPrefix("capitals") } == false)
        #expect(score("that was BAD lol", .en).contributions.first?.rules.contains { $0.hasPrefix("capitals") } == true)
    }

    @Test func exclamationMarksAddEmphasis() {
        #expect(compound("bueno!!!") > compound("bueno"))
        #expect(compound("malo!!!") < compound("malo"))
        #expect(compound("bueno!!!!!!!!") == compound("bueno!!!!"))
    }

    @Test func elongationAddsEmphasis() {
        #expect(compound("buenoooo") > compound("bueno"))
        #expect(score("buenoooo").contributions.first?.rules.contains { $0.hasPrefix("elongated") } == true)
    }

    @Test func idiomsWinOverTheirWords() {
        #expect(score("es de puta madre").label == .pos)
        #expect(score("no está mal").label == .pos)
        #expect(score("not bad at all", .en).label == .pos)
        #expect(score("non c'è male", .it).label == .pos)
        #expect(score("Non c’è male", .it).label == .pos)
        #expect(score("es de puta madre").contributions.first?.term == "de puta madre")
    }

    @Test func idiomsMatchWithoutAccents() {
        #expect(score("no esta mal").label == .pos)
    }

    @Test func idiomsStartingWithAnAccentedWordMatch() {
        // `così` is also a booster and `qualità` a word: their exact forms start phrases too.
        #expect(score("così così", .it).contributions.map(\.term) == ["così così"])
        #expect(score("cosi cosi", .it).contributions.map(\.term) == ["così così"])
        #expect(score("qualità pessima", .it).contributions.map(\.term) == ["qualità pessima"])
    }

    @Test func idiomsStartingWithANumberMatch() {
        #expect(score("10 e lode", .it).contributions.map(\.term) == ["10 e lode"])
        #expect(score("5 estrellas").label == .pos)
        #expect(score("100% recomendable").contributions.map(\.term) == ["100% recomendable"])
        #expect(score("tengo 5 años").label == .neu)
    }

    @Test func anApostropheAfterAFinalVowelStandsForItsAccent() {
        // Italian `piu'` for `più`: the phrase `mai più` matches, in capitals too.
        #expect(score("MAI PIU'", .it).contributions.map(\.term) == ["mai più"])
        #expect(score("cosi' cosi'", .it).contributions.map(\.term) == ["così così"])
        // An elision keeps its apostrophe: `non c'è male`.
        #expect(score("non c'è male", .it).label == .pos)
    }

    @Test func emojiAndEmoticonsCarrySentiment() {
        #expect(score("😍").label == .pos)
        #expect(score("😡😡").label == .neg)
        #expect(score("ok :(").label == .neg)
        #expect(score("ok :-)").label == .pos)
        #expect(score("<3").label == .pos)
        #expect(score("❤").label == .pos)  // without the variation selector
        #expect(score("👍🏽").label == .neu)  // not in the fixture
        // Negation does not reach emoji.
        #expect(score("no 😍").label == .pos)
    }

    @Test func escapedTextScoresLikeItsDecodedForm() {
        // Raw posts carry HTML character references; `vigia score` decodes them first.
        #expect(score("&lt;3").label == .neu)
        #expect(score(HTMLCharacterReferences.decode("&lt;3")).label == .pos)
        #expect(score(HTMLCharacterReferences.decode("ok &gt;:(")).label == .neg)
        #expect(compound(HTMLCharacterReferences.decode("es malo &amp;lt;3")) == compound("es malo <3"))
        #expect(compound(HTMLCharacterReferences.decode("es &quot;malo&quot;")) == compound("es \"malo\""))
    }

    @Test func anEmoticonEndingTheTextSaysHowItIsMeant() {
        // "Making a mess of the kitchen :)": the final emoticon weighs more.
        let final = score("es malo :)").contributions.last
        #expect(final?.rules.contains { $0.hasPrefix("final emoticon") } == true)
        #expect(score("es malo :)").label == .pos)
        // Not an emoticon alone, not one followed by words, not an emoji.
        #expect(score(":)").contributions.first?.rules.isEmpty == true)
        #expect(score(":) es malo").contributions.first?.rules.isEmpty == true)
        #expect(score("es malo 😍").contributions.last?.rules.isEmpty == true)
    }

    @Test func repeatedEmojiCountLess() {
        let once = score("😡").sum
        let thrice = score("😡😡😡").sum
        #expect(abs(thrice) < 3 * abs(once))
        #expect(abs(thrice) > abs(once))
    }

    @Test func laughterIsMildlyPositive() {
        #expect(score("jajajaja").label == .pos)
        #expect(score("ahahah", .it).label == .pos)
        #expect(score("hoja").label == .neu)
    }

    @Test func typedLaughterWithTyposIsLaughter() {
        for text in ["JAJAAJAJ", "ajjjajjajaa", "jajajajjaajaja", "hahahah", "ahahha", "juajuajua"] {
            #expect(score(text).contributions.first?.term == "laughter", "\(text)")
        }
        for text in ["hija", "hijos", "hojas", "ahhh", "ojos"] {
            #expect(score(text).contributions.isEmpty, "\(text)")
        }
    }

    @Test func hashtagsAreSplitIntoWords() {
        #expect(score("#MalServicio").label == .neg)
        #expect(score("#mal_servicio").label == .neg)
    }

    @Test func neutralTextIsNeutral() {
        let result = score("el vuelo sale a las 10:30 de la terminal 4")
        #expect(result.label == .neu)
        #expect(result.compound == 0)
        #expect(result.contributions.isEmpty)
    }
}

@Suite struct LabelTests {
    @Test func labelsFollowTheDocumentedThresholds() {
        let rules = SentimentRules()
        for text in ["bueno", "malo", "poco bueno", "no es malo", "nada", "es bueno pero malo", "😂"] {
            let result = score(text)
            let expected: SentimentLabel =
                result.compound >= Double(rules.positiveThreshold)
                ? .pos : (result.compound <= Double(rules.negativeThreshold) ? .neg : .neu)
            #expect(result.label == expected, "\(text)")
            #expect(result.compound >= -1 && result.compound <= 1)
        }
    }

    @Test func thresholdsCanBeChanged() throws {
        var rules = SentimentRules()
        rules.positiveThreshold = 0.99
        let strict = try SentimentAnalyzer(lexiconDirectory: Fixture.directory, rules: rules)
        #expect(strict.score("bueno", language: .es).label == .neu)
        #expect(rules.overridden(by: "positiveThreshold=0.05").positiveThreshold == 0.05)
    }

    @Test func compoundIsTheSquashedSum() {
        let result = score("muy bueno")
        let expected = result.sum / (result.sum * result.sum + 15).squareRoot()
        #expect(abs(result.compound - expected) < 1e-6)
    }
}

@Suite struct ExplanationTests {
    @Test func explanationListsEachContributionWithItsRules() {
        let result = score("No es muy bueno, pero el vuelo fue PÉSIMO!!")
        #expect(result.language == .es)
        let texts = result.contributions.map(\.text)
        #expect(texts == ["bueno", "PÉSIMO"])
        let bueno = result.contributions[0]
        #expect(bueno.base == 2)
        #expect(bueno.rules.contains { $0.contains("boosted by 'muy'") })
        #expect(bueno.rules.contains { $0.contains("negated by 'no'") })
        #expect(bueno.rules.contains { $0.contains("contrast 'pero'") })
        #expect(bueno.value < 0)
        let pesimo = result.contributions[1]
        #expect(pesimo.term == "pésimo")
        #expect(pesimo.rules.contains { $0.hasPrefix("capitals") })
        #expect(result.notes.contains { $0.contains("'!'") })
        // Ranges point at the original text.
        let text = "No es muy bueno, pero el vuelo fue PÉSIMO!!"
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[pesimo.range], as: UTF8.self) == "PÉSIMO")
    }

    @Test func withoutExplanationNothingIsCollected() {
        let result = Fixture.analyzer.score("muy bueno", language: .es)
        #expect(result.contributions.isEmpty)
        #expect(result.notes.isEmpty)
        #expect(result.label == .pos)
    }
}

@Suite struct TargetTests {
    @Test func scoresTheClauseAroundTheTarget() {
        let text = "me encanta Iberia pero odio Vueling"
        let bytes = Array(text.utf8)
        func range(of word: String) -> Range<Int> {
            let needle = Array(word.utf8)
            for start in 0...(bytes.count - needle.count) where Array(bytes[start..<start + needle.count]) == needle {
                return start..<start + needle.count
            }
            return 0..<0
        }
        let iberia = Fixture.analyzer.score(text, target: range(of: "Iberia"), language: .es)
        let vueling = Fixture.analyzer.score(text, target: range(of: "Vueling"), language: .es)
        #expect(iberia.label == .pos)
        #expect(vueling.label == .neg)
    }

    @Test func fallsBackToTheWholeTextWhenTheClauseIsSilent() {
        let text = "Vueling, qué retraso"
        let result = Fixture.analyzer.score(text, target: 0..<7, language: .es)
        #expect(result.label == .neg)
    }
}

@Suite struct LanguageTests {
    @Test func undeterminedMergesEveryLexicon() {
        #expect(score("good", .und).label == .pos)
        #expect(score("bueno", .und).label == .pos)
        #expect(score("bello", .und).label == .pos)
        #expect(score("good", .und).language == .und)
        // Requests, pleas and polite closings work in the merged lexicon too.
        #expect(score("Can you send it? Thanks", .und).label == .neu)
        #expect(score("Arreglen esto por favor, gracias", .und).label == .neu)
    }

    @Test func aGivenLanguageIsUsed() {
        #expect(score("good", .es).label == .neu)
        #expect(score("good", .en).language == .en)
    }
}

@Suite struct HostileInputTests {
    private func check(_ result: SentimentScore) {
        #expect(result.compound.isFinite)
        #expect(result.compound >= -1 && result.compound <= 1)
    }

    @Test func emptyAndBlankText() {
        for text in ["", " ", "\t", "\r"] {
            let result = Fixture.analyzer.score(text, language: nil)
            check(result)
            #expect(result.label == .neu)
        }
    }

    @Test func aOneMegabyteLine() {
        let text = String(repeating: "muy bueno pero malo 😡 jajaja #MalServicio ", count: 25_000)
        #expect(text.utf8.count > 1_000_000)
        check(Fixture.analyzer.score(text, language: .es))
        check(Fixture.analyzer.score(text, language: nil, explain: true))
        check(Fixture.analyzer.score(String(repeating: "a", count: 1_000_000), language: .es))
        check(Fixture.analyzer.score(String(repeating: "!", count: 1_000_000), language: .es))
    }

    @Test func invalidAndOddUnicode() {
        var scorer = Fixture.analyzer.makeScorer()
        let samples: [[UInt8]] = [
            [0xFF, 0xFE, 0xFD], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80],
            [0x62, 0x75, 0x65, 0x6E, 0x6F, 0xC3, 0x28, 0x21], Array("\u{200D}\u{FE0F}\u{1F3FD}\u{301}".utf8),
            Array("e\u{301}\u{301}\u{301}".utf8), Array("\u{202E}bueno\u{202C}".utf8), Array("\u{0}\u{1}\u{7F}".utf8),
        ]
        for sample in samples {
            sample.withUnsafeBufferPointer { buffer in
                for language in [Language.es, .it, .en, .und] {
                    check(scorer.score(utf8: buffer, language: language, explain: true))
                }
            }
        }
    }

    @Test func onlyEmoji() {
        check(score("😍😍😍😍😍😍😍😍😍😍😍😍😍😍😍😍"))
        #expect(score("😍😍😍😍😍😍😍😍😍😍😍😍😍😍😍😍").label == .pos)
        check(score("🇪🇸🇮🇹👨‍👩‍👧‍👦🏳️‍🌈1️⃣"))
    }

    @Test func controlCharacters() {
        let result = score("bueno\u{1B}[31m\u{0}\u{7}malo\u{8}")
        check(result)
    }

    @Test func aTargetOutsideTheText() {
        check(Fixture.analyzer.score("bueno", target: 100..<200, language: .es))
        check(Fixture.analyzer.score("", target: 0..<0, language: .es))
    }
}
