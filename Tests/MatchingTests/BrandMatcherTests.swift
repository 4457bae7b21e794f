import Matching
import TextAnalysis
import Testing

/// The names of the brands `query` finds in the entry.
func brands(
    _ query: String, title: String? = nil, text: String, link: String? = nil, language: Language? = nil,
    languages: Set<Language>? = nil
) throws -> [String] {
    let matcher = try BrandMatcher(brands: [BrandDefinition(name: "B", query: query, languages: languages)])
    return matcher.mentions(in: MatchableEntry(title: title, text: text, link: link, language: language)).map(\.brand)
}

/// Whether `query` matches the text.
func matches(_ query: String, _ text: String, title: String? = nil, link: String? = nil, language: Language? = nil) throws -> Bool {
    try !brands(query, title: title, text: text, link: link, language: language).isEmpty
}

/// The one mention `query` finds in the entry.
func mention(_ query: String, title: String? = nil, text: String) throws -> BrandMention? {
    let matcher = try BrandMatcher(brands: [BrandDefinition(name: "B", query: query)])
    return matcher.mentions(in: MatchableEntry(title: title, text: text)).first
}

/// The UTF-8 bytes of `text` in `range`, as a string.
func slice(_ text: String, _ range: Range<Int>) -> String {
    String(decoding: Array(text.utf8)[range], as: UTF8.self)
}

@Suite struct WordMatchingTests {
    @Test func wordsMatchOnWordBoundaries() throws {
        #expect(try matches("Iberia", "Volé con Iberia ayer."))
        #expect(try !matches("Iberia", "Un vuelo iberian style"))
        #expect(try !matches("Iberia", "Iberiaexpress llegó tarde"))
        #expect(try !matches("Iberia", "Siberia es fría"))
    }

    @Test func caseAndAccentsAreIgnoredByDefault() throws {
        #expect(try matches("pésimo", "Servicio PESIMO"))
        #expect(try matches("pesimo", "Servicio Pésimo"))
        #expect(try matches("Perché", "perche no?"))
        #expect(try matches("IBERIA", "iberia"))
    }

    @Test func decomposedAccentsInTheTextMatch() throws {
        #expect(try matches("pésimo", "servicio pe\u{301}simo"))
    }

    @Test func bracesMatchCaseAndAccentsExactly() throws {
        #expect(try matches("{Apple}", "I love Apple products"))
        #expect(try !matches("{Apple}", "an apple a day"))
        #expect(try !matches("{Apple}", "APPLE STORE"))
        #expect(try matches("{Café}", "El Café de Oriente"))
        #expect(try !matches("{Café}", "El Cafe de Oriente"))
        #expect(try matches("{\"Banco Solar\"}", "Abrí cuenta en Banco Solar hoy"))
        #expect(try !matches("{\"Banco Solar\"}", "el banco solar del pueblo"))
        #expect(try matches("{Café}", "El Cafe\u{301} de Oriente"))
    }

    @Test func exactAndFoldedTermsOfTheSameWordCoexist() throws {
        let matcher = try BrandMatcher(brands: [
            BrandDefinition(name: "Exact", query: "{Apple}"),
            BrandDefinition(name: "Any", query: "apple"),
        ])
        #expect(matcher.mentions(in: MatchableEntry(text: "Apple")).map(\.brand) == ["Exact", "Any"])
        #expect(matcher.mentions(in: MatchableEntry(text: "apple")).map(\.brand) == ["Any"])
    }

    @Test func possessiveAndElisionsMatchTheWord() throws {
        #expect(try matches("Iberia", "Iberia's new route"))
        #expect(try matches("assistenza", "Pessima dell'assistenza"))
        #expect(try matches("dell'assistenza", "Pessima dell’assistenza"))
        #expect(try matches("don't", "I don't like it"))
    }

    @Test func elongatedWordsMatch() throws {
        #expect(try matches("iberia", "IBERIAAAA!!!"))
        #expect(try matches("zzz", "zzz"))
    }

    @Test func numbersAreWords() throws {
        #expect(try matches("\"iPhone 15\"", "mi iPhone 15 no carga"))
        #expect(try !matches("15", "mi iPhone 150"))
    }

