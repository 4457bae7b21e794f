import Foundation

/// Tells whether a short, noisy text (a post, a tweet, a review) is in Spanish, Italian or
/// English, or in none of them (`und`).
///
/// How it decides: URLs, handles, numbers and emoji are skipped and hashtags split into words;
/// each remaining word is scored in eight languages (es, it, en and, to recognise "something
/// else", pt, fr, ca, de, nl) by a word-frequency model that falls back on a character trigram
/// model for unknown words; the scores are added up. The text is `und` when it has no words,
/// is mostly in another script, when one of the other languages wins clearly, or when the best
/// two analysed languages are too close to call.
///
/// The profiles are loaded once (about 20 MB in memory; from the compiled `langid.bin` in a few
/// milliseconds when it matches the text profiles); identification allocates nothing
/// and is safe to call from any thread.
public struct LanguageIdentifier: @unchecked Sendable {
    // @unchecked: besides Sendable values it holds pointers into the model's tables, which are
    // never written after loading and live as long as `model`.
    /// The identifier built from the profiles shipped with Vigía, loaded on first use. If they
    /// cannot be loaded it answers `und` to everything; check `loadError`.
    public static let shared: LanguageIdentifier = {
        do {
            return try LanguageIdentifier()
        } catch let error as LanguageIdentifierError {
            return LanguageIdentifier(model: nil, loadError: error)
        } catch {
            return LanguageIdentifier(
                model: nil, loadError: LanguageIdentifierError(file: "Profiles", problem: "\(error)"))
        }
    }()

    /// The directory of the profiles shipped with Vigía, when the resource bundle is present.
    public static var bundledProfilesDirectory: URL? {
        Bundle.module.url(forResource: "Profiles", withExtension: nil)
    }

    /// Why the profiles could not be loaded (only for `shared`); `nil` when all is well.
    public let loadError: LanguageIdentifierError?

    private let model: LanguageIDModel?
    // The model's tables, read by `evidence` without touching the class (no reference counting
    // per text); the buffers live as long as `model`, which this value keeps.
    private let wordSlots: UnsafeBufferPointer<LanguageIDModel.WordSlot>
    private let spellingScores: UnsafeBufferPointer<LanguageIDModel.PackedScores>
    private let wordMask: Int
    private let unknownWordScores: LanguageIDModel.UnitScores

    /// Loads the profiles shipped with Vigía.
    ///
    /// - Throws: `LanguageIdentifierError` when the profiles are missing or malformed.
    public init() throws {
        guard let directory = Self.bundledProfilesDirectory else {
            throw LanguageIdentifierError(file: "Profiles", problem: "resource directory not found")
        }
        try self.init(profilesDirectory: directory)
    }

    /// Loads the profiles in `profilesDirectory` (`<code>.words.txt` and `<code>.chars.txt`
    /// for each modelled language, as written by scripts/build-language-profiles.py), through
    /// the compiled `langid.bin` there when it was compiled from exactly those files.
    ///
    /// - Throws: `LanguageIdentifierError` when a file is missing or malformed.
    public init(profilesDirectory: URL) throws {
        self.init(model: try LanguageIDModel(profilesDirectory: profilesDirectory), loadError: nil)
    }

    /// Compiles the text profiles in `profilesDirectory` into `langid.bin` beside them (the
    /// same tables, loaded in a few milliseconds instead of parsed and computed); returns its
    /// location. Run after changing the text profiles (scripts/build-language-profiles.py does).
    ///
    /// - Throws: `LanguageIdentifierError` when a profile is missing or malformed or the file
    ///   cannot be written.
    @discardableResult
    public static func compileProfiles(in profilesDirectory: URL) throws -> URL {
        let model = try LanguageIDModel(profilesDirectory: profilesDirectory, useCompiled: false)
        let url = profilesDirectory.appendingPathComponent(LanguageIDModel.compiledFileName)
        do {
            try Data(model.compiledBytes()).write(to: url, options: .atomic)
        } catch {
            throw LanguageIdentifierError(file: url.path, problem: "cannot be written (\(error))")
        }
        return url
    }

    private init(model: LanguageIDModel?, loadError: LanguageIdentifierError?) {
        self.model = model
        self.loadError = loadError
        wordSlots = model?.wordSlots ?? UnsafeBufferPointer(start: nil, count: 0)
        spellingScores = model?.spellingScores ?? UnsafeBufferPointer(start: nil, count: 0)
        wordMask = model?.wordMask ?? 0
        unknownWordScores = model?.unknownWordScores ?? LanguageIDModel.UnitScores()
    }

    /// The language of `text`: `.es`, `.it`, `.en`, or `.und` for anything else or too little
    /// signal.
    public func identify(_ text: String) -> Language {
        var text = text
        return text.withUTF8 { identify(utf8: $0) }
    }

