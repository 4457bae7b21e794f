import Foundation

/// What people complain about: the words and two-word phrases over-represented in a brand's
/// negative mentions of the period compared with its baseline (its mentions of the weeks before),
/// grouped when they come up in the same complaints.
///
/// Over-representation is the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi
/// and Quinn, 2008), divided by its standard error: frequent and distinctive terms rank first, and
/// a term seen twice is not "infinitely" over-represented.
public enum ComplaintTerms {
    /// One group of complaint terms.
    public struct Group: Sendable, Hashable, Codable {
        /// The most distinctive term first.
        public var terms: [String]
        /// Negative mentions of the period containing any term of the group.
        public var mentions: Int
        /// Their share of the period's negative mentions.
        public var share: Double
        /// How distinctive the lead term is (a z-score).
        public var score: Double
    }

    /// The groups, most common first.
    /// - Parameters:
    ///   - negative: texts of the period's negative mentions.
    ///   - baseline: texts of the brand's mentions before the period.
    ///   - exclude: words never reported (the brand's own name).
    public static func groups(negative: [String], baseline: [String], exclude: Set<String>, limit: Int = 5) -> [Group] {
        guard !negative.isEmpty else { return [] }
        let negativeTerms = negative.map { terms(of: $0, exclude: exclude) }
        let baselineTerms = baseline.map { terms(of: $0, exclude: exclude) }
        var focus: [String: Int] = [:]
        var background: [String: Int] = [:]
        for set in negativeTerms { for term in set { focus[term, default: 0] += 1 } }
        for set in baselineTerms { for term in set { background[term, default: 0] += 1 } }
        let focusTotal = Double(focus.values.reduce(0, +))
        let backgroundTotal = Double(background.values.reduce(0, +))
        let priorTotal = focusTotal + backgroundTotal
        guard priorTotal > 0 else { return [] }
        // Prior: the pooled frequencies, weighing at most half as much as the texts themselves, so
        // that a small period's few complaints are not smoothed away.
        let priorWeight = min(500, priorTotal / 2)
        var scored: [(term: String, z: Double)] = []
        for (term, count) in focus where count >= 2 {
            let pooled = Double(count + (background[term] ?? 0))
            let alpha = max(0.01, priorWeight * pooled / priorTotal)
            let alpha0 = priorWeight
            let y1 = Double(count), y2 = Double(background[term] ?? 0)
            let delta = log((y1 + alpha) / (focusTotal + alpha0 - y1 - alpha))
                - log((y2 + alpha) / (backgroundTotal + alpha0 - y2 - alpha))
            let variance = 1 / (y1 + alpha) + 1 / (y2 + alpha)
            let z = delta / variance.squareRoot()
            if z > 1.96 { scored.append((term, z)) }
        }
        // Strongest first; on a tie the single word, which names the problem more generally.
        scored.sort {
            if $0.z != $1.z { return $0.z > $1.z }
            let (words0, words1) = ($0.term.split(separator: " ").count, $1.term.split(separator: " ").count)
            return words0 != words1 ? words0 < words1 : $0.term < $1.term
        }
        let candidates = Array(scored.prefix(limit * 4))

        // Group terms that mostly appear in the same complaints as a stronger term. Within a group
        // a phrase and one of its words say the same thing once: the phrase takes the word's place
        // when it holds most of the word's complaints ("ultimo aggiornamento" for "ultimo"), and
        // is left out otherwise; a word already inside a phrase of the group is left out.
        var groups: [(terms: [String], cover: [Set<Int>], covered: Set<Int>, z: Double)] = []
        for candidate in candidates {
            let covered = Set(negativeTerms.indices.filter { negativeTerms[$0].contains(candidate.term) })
            guard let index = groups.firstIndex(where: { Double($0.covered.intersection(covered).count) >= 0.5 * Double(covered.count) }) else {
                if groups.count < limit { groups.append(([candidate.term], [covered], covered, candidate.z)) }
                continue
            }
            let words = candidate.term.split(separator: " ").map(String.init)
            if words.count > 1, let word = groups[index].terms.firstIndex(where: { words.contains($0) }) {
                if Double(covered.count) >= 0.8 * Double(groups[index].cover[word].count) {
                    groups[index].terms[word] = candidate.term
                    groups[index].cover[word] = covered
                    // The phrase's other word, if the group holds it alone, is said by the phrase too.
                    for other in groups[index].terms.indices.reversed()
                    where other != word && words.contains(groups[index].terms[other]) {
                        groups[index].terms.remove(at: other)
                        groups[index].cover.remove(at: other)
                    }
                }
            } else if words.count == 1, groups[index].terms.contains(where: { $0.split(separator: " ").contains(Substring(candidate.term)) }) {
                // Already said by a phrase of the group.
            } else if groups[index].terms.count < 4 {
                groups[index].terms.append(candidate.term)
                groups[index].cover.append(covered)
            }
            groups[index].covered.formUnion(covered)
        }
        return groups.map {
            Group(terms: $0.terms, mentions: $0.covered.count, share: Double($0.covered.count) / Double(negative.count), score: $0.z)
        }.sorted { $0.mentions > $1.mentions || ($0.mentions == $1.mentions && $0.score > $1.score) }
    }