    @Test func linksInTheTextAreNotSearched() throws {
        #expect(try !matches("iberia", "mira https://www.iberia.com/vuelos"))
    }
}

@Suite struct PhraseMatchingTests {
    @Test func phrasesMatchConsecutiveWords() throws {
        #expect(try matches("\"Banco Solar\"", "Abrí cuenta en banco solar hoy"))
        #expect(try !matches("\"Banco Solar\"", "el banco de energía solar"))
        #expect(try !matches("\"Banco Solar\"", "solar banco"))
    }

    @Test func punctuationBetweenPhraseWordsIsIgnored() throws {
        #expect(try matches("\"Banco Solar\"", "Banco - Solar"))
        #expect(try matches("\"Banco Solar\"", "el banco. Solar es otra cosa"))
        #expect(try matches("\"Banco Solar\"", "banco 🔥 solar"))
    }

    @Test func phrasesDoNotCrossFromTitleToText() throws {
        #expect(try !matches("\"Banco Solar\"", "solar hoy", title: "Banco"))
        #expect(try matches("\"Banco Solar\"", "nada", title: "Banco Solar"))
    }

    @Test func phraseRangeCoversFirstToLastWord() throws {
        let text = "Abrí cuenta en Banco, Solar hoy"
        let found = try #require(try mention("\"banco solar\"", text: text))
        #expect(found.terms.count == 1)
        #expect(slice(text, found.terms[0].range) == "Banco, Solar")
    }

    @Test func repeatedWordsInAPhrase() throws {
        #expect(try matches("\"muy muy mal\"", "fue muy muy muy mal"))
        #expect(try !matches("\"muy muy mal\"", "fue muy mal"))
    }
}

@Suite struct WildcardMatchingTests {
    @Test func wildcardMatchesWordsStartingWithTheStem() throws {
        #expect(try matches("refund*", "They refunded me"))
        #expect(try matches("refund*", "REFUND please"))
        #expect(try !matches("refund*", "nonrefundable ticket"))
        #expect(try matches("reembols*", "Quiero un reembolsó"))
        #expect(try matches("reémbols*", "Quiero un reembolso"))
    }

    @Test func overlappingStemsAllMatch() throws {
        let matcher = try BrandMatcher(brands: [
            BrandDefinition(name: "Short", query: "re*"),
            BrandDefinition(name: "Long", query: "refund*"),
            BrandDefinition(name: "Word", query: "refunds"),
        ])
        #expect(matcher.mentions(in: MatchableEntry(text: "refunds")).map(\.brand) == ["Short", "Long", "Word"])
        #expect(matcher.mentions(in: MatchableEntry(text: "red")).map(\.brand) == ["Short"])
    }

    @Test func caseSensitiveWildcard() throws {
        #expect(try matches("{Refund*}", "Refunds"))
        #expect(try !matches("{Refund*}", "refunds"))
    }

    @Test func wildcardMatchesHashtagsThatAreOneWord() throws {
        #expect(try matches("refund*", "#Refunds now"))
    }
}

@Suite struct BooleanMatchingTests {
    @Test func andNeedsEveryOperand() throws {
        #expect(try matches("vuelo retraso", "el vuelo sufrió un retraso"))
        #expect(try !matches("vuelo retraso", "el vuelo llegó"))
    }

    @Test func orNeedsOne() throws {
        #expect(try matches("vuelo OR tren", "el tren llegó"))
        #expect(try !matches("vuelo OR tren", "el bus llegó"))
    }

    @Test func binaryNotExcludesEverythingAfterIt() throws {
        let query = "\"Iberia\" OR #iberia OR @iberia NOT \"península ibérica\""
        #expect(try matches(query, "Iberia perdió mi maleta"))
        #expect(try !matches(query, "Iberia, en la península ibérica"))
        #expect(try !matches(query, "#iberia y la península ibérica"))
        #expect(try matches("A OR B NOT C", "b only"))
        #expect(try !matches("A OR B NOT C", "b and c"))
    }

