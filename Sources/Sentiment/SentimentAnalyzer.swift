import Foundation
import TextAnalysis

/// A sentiment label.
public enum SentimentLabel: String, Sendable, Hashable, Codable, CaseIterable {
    /// Positive: praise, satisfaction, joy.
    case pos
    /// Negative: complaint, anger, disappointment.
    case neg
    /// Neutral: neither, or balanced.
    case neu
}

/// How one token (or phrase) moved the score, for explanations.
public struct SentimentContribution: Sendable, Hashable, Codable {
    /// The token or phrase as written in the text.
    public var text: String
    /// UTF-8 byte offsets of `text` in the scored text.
    public var range: Range<Int>
    /// The lexicon term that matched (lemma, phrase, emoji), or a rule name such as `laughter`.
    public var term: String
    /// The lexicon valence (−4…+4).
    public var base: Double
    /// The valence after every rule, as added to the sum.
    public var value: Double
    /// The rules that changed it, in order (`negated by 'no' ×-0.74`, `boosted by 'muy' ×1.30`…).
    public var rules: [String]
}

/// The sentiment of one text.
public struct SentimentScore: Sendable, Hashable, Codable {
    /// Compound score in [−1, 1]: `s / sqrt(s² + alpha)` of the sum `s` of the valences.
    public var compound: Double
    /// `pos` when `compound ≥ positiveThreshold`, `neg` when `compound ≤ negativeThreshold`,
    /// otherwise `neu` (±0.05 by default; see `SentimentRules`).
    public var label: SentimentLabel
    /// The language whose lexicon scored the text (`und`: every lexicon merged).
    public var language: Language
    /// The sum of the valences, before squashing.
    public var sum: Double
    /// Each token's contribution (only when an explanation was asked for).
    public var contributions: [SentimentContribution]
    /// Rules that acted on the whole text (`!` emphasis, target window…), when explained.
    public var notes: [String]
}

/// Scores the sentiment of short texts in Spanish, Italian and English with Vigía's lexicons
/// (`lexicons/`) and rules: negation, intensifiers, contrast, capitals, `!`, questions, idioms,
/// emoji.
///
/// Create one analyser (loading the lexicons takes a moment) and share it; for many texts in a
/// loop, make a `SentimentScorer` with `makeScorer()`, which reuses its buffers.
public struct SentimentAnalyzer: Sendable {
    let lexicons: LexiconSet
    let stores: LexiconStores
    /// The rule constants in use.
    public let rules: SentimentRules
    /// Where the lexicons were loaded from.
    public let lexiconDirectory: URL
    /// Malformed lexicon lines that were skipped.
    public var lexiconIssues: [LexiconIssue] { lexicons.issues }

    /// Loads the lexicons from `directory`, or from the default place (see `LexiconLocator`).
    ///
    /// - Throws: `LexiconLocator.NotFound` when no lexicon directory can be found.
    public init(lexiconDirectory directory: URL? = nil, rules: SentimentRules = SentimentRules()) throws {
        guard let directory = directory ?? LexiconLocator.defaultDirectory() else {
            throw LexiconLocator.NotFound(searched: LexiconLocator.candidates().map(\.path))
        }
        self.lexiconDirectory = directory
        self.lexicons = LexiconSet(directory: directory)
        self.stores = LexiconStores(lexicons)
        self.rules = rules
    }

    /// Builds the lexicon of `language` now rather than on first use (the merged `und` lexicon
    /// is built lazily and takes a moment), e.g. before a timed loop.
    public func preload(_ language: Language) {
        _ = stores.store(for: language)
    }

    /// A scorer with its own reusable buffers (one per thread).
    public func makeScorer() -> SentimentScorer {
        SentimentScorer(analyzer: self)
    }

    /// Scores `text`.
    /// - Parameters:
    ///   - language: the language of the text, or `nil` to identify it (`und` merges every lexicon).
    ///   - explain: fill `contributions` and `notes`.
    public func score(_ text: String, language: Language? = nil, explain: Bool = false) -> SentimentScore {
        var scorer = makeScorer()
        return scorer.score(text, language: language, explain: explain)
    }

    /// Scores the clause of `text` around `target` (UTF-8 byte offsets, e.g. a brand mention):
    /// "me encanta Iberia pero odio Vueling" is positive for Iberia and negative for Vueling.
    /// When the target's clause holds no sentiment, the whole text is scored.
    public func score(
        _ text: String, target: Range<Int>, language: Language? = nil, explain: Bool = false
    ) -> SentimentScore {
        var scorer = makeScorer()
        return scorer.score(text, target: target, language: language, explain: explain)
    }

    /// Number of terms and generated forms per language (for diagnostics).
    public func lexiconSizes() -> [Language: (terms: Int, generated: Int, phrases: Int)] {
        var result: [Language: (Int, Int, Int)] = [:]
        for (language, lexicon) in lexicons.languages {
            result[language] = (lexicon.explicitTerms, lexicon.generatedForms, lexicon.phrases.count)
        }
        return result
    }
}

/// Finds the `lexicons/` directory at run time.
public enum LexiconLocator {
    /// No lexicon directory was found.
    public struct NotFound: Error, CustomStringConvertible {
        /// The places looked at, in order.
        public var searched: [String]
        public var description: String {
            "no lexicon directory found (looked in: \(searched.joined(separator: ", "))); "
                + "set VIGIA_LEXICONS to the repository's lexicons/ directory"
        }
    }

    /// The places looked at, in order: `$VIGIA_LEXICONS`; the `lexicons/` folder of the source
    /// checkout this module was compiled from; a `lexicons/` folder in the executable's directory
    /// or up to four levels above it (the repository of a `.build/…/vigia` binary); `./lexicons`.
    ///
    /// (A SwiftPM resource cannot be used: the lexicons live at the top of the repository, outside
    /// the target, and SwiftPM copies a symbolic link to them as a dangling link.)
    public static func candidates() -> [URL] {
        var result: [URL] = []
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["VIGIA_LEXICONS"], !path.isEmpty {
            result.append(URL(fileURLWithPath: path))
        }
        // The source checkout: Sources/Sentiment/<this file> → ../../lexicons.
        let source = URL(fileURLWithPath: #filePath)
        result.append(source.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("lexicons"))
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
            for _ in 0...4 {
                result.append(directory.appendingPathComponent("lexicons"))
                directory = directory.deletingLastPathComponent()
            }
        }
        result.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("lexicons"))
        return result
    }

    /// The first candidate that holds at least one language folder.
    public static func defaultDirectory() -> URL? {
        for candidate in candidates() {
            for language in Language.analysed {
                var isDirectory: ObjCBool = false
                let folder = candidate.appendingPathComponent(language.rawValue).path
                if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue {
                    return candidate.resolvingSymlinksInPath()
                }
            }
        }
        return nil
    }
}
