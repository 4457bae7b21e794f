import Foundation
import Matching
import Testing

@testable import Storage

/// The index's `lang` and `site` columns narrow searches; title/text queries never match them.
@Suite struct SearchIndexColumnsTests {
    @Test func requiredSiteAndLanguageTermsBecomePrefilters() throws {
        let translation = try SearchTranslation(try BrandQuery(parsing: "casa site:example.org lang:ES"))
        #expect(translation.prefilters == ["site : ^\"org example\"", "lang : \"es\""])
        #expect(translation.matchExpression
            == "{title text} : (\"casa\") AND site : ^\"org example\" AND lang : \"es\"")
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