    @Test func unaryExclusions() throws {
        #expect(try matches("iberia -spam", "iberia"))
        #expect(try !matches("iberia -spam", "iberia spam"))
        #expect(try !matches("iberia -\"oferta flash\"", "iberia oferta flash"))
        #expect(try matches("iberia -\"oferta flash\"", "iberia oferta, no flash... wait: flash oferta"))
        #expect(try !matches("iberia AND NOT (spam OR promo)", "iberia promo"))
    }

    @Test func excludedTermsAreNotListed() throws {
        let found = try #require(try mention("iberia OR vueling -promo", text: "iberia"))
        #expect(found.terms.map(\.term) == ["iberia"])
    }

    @Test func queryThatOnlyExcludesIsRefused() {
        #expect(throws: BrandMatcherError.self) {
            try BrandMatcher(brands: [BrandDefinition(name: "X", query: "-spam")])
        }
        #expect(throws: BrandMatcherError.self) {
            try BrandMatcher(brands: [BrandDefinition(name: "X", query: "NOT (a OR b)")])
        }
    }

    @Test func refusedBrandIsNamed() {
        do {
            _ = try BrandMatcher(brands: [
                BrandDefinition(name: "Ok", query: "a"),
                BrandDefinition(name: "Broken", query: "-spam"),
            ])
            Issue.record("expected an error")
        } catch let error as BrandMatcherError {
            #expect(error.brand == "Broken")
            #expect(error.description.contains("only excludes"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite struct NearMatchingTests {
    @Test func nearMatchesInEitherOrder() throws {
        #expect(try matches("delivery NEAR/3 late", "the delivery was very late"))
        #expect(try matches("delivery NEAR/3 late", "late again, this delivery"))
    }

    @Test func distanceCountsTheWordsBetween() throws {
        #expect(try matches("delivery NEAR/3 late", "delivery a b c late"))
        #expect(try !matches("delivery NEAR/3 late", "delivery a b c d late"))
        #expect(try matches("delivery NEAR/1 late", "delivery late"))
        #expect(try matches("delivery NEAR/1 late", "delivery, very late"))
        #expect(try !matches("delivery NEAR/1 late", "delivery was very late"))
    }

    @Test func punctuationAndEmojiDoNotCount() throws {
        #expect(try matches("delivery NEAR/1 late", "delivery!!! 😡 ... so late"))
    }

    @Test func nearNeedsTwoPlaces() throws {
        #expect(try !matches("late NEAR/2 late", "late"))
        #expect(try matches("late NEAR/2 late", "late and late"))
        #expect(try !matches("\"very late\" NEAR/2 late", "very late"))
    }

    @Test func nearWithPhrasesAndGroups() throws {
        #expect(try matches("\"Banco Solar\" NEAR/2 (app OR web*)", "la app de Banco Solar"))
        #expect(try matches("\"Banco Solar\" NEAR/2 (app OR web*)", "Banco Solar y su website"))
        #expect(try !matches("\"Banco Solar\" NEAR/2 (app OR web*)", "Banco Solar tiene una buena y nueva app"))
    }

    @Test func nestedNear() throws {
        #expect(try matches("(a NEAR/1 b) NEAR/1 c", "a b c"))
        #expect(try !matches("(a NEAR/1 b) NEAR/1 c", "a b x y c"))
        let found = try #require(try mention("(a NEAR/1 b) NEAR/1 c", text: "a b c"))
        #expect(found.terms.map(\.term) == ["a", "b", "c"])
    }

    @Test func nearStaysWithinOneField() throws {
        #expect(try !matches("delivery NEAR/3 late", "late", title: "delivery"))
        #expect(try matches("title:(delivery NEAR/3 late)", "x", title: "delivery late"))
        #expect(try !matches("title:(delivery NEAR/3 late)", "delivery late", title: "x"))
    }

    @Test func nearListsOnlyTheWordsThatAreNear() throws {
        let text = "late at the very first. delivery was fine, then one more week and the delivery was late"
        let found = try #require(try mention("delivery NEAR/2 late", text: text))
        #expect(found.terms.count == 2)
        #expect(found.terms.map { slice(text, $0.range) } == ["delivery", "late"])
        #expect(found.terms[0].range.lowerBound > 40)
    }
}

@Suite struct HashtagAndHandleTests {
    @Test func hashtagTermMatchesOnlyThatHashtag() throws {
        #expect(try matches("#iberia", "Gracias #Iberia"))
        #expect(try !matches("#iberia", "Gracias Iberia"))
        #expect(try !matches("#iberia", "#IberiaExpress"))
        #expect(try !matches("#iberia", "@iberia"))
    }

    @Test func bareWordMatchesAHashtagThatIsThatWord() throws {
        #expect(try matches("iberia", "Gracias #Iberia"))
        #expect(try matches("iberiaexpress", "#IberiaExpress"))
    }

    @Test func bareWordsMatchTheWordsOfACamelCaseHashtag() throws {
        #expect(try matches("servicio", "#MalServicio otra vez"))
        #expect(try matches("\"mal servicio\"", "#MalServicio otra vez"))
        #expect(try matches("\"mal servicio otra\"", "#MalServicio otra vez"))
        #expect(try matches("\"pésimo mal servicio\"", "Pésimo #MalServicio"))
    }

    @Test func handleTermMatchesOnlyThatHandle() throws {
        #expect(try matches("@iberia", "hola @Iberia"))
        #expect(try !matches("@iberia", "hola Iberia"))
        #expect(try !matches("@iberia", "hola @iberia_es"))
        #expect(try !matches("@iberia", "hola #iberia"))
    }

    @Test func bareWordMatchesAHandleThatIsThatWord() throws {
        #expect(try matches("iberia", "hola @Iberia"))
        #expect(try !matches("iberia", "hola @iberia_es"))
    }

    @Test func hashtagRangeCoversTheWholeTag() throws {
        let text = "Gracias #Iberia!"
        let found = try #require(try mention("#iberia", text: text))
        #expect(slice(text, found.terms[0].range) == "#Iberia")
        let bare = try #require(try mention("iberia", text: text))
        #expect(slice(text, bare.terms[0].range) == "Iberia")
    }

    @Test func caseSensitiveHashtag() throws {
        #expect(try matches("{#Iberia}", "#Iberia"))
        #expect(try !matches("{#Iberia}", "#iberia"))
    }
}

@Suite struct FieldMatchingTests {
    @Test func titleMatchesOnlyTheTitle() throws {
        #expect(try matches("title:vuelo", "nada", title: "Mi vuelo"))
        #expect(try !matches("title:vuelo", "mi vuelo", title: "Nada"))
        #expect(try !matches("title:vuelo", "mi vuelo"))
        #expect(try matches("title:(vuelo OR tren) retraso", "con retraso", title: "El tren"))
    }

    @Test func untargetedTermsMatchTitleOrText() throws {
        #expect(try matches("vuelo", "nada", title: "Mi vuelo"))
        #expect(try matches("vuelo", "mi vuelo", title: "Nada"))
    }

    @Test func siteMatchesTheLinkHostAndItsSubdomains() throws {
        #expect(try matches("site:example.org", "x", link: "https://example.org/a"))
        #expect(try matches("site:example.org", "x", link: "https://forum.Example.org:8080/a?b#c"))
        #expect(try matches("site:example.org", "x", link: "http://user:pw@www.example.org./"))
        #expect(try !matches("site:example.org", "x", link: "https://notexample.org/a"))
        #expect(try !matches("site:example.org", "x", link: "https://example.org.evil.com/a"))
        #expect(try !matches("site:example.org", "x", link: "/relative/example.org"))
        #expect(try !matches("site:example.org", "x"))
        #expect(try matches("iberia site:(a.com OR b.com)", "iberia", link: "https://x.b.com/"))
        #expect(try !matches("iberia -site:a.com", "iberia", link: "https://a.com/"))
    }

    @Test func langMatchesTheEntryLanguage() throws {
        #expect(try matches("iberia lang:es", "iberia", language: .es))
        #expect(try !matches("iberia lang:es", "iberia", language: .en))
        #expect(try !matches("iberia lang:es", "iberia"))
        #expect(try matches("iberia lang:und", "iberia", language: .und))
    }

    @Test func brandOnSiteAloneMatchesEveryEntryOfTheSite() throws {
        #expect(try matches("site:example.org", "", link: "https://example.org/"))
        #expect(try matches("lang:es -spam", "hola", language: .es))
        #expect(try !matches("lang:es -spam", "hola spam", language: .es))
        let found = try #require(try BrandMatcher(brands: [BrandDefinition(name: "S", query: "site:example.org")])
            .mentions(in: MatchableEntry(text: "x", link: "https://example.org/")).first)
        #expect(found.terms.isEmpty)
        #expect(found.primaryTerm == nil)
    }
}

