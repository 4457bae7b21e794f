import Foundation
import Matching
import Sentiment
import Storage
import TextAnalysis
import VigiaModel

/// What entries are analysed with, loaded once and shared by every thread: the compiled brand
/// matcher, the sentiment lexicons and the language identifier.
public struct AnalysisModel: Sendable {
    public let matcher: BrandMatcher
    public let sentiment: SentimentAnalyzer
    public let languages: LanguageIdentifier

    /// Compiles the configuration's brands and loads the lexicons.
    /// - Throws: ``ConfigurationError`` naming the brand whose query does not parse (with the
    ///   position of the problem), or the lexicon loading error.
    public init(configuration: Configuration) throws {
        matcher = try Self.brandMatcher(for: configuration)
        sentiment = try SentimentAnalyzer()
        languages = LanguageIdentifier.shared
    }

    /// The configuration's brands compiled into one matcher: a quick check of every brand query,
    /// without loading the lexicons.
    /// - Throws: ``ConfigurationError`` naming the brand whose query does not parse.
    public static func brandMatcher(for configuration: Configuration) throws -> BrandMatcher {
        var definitions: [BrandDefinition] = []
        for brand in configuration.brands {
            let languages = brand.languages.map { Set($0.compactMap(Language.init(rawValue:))) }
            do {
                definitions.append(try BrandDefinition(name: brand.name, query: brand.query, languages: languages))
            } catch {
                throw ConfigurationError(
                    file: configuration.file.path, line: brand.line, column: nil, key: "brands: \(brand.name): query",
                    message: "\(error)")
            }
        }
        do {
            return try BrandMatcher(brands: definitions)
        } catch {
            throw ConfigurationError(file: configuration.file.path, message: "\(error)")
        }
    }

    /// A per-thread analyser with its own buffers.
    public func makeAnalyzer() -> EntryAnalyzer {
        EntryAnalyzer(model: self)
    }
}

/// Analyses entries on one thread: language, brand mentions, whole-text and per-mention
/// (target-aware) sentiment. Not thread-safe; make one per thread.
public struct EntryAnalyzer {
    private let model: AnalysisModel
    private var scanner: MentionScanner
    private var scorer: SentimentScorer

    init(model: AnalysisModel) {
        self.model = model
        scanner = model.matcher.makeScanner()
        scorer = model.sentiment.makeScorer()
    }

    /// The record to store for `entry`, with its identity keys (``EntryRecord/withIdentity()``).
    public mutating func analyze(_ entry: FeedEntry, sourceID: Int64) -> EntryRecord {
        let text = entry.analysableText
        // A declared language wins (a declared language Vigía does not analyse reads as `und`).
        let language = entry.language.map { Self.declaredLanguage($0) ?? .und } ?? model.languages.identify(text)
        let whole = scorer.score(text, language: language)
        var record = EntryRecord(
            sourceID: sourceID, entry: entry, language: language == .und ? nil : language.rawValue,
            sentiment: SentimentValue(whole))
        let mentions = scanner.mentions(in: MatchableEntry(entry, language: language))
        guard !mentions.isEmpty else { return record.withIdentity() }
        let titleLength = entry.title.map { $0.utf8.count }
        for mention in mentions {
            var sentiment = record.sentiment ?? SentimentValue(score: 0, label: .neu)
            if let term = mention.primaryTerm {
                let target = term.rangeInJoinedText(titleUTF8Count: titleLength)
                sentiment = SentimentValue(scorer.score(text, target: target, language: language))
            }
            record.mentions.append(MentionRecord(mention, sentiment: sentiment))
        }
        return record.withIdentity()
    }

    /// `es`, `es-ES`, `it_IT`, `en-GB` → the analysed language; nil for anything else.
    static func declaredLanguage(_ code: String?) -> Language? {
        guard let code, code.utf8.count >= 2 else { return nil }
        let primary = code.prefix(while: { $0 != "-" && $0 != "_" }).lowercased()
        switch primary {
        case "es": return .es
        case "it": return .it
        case "en": return .en
        default: return nil
        }
    }
}

extension SentimentValue {
    /// The stored form of a sentiment score.
    init(_ score: SentimentScore) {
        let label: SentimentPolarity = switch score.label {
        case .pos: .pos
        case .neg: .neg
        case .neu: .neu
        }
        self.init(score: score.compound, label: label)
    }
}