    /// The language of a text given as UTF-8 bytes (invalid sequences are tolerated).
    public func identify(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Language {
        decide(evidence(bytes))
    }

    /// The language of `text` with the evidence behind it, for people and diagnostics.
    public func scores(_ text: String) -> LanguageScores {
        var text = text
        let evidence: Evidence = text.withUTF8 { self.evidence($0) }
        let language = decide(evidence)
        let best = evidence.totals.max()
        var scores: [LanguageScores.Score] = []
        var sum = 0.0
        for lane in LanguageIDModel.codes.indices {
            sum += exp(Double(evidence.totals[lane] - best))
        }
        for (lane, code) in LanguageIDModel.codes.enumerated() {
            let logLikelihood = Double(evidence.totals[lane])
            scores.append(
                LanguageScores.Score(
                    code: code, logLikelihood: logLikelihood,
                    probability: evidence.words == 0 ? 0 : exp(logLikelihood - Double(best)) / sum))
        }
        return LanguageScores(
            language: language, wordCount: evidence.words, knownWordCount: evidence.knownWords,
            scores: scores)
    }

    // MARK: - Scoring

    /// How much better (in nats) another modelled language must explain the text than the best
    /// analysed one for the text to be `und`.
    static let otherLanguageMargin: Float = 3
    /// Below this lead (in nats) of the best analysed language over the second, the text is
    /// `und`.
    static let minimumLead: Float = 0.3

    /// A text of at least `unknownTextMinimumWords` words, fewer than `unknownTextKnownShare`
    /// of them in any word list, whose best analysed language explains it at less than
    /// `unknownTextWordScore` nats per word, is in some language not modelled at all
    /// (Turkish, Indonesian, Polish, Finnish…): `und`.
    static let unknownTextMinimumWords = 3
    static let unknownTextKnownShare: Float = 0.3
    static let unknownTextWordScore: Float = -16

    /// Once one modelled language leads every other by this many nats (checked every eight
    /// words), the rest of the text cannot plausibly change the answer and is not read.
    static let decisiveLead: Float = 60

    struct Evidence {
        var totals = LanguageIDModel.Scores(repeating: 0)
        var words = 0
        /// Words outside hashtags.
        var plainWords = 0
        /// Words found in some language's word list.
        var knownWords = 0
        var latinLetters = 0
        var foreignLetters = 0
    }

    private func evidence(_ bytes: UnsafeBufferPointer<UInt8>) -> Evidence {
        var evidence = Evidence()
        guard !wordSlots.isEmpty else { return evidence }
        let slots = wordSlots
        let spelling = spellingScores
        let mask = wordMask
        let unknown = unknownWordScores
        let cap = Int32(LanguageIDModel.wordPenaltyCap * LanguageIDModel.unitsPerNat)
        let decisiveLead = Self.decisiveLead * LanguageIDModel.unitsPerNat
        // The totals are added up in integers (cheaper per word than converting each word's
        // scores to floats) while that gives exactly the float sums: as long as every partial
        // sum stays below 2^24 in magnitude. Checked every eight words with room for eight
        // more; beyond, the sums go on in floats from the exact value reached.
        var units = LanguageIDModel.UnitScores()
        var inFloats = false
        LanguageIDWord.withScratch { word in
            var scanner = LanguageIDScanner(bytes)
            while scanner.next(into: &word) {
                let scores: LanguageIDModel.UnitScores
                if let slot = Self.find(word.hash(), slots, mask) {
                    scores = LanguageIDModel.UnitScores(truncatingIfNeeded: slots[slot].scores)
                    evidence.knownWords += 1
                } else if word.elongations != 0,
                    let slot = Self.find(word.hashCollapsingElongations(), slots, mask)
                {
                    scores = LanguageIDModel.UnitScores(truncatingIfNeeded: slots[slot].scores)
                    evidence.knownWords += 1
                } else {
                    scores = Self.capped(
                        LanguageIDModel.spellingScore(
                            UnsafeBufferPointer(start: word.symbols, count: word.length),
                            table: spelling, unknown: unknown),
                        cap: cap)
                }
                if inFloats {
                    evidence.totals += LanguageIDModel.Scores(scores)
                } else {
                    units &+= scores
                }
                evidence.words += 1
                if !word.isHashtagPart { evidence.plainWords += 1 }
                if evidence.words & 7 == 0 {
                    if !inFloats && Self.largestMagnitude(units) > Self.exactUnitLimit {
                        evidence.totals = LanguageIDModel.Scores(units)
                        inFloats = true
                    }
                    if evidence.plainWords > 0
                        && Self.lead(inFloats ? evidence.totals : LanguageIDModel.Scores(units)) >= decisiveLead
                    {
                        break
                    }
                }
            }
            evidence.latinLetters = scanner.latinLetters
            evidence.foreignLetters = scanner.foreignLetters
        }
        if !inFloats { evidence.totals = LanguageIDModel.Scores(units) }
        evidence.totals /= LanguageIDModel.Scores(repeating: LanguageIDModel.unitsPerNat)
        return evidence
    }

    /// Largest magnitude of one word's scores: a listed word's are 16-bit; an unknown word's
    /// add up at most 42 16-bit values (unknown mass, up to 40 symbols, the end boundary).
    static let maximumWordUnits: Int32 = 42 << 15
    /// Below this magnitude, totals can take eight more words and stay under 2^24, where
    /// floats hold every integer exactly.
    static let exactUnitLimit: Int32 = (1 << 24) - 8 * maximumWordUnits

    @inline(__always)
    private static func largestMagnitude(_ scores: LanguageIDModel.UnitScores) -> Int32 {
        let negated = LanguageIDModel.UnitScores() &- scores
        return largest(scores.replacing(with: negated, where: scores .< 0))
    }

    /// The slot of the word with this hash, if it is listed.
    @inline(__always)
    private static func find(
        _ hash: UInt64, _ slots: UnsafeBufferPointer<LanguageIDModel.WordSlot>, _ mask: Int
    ) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = slots[slot].hash
            if stored == hash { return slot }
            if stored == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }

    /// How far the best language's score is ahead of the second best's.
    @inline(__always)
    private static func lead(_ totals: LanguageIDModel.Scores) -> Float {
        var best = -Float.infinity
        var second = -Float.infinity
        for lane in 0..<LanguageIDModel.Scores.scalarCount {
            let score = totals[lane]
            if score > best {
                second = best
                best = score
            } else if score > second {
                second = score
            }
        }
        return best - second
    }

    /// The scores with none more than `cap` below the best.
    private static func capped(_ scores: LanguageIDModel.UnitScores, cap: Int32) -> LanguageIDModel.UnitScores
    {
        let floor = largest(scores) &- cap
        var result = scores
        for lane in 0..<LanguageIDModel.UnitScores.scalarCount where result[lane] < floor {
            result[lane] = floor
        }
        return result
    }

    @inline(__always)
    private static func largest(_ scores: LanguageIDModel.UnitScores) -> Int32 {
        max(
            max(max(scores[0], scores[1]), max(scores[2], scores[3])),
            max(max(scores[4], scores[5]), max(scores[6], scores[7])))
    }

    private func decide(_ evidence: Evidence) -> Language {
        guard evidence.plainWords > 0, evidence.latinLetters >= 2,
            evidence.foreignLetters <= evidence.latinLetters
        else { return .und }
        let totals = evidence.totals
        var best = LanguageIDModel.analysedLanes[0]
        var secondScore = -Float.infinity
        for candidate in LanguageIDModel.analysedLanes.dropFirst() {
            if totals[candidate.lane] > totals[best.lane] {
                secondScore = totals[best.lane]
                best = candidate
            } else if totals[candidate.lane] > secondScore {
                secondScore = totals[candidate.lane]
            }
        }
        var bestOther = -Float.infinity
        for lane in LanguageIDModel.analysedLanes.count..<LanguageIDModel.codes.count {
            bestOther = max(bestOther, totals[lane])
        }
        if bestOther - totals[best.lane] > Self.otherLanguageMargin { return .und }
        let words = Float(evidence.words)
        if evidence.words >= Self.unknownTextMinimumWords,
            Float(evidence.knownWords) < Self.unknownTextKnownShare * words,
            totals[best.lane] < Self.unknownTextWordScore * words
        {
            return .und
        }
        if totals[best.lane] - secondScore < Self.minimumLead { return .und }
        return best.language
    }
}

/// The evidence behind one identification.
public struct LanguageScores: Sendable, Codable {
    /// One modelled language's score.
    public struct Score: Sendable, Codable {
        /// ISO 639-1 code of a modelled language (es, it, en, or one of the others that lead to
        /// `und`: pt, fr, ca, de, nl).
        public let code: String
        /// Sum over the words of log P(word | language), in nats.
        public let logLikelihood: Double
        /// The language's share of the likelihood among the modelled languages (0 when the
        /// text has no words).
        public let probability: Double
    }

    /// The decision.
    public let language: Language
    /// How many words were scored (URLs, handles, numbers and emoji are not words; hashtags
    /// give their words).
    public let wordCount: Int
    /// How many of them are in the word list of some modelled language.
    public let knownWordCount: Int
    /// Every modelled language's score, in a fixed order.
    public let scores: [Score]
}