@Suite struct BrandSetTests {
    let matcher: BrandMatcher

    init() throws {
        matcher = try BrandMatcher(brands: [
            BrandDefinition(name: "Iberia", query: "\"Iberia\" OR #iberia OR @iberia NOT \"península ibérica\"", languages: [.es, .en]),
            BrandDefinition(name: "Iberia Express", query: "\"Iberia Express\" OR #iberiaexpress"),
            BrandDefinition(name: "Vueling", query: "vueling OR @vueling"),
            BrandDefinition(name: "Refunds", query: "(refund* OR reembols*) title:(vuelo OR flight)"),
        ])
    }

    @Test func everyMentionedBrandIsFoundInBrandOrder() {
        let entry = MatchableEntry(
            title: "Mi vuelo", text: "Vueling y luego Iberia Express: pedí el reembolso", language: .es)
        let found = matcher.mentions(in: entry)
        #expect(found.map(\.brand) == ["Iberia", "Iberia Express", "Vueling", "Refunds"])
        #expect(found.map(\.brandIndex) == [0, 1, 2, 3])
    }

    @Test func brandLanguagesRestrictTheEntries() {
        #expect(matcher.mentions(in: MatchableEntry(text: "Iberia", language: .es)).map(\.brand) == ["Iberia"])
        #expect(matcher.mentions(in: MatchableEntry(text: "Iberia", language: .it)).isEmpty)
        #expect(matcher.mentions(in: MatchableEntry(text: "Iberia", language: nil)).isEmpty)
        #expect(matcher.mentions(in: MatchableEntry(text: "Iberia", language: .und)).isEmpty)
        #expect(matcher.mentions(in: MatchableEntry(text: "Vueling", language: .it)).map(\.brand) == ["Vueling"])
    }

