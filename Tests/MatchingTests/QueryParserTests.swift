import Matching
import Testing
import TestSupport

/// The query with every term's position set to 0 (to compare queries parsed from different text).
func withoutPositions(_ query: BrandQuery) -> BrandQuery {
    switch query {
    case .term(var term):
        term.position = 0
        return .term(term)
    case .and(let items): return .and(items.map(withoutPositions))
    case .or(let items): return .or(items.map(withoutPositions))
    case .andNot(let left, let right): return .andNot(withoutPositions(left), withoutPositions(right))
    case .not(let inner): return .not(withoutPositions(inner))
    case .near(let left, let right, let distance):
        return .near(withoutPositions(left), withoutPositions(right), distance: distance)
    case .field(let field, let inner): return .field(field, withoutPositions(inner))
    }
}

func parse(_ text: String) throws -> BrandQuery {
    withoutPositions(try BrandQuery(parsing: text))
}

func word(_ text: String, _ word: String? = nil) -> BrandQuery {
    .term(QueryTerm(kind: .word, text: text, words: [word ?? text]))
}

func phrase(_ text: String, _ words: [String], exact: Bool = false) -> BrandQuery {
    .term(QueryTerm(kind: .phrase, text: text, words: words, caseSensitive: exact))
}

/// The error `text` gives (fails the test when it parses).
func parseError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> QueryParseError? {
    do {
        let query = try QueryParser().parse(text)
        Issue.record("expected an error, parsed \(query)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

@Suite struct QueryParserTermTests {
    @Test func bareWordIsCaseAndAccentFolded() throws {
        #expect(try parse("Iberia") == word("Iberia", "iberia"))
        #expect(try parse("PÉSIMO") == word("PÉSIMO", "pesimo"))
        #expect(try parse("perché") == word("perché", "perche"))
    }

    @Test func decomposedAccentsFoldLikeComposedOnes() throws {
        #expect(try parse("pe\u{301}simo") == word("pe\u{301}simo", "pesimo"))
    }

    @Test func quotedPhraseKeepsWordOrder() throws {
        #expect(try parse("\"Banco Solar\"") == phrase("\"Banco Solar\"", ["banco", "solar"]))
        #expect(try parse("“Banco  Solar”") == phrase("“Banco  Solar”", ["banco", "solar"]))
    }

    @Test func phrasePunctuationIsIgnored() throws {
        #expect(try parse("\"muy, muy mal\"") == phrase("\"muy, muy mal\"", ["muy", "muy", "mal"]))
    }

    @Test func wordTheTokenizerSplitsBecomesAPhrase() throws {
        #expect(try parse("e-commerce") == phrase("e-commerce", ["e", "commerce"]))
        #expect(try parse("dell'assistenza") == phrase("dell'assistenza", ["dell'", "assistenza"]))
        #expect(try parse("iPhone15") == word("iPhone15", "iphone15"))
    }

    @Test func englishCliticIsDropped() throws {
        #expect(try parse("Iberia's") == word("Iberia's", "iberia"))
    }

    @Test func trailingWildcardIsAPrefix() throws {
        #expect(try parse("refund*") == .term(QueryTerm(kind: .prefix, text: "refund*", words: ["refund"])))
        #expect(try parse("Reémb*") == .term(QueryTerm(kind: .prefix, text: "Reémb*", words: ["reemb"])))
    }

    @Test func hashtagAndHandleKeepTheirNameFolded() throws {
        #expect(try parse("#Iberia") == .term(QueryTerm(kind: .hashtag, text: "#Iberia", words: ["iberia"])))
        #expect(try parse("#MalServicio") == .term(QueryTerm(kind: .hashtag, text: "#MalServicio", words: ["malservicio"])))
        #expect(try parse("@Iberia_ES") == .term(QueryTerm(kind: .handle, text: "@Iberia_ES", words: ["iberia_es"])))
    }

    @Test func bracesMakeTermsCaseSensitive() throws {
        #expect(try parse("{Apple}") == .term(QueryTerm(kind: .word, text: "{Apple}", words: ["Apple"], caseSensitive: true)))
        #expect(try parse("{Café}") == .term(QueryTerm(kind: .word, text: "{Café}", words: ["Café"], caseSensitive: true)))
        #expect(try parse("{\"Banco Solar\"}") == phrase("{\"Banco Solar\"}", ["Banco", "Solar"], exact: true))
        #expect(try parse("{#Iberia}") == .term(QueryTerm(kind: .hashtag, text: "{#Iberia}", words: ["Iberia"], caseSensitive: true)))
        #expect(try parse("{Refund*}") == .term(QueryTerm(kind: .prefix, text: "{Refund*}", words: ["Refund"], caseSensitive: true)))
    }

    @Test func termsRecordTheirPosition() throws {
        let query = try BrandQuery(parsing: "\"a b\" OR  año")
        guard case .or(let items) = query, case .term(let first) = items[0], case .term(let second) = items[1] else {
            Issue.record("unexpected \(query)")
            return
        }
        #expect(first.position == 0)
        #expect(second.position == 10)
    }
}

@Suite struct QueryParserOperatorTests {
    @Test func adjacentTermsAreAnded() throws {
        #expect(try parse("a b") == .and([word("a"), word("b")]))
        #expect(try parse("a AND b") == .and([word("a"), word("b")]))
    }

    @Test func andBindsTighterThanOr() throws {
        #expect(try parse("a b OR c") == .or([.and([word("a"), word("b")]), word("c")]))
        #expect(try parse("a OR b AND c") == .or([word("a"), .and([word("b"), word("c")])]))
    }

    @Test func binaryNotHasTheLowestPrecedence() throws {
        #expect(try parse("A OR B NOT C") == .andNot(.or([word("A", "a"), word("B", "b")]), word("C", "c")))
        #expect(try parse("a NOT b OR c") == .andNot(word("a"), .or([word("b"), word("c")])))
        #expect(try parse("a NOT b NOT c") == .andNot(.andNot(word("a"), word("b")), word("c")))
    }

    @Test func unaryExclusions() throws {
        #expect(try parse("a -spam") == .and([word("a"), .not(word("spam"))]))
        #expect(try parse("a AND NOT b") == .and([word("a"), .not(word("b"))]))
        #expect(try parse("NOT b") == .not(word("b")))
        #expect(try parse("a (NOT b)") == .and([word("a"), .not(word("b"))]))
        #expect(try parse("a -\"x y\"") == .and([word("a"), .not(phrase("\"x y\"", ["x", "y"]))]))
        #expect(try parse("a -(b OR c)") == .and([word("a"), .not(.or([word("b"), word("c")]))]))
    }

    @Test func lowerCaseOperatorsAreWords() throws {
        #expect(try parse("a or b") == .and([word("a"), word("or"), word("b")]))
        #expect(try parse("not") == word("not"))
    }

    @Test func parenthesesGroup() throws {
        #expect(try parse("(a OR b) c") == .and([.or([word("a"), word("b")]), word("c")]))
        #expect(try parse("((a))") == word("a"))
    }

    @Test func nearBindsTighterThanAndAndChainsToTheLeft() throws {
        #expect(try parse("a NEAR/3 b") == .near(word("a"), word("b"), distance: 3))
        #expect(try parse("x a NEAR/2 b") == .and([word("x"), .near(word("a"), word("b"), distance: 2)]))
        #expect(try parse("a NEAR/2 b NEAR/5 c") == .near(.near(word("a"), word("b"), distance: 2), word("c"), distance: 5))
        #expect(try parse("\"a b\" NEAR/1 (c OR dd*)") == .near(
            phrase("\"a b\"", ["a", "b"]), .or([word("c"), .term(QueryTerm(kind: .prefix, text: "dd*", words: ["dd"]))]),
            distance: 1))
    }

    @Test func fieldsApplyToTheUnaryThatFollows() throws {
        #expect(try parse("title:vuelo") == .field(.title, word("vuelo")))
        #expect(try parse("title: vuelo retraso") == .and([.field(.title, word("vuelo")), word("retraso")]))
        #expect(try parse("title:(a OR b)") == .field(.title, .or([word("a"), word("b")])))
        #expect(try parse("-title:a") == .not(.field(.title, word("a"))))
        #expect(try parse("TITLE:a") == .field(.title, word("a")))
    }

    @Test func siteAndLangTakeValues() throws {
        #expect(try parse("site:Example.org") == .field(.site, word("Example.org", "example.org")))
        #expect(try parse("site:https://www.example.org/") == .field(.site, word("https://www.example.org/", "www.example.org")))
        #expect(try parse("site:(a.com OR b.it)") == .field(.site, .or([word("a.com"), word("b.it")])))
        #expect(try parse("lang:ES") == .field(.lang, word("ES", "es")))
        #expect(try parse("iberia lang:es") == .and([word("iberia"), .field(.lang, word("es"))]))
    }
}

@Suite struct QueryDescriptionTests {
    @Test(arguments: [
        "\"Iberia\" OR #iberia OR @iberia NOT \"península ibérica\"",
        "(refund* OR reembolso) AND title:vuelo -spam",
        "delivery NEAR/3 late site:example.org lang:es {Apple}",
        "A OR B NOT C",
        "a NOT (b NOT c)",
        "(a OR b) NEAR/2 (c NEAR/1 d)",
        "a (b OR c) -(d e)",
        "title:(a OR b) NOT site:(x.org OR y.org)",
        "{\"Banco Solar\"} OR {#Iberia}",
        "-a b",
    ])
    func descriptionParsesBackToTheSameQuery(_ text: String) throws {
        let query = try parse(text)
        #expect(try parse(query.description) == query, "\(text) → \(query.description)")
    }

    @Test func descriptionAddsOnlyTheParenthesesPrecedenceNeeds() throws {
        #expect(try BrandQuery(parsing: "a b OR c").description == "a AND b OR c")
        #expect(try BrandQuery(parsing: "(a OR b) c").description == "(a OR b) AND c")
        #expect(try BrandQuery(parsing: "a NOT (b NOT c)").description == "a NOT (b NOT c)")
        #expect(try BrandQuery(parsing: "Iberia NOT spam").description == "Iberia NOT spam")
    }
}

@Suite struct QueryParserErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var query: String
        var position: Int
        var message: String
        var testDescription: String { query }
    }

    @Test(arguments: [
        Case(query: "", position: 0, message: "empty"),
        Case(query: "   ", position: 0, message: "empty"),
        Case(query: "(a OR b", position: 0, message: "never closed"),
        Case(query: "a (b (c)", position: 2, message: "never closed"),
        Case(query: "a OR b)", position: 6, message: "no matching '('"),
        Case(query: "()", position: 0, message: "empty parentheses"),
        Case(query: "\"abc", position: 0, message: "quote is never closed"),
        Case(query: "a \"b c", position: 2, message: "quote is never closed"),
        Case(query: "a AND", position: 2, message: "AND needs a term after it"),
        Case(query: "a OR OR b", position: 5, message: "OR needs a term after it"),
        Case(query: "OR a", position: 0, message: "OR needs a term before it"),
        Case(query: "a NOT", position: 2, message: "NOT needs a term after it"),
        Case(query: "a AND )", position: 6, message: "AND needs a term after it"),
        Case(query: "a NEAR/0 b", position: 2, message: "NEAR distance"),
        Case(query: "a NEAR/x b", position: 2, message: "NEAR distance"),
        Case(query: "a NEAR/ b", position: 2, message: "NEAR distance"),
        Case(query: "a NEAR/1001 b", position: 2, message: "NEAR distance"),
        Case(query: "a NEAR b", position: 2, message: "NEAR needs a distance"),
        Case(query: "a NEAR/3", position: 2, message: "NEAR/3 needs a term after it"),
        Case(query: "(a -b) NEAR/3 c", position: 0, message: "NEAR/n joins"),
        Case(query: "a NEAR/3 lang:es", position: 9, message: "NEAR/n joins"),
        Case(query: "foo:bar", position: 0, message: "unknown field 'foo:'"),
        Case(query: "x AND body:bar", position: 6, message: "unknown field 'body:'"),
        Case(query: "title:", position: 6, message: "title: needs a value"),
        Case(query: "title:)", position: 6, message: "title: needs a value"),
        Case(query: "*", position: 0, message: "lone '*'"),
        Case(query: "a *", position: 2, message: "lone '*'"),
        Case(query: "r*", position: 0, message: "at least 2 letters"),
        Case(query: "é*", position: 0, message: "at least 2 letters"),
        Case(query: "re*und", position: 2, message: "only at the end"),
        Case(query: "#tag*", position: 0, message: "not on hashtags"),
        Case(query: "e-comm*", position: 0, message: "applies to one word"),
        Case(query: "\"refund* please\"", position: 0, message: "wildcards are not allowed inside a phrase"),
        Case(query: "{}", position: 0, message: "empty braces"),
        Case(query: "{a", position: 0, message: "'{' is never closed"),
        Case(query: "a}", position: 1, message: "'}' has no matching '{'"),
        Case(query: "{a b}", position: 0, message: "holds one word"),
        Case(query: "{a {b}}", position: 3, message: "cannot be nested"),
        Case(query: "-", position: 0, message: "'-' must be directly followed"),
        Case(query: "a - b", position: 2, message: "'-' must be directly followed"),
        Case(query: "lang:fr", position: 5, message: "unknown language 'fr'"),
        Case(query: "site:#x", position: 5, message: "host name"),
        Case(query: "site:example.org/path", position: 5, message: "host name"),
        Case(query: "site:https://example.org/path", position: 5, message: "not a path"),
        Case(query: "site:(a.org NEAR/2 b.org)", position: 12, message: "cannot be used inside site:"),
        Case(query: "site:title:x", position: 5, message: "cannot be used inside site:"),
        Case(query: "!!!", position: 0, message: "no letters or digits"),
        Case(query: "a 🔥", position: 2, message: "no letters or digits"),
        Case(query: "\"!!\"", position: 0, message: "no letters or digits"),
        Case(query: "https://iberia.com", position: 0, message: "links are not matched"),
        Case(query: "#", position: 0, message: "not a hashtag"),
        Case(query: "@", position: 0, message: "not a handle"),
        Case(query: "#a-b", position: 0, message: "not a hashtag"),
    ])
    func errorSaysWhatAndWhere(_ test: Case) {
        guard let error = parseError(test.query) else { return }
        #expect(error.position == test.position, "\(error.message)")
        #expect(error.message.contains(test.message), "\(error.message)")
        #expect(error.query == test.query)
    }

    @Test func descriptionPointsAtTheProblem() {
        guard let error = parseError("año OR OR b") else { return }
        // Character positions (not bytes) in the caret line: "año OR " is 7 characters.
        #expect(error.description == "OR needs a term after it, found OR at position 8\n  año OR OR b\n         ^")
    }

    @Test func tooManyTermsIsReportedAtTheFirstExtraTerm() {
        let query = (0..<1_001).map { "w\($0)" }.joined(separator: " ")
        guard let error = parseError(query) else { return }
        #expect(error.message.contains("too many terms"))
        let offset = (0..<1_000).map { "w\($0) " }.joined().utf8.count
        #expect(error.position == offset)
    }

    @Test func deepNestingIsRefused() {
        let query = String(repeating: "(", count: 100) + "a" + String(repeating: ")", count: 100)
        guard let error = parseError(query) else { return }
        #expect(error.message.contains("nested too deeply"))
        #expect(error.position == 64)
        let minus = String(repeating: "-", count: 10_000) + "a"
        #expect(parseError(minus)?.message.contains("nested too deeply") == true)
        let fields = String(repeating: "title:", count: 200) + "a"
        #expect(parseError(fields)?.message.contains("nested too deeply") == true)
    }

    @Test func sixtyFourLevelsAreAllowed() throws {
        let query = String(repeating: "(", count: 63) + "a" + String(repeating: ")", count: 63)
        #expect(try parse(query) == word("a"))
    }

    @Test func overlongQueryIsRefused() {
        let query = String(repeating: "a ", count: 40_000)
        #expect(parseError(query)?.message.contains("too long") == true)
    }

    @Test func limitsCanBeChanged() throws {
        var parser = QueryParser()
        parser.maximumTerms = 2
        #expect(throws: QueryParseError.self) { try parser.parse("a b c") }
        #expect(withoutPositions(try parser.parse("a b")) == .and([word("a"), word("b")]))
    }

    /// Random operator soup never traps: every input parses or fails with a position inside it.
    @Test func hostileInputNeverTraps() {
        let pieces = [
            "(", ")", "\"", "{", "}", "-", "*", "#", "@", ":", " ", "AND", "OR", "NOT", "NEAR/2", "NEAR/",
            "title:", "site:", "lang:", "a", "bc", "é", "🔥", "\u{0}", "\u{301}", "“", "”", "\\", "x.org", "es",
        ]
        var generator = SplitMix(seed: 7)
        for _ in 0..<3_000 {
            let count = Int(generator.next() % 12) + 1
            var text = ""
            for _ in 0..<count { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            do {
                let query = try QueryParser().parse(text)
                // What parses prints back to something that parses the same way.
                let again = try QueryParser().parse(query.description)
                #expect(withoutPositions(again) == withoutPositions(query), "\(text)")
            } catch {
                // Typed throws: `error` is a QueryParseError.
                #expect(error.position >= 0 && error.position <= text.utf8.count, "\(text)")
                #expect(!error.message.isEmpty)
            }
        }
    }
}