    /// The distinct words (of 4 letters or more, not stop words) and adjacent word pairs of a text.
    static func terms(of text: String, exclude: Set<String>) -> Set<String> {
        var terms = Set<String>()
        var previous: String?
        var word = ""
        // A pair never spans punctuation: "arrived, refund" is two clauses.
        func finish(breaksPhrase: Bool) {
            defer { word = "" }
            if !word.isEmpty {
                let word = word.lowercased()
                let kept = word.count >= 4 && !stopWords.contains(word) && !exclude.contains(word) && !word.allSatisfy(\.isNumber)
                if kept {
                    terms.insert(word)
                    if let previous { terms.insert(previous + " " + word) }
                    previous = word
                } else {
                    previous = nil
                }
            }
            if breaksPhrase { previous = nil }
        }
        for scalar in text.unicodeScalars {
            switch Self.kind(of: scalar) {
            case .letter:
                word.unicodeScalars.append(scalar)
            case .apostrophe:
                finish(breaksPhrase: false)
            case .space:
                finish(breaksPhrase: false)
            case .punctuation:
                finish(breaksPhrase: true)
            }
        }
        finish(breaksPhrase: true)
        return terms
    }

    private enum ScalarKind { case letter, apostrophe, space, punctuation }

    /// How a character counts: part of a word, an apostrophe (ends a word, not a phrase), a space,
    /// or punctuation (ends the phrase too).
    private static func kind(of scalar: Unicode.Scalar) -> ScalarKind {
        switch scalar.value {
        case 0x61...0x7A, 0x30...0x39: return .letter
        case 0x41...0x5A: return .letter
        case 0x20, 0x09, 0x0A, 0x0D: return .space
        case 0x27, 0x2019: return .apostrophe
        case 0..<0x80: return .punctuation
        default:
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark { return .letter }
            return properties.isWhitespace ? .space : .punctuation
        }
    }

    /// Common words of the analysed languages that say nothing about a complaint.
    static let stopWords: Set<String> = [
        // English
        "this", "that", "with", "have", "from", "they", "been", "were", "what", "when", "your", "will", "would",
        "there", "their", "about", "which", "just", "like", "more", "than", "then", "them", "some", "very", "into",
        "also", "only", "even", "after", "again", "still", "here", "does", "done", "make", "made", "because",
        "really", "today", "yesterday",
        // Spanish
        "para", "pero", "como", "esta", "este", "esto", "todo", "toda", "todos", "muy", "más", "porque", "cuando",
        "desde", "hace", "tengo", "tiene", "sido", "otra", "otro", "vez", "ayer", "hoy", "nada", "sobre", "entre",
        "también", "donde", "están", "estoy",
        // Italian
        "della", "delle", "dello", "degli", "nella", "nelle", "sono", "come", "anche", "questo", "questa", "perché",
        "quando", "ancora", "dopo", "tutto", "tutti", "molto", "ieri", "oggi", "niente", "sempre", "volta", "fatto",
    ]
}