    @Test func undListedInLanguagesAcceptsUnknownLanguages() throws {
        let matcher = try BrandMatcher(brands: [BrandDefinition(name: "I", query: "iberia", languages: [.es, .und])])
        #expect(matcher.mentions(in: MatchableEntry(text: "Iberia", language: nil)).count == 1)
        #expect(matcher.mentions(in: MatchableEntry(text: "Iberia", language: .und)).count == 1)
        #expect(matcher.mentions(in: MatchableEntry(text: "Iberia", language: .en)).isEmpty)
    }

    @Test func overlappingTermsOfDifferentBrandsBothMatch() {
        let found = matcher.mentions(in: MatchableEntry(text: "Volé con Iberia Express", language: .es))
        #expect(found.map(\.brand) == ["Iberia", "Iberia Express"])
        // "Volé con " is 10 bytes.
        #expect(found[0].terms[0].range == 10..<16)
        #expect(found[1].terms[0].range == 10..<24)
    }

    @Test func scannerForgetsThePreviousEntry() {
        var scanner = matcher.makeScanner()
        #expect(scanner.mentions(in: MatchableEntry(text: "Vueling", language: .es)).count == 1)
        #expect(scanner.mentions(in: MatchableEntry(text: "nada", language: .es)).isEmpty)
        var result: [BrandMention] = []
        scanner.mentions(in: MatchableEntry(text: "Iberia y Vueling", language: .en), into: &result)
        #expect(result.map(\.brand) == ["Iberia", "Vueling"])
        scanner.mentions(in: MatchableEntry(text: "", language: .en), into: &result)
        #expect(result.isEmpty)
    }

