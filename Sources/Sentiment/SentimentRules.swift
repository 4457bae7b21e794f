import Foundation

/// The constants of the scoring rules. The defaults are the tuned values; see
/// `Sources/Sentiment/Sentiment.docc/Sentiment.md` for what each rule does.
///
/// Valences are on the lexicon scale (−4…+4). The text's valences are added up to a sum `s`
/// and squashed into the compound score `s / sqrt(s² + alpha)` in [−1, 1].
public struct SentimentRules: Sendable, Equatable {
    /// Multiplier applied to a sentiment word inside a negator's scope (`no bueno` → bueno × this).
    public var negationFactor: Float = -0.74
    /// Multiplier for a negative word negated by a verbal negator (`no me enojo`, `non mi
    /// vergogno`, `never been this angry`): damped, not flipped — denying a complaint is not
    /// praise. (Idioms such as `no está mal`, `not bad` are phrases.)
    public var negatedNegativeFactor: Float = 0.2
    /// Multiplier for a negative word after a negator of absence (`sin retrasos`, `senza
    /// intoppi`, `without delays`: `absence` in `negators.txt`): mild praise.
    public var absentNegativeFactor: Float = -0.5
    /// How many tokens before a sentiment word a negator still reaches (inside its clause).
    public var negationWindow = 3
    /// How many tokens before a sentiment word a booster still reaches.
    public var boosterWindow = 3
    /// Booster strength at distance 1, 2, 3 (a multiplier of the booster's factor).
    public var boosterDecay: (Float, Float, Float) = (1, 0.9, 0.8)
    /// Added to the magnitude of a sentiment word written in capitals when the text is not all
    /// capitals (`HORRIBLE`).
    public var capsIncrement: Float = 0.733
    /// Added to the magnitude of an elongated sentiment word (`buenooo`).
    public var elongationIncrement: Float = 0.3
    /// Multiplier for emphatic generated forms (`buenísimo`, `bellissimo`).
    public var emphaticFactor: Float = 1.2
    /// Added to the magnitude of the sum for each `!` (at most `maxExclamations`).
    public var exclamationIncrement: Float = 0.292
    /// The most `!` that count.
    public var maxExclamations = 4
    /// Added per `?` to the magnitude of the sum when a text has two or more, at most `maxQuestionBoost`.
    public var questionIncrement: Float = 0.18
    /// Cap on the `??` emphasis.
    public var maxQuestionBoost: Float = 0.96
    /// Multiplier for the sentiment words of a sentence that ends in `?` (a question asks more
    /// than it states).
    public var questionFactor: Float = 0.7
    /// Multiplier for the sentiment words of a request (a sentence with a `requests.txt`
    /// request marker: "Can you recommend a good place?", "¿Alguien sabe…?", "Qualcuno sa…?"),
    /// instead of `questionFactor`: it asks for something and says little about the writer's mood.
    public var requestFactor: Float = 0.2
    /// Multiplier for a polite formula (`requests.txt` courtesy: thanks, gracias, grazie, saluti)
    /// in or after a question, a request or a plea (`please`, `por favor`): "¿Alguien sabe
    /// dónde…? Gracias" and "Please fix it, thanks" are not praise.
    public var courtesyFactor: Float = 0
    /// The sum given to a text whose only sign of sentiment is `!` (0, the default, turns the
    /// rule off: exclamation alone was positive in English tweets but not in Italian comments).
    public var bareExclamationValence: Float = 0
    /// Multiplier for positive valences in a text marked as ironic (`#ironía`, `#sarcasm`).
    public var ironyFactor: Float = -0.5
    /// Valence of laughter (`jajaja`, `hahaha`, `ahahah`) when the lexicon has no entry for it.
    public var laughterValence: Float = 1.5
    /// Multiplier for a discourse marker (`discourse.txt`: `bueno`, `ok`, `vabbè`) that opens a
    /// sentence which goes on ("Bueno, me voy").
    public var discourseFactor: Float = 0
    /// Multiplier for an ASCII emoticon that ends the text after some words ("Making a mess of
    /// the kitchen :)"): it says how the text is meant. Emoji are left out: a final 😂 or 👍 is
    /// as often ironic as not.
    public var finalEmoticonFactor: Float = 1.5
    /// Multiplier for an emoji that repeats the emoji just before it (`😂😂😂`).
    public var repeatedEmojiFactor: Float = 0.5
    /// Normalisation constant of the compound score.
    public var alpha: Float = 15
    /// Compound score at or above which a text is `pos`.
    public var positiveThreshold: Float = 0.05
    /// Compound score at or below which a text is `neg`.
    public var negativeThreshold: Float = -0.05

    /// The default, tuned rules.
    public init() {}

    public static func == (lhs: SentimentRules, rhs: SentimentRules) -> Bool {
        lhs.description == rhs.description
    }

    /// `name=value` pairs, comma-separated, for logs and the `VIGIA_SENTIMENT_RULES` override.
    public var description: String {
        Self.fields.map { "\($0.name)=\(self[keyPath: $0.keyPath])" }.joined(separator: ",")
    }

    private static var fields: [(name: String, keyPath: WritableKeyPath<SentimentRules, Float>)] {
        [
        ("negationFactor", \.negationFactor), ("negatedNegativeFactor", \.negatedNegativeFactor),
        ("absentNegativeFactor", \.absentNegativeFactor),
        ("capsIncrement", \.capsIncrement), ("elongationIncrement", \.elongationIncrement),
        ("emphaticFactor", \.emphaticFactor), ("exclamationIncrement", \.exclamationIncrement),
        ("questionIncrement", \.questionIncrement), ("maxQuestionBoost", \.maxQuestionBoost),
        ("questionFactor", \.questionFactor), ("requestFactor", \.requestFactor), ("courtesyFactor", \.courtesyFactor), ("laughterValence", \.laughterValence),
        ("repeatedEmojiFactor", \.repeatedEmojiFactor), ("finalEmoticonFactor", \.finalEmoticonFactor), ("discourseFactor", \.discourseFactor), ("alpha", \.alpha), ("ironyFactor", \.ironyFactor), ("bareExclamationValence", \.bareExclamationValence),
        ("positiveThreshold", \.positiveThreshold), ("negativeThreshold", \.negativeThreshold),
        ]
    }

    /// The rules with the `name=value` overrides in `text` applied (for tuning experiments, e.g.
    /// `VIGIA_SENTIMENT_RULES="alpha=12,questionFactor=0.8"`). Unknown names are ignored.
    public func overridden(by text: String) -> SentimentRules {
        var rules = self
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let value = Float(parts[1]), value.isFinite else { continue }
            switch parts[0] {
            case "negationWindow": rules.negationWindow = max(0, Int(value))
            case "boosterWindow": rules.boosterWindow = max(0, min(3, Int(value)))
            case "maxExclamations": rules.maxExclamations = max(0, Int(value))
            default:
                if let field = Self.fields.first(where: { $0.name == parts[0] }) {
                    rules[keyPath: field.keyPath] = value
                }
            }
        }
        return rules
    }
}
