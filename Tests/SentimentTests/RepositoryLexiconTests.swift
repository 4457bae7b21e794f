import Foundation
import Testing
import TextAnalysis

@testable import Sentiment

/// The repository lexicons, loaded once for every test here (each load takes tens of MB).
private let repositoryAnalyzer: SentimentAnalyzer? = try? SentimentAnalyzer()

/// Checks on the lexicons shipped in `lexicons/` (found the way `vigia score` finds them).
@Suite struct RepositoryLexiconTests {
    @Test func theRepositoryLexiconsAreFoundAndParse() throws {
        let directory = try #require(LexiconLocator.defaultDirectory())
        let analyzer = try #require(repositoryAnalyzer)
        #expect(analyzer.lexiconDirectory.standardizedFileURL == directory.standardizedFileURL)
        #expect(analyzer.lexiconIssues.map(\.description) == [])
        for language in Language.analysed {
            let sizes = try #require(analyzer.lexiconSizes()[language])
            #expect(sizes.terms > 500, "\(language)")
            #expect(sizes.generated > sizes.terms, "\(language)")
        }
    }

    @Test func obviousSentencesScoreAsExpected() throws {
        let analyzer = try #require(repositoryAnalyzer)
        #expect(analyzer.score("El servicio fue pésimo, nunca más", language: .es).label == .neg)
        #expect(analyzer.score("Me encanta, muy buena atención", language: .es).label == .pos)
        #expect(analyzer.score("Il servizio è stato pessimo", language: .it).label == .neg)
        #expect(analyzer.score("Bellissimo, grazie mille!", language: .it).label == .pos)
        #expect(analyzer.score("The support was terrible", language: .en).label == .neg)
        #expect(analyzer.score("I love this, great job", language: .en).label == .pos)
    }

    @Test func everydayVocabularyIsCovered() throws {
        let analyzer = try #require(repositoryAnalyzer)
        // "like" as a verb, and the constructions where it is not one.
        #expect(analyzer.score("I really like it", language: .en).label == .pos)
        #expect(analyzer.score("I do not like it", language: .en).label == .neg)
        #expect(analyzer.score("I would really like to know", language: .en).label == .neu)
        #expect(analyzer.score("it looks like rain", language: .en).label == .neu)
        #expect(analyzer.score("finally!", language: .en).label == .pos)
        #expect(analyzer.score("jajaja", language: .es).label == .pos)
        #expect(analyzer.score("tremenda bronca", language: .es).label == .neg)
        // "una bomba" is praise in Spanish and Italian slang: 💣 is not negative.
        #expect(analyzer.score("💣", language: .it).compound >= 0)
        for symbol in ["👉", "👀", "💭", "✋"] {
            #expect(analyzer.score("\(symbol)", language: .es).label == .neu, "\(symbol)")
        }
    }
}