    @Test func scannersInParallelAgree() async {
        let matcher = self.matcher
        let texts = (0..<200).map { "entrada \($0): " + ($0 % 3 == 0 ? "Vueling e Iberia" : "nada que ver") }
        let counts = await withTaskGroup(of: Int.self) { group in
            for part in 0..<4 {
                group.addTask {
                    var scanner = matcher.makeScanner()
                    var count = 0
                    for text in texts[(part * 50)..<(part * 50 + 50)] {
                        count += scanner.mentions(in: MatchableEntry(text: text, language: .es)).count
                    }
                    return count
                }
            }
            var total = 0
            for await count in group { total += count }
            return total
        }
        #expect(counts == 67 * 2)
    }

    @Test func manyBrandsShareWords() throws {
        let brands = try (0..<300).map { index in
            try BrandDefinition(name: "B\(index)", query: "\"marca \(index)\" OR (comun AND palabra\(index % 7))")
        }
        let matcher = try BrandMatcher(brands: brands)
        let found = matcher.mentions(in: MatchableEntry(text: "la marca 42 y la marca 299; comun palabra3"))
        let expected = Set(["B42", "B299"] + (0..<300).filter { $0 % 7 == 3 }.map { "B\($0)" })
        #expect(Set(found.map(\.brand)) == expected)
        #expect(found.map(\.brandIndex) == found.map(\.brandIndex).sorted())
    }
}

@Suite struct MatchedTermTests {
    @Test func termsAreListedInReadingOrderWithTheirField() throws {
        let title = "Iberia: retraso"
        let text = "Otra vez Iberia. Y el retraso de Iberia"
        let found = try #require(try mention("iberia OR retraso", title: title, text: text))
        #expect(found.terms.map(\.field) == [.title, .title, .text, .text, .text])
        #expect(found.terms.map(\.term) == ["iberia", "retraso", "iberia", "retraso", "iberia"])
        #expect(found.terms.filter { $0.field == .text }.map { slice(text, $0.range) } == ["Iberia", "retraso", "Iberia"])
        #expect(found.primaryTerm?.field == .title)
        #expect(found.matchCount == 5)
    }

    @Test func sameRangeIsListedOnce() throws {
        let found = try #require(try mention("iberia OR {Iberia} OR iber*", text: "Iberia"))
        #expect(found.terms.count == 1)
        #expect(found.terms[0].term == "iberia")
        #expect(found.matchCount == 1)
    }

    @Test func overlappingTermsOfOneBrandAreBothListed() throws {
        let found = try #require(try mention("iberia OR \"iberia express\"", text: "Iberia Express"))
        #expect(found.terms.map(\.range) == [0..<6, 0..<14])
    }

    @Test func rangesSurviveEmojiAndAccents() throws {
        let text = "🔥🇪🇸 Pésimo, ÑANDÚ airlines: «Iberia» https://iberia.com/x 👎"
        let found = try #require(try mention("iberia OR ñandu", text: text))
        #expect(found.terms.map { slice(text, $0.range) } == ["ÑANDÚ", "Iberia"])
    }

    @Test func rangeInJoinedTextFollowsTheTitleAndANewline() throws {
        let title = "Año nuevo"
        let text = "con Iberia"
        let found = try #require(try mention("iberia OR año", title: title, text: text))
        let joined = title + "\n" + text
        #expect(found.terms.map { slice(joined, $0.rangeInJoinedText(titleUTF8Count: title.utf8.count)) } == ["Año", "Iberia"])
        #expect(found.terms[1].rangeInJoinedText(titleUTF8Count: nil) == found.terms[1].range)
    }

    @Test func emptyEntriesMatchNothing() throws {
        #expect(try !matches("iberia", ""))
        #expect(try !matches("iberia", "", title: ""))
        #expect(try !matches("iberia", "   \n\t "))
    }

    @Test func oneMegabyteText() throws {
        let filler = String(repeating: "palabra otra cosa, ", count: 55_000)
        let text = filler + "Iberia al final"
        #expect(text.utf8.count > 1_000_000)
        let found = try #require(try mention("iberia NEAR/1 final", text: text))
        #expect(found.terms.map { slice(text, $0.range) } == ["Iberia", "final"])
        #expect(try !matches("iberia NEAR/1 palabra", text))
    }

