import Foundation
import Matching
import Testing

@testable import Storage

/// The index's `lang` and `site` columns narrow searches; title/text queries never match them.
@Suite struct SearchIndexColumnsTests {
    @Test func requiredSiteAndLanguageTermsBecomePrefilters() throws {
        let translation = try SearchTranslation(try BrandQuery(parsing: "casa site:example.org lang:ES"))
        #expect(translation.prefilters == ["site : (\"orgǂexample\" OR \"orgǂexampleǂ\"*)", "lang : \"es\""])
        #expect(translation.matchExpression
            == "{title text} : (\"casa\") AND site : (\"orgǂexample\" OR \"orgǂexampleǂ\"*) AND lang : \"es\"")
        // The index decides an analysed language alone; the site still needs its host check.
        #expect(translation.conditions.map(\.description)
            == ["(e.host_key = 'org.example' OR (e.host_key >= 'org.example.' AND e.host_key < 'org.example/'))"])
    }

    @Test func optionalOrExcludedFieldTermsAreNotPrefilters() throws {
        #expect(try SearchTranslation(try BrandQuery(parsing: "casa OR site:example.org")).prefilters == [])
        #expect(try SearchTranslation(try BrandQuery(parsing: "casa -site:example.org")).prefilters == [])
        #expect(try SearchTranslation(try BrandQuery(parsing: "casa NOT lang:es")).prefilters == [])
    }

    @Test func prefiltersAloneDoNotMakeAFullTextSearch() throws {
        let translation = try SearchTranslation(try BrandQuery(parsing: "site:example.org"))
        #expect(translation.ftsQuery == nil)
        #expect(translation.matchExpression == nil)
    }

    @Test func languageOptionPrefilter() {
        #expect(SearchTranslation.languagePrefilter(["ES", "it"]) == "lang : (\"es\" OR \"it\")")
        #expect(SearchTranslation.languagePrefilter(["es", "zh-Hant"]) == "lang : (\"es\" OR \"zhǁhant\")")
        #expect(SearchTranslation.languagePrefilter(["es", "??"]) == nil)
        #expect(SearchTranslation.languagePrefilter([]) == nil)
    }

    @Test func wordsOfHostsAndLanguageCodesAreNotText() async throws {
        let corpus = try await SearchCorpus()
        // Every link is under example.*, two entries are Italian or English: none of it is text.
        #expect(try await corpus.search(word("example")) == [])
        #expect(try await corpus.search(word("org")) == [])
        #expect(try await corpus.search(word("it")) == [])
        #expect(try await corpus.search(.or([word("example"), lang("it")])) == ["pasta"])
    }

    @Test func siteWithTextWordsKeepsOnlyThatSite() async throws {
        let corpus = try await SearchCorpus()
        // notexample.org passes neither the prefilter nor the host condition; spam.example is
        // another site.
        #expect(try await corpus.search(try BrandQuery(parsing: "refund* site:example.org")) == ["delivery"])
        #expect(Set(try await corpus.search(try BrandQuery(parsing: "refund* site:org"))) == ["delivery", "refunds"])
    }

    @Test func languageOptionWithAQuery() async throws {
        let corpus = try await SearchCorpus()
        #expect(Set(try await corpus.search(word("refund")) { $0.languages = ["en"] }) == ["delivery", "spam"])
        #expect(try await corpus.search(word("refund")) { $0.languages = ["es"] } == [])
    }
}

/// Only analysed languages are decided by the index: the tokens of a declared `pt-br` or
/// `ca-es` must not pass for another language.
@Suite struct LanguagePrefilterExactnessTests {
    @Test func undKeepsItsCondition() throws {
        let translation = try SearchTranslation(try BrandQuery(parsing: "casa lang:und"))
        #expect(translation.conditions.map(\.description) == ["e.language = 'und'"])
    }

    @Test func declaredRegionalCodesDoNotPassForAnotherLanguage() async throws {
        let fixture = try await StoreFixture()
        _ = try await fixture.store.store(batch: [
            record(source: fixture.feed.id, id: "1", text: "la casa nova", language: "ca-es"),
            record(source: fixture.feed.id, id: "2", text: "a casa nova", language: "pt-br"),
            record(source: fixture.feed.id, id: "3", text: "la casa nueva", language: "es"),
        ])
        func texts(_ query: String, languages: [String] = []) async throws -> [String] {
            let hits = try await fixture.store.search(
                SearchRequest(query: try BrandQuery(parsing: query), languages: languages, limit: 10))
            return hits.map(\.plainSnippet).sorted()
        }
        #expect(try await texts("casa lang:es") == ["la casa nueva"])
        #expect(try await texts("casa", languages: ["es"]) == ["la casa nueva"])
        #expect(try await texts("casa", languages: ["pt-br"]) == ["a casa nova"])
    }
}
