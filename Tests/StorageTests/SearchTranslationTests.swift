import Matching
import Testing

@testable import Storage

@Suite struct SearchTranslationTests {
    func fts(_ query: BrandQuery) throws -> String? { try SearchTranslation(query).ftsQuery }
    func conditions(_ query: BrandQuery) throws -> [String] { try SearchTranslation(query).conditions.map(\.description) }

    @Test func wordsArePhrasesOfOneToken() throws {
        #expect(try fts(word("Refund")) == "\"refund\"")
    }

    @Test func exactPhrase() throws {
        #expect(try fts(phrase("late delivery")) == "\"late delivery\"")
    }

    @Test func prefixWildcard() throws {
        #expect(try fts(prefix("refund")) == "\"refund\"*")
    }

    @Test func hashtagsAndHandlesSearchTheirWord() throws {
        #expect(try fts(hashtag("iberia")) == "\"iberia\"")
        #expect(try fts(handle("iberia_es")) == "\"iberia_es\"")
    }

    @Test func quotesInsideWordsAreEscaped() throws {
        let term = BrandQuery.term(QueryTerm(kind: .word, text: "a\"b", words: ["a\"b"]))
        #expect(try fts(term) == "\"a\"\"b\"")
    }

    @Test func andOrNot() throws {
        #expect(try fts(.and([word("a"), word("b")])) == "\"a\" AND \"b\"")
        #expect(try fts(.or([word("a"), word("b")])) == "\"a\" OR \"b\"")
        #expect(try fts(.andNot(word("a"), word("b"))) == "\"a\" NOT \"b\"")
        #expect(try fts(.and([word("a"), .not(word("spam"))])) == "\"a\" NOT \"spam\"")
        #expect(try fts(.and([.or([word("a"), word("b")]), word("c")])) == "(\"a\" OR \"b\") AND \"c\"")
        #expect(try fts(.andNot(.or([word("a"), word("b")]), .or([word("c"), word("d")]))) == "(\"a\" OR \"b\") NOT (\"c\" OR \"d\")")
    }

    @Test func exclusionAloneBecomesACondition() throws {
        let translation = try SearchTranslation(.not(word("spam")))
        #expect(translation.ftsQuery == nil)
        #expect(translation.conditions.map(\.description)
            == ["NOT (e.id IN (SELECT rowid FROM entry_fts WHERE entry_fts MATCH '{title text} : (\"spam\")'))"])
    }

    @Test func near() throws {
        #expect(try fts(.near(word("delivery"), word("late"), distance: 3)) == "NEAR(\"delivery\" \"late\", 3)")
        #expect(try fts(.near(phrase("customer service"), prefix("refund"), distance: 5))
            == "NEAR(\"customer service\" \"refund\"*, 5)")
    }

    @Test func nearExpandsAlternatives() throws {
        #expect(try fts(.near(.or([word("late"), word("delayed")]), word("delivery"), distance: 2))
            == "NEAR(\"late\" \"delivery\", 2) OR NEAR(\"delayed\" \"delivery\", 2)")
    }

    @Test func nearOfComplexSidesRequiresBothSidesAndProximity() throws {
        let query = BrandQuery.near(.and([word("a"), word("b")]), word("c"), distance: 4)
        #expect(try fts(query) == "\"a\" AND \"b\" AND \"c\" AND (NEAR(\"a\" \"c\", 4) OR NEAR(\"b\" \"c\", 4))")
    }

    @Test func nearWithoutWordsOnASideIsRejected() {
        #expect(throws: StorageError.self) { try SearchTranslation(.near(word("a"), lang("es"), distance: 2)) }
    }

    @Test func titleFieldFiltersEveryPhrase() throws {
        #expect(try fts(.field(.title, word("vuelo"))) == "title : \"vuelo\"")
        #expect(try fts(.field(.title, .or([word("a"), word("b")]))) == "title : \"a\" OR title : \"b\"")
        #expect(try fts(.field(.title, .near(word("a"), word("b"), distance: 1))) == "title : NEAR(\"a\" \"b\", 1)")
    }

    @Test func siteBecomesAHostRange() throws {
        let translation = try SearchTranslation(.and([word("refund"), site("Example.org")]))
        #expect(translation.ftsQuery == "\"refund\"")
        #expect(translation.conditions.map(\.description)
            == ["(e.host_key = 'org.example' OR (e.host_key >= 'org.example.' AND e.host_key < 'org.example/'))"])
    }

    @Test func siteAcceptsAWholeURL() throws {
        #expect(try conditions(site("https://www.example.org/path")).first?.contains("'org.example.www'") == true)
    }

    @Test func langBecomesALanguageCondition() throws {
        // Beside a full-text match, an analysed language is decided by the index alone.
        #expect(try conditions(.and([word("vuelo"), lang("ES")])) == [])
        #expect(try SearchTranslation(.and([word("vuelo"), lang("ES")])).prefilters == ["lang : \"es\""])
        #expect(try conditions(lang("ES")) == ["e.language = 'es'"])
        #expect(try conditions(.and([word("vuelo"), lang("und")])) == ["e.language = 'und'"])
        #expect(try conditions(.field(.lang, .or([word("es"), word("it")]))) == ["(e.language = 'es' OR e.language = 'it')"])
        #expect(try conditions(.and([word("x"), .not(lang("en"))])) == ["NOT (e.language = 'en')"])
    }

    @Test func mixedDisjunctionsMoveTheFullTextPartIntoACondition() throws {
        let translation = try SearchTranslation(.or([lang("es"), word("refund")]))
        #expect(translation.ftsQuery == nil)
        #expect(translation.conditions.map(\.description)
            == ["(e.language = 'es' OR e.id IN (SELECT rowid FROM entry_fts WHERE entry_fts MATCH '{title text} : (\"refund\")'))"])
    }

    @Test func caseSensitiveTermsAreCheckedOnTheStoredText() throws {
        let translation = try SearchTranslation(word("Apple", exact: true))
        #expect(translation.ftsQuery == "\"Apple\"")
        #expect(translation.conditions.map(\.description) == ["(instr(e.title, 'Apple') > 0 OR instr(e.text, 'Apple') > 0)"])
    }

    @Test func termsWithoutWordsMatchNothing() throws {
        let empty = BrandQuery.term(QueryTerm(kind: .word, text: "!!", words: []))
        let translation = try SearchTranslation(empty)
        #expect(translation.ftsQuery == nil)
        #expect(translation.conditions.map(\.description) == ["0"])
    }

    @Test func fieldsInsideSiteAreRejected() {
        #expect(throws: StorageError.self) { try SearchTranslation(.field(.site, .field(.title, word("a")))) }
    }
}