    @Test func manyOccurrencesAreCountedButTheListIsCut() throws {
        let text = String(repeating: "Iberia y Vueling. ", count: 20_000)
        let found = try #require(try mention("iberia OR vueling", text: text))
        #expect(found.matchCount == 40_000)
        #expect(found.terms.count == BrandMatcher.maximumTermsPerMention)
        let near = try #require(try mention("iberia NEAR/1000 vueling", text: text))
        #expect(!near.terms.isEmpty)
    }

    @Test func invalidUTF8AndControlCharactersAreHarmless() throws {
        let bytes: [UInt8] = [0xFF, 0x49, 0x62, 0x65, 0x72, 0x69, 0x61, 0x00, 0xC3, 0x20, 0x07]
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(try matches("iberia", text))
    }

    @Test func handBuiltQueriesAreNormalised() throws {
        let query = BrandQuery.or([
            .term(QueryTerm(kind: .word, text: "Iberia", words: ["Iberia"])),
            .term(QueryTerm(kind: .phrase, text: "Banco Sólar", words: ["Banco", "Sólar"])),
        ])
        let matcher = try BrandMatcher(brands: [BrandDefinition(name: "X", query: query)])
        #expect(matcher.mentions(in: MatchableEntry(text: "IBERIA")).count == 1)
        #expect(matcher.mentions(in: MatchableEntry(text: "banco solar")).count == 1)
        #expect(matcher.mentions(in: MatchableEntry(text: "Banco Sólar")).first?.terms.first?.term == "Banco Sólar")
    }

    @Test func handBuiltOneLetterStemMatchesWithoutTrapping() throws {
        let query = BrandQuery.term(QueryTerm(kind: .prefix, text: "a*", words: ["a"]))
        let matcher = try BrandMatcher(brands: [BrandDefinition(name: "A", query: query)])
        #expect(matcher.mentions(in: MatchableEntry(text: "b a")).count == 1)
        #expect(matcher.mentions(in: MatchableEntry(text: "x y ñ 1 amigo")).first?.terms.count == 1)
        #expect(matcher.mentions(in: MatchableEntry(text: "x y")).isEmpty)
    }

    @Test func handBuiltQueriesWithoutWordsAreRefused() {
        let empty = BrandQuery.term(QueryTerm(kind: .word, text: "", words: []))
        #expect(throws: BrandMatcherError.self) { try BrandMatcher(brands: [BrandDefinition(name: "E", query: empty)]) }
        #expect(throws: BrandMatcherError.self) { try BrandMatcher(brands: [BrandDefinition(name: "E", query: .or([]))]) }
        let badLanguage = BrandQuery.field(.lang, .term(QueryTerm(kind: .word, text: "fr", words: ["fr"])))
        #expect(throws: BrandMatcherError.self) { try BrandMatcher(brands: [BrandDefinition(name: "E", query: badLanguage)]) }
        let nearOverAnd = BrandQuery.near(.and([.term(QueryTerm(kind: .word, text: "a", words: ["a"]))]), .term(QueryTerm(kind: .word, text: "b", words: ["b"])), distance: 2)
        #expect(throws: BrandMatcherError.self) { try BrandMatcher(brands: [BrandDefinition(name: "E", query: nearOverAnd)]) }
        #expect(throws: BrandMatcherError.self) {
            try BrandMatcher(brands: [BrandDefinition(name: "E", query: "a", languages: [])])
        }
    }

    @Test func noBrandsMatchNothing() throws {
        let matcher = try BrandMatcher(brands: [])
        #expect(matcher.mentions(in: MatchableEntry(title: "Iberia", text: "Iberia")).isEmpty)
    }

    @Test func entryFromAFeedEntryUsesContentThenSummary() {
        let withContent = MatchableEntry(
            .init(title: "T", link: "https://a.org/", summaryText: "summary", contentText: "content"), language: .en)
        #expect(withContent.text == "content")
        #expect(withContent.title == "T")
        #expect(withContent.link == "https://a.org/")
        #expect(withContent.language == .en)
        #expect(MatchableEntry(.init(summaryText: "summary"), language: nil).text == "summary")
        #expect(MatchableEntry(.init(), language: nil).text == "")
    }
}
