import TextAnalysis

/// Scores texts one after another, reusing its buffers (tokens, units, keys) so that scoring
/// allocates nothing in the common case. Not shared between threads: make one per thread with
/// `SentimentAnalyzer.makeScorer()`.
public struct SentimentScorer {
    let analyzer: SentimentAnalyzer
    let rules: SentimentRules
    let tokenizer = Tokenizer(splitsHashtags: true)
    let stores: LexiconStores
    private var cachedStores: [LexiconStore?] = [nil, nil, nil, nil]
    /// `LanguageIdentifier.shared` once a text needed it (see `identifyLanguage`).
    private var identifier: LanguageIdentifier?
    let emoji: EmojiLexicon
    /// Where the tokenizer writes (replaced when a copy of this scorer shares it).
    private var arena = TokenArena()
    /// The current text's tokens and their normalised bytes, in `arena` (valid while scoring).
    private var tokens = UnsafeBufferPointer<Token>(start: nil, count: 0)
    private var normalizedBytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var units: [Unit] = []
    private var key: [UInt8] = []
    private var scratch: [UInt8] = []
    private var sentenceIsQuestion: [Bool] = []
    /// The sentences that hold a request marker (`requests.txt`), in order.
    private var requestSentences: [Int32] = []
    /// The first sentence that holds a plea (`please`, `por favor`), or -1.
    private var firstPlea: Int32 = -1
    private var contrastUnits: [Int] = []
    /// The text carries an irony marker (`#ironía`, `#sarcasm`…).
    private var ironic = false
    /// Some unit is both a sentiment word and a booster or negator (see `resolveDualRoles`).
    private var hasDualRoles = false
    /// Some booster may modify the word before it (see `resolvePostBoosters`).
    private var hasPostBoosters = false
    /// The last `lookupWord` found the word under an intensifying prefix (`strafigo`).
    private var lookupPrefixed = false
    private var sentenceCounter: Int32 = 0
    private var clauseCounter: Int32 = 0
    private var exclamations = 0
    private var questions = 0
    private var previousContrast: [Int32] = []
    private var nextContrast: [Int32] = []
    private var openingConcession: [Int32] = []

    init(analyzer: SentimentAnalyzer) {
        self.analyzer = analyzer
        self.rules = analyzer.rules
        self.stores = analyzer.stores
        self.emoji = analyzer.lexicons.emoji
        units.reserveCapacity(64)
        key.reserveCapacity(128)
    }

    // MARK: Public API

    /// Scores `text` (see `SentimentAnalyzer.score(_:language:explain:)`).
    public mutating func score(_ text: String, language: Language? = nil, explain: Bool = false) -> SentimentScore {
        var copy = text
        return copy.withUTF8 { score(utf8: $0, language: language, explain: explain) }
    }

    /// Scores the clause of `text` around `target` (UTF-8 offsets).
    public mutating func score(
        _ text: String, target: Range<Int>, language: Language? = nil, explain: Bool = false
    ) -> SentimentScore {
        var copy = text
        return copy.withUTF8 { score(utf8: $0, language: language, target: target, explain: explain) }
    }

    /// Scores a text given as UTF-8 bytes (invalid sequences are tolerated).
    /// - Parameters:
    ///   - language: the language, or `nil` to identify it.
    ///   - target: score only the clause around these byte offsets (falls back to the whole text
    ///     when that clause has no sentiment).
    ///   - explain: fill `contributions` and `notes`.
    public mutating func score(
        utf8 bytes: UnsafeBufferPointer<UInt8>, language: Language? = nil, target: Range<Int>? = nil,
        explain: Bool = false
    ) -> SentimentScore {
        if !isKnownUniquelyReferenced(&arena) { arena = TokenArena() }
        tokenizer.tokenize(bytes, into: arena)
        tokens = arena.tokenBuffer
        normalizedBytes = arena.byteBuffer
        let resolved = language ?? identifyLanguage(bytes)
        let storeIndex = LexiconSet.index(of: resolved)
        let store: LexiconStore
        if let cached = cachedStores[storeIndex] {
            store = cached
        } else {
            store = stores.store(for: resolved)
            cachedStores[storeIndex] = store
        }
        buildUnits(lexicon: store)
        return evaluate(bytes, lexicon: store, language: resolved, target: target, explain: explain)
    }

    /// The language `vigia score --lang auto` uses for `bytes`.
    public func identify(_ bytes: UnsafeBufferPointer<UInt8>) -> Language {
        LanguageIdentifier.shared.identify(utf8: bytes)
    }

    /// `identify`, with `LanguageIdentifier.shared` fetched on first use and kept: fetching
    /// it for every text copies it (reference counting included).
    private mutating func identifyLanguage(_ bytes: UnsafeBufferPointer<UInt8>) -> Language {
        if identifier == nil { identifier = LanguageIdentifier.shared }
        return identifier?.identify(utf8: bytes) ?? .und
    }

    // MARK: Units

    /// What a token, or a phrase of several tokens, does.
    struct Unit {
        enum Kind: UInt8 {
            case neutral, sentiment, booster, negator, contrast, clauseBreak, sentenceBreak
        }
        var kind: Kind
        var firstToken: Int32
        var tokenCount: Int32
        var entry: Int32 = -1
        var valence: Float = 0
        var emoji = false
        var laughter = false
        var sentence: Int32 = 0
        var clause: Int32 = 0
        /// Out of reach of negators: a phrase with a negator in it (`no vale la pena`), a
        /// negator word used as a sentiment word, an interjection.
        var containsNegation = false
        /// A booster that modifies the sentiment word before it (`mi piace molto`, `cool af`).
        var postModifier = false
        /// Found under an intensifying prefix (`strafigo`, `superbueno`): emphatic.
        var prefixed = false
    }

    @inline(__always)
    private func normalizedKey(_ token: Token) -> Range<Int> { token.normalizedRange }

    private mutating func buildUnits(lexicon: LexiconStore) {
        units.clear()
        ironic = false
        hasDualRoles = false
        hasPostBoosters = false
        sentenceCounter = 0
        clauseCounter = 0
        exclamations = 0
        questions = 0
        sentenceIsQuestion.clear()
        requestSentences.clear()
        firstPlea = -1
        contrastUnits.clear()
        let tokens = self.tokens
        let count = tokens.count
        var index = 0
        while index < count {
            let token = tokens[index]
            guard token.kind == .word else {
                index = otherUnit(at: index, token, lexicon: lexicon)
                continue
            }
            switch Self.quickLookup(token, in: normalizedBytes, lexicon: lexicon) {
            case .passOver: index += 1
            case .listed(let entry): index = wordUnit(at: index, entry: entry, lexicon: lexicon)
            case .unresolved: index = wordUnit(at: index, entry: nil, lexicon: lexicon)
            }
        }
        sentenceIsQuestion.append(false)
        if hasDualRoles { resolveDualRoles(lexicon: lexicon) }
        if hasPostBoosters { resolvePostBoosters(lexicon: lexicon) }
    }

    /// The unit of a token that is not a word (emoji, punctuation, hashtag, number…); returns
    /// the next token's index. Kept out of `buildUnits` so that its loop over words stays small.
    private mutating func otherUnit(at index: Int, _ token: Token, lexicon: LexiconStore) -> Int {
        switch token.kind {
        case .emoji, .emoticon:
            let valence = emojiValence(token)
            if let valence {
                var unit = Unit(kind: .sentiment, firstToken: Int32(index), tokenCount: 1)
                unit.valence = valence
                unit.emoji = true
                addUnit(unit)
            } else {
                addUnit(Unit(kind: .neutral, firstToken: Int32(index), tokenCount: 1))
            }
        case .punctuationRun:
            let first = normalizedBytes[token.normalizedRange.lowerBound]
            addUnit(Unit(kind: first == 0x2E ? .clauseBreak : .sentenceBreak,
                              firstToken: Int32(index), tokenCount: 1))
        case .punctuation:
            let byte = normalizedBytes[token.normalizedRange.lowerBound]
            switch byte {
            case 0x2E, 0x21, 0x3F:  // . ! ?
                addUnit(Unit(kind: .sentenceBreak, firstToken: Int32(index), tokenCount: 1))
            case 0x2C, 0x3B, 0x3A, 0x28, 0x29, 0x22, 0x5B, 0x5D, 0x7C:  // , ; : ( ) " [ ] |
                addUnit(Unit(kind: .clauseBreak, firstToken: Int32(index), tokenCount: 1))
            default:
                if byte >= 0x80 {
                    // ¿ ¡ « » “ ” … are breaks; other symbols are neutral.
                    let (scalar, _) = normalizedBytes.withUnsafeBufferPointer {
                        UTF8Scan.decode($0, at: token.normalizedRange.lowerBound)
                    }
                    let isBreak = scalar == 0xBF || scalar == 0xA1 || scalar == 0xAB || scalar == 0xBB
                        || (scalar >= 0x2018 && scalar <= 0x201F) || scalar == 0x2014 || scalar == 0x2013
                    addUnit(Unit(kind: isBreak ? .clauseBreak : .neutral,
                                      firstToken: Int32(index), tokenCount: 1))
                } else {
                    addUnit(Unit(kind: .neutral, firstToken: Int32(index), tokenCount: 1))
                }
            }
        case .hashtag:
            // Its words follow as separate tokens, in a clause of their own (negation and
            // boosters do not reach into a hashtag). An irony hashtag marks the text.
            addUnit(Unit(kind: .clauseBreak, firstToken: Int32(index), tokenCount: 1))
            if isIronyMarker(token) { ironic = true }
        case .number:
            // A number may start a phrase (`10 e lode`, `5 estrellas`, `100% recomendable`).
            if let length = numberPhrase(at: index, lexicon: lexicon) { return index + length }
        case .url, .mention:
            break  // neutral: no unit
        case .word:
            break  // see `buildUnits`
        }
        return index + 1
    }

    /// Appends a unit with its sentence and clause numbers, and counts sentence ends,
    /// `!`, `?` and contrast words on the way.
    @inline(__always)
    private mutating func addUnit(_ newUnit: Unit) {
        // Neutral tokens carry nothing: windows are measured in tokens, so they need no unit.
        if newUnit.kind == .neutral { return }
        var unit = newUnit
        if unit.kind == .contrast {
            clauseCounter += 1
            contrastUnits.append(units.count)
        }
        unit.sentence = sentenceCounter
        unit.clause = clauseCounter
        units.append(unit)
        switch unit.kind {
        case .sentenceBreak:
            let range = tokens[Int(unit.firstToken)].normalizedRange
            var isQuestion = false
            normalizedBytes.withUnsafeBufferPointer { buffer in
                for index in range {
                    let byte = buffer[index]
                    if byte == 0x21 { exclamations += 1 }
                    if byte == 0x3F {
                        questions += 1
                        isQuestion = true
                    }
                }
            }
            sentenceIsQuestion.append(isQuestion)
            sentenceCounter += 1
            clauseCounter += 1
        case .clauseBreak:
            clauseCounter += 1
        default:
            break
        }
    }

    /// The roles that give a word a unit or an effect (see `appendUnit`), or may start a phrase.
    private static let unitRoles: LexiconEntry.Roles = [
        .valence, .booster, .negator, .contrast, .request, .plea, .phraseStart,
    ]

    /// What `quickLookup` found out about a word token.
    private enum QuickLookup {
        /// A word that `wordUnit` would pass over.
        case passOver
        /// The entry of the word's normalised form, which has a role that matters here.
        case listed(Int32)
        /// Anything else, for `wordUnit` to look up in full.
        case unresolved
    }

    /// Most words, quickly: a plain word (no accent, no elongation) is looked up once here.
    /// Listed without any role that matters, or not listed and out of reach of every fallback
    /// of `lookupWord` and of laughter, it is passed over; listed with a role, its entry goes
    /// to `wordUnit`. Static so that the call does not copy the scorer.
    @inline(__always)
    private static func quickLookup(
        _ token: Token, in normalizedBytes: UnsafeBufferPointer<UInt8>, lexicon: LexiconStore
    ) -> QuickLookup {
        let flags = token.flags
        guard !flags.contains(.nonASCII), !flags.contains(.elongated), let base = normalizedBytes.baseAddress
        else { return .unresolved }
        let range = token.normalizedRange
        let entry = lexicon.words.find(
            overreading: base + range.lowerBound, count: range.count, hash: token.normalizedHash)
        if entry >= 0 {
            return lexicon.entries[Int(entry)].roles.isDisjoint(with: unitRoles) ? .passOver : .listed(entry)
        }
        let count = range.count
        let last = base[range.upperBound - 1]
        if last == 0x27 { return .unresolved }  // a trailing apostrophe (`po'`, `lovin'`)
        let language = lexicon.language
        if language != .en && count >= 5 { return .unresolved }  // enclitics, prefixes
        if language != .es && language != .it && count >= 4 && last == 0x6E { return .unresolved }  // `lovin`
        if count >= 4 {  // laughter starts with j, h, or a vowel and j or h
            let first = base[range.lowerBound]
            if first == 0x6A || first == 0x68 || first == 0x61 || first == 0x65 { return .unresolved }
        }
        return .passOver
    }

    /// A word token: a phrase starting here (longest match), or a single word. `entry` is
    /// the word's entry when `quickLookup` found it (nil: look the word up).
    private mutating func wordUnit(at index: Int, entry: Int32?, lexicon: LexiconStore) -> Int {
        let token = tokens[index]
        lookupPrefixed = false
        let entryIndex = entry ?? lookupWord(token, at: index, lexicon: lexicon)
        if entryIndex >= 0 && lexicon.entries[Int(entryIndex)].roles.contains(.phraseStart)
            && mayContinuePhrase(after: index, lexicon: lexicon)
        {
            if let (phraseEntry, length) = matchPhrase(at: index, lexicon: lexicon) {
                appendUnit(entry: phraseEntry, first: index, count: length, lexicon: lexicon)
                return index + length
            }
        } else if entryIndex < 0, token.flags.contains(.nonASCII) {
            // Folded form may start a phrase (written without accents); matchPhrase folds.
        }
        if entryIndex < 0 {
            if isLaughter(token) {
                var unit = Unit(kind: .sentiment, firstToken: Int32(index), tokenCount: 1)
                unit.laughter = true
                unit.valence = laughterValence(lexicon)
                addUnit(unit)
                return index + 1
            }
            return index + 1  // an unknown word is neutral: no unit
        }
        let before = units.count
        appendUnit(entry: entryIndex, first: index, count: 1, lexicon: lexicon)
        if lookupPrefixed && units.count > before { units[before].prefixed = true }
        return index + 1
    }

    /// A phrase that starts with the number at `index` (`10 su 10`): appends its unit and
    /// returns its length in tokens.
    private mutating func numberPhrase(at index: Int, lexicon: LexiconStore) -> Int? {
        let range = tokens[index].normalizedRange
        let hash = tokenHash(index)
        let entry = normalizedBytes.withUnsafeBufferPointer { buffer in
            lexicon.words.find(UnsafeBufferPointer(rebasing: buffer[range]), hash: hash)
        }
        guard entry >= 0 && lexicon.entries[Int(entry)].roles.contains(.phraseStart)
            && mayContinuePhrase(after: index, lexicon: lexicon),
            let (phraseEntry, length) = matchPhrase(at: index, lexicon: lexicon)
        else { return nil }
        appendUnit(entry: phraseEntry, first: index, count: length, lexicon: lexicon)
        return length
    }

    private mutating func appendUnit(entry entryIndex: Int32, first: Int, count: Int, lexicon: LexiconStore) {
        var unit = Unit(kind: .neutral, firstToken: Int32(first), tokenCount: Int32(count), entry: entryIndex)
        if entryIndex >= 0 {
            let entry = lexicon.entries[Int(entryIndex)]
            if entry.roles.contains(.request) && requestSentences.last != sentenceCounter && opensClause(first) {
                requestSentences.append(sentenceCounter)
            }
            if entry.roles.contains(.plea) && firstPlea < 0 { firstPlea = sentenceCounter }
            if entry.roles.contains(.contrast) {
                unit.kind = .contrast
            } else if entry.roles.contains(.negator) && !entry.roles.contains(.valence) {
                unit.kind = .negator
            } else if entry.roles.contains(.valence) {
                unit.kind = .sentiment
                unit.valence = entry.valence
                unit.emoji = entry.roles.contains(.emoji)
                // Not negated again: a phrase with a negator in it (`no vale la pena`), a word
                // that is itself a negator (`no` in "No and no": negative concord), an
                // interjection or laughter (`lol` in "I don't know lol").
                unit.containsNegation = !entry.roles.isDisjoint(with: [.containsNegator, .negator, .interjection])
                if !entry.roles.isDisjoint(with: [.booster, .negator]) { hasDualRoles = true }
            } else if entry.roles.contains(.booster) {
                unit.kind = .booster
                if entry.roles.contains(.postBooster) { hasPostBoosters = true }
            } else if entry.roles.contains(.negator) {
                unit.kind = .negator
            }
        }
        addUnit(unit)
    }

    /// A term that is both a sentiment word and a booster (`bien`, `pretty`) boosts when a
    /// sentiment word follows it, and counts as a sentiment word otherwise. A term that is both
    /// a negator and a sentiment word negates when a sentiment word follows.
    private mutating func resolveDualRoles(lexicon: LexiconStore) {
        var index = 0
        while index < units.count {
            let unit = units[index]
            if unit.kind == .sentiment && unit.entry >= 0 && !unit.emoji {
                let roles = lexicon.entries[Int(unit.entry)].roles
                if roles.contains(.booster) || roles.contains(.negator) {
                    var next = index + 1
                    var followed = false
                    let end = Int(unit.firstToken + unit.tokenCount)
                    while next < units.count && Int(units[next].firstToken) - end + 1 <= 2 {
                        if units[next].kind == .sentiment && !units[next].emoji {
                            // "no no no": a negator does not negate another negator.
                            let nextEntry = units[next].entry
                            followed = nextEntry < 0 || !lexicon.entries[Int(nextEntry)].roles.contains(.negator)
                            break
                        }
                        if units[next].kind != .neutral && units[next].kind != .booster { break }
                        next += 1
                    }
                    if followed { units[index].kind = roles.contains(.booster) ? .booster : .negator }
                }
            }
            index += 1
        }
    }

    /// A booster that may follow the word it modifies (`after` or `both` in `boosters.tsv`)
    /// modifies the sentiment word just before it (within `boosterWindow` tokens, in its clause):
    /// "mi è piaciuta tantissimo", "me gusta mucho", "cool af". A `both` booster directly
    /// followed by a sentiment word modifies that word instead ("molto bello").
    private mutating func resolvePostBoosters(lexicon: LexiconStore) {
        for index in units.indices where units[index].kind == .booster && index > 0 {
            let booster = units[index]
            guard booster.entry >= 0 else { continue }
            let roles = lexicon.entries[Int(booster.entry)].roles
            guard roles.contains(.postBooster) else { continue }
            let previous = units[index - 1]
            let gap = Int(booster.firstToken) - Int(previous.firstToken + previous.tokenCount) + 1
            guard previous.kind == .sentiment && !previous.emoji && previous.clause == booster.clause
                && gap <= rules.boosterWindow
            else { continue }
            if !roles.contains(.postOnly) && index + 1 < units.count {
                let next = units[index + 1]
                if next.kind == .sentiment && next.clause == booster.clause
                    && next.firstToken == booster.firstToken + booster.tokenCount
                {
                    continue
                }
            }
            units[index].postModifier = true
        }
    }

    // MARK: Lookups

    /// The lexicon entry of a word token, trying in turn: its normalised form, its
    /// two-letter elongation alternative, its accent-folded form, the form without a trailing
    /// apostrophe, and (Spanish, Italian) the verb under enclitic pronouns (`odiarlo`, `dímelo`).
    private mutating func lookupWord(_ token: Token, at tokenIndex: Int, lexicon: LexiconStore) -> Int32 {
        let hash = tokenHash(tokenIndex)
        let found: Int32 = normalizedBytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return -1 }
            var result = lexicon.words.find(
                overreading: base + token.normalizedRange.lowerBound, count: token.normalizedRange.count, hash: hash)
            if result >= 0 { return result }
            if token.flags.contains(.elongated) {
                result = lexicon.words.find(UnsafeBufferPointer(rebasing: buffer[token.alternativeRange]))
                if result >= 0 { return result }
            }
            return -1
        }
        if found >= 0 { return found }
        let flags = token.flags
        let normalizedRange = token.normalizedRange
        let endsWithApostrophe = normalizedBytes[normalizedRange.upperBound - 1] == 0x27
        let mayHaveClitic = lexicon.language != .en && normalizedRange.count >= 5
        let mayDropG = lexicon.language != .es && lexicon.language != .it && normalizedRange.count >= 4
            && (normalizedBytes[normalizedRange.upperBound - 1] == 0x6E
                || (endsWithApostrophe && normalizedBytes[normalizedRange.upperBound - 2] == 0x6E))
        // Plain ASCII words need nothing more unless something below applies.
        if !flags.contains(.nonASCII) && !flags.contains(.elongated) && !endsWithApostrophe && !mayHaveClitic
            && !mayDropG
        {
            return -1
        }
        // Accent-folded form.
        key.clear()
        normalizedBytes.withUnsafeBufferPointer { buffer in
            if flags.contains(.nonASCII) {
                TextNormalization.appendMatchKey(of: UnsafeBufferPointer(rebasing: buffer[normalizedRange]), to: &key)
            } else {
                key.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[normalizedRange]))
            }
        }
        if flags.contains(.nonASCII) {
            let result = lexicon.words.find(key)
            if result >= 0 { return result }
        }
        if endsWithApostrophe && key.count > 1 {
            // Italian "po'", "perche'" (the apostrophe stands for an accent), English "users'".
            key.removeLast()
            let result = lexicon.words.find(key)
            if result >= 0 { return result }
        }
        if flags.contains(.elongated) {
            key.clear()
            normalizedBytes.withUnsafeBufferPointer { buffer in
                TextNormalization.appendMatchKey(
                    of: UnsafeBufferPointer(rebasing: buffer[token.alternativeRange]), to: &key)
            }
            let result = lexicon.words.find(key)
            if result >= 0 { return result }
        }
        if mayHaveClitic && key.count >= 5 {
            let result = lookupUnderClitics(lexicon: lexicon, accented: flags.contains(.nonASCII))
            if result >= 0 { return result }
            if key.count >= 6 && !flags.contains(.elongated) && !endsWithApostrophe
                && (lexicon.language == .es || lexicon.language == .it)
            {
                return lookupUnderPrefix(lexicon: lexicon)
            }
            return -1
        }
        if lexicon.language != .es && lexicon.language != .it && key.count >= 4
            && key[key.count - 2] == 0x69 && key[key.count - 1] == 0x6E
        {
            // English dropped g: "lovin'", "kickin" → loving, kicking.
            key.append(0x67)
            let result = lexicon.words.find(key)
            if result >= 0 { return result }
        }
        return -1
    }

    /// Strips an intensifying prefix from the folded word in `key` (`strafigo`, `superbello`,
    /// `iperfelice`, `megacontento`, `ultrarrápido`, `requetebién`, Rioplatense `relindo`) and
    /// looks the rest (four letters at least) up as a sentiment word that is not a verb form
    /// (`superamo` is not `amo`; after `re`, an adjective). Sets `lookupPrefixed` when it succeeds.
    private mutating func lookupUnderPrefix(lexicon: LexiconStore) -> Int32 {
        let prefixes: [[UInt8]] = lexicon.language == .es ? Prefixes.spanish : Prefixes.italian
        guard let first = key.first, first == 0x73 || first == 0x69 || first == 0x75 || first == 0x6D
            || first == 0x68 || first == 0x72
        else { return -1 }
        for prefix in prefixes where key.count >= prefix.count + 4 && key.starts(with: prefix) {
            var start = prefix.count
            // Spanish doubles r after a prefix: ultrarrápido → rápido.
            if key[start] == 0x72 && key[start + 1] == 0x72 { start += 1 }
            let result = key.withUnsafeBufferPointer { lexicon.words.find(UnsafeBufferPointer(rebasing: $0[start...])) }
            guard result >= 0 else { continue }
            let roles = lexicon.entries[Int(result)].roles
            // Rioplatense `re` only before adjectives (`relindo`; `remata` is a verb).
            let fits = prefix.count > 2 || roles.contains(.adjective)
            if fits && roles.contains(.valence) && !roles.contains(.verbForm) && !roles.contains(.interjection) {
                lookupPrefixed = true
                return result
            }
        }
        return -1
    }

    /// Strips one or two enclitic pronouns from the folded word in `key` and looks the rest up
    /// as a verb form (`odiarlo` → `odiar`, `dimelo` → `di`, `deluderti` → `deluder(e)`).
    private mutating func lookupUnderClitics(lexicon: LexiconStore, accented: Bool) -> Int32 {
        let clitics: Clitics
        switch lexicon.language {
        case .es: clitics = Clitics.spanish
        case .it: clitics = Clitics.italian
        default: clitics = Clitics.all
        }
        // Cheap exit: the word must end in one of the clitics' last letters.
        guard let last = key.last, last == 0x65 || last == 0x73 || last == 0x6F || last == 0x61 || last == 0x69
        else { return -1 }
        // The stem is the first `count` bytes of `key`: stripping a clitic only shortens it.
        var count = key.count
        for _ in 0..<2 {
            var stripped = false
            let tail = Clitic.packedTail(of: key, endingAt: count)
            for suffix in clitics.ending(with: key[count - 1])
            where count > suffix.count + 2 && tail & suffix.mask == suffix.packed {
                count -= suffix.count
                stripped = true
                break
            }
            guard stripped else { return -1 }
            // Clitics attach to infinitives (odiar-lo, amar-ti), gerunds (haciendo-lo) and
            // imperatives, which then take an accent (cómpra-lo, dí-me-lo).
            let verbLike = accented || key[count - 1] == 0x72
                || (count > 3 && key[count - 3] == 0x6E && key[count - 2] == 0x64 && key[count - 1] == 0x6F)
            guard verbLike else { continue }
            let stem = count
            let result = key.withUnsafeBufferPointer { lexicon.words.find(UnsafeBufferPointer(rebasing: $0[..<stem])) }
            if result >= 0, lexicon.entries[Int(result)].roles.contains(.verbForm) { return result }
            if lexicon.language != .es {
                // Italian truncated infinitive: amar-ti → amare
                scratch.clear()
                scratch.append(contentsOf: key[..<stem])
                scratch.append(0x65)
                let result = lexicon.words.find(scratch)
                if result >= 0, lexicon.entries[Int(result)].roles.contains(.verbForm) { return result }
            }
        }
        return -1
    }

    /// Whether the token after `index` is the second token of some phrase (a quick filter).
    @inline(__always)
    private mutating func mayContinuePhrase(after index: Int, lexicon: LexiconStore) -> Bool {
        let next = index + 1
        guard next < tokens.count else { return false }
        let hash = phraseHash(next)
        let bit = Int(hash >> 7) & (LexiconStore.secondTokenBits - 1)
        return lexicon.secondTokens.withUnsafeBufferPointer { $0[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }
    }

    /// The hash of token `index`'s phrase key (`PhraseKey`: accent-folded, no accent apostrophe).
    @inline(__always)
    private mutating func phraseHash(_ index: Int) -> UInt32 {
        let token = tokens[index]
        let range = token.normalizedRange
        let plain = !token.flags.contains(.nonASCII)
            && (range.count < 2 || normalizedBytes[range.upperBound - 1] != 0x27)
        if plain { return tokenHash(index) }
        key.clear()
        normalizedBytes.withUnsafeBufferPointer { buffer in
            PhraseKey.append(of: UnsafeBufferPointer(rebasing: buffer[range]), to: &key)
        }
        return key.withUnsafeBufferPointer { ByteTable.hash($0) }
    }

    /// The longest phrase starting at token `start`, as (entry, token count).
    private mutating func matchPhrase(at start: Int, lexicon: LexiconStore) -> (Int32, Int)? {
        var best: (Int32, Int)?
        var hash = HashTable64.seed
        var index = start
        let count = tokens.count
        while index < count && index - start < lexicon.longestPhrase {
            let token = tokens[index]
            if token.kind == .hashtag { break }
            hash = HashTable64.combine(hash, phraseHash(index))
            if index > start {
                let step = lexicon.phraseHashes.find(hash)
                if step < 0 { break }
                let entry = (step >> 1) - 1
                if entry >= 0 { best = (entry, index - start + 1) }
                if step & 1 == 0 { break }
            }
            index += 1
        }
        return best
    }

    /// The hash of token `index`'s normalised form (computed by the tokenizer).
    @inline(__always)
    private func tokenHash(_ index: Int) -> UInt32 {
        tokens[index].normalizedHash
    }

    private func emojiValence(_ token: Token) -> Float? {
        let table = emoji
        return normalizedBytes.withUnsafeBufferPointer { buffer -> Float? in
            let bytes = UnsafeBufferPointer(rebasing: buffer[token.normalizedRange])
            let index = table.table.find(bytes)
            if index >= 0 { return table.valences[Int(index)] }
            if token.kind == .emoji {
                // A ZWJ sequence falls back to its first emoji.
                if let joiner = firstZWJ(in: bytes) {
                    let first = table.table.find(UnsafeBufferPointer(rebasing: bytes[..<joiner]))
                    if first >= 0 { return table.valences[Int(first)] }
                }
                return nil
            }
            // Emoticons: = and ; eyes fall back to :.
            if bytes.count >= 2 && (bytes[0] == 0x3D || bytes[0] == 0x3B || bytes[0] == 0x38) {
                var copy = Array(bytes)
                copy[0] = 0x3A
                let other = table.table.find(copy)
                if other >= 0 { return table.valences[Int(other)] }
            }
            return nil
        }
    }

    private func firstZWJ(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == 0xE2 && bytes[index + 1] == 0x80 && bytes[index + 2] == 0x8D { return index }
            index += 1
        }
        return nil
    }

    /// Laughter: `jajaja`, `jejeje`, `hahaha`, `ahahah`, `jiji`, and its typos (`JAJAAJAJ`,
    /// `ajjajjajaa`, `jajajajjaajaja`, `hahahah`). Four letters must be two equal syllables
    /// (`jaja`, `haha`; "hoja" and "hija" are words); longer tokens may mix j/h and vowels in any
    /// order, with at least two laughing consonants and two of their syllables (`ja`, `ha`…),
    /// starting with j/h or a vowel and j/h (`ajaja`).
    private func isLaughter(_ token: Token) -> Bool {
        let range = token.normalizedRange
        guard range.count >= 4, range.count <= 40 else { return false }
        return normalizedBytes.withUnsafeBufferPointer { buffer -> Bool in
            @inline(__always) func isConsonant(_ byte: UInt8) -> Bool { byte == 0x6A || byte == 0x68 }
            @inline(__always) func isVowel(_ byte: UInt8) -> Bool {
                byte == 0x61 || byte == 0x65 || byte == 0x69 || byte == 0x6F || byte == 0x75
            }
            var start = range.lowerBound
            if buffer[start] == 0x61 || buffer[start] == 0x65 { start += 1 }  // ajaja, ehehe
            guard range.upperBound - start >= 4 else { return false }
            let consonant = buffer[start]
            guard isConsonant(consonant) && isVowel(buffer[start + 1]) else { return false }
            if range.count == 4 {
                // The two syllables repeat (jaja, haha): "hoja" and "hija" are words.
                return buffer[start + 2] == consonant && buffer[start + 3] == buffer[start + 1]
            }
            var consonants = 0
            var syllables = 0
            var previousWasConsonant = false
            for index in start..<range.upperBound {
                let byte = buffer[index]
                if isConsonant(byte) {
                    consonants += 1
                    previousWasConsonant = true
                } else if isVowel(byte) {
                    if previousWasConsonant { syllables += 1 }
                    previousWasConsonant = false
                } else {
                    return false
                }
            }
            return consonants >= 2 && syllables >= 2
        }
    }

    /// Hashtags that mark a text as ironic or sarcastic, accent-folded, without `#`.
    private static let ironyMarkers: Set<[UInt8]> = Set([
        "ironia", "ironico", "ironica", "ironie", "sarcasmo", "sarcastico", "sarcastica", "irony", "ironic",
        "sarcasm", "sarcastic", "not",
    ].map { Array($0.utf8) })

    private mutating func isIronyMarker(_ token: Token) -> Bool {
        let range = token.normalizedRange
        guard range.count >= 4, range.count <= 40 else { return false }
        key.clear()
        normalizedBytes.withUnsafeBufferPointer { buffer in
            TextNormalization.appendMatchKey(
                of: UnsafeBufferPointer(rebasing: buffer[(range.lowerBound + 1)..<range.upperBound]), to: &key)
        }
        return Self.ironyMarkers.contains(key)
    }

    private func laughterValence(_ lexicon: LexiconStore) -> Float {
        for word in ["jaja", "haha"] {
            let index = lexicon.words.find(word)
            if index >= 0 {
                let entry = lexicon.entries[Int(index)]
                if entry.roles.contains(.valence) { return entry.valence }
            }
        }
        return rules.laughterValence
    }

    // MARK: Evaluation

    private mutating func evaluate(
        _ bytes: UnsafeBufferPointer<UInt8>, lexicon: LexiconStore, language: Language, target: Range<Int>?,
        explain: Bool
    ) -> SentimentScore {
        // No sentiment word at all: neutral, nothing else to work out.
        if rules.bareExclamationValence == 0 && !units.contains(where: { $0.kind == .sentiment }) {
            return SentimentScore(
                compound: 0, label: rules.positiveThreshold <= 0 ? .pos : (rules.negativeThreshold >= 0 ? .neg : .neu),
                language: language, sum: 0, contributions: [], notes: [])
        }
        let tokens = self.tokens
        // Capitals count as emphasis only when under half the words are capitals; count them
        // only when a sentiment word is in capitals.
        var capsMatter = false
        if units.contains(where: { $0.kind == .sentiment && tokens[Int($0.firstToken)].flags.contains(.allCaps) }) {
            var letterWords = 0
            var capsWords = 0
            for token in tokens where token.kind == .word {
                letterWords += 1
                if token.flags.contains(.allCaps) { capsWords += 1 }
            }
            capsMatter = capsWords > 0 && capsWords * 2 < letterWords
        }

        // Target clause.
        var targetClause: Int32 = -1
        if let target, let targetToken = tokens.firstIndex(where: {
            $0.range.lowerBound < target.upperBound && $0.range.upperBound > target.lowerBound
        }) {
            // The clause of the target token: that of the last unit at or before it (a break
            // before it means the next clause).
            targetClause = 0
            for unit in units {
                if Int(unit.firstToken) > targetToken { break }
                switch unit.kind {
                case .clauseBreak, .sentenceBreak: targetClause = unit.clause + 1
                default: targetClause = unit.clause
                }
            }
            if targetClause >= 0 && !units.contains(where: { $0.clause == targetClause && $0.kind == .sentiment }) {
                targetClause = -1
            }
        }

        if !contrastUnits.isEmpty { locateContrasts(lexicon: lexicon) }
        var contributions: [SentimentContribution] = []
        var notes: [String] = []
        var sum: Float = 0
        var previousEmoji: Range<Int>? = nil
        for index in units.indices where units[index].kind == .sentiment {
            let unit = units[index]
            if targetClause >= 0 && unit.clause != targetClause { continue }
            var value = unit.valence
            var applied: [String] = []
            let firstToken = tokens[Int(unit.firstToken)]
            // Boosters.
            if !unit.emoji {
                var back = index - 1
                while back >= 0 {
                    let other = units[back]
                    let distance = Int(unit.firstToken) - Int(other.firstToken + other.tokenCount) + 1
                    if distance > rules.boosterWindow { break }
                    if other.kind == .clauseBreak || other.kind == .sentenceBreak || other.kind == .contrast { break }
                    if other.kind == .booster && other.entry >= 0 && !other.postModifier
                        && !lexicon.entries[Int(other.entry)].roles.contains(.postOnly)
                    {
                        let factor = lexicon.entries[Int(other.entry)].boost
                        let decay = distance == 1 ? rules.boosterDecay.0 : (distance == 2 ? rules.boosterDecay.1 : rules.boosterDecay.2)
                        let multiplier = 1 + factor * decay
                        value *= multiplier
                        if explain { applied.append("boosted by '\(termText(other, lexicon))' ×\(format(multiplier))") }
                    }
                    back -= 1
                }
            }
            // Emphasis.
            if unit.prefixed || (unit.entry >= 0 && lexicon.entries[Int(unit.entry)].roles.contains(.emphatic)) {
                value *= rules.emphaticFactor
                if explain {
                    applied.append("\(unit.prefixed ? "intensifying prefix" : "emphatic form") ×\(format(rules.emphaticFactor))")
                }
            }
            // Capitals: not for interjections, often acronyms typed in capitals by convention
            // (`LOL`, `OMG`, `WTF`).
            if capsMatter && firstToken.flags.contains(.allCaps) && value != 0
                && !(unit.entry >= 0 && lexicon.entries[Int(unit.entry)].roles.contains(.interjection))
            {
                value += value > 0 ? rules.capsIncrement : -rules.capsIncrement
                if explain { applied.append("capitals ±\(format(rules.capsIncrement))") }
            }
            if firstToken.flags.contains(.elongated) && value != 0 && !unit.emoji {
                value += value > 0 ? rules.elongationIncrement : -rules.elongationIncrement
                if explain { applied.append("elongated ±\(format(rules.elongationIncrement))") }
            }
            // A discourse marker opening a sentence that goes on ("Bueno, me voy").
            if unit.entry >= 0 && lexicon.entries[Int(unit.entry)].roles.contains(.discourse)
                && isDiscourseMarker(unit)
            {
                value *= rules.discourseFactor
                if explain { applied.append("discourse marker ×\(format(rules.discourseFactor))") }
            }
            // Negation.
            var negated = false
            if !unit.emoji && !unit.laughter && !unit.containsNegation {
                var back = index - 1
                while back >= 0 {
                    let other = units[back]
                    let distance = Int(unit.firstToken) - Int(other.firstToken + other.tokenCount) + 1
                    if distance > rules.negationWindow { break }
                    if other.kind == .clauseBreak || other.kind == .sentenceBreak || other.kind == .contrast { break }
                    if other.kind == .negator
                        && (distance == 1 || other.entry < 0 || !lexicon.entries[Int(other.entry)].roles.contains(.adjacentOnly))
                    {
                        // "never been so happy", "nunca estuve tan enojado": an exclamation.
                        if other.entry >= 0 && lexicon.entries[Int(other.entry)].roles.contains(.neverType)
                            && hasDegreeBooster(between: back, and: index, lexicon: lexicon)
                        {
                            if explain { applied.append("'\(termText(other, lexicon))' + degree: exclamation, not negation") }
                            break
                        }
                        let privative = other.entry >= 0 && lexicon.entries[Int(other.entry)].roles.contains(.privative)
                        let factor = value >= 0 ? rules.negationFactor
                            : (privative ? rules.absentNegativeFactor : rules.negatedNegativeFactor)
                        value *= factor
                        negated = true
                        if explain { applied.append("negated by '\(termText(other, lexicon))' ×\(format(factor))") }
                        break
                    }
                    back -= 1
                }
            }
            // A booster after the word ("me gusta mucho"); not after a negated word: "no me
            // gusta mucho" is a milder complaint, not a stronger one.
            if hasPostBoosters && !negated && index + 1 < units.count && units[index + 1].postModifier
                && !(unit.entry >= 0 && lexicon.entries[Int(unit.entry)].roles.contains(.containsNegator))
            {
                let other = units[index + 1]
                let distance = Int(other.firstToken) - Int(unit.firstToken + unit.tokenCount) + 1
                let decay = distance == 1 ? rules.boosterDecay.0 : (distance == 2 ? rules.boosterDecay.1 : rules.boosterDecay.2)
                let multiplier = 1 + lexicon.entries[Int(other.entry)].boost * decay
                value *= multiplier
                if explain { applied.append("boosted by '\(termText(other, lexicon))' after it ×\(format(multiplier))") }
            }
            // Repeated emoji.
            if unit.emoji, let previous = previousEmoji {
                let current = firstToken.normalizedRange
                if normalizedBytes[previous].elementsEqual(normalizedBytes[current]) {
                    value *= rules.repeatedEmojiFactor
                    if explain { applied.append("repeated emoji ×\(format(rules.repeatedEmojiFactor))") }
                }
            }
            previousEmoji = unit.emoji ? firstToken.normalizedRange : nil
            // An emoticon that ends the text (`:)`, `:(`, `:P`) says how the text is meant.
            if unit.emoji && rules.finalEmoticonFactor != 1 && firstToken.kind == .emoticon && isTextFinal(unit) {
                value *= rules.finalEmoticonFactor
                if explain { applied.append("final emoticon ×\(format(rules.finalEmoticonFactor))") }
            }
            // Irony: the literal praise of a text marked as ironic is a complaint.
            if ironic && value > 0 {
                value *= rules.ironyFactor
                if explain { applied.append("irony marker ×\(format(rules.ironyFactor))") }
            }
            // Requests and questions.
            if !requestSentences.isEmpty && requestSentences.contains(unit.sentence) {
                value *= rules.requestFactor
                if explain { applied.append("request ×\(format(rules.requestFactor))") }
            } else if rules.questionFactor != 1, sentenceIsQuestion[Int(unit.sentence)] {
                value *= rules.questionFactor
                if explain { applied.append("question ×\(format(rules.questionFactor))") }
            }
            // A polite formula in or after a question, request or plea ("…? Gracias").
            if unit.entry >= 0 && lexicon.entries[Int(unit.entry)].roles.contains(.courtesy)
                && followsQuestion(unit.sentence)
            {
                value *= rules.courtesyFactor
                if explain { applied.append("courtesy after a question ×\(format(rules.courtesyFactor))") }
            }
            // Contrast.
            if !contrastUnits.isEmpty {
                let weight = contrastWeight(of: index, lexicon: lexicon, explain: explain, into: &applied)
                value *= weight
            }
            sum += value
            if explain {
                let lastToken = tokens[Int(unit.firstToken + unit.tokenCount - 1)]
                let range = firstToken.range.lowerBound..<lastToken.range.upperBound
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                var term = termText(unit, lexicon)
                if unit.laughter { term = "laughter" }
                if unit.emoji && unit.entry < 0 { term = String(decoding: normalizedBytes[firstToken.normalizedRange], as: UTF8.self) }
                contributions.append(SentimentContribution(
                    text: text, range: range, term: term, base: Double(unit.valence), value: Double(value),
                    rules: applied))
            }
        }
        if targetClause >= 0 && explain { notes.append("scored the target's clause only") }
        // An exclamation with no sentiment word is mild enthusiasm ("freestyle friday!!!").
        if sum == 0 && exclamations > 0 && rules.bareExclamationValence != 0 && targetClause < 0 {
            sum = rules.bareExclamationValence
            if explain { notes.append("exclamation without sentiment words \(format(rules.bareExclamationValence))") }
        } else
        // Punctuation emphasis on the whole sum.
        if sum != 0 {
            let bangs = min(exclamations, rules.maxExclamations)
            if bangs > 0 {
                let boost = Float(bangs) * rules.exclamationIncrement
                sum += sum > 0 ? boost : -boost
                if explain { notes.append("\(bangs) × '!' ±\(format(boost))") }
            }
            if questions > 1 {
                let boost = min(Float(questions) * rules.questionIncrement, rules.maxQuestionBoost)
                sum += sum > 0 ? boost : -boost
                if explain { notes.append("\(questions) × '?' ±\(format(boost))") }
            }
        }
        let compound = sum / (sum * sum + rules.alpha).squareRoot()
        let clamped = max(-1, min(1, compound))
        let label: SentimentLabel =
            clamped >= rules.positiveThreshold ? .pos : (clamped <= rules.negativeThreshold ? .neg : .neu)
        if explain && capsMatter { notes.append("capitals count as emphasis (the text is not all capitals)") }
        return SentimentScore(
            compound: Double(clamped), label: label, language: language, sum: Double(sum),
            contributions: contributions, notes: notes)
    }

    /// Whether token `first` opens its clause: only handles, links, emoji or nothing between it
    /// and the previous punctuation ("@ana ¿alguien sabe…", but not "how can you not love…").
    private func opensClause(_ first: Int) -> Bool {
        var index = first - 1
        while index >= 0 {
            switch tokens[index].kind {
            case .mention, .url, .emoji, .emoticon: index -= 1
            case .punctuation, .punctuationRun, .hashtag: return true
            case .word, .number: return false
            }
        }
        return true
    }

    /// Whether a degree booster (`so`, `tan`, `così`) stands between units `start` and `end`.
    private func hasDegreeBooster(between start: Int, and end: Int, lexicon: LexiconStore) -> Bool {
        var index = start + 1
        while index < end {
            let unit = units[index]
            if unit.kind == .booster && unit.entry >= 0 && lexicon.entries[Int(unit.entry)].roles.contains(.degree) {
                return true
            }
            index += 1
        }
        return false
    }

    /// Whether only punctuation, emoji, emoticons, handles, links or hashtags follow `unit` to the
    /// end of the text, and some word comes before it.
    private func isTextFinal(_ unit: Unit) -> Bool {
        let tokens = self.tokens
        var index = Int(unit.firstToken + unit.tokenCount)
        while index < tokens.count {
            switch tokens[index].kind {
            case .word, .number:
                if !tokens[index].flags.contains(.hashtagPart) { return false }
            default: break
            }
            index += 1
        }
        var back = Int(unit.firstToken) - 1
        while back >= 0 {
            if tokens[back].kind == .word && !tokens[back].flags.contains(.hashtagPart) { return true }
            back -= 1
        }
        return false
    }

    /// Whether sentence `sentence` or one before it is a question, a request or a plea.
    private func followsQuestion(_ sentence: Int32) -> Bool {
        if let first = requestSentences.first, first <= sentence { return true }
        if firstPlea >= 0 && firstPlea <= sentence { return true }
        var index = 0
        while index <= Int(sentence) && index < sentenceIsQuestion.count {
            if sentenceIsQuestion[index] { return true }
            index += 1
        }
        return false
    }

    /// Whether `unit` opens its sentence (only handles, links and emoji before it) and the
    /// sentence goes on with another word after it ("Bueno, me voy"; but not "Bueno." alone).
    private func isDiscourseMarker(_ unit: Unit) -> Bool {
        let tokens = self.tokens
        var index = Int(unit.firstToken) - 1
        while index >= 0 {
            switch tokens[index].kind {
            case .mention, .url, .emoji, .emoticon: index -= 1
            case .punctuation, .punctuationRun:
                if isSentenceEnd(tokens[index]) { index = -1 } else {
                    // ¡ ¿ open the sentence; a comma or a quote before means something came first.
                    let byte = normalizedBytes[tokens[index].normalizedRange.lowerBound]
                    guard byte == 0xC2 else { return false }
                    index -= 1
                }
            default: return false
            }
        }
        index = Int(unit.firstToken + unit.tokenCount)
        while index < tokens.count {
            let token = tokens[index]
            switch token.kind {
            case .word, .number, .hashtag: return true
            case .punctuation, .punctuationRun: if isSentenceEnd(token) { return false }
            default: break
            }
            index += 1
        }
        return false
    }

    /// `.`, `!`, `?` (alone or in runs; not `...`, which trails off).
    private func isSentenceEnd(_ token: Token) -> Bool {
        let range = token.normalizedRange
        let first = normalizedBytes[range.lowerBound]
        if first == 0x21 || first == 0x3F { return true }
        return first == 0x2E && range.count == 1
    }

    /// For every unit, the nearest contrast unit before it in its sentence and the nearest one
    /// after it (-1 when none), and the concessive contrast that opens its sentence's clause, if
    /// any. A contrast word weighs what follows it up to the end of its sentence only ("X, but
    /// Y. Z": Z is a statement of its own), and what precedes it in the text, unless its own
    /// sentence is a question ("Ma è buona?", "But why?") that does not answer what came before.
    private mutating func locateContrasts(lexicon: LexiconStore) {
        previousContrast.clear()
        nextContrast.clear()
        openingConcession.clear()
        var previous: Int32 = -1
        var concession: Int32 = -1
        for index in units.indices {
            let unit = units[index]
            if concession >= 0 && units[Int(concession)].sentence != unit.sentence { concession = -1 }
            if previous >= 0 && units[Int(previous)].sentence != unit.sentence { previous = -1 }
            previousContrast.append(previous)
            openingConcession.append(concession)
            if unit.kind == .contrast && unit.entry >= 0 {
                let entry = lexicon.entries[Int(unit.entry)]
                // Right after a break (or first in the text), with no token in between.
                let atClauseStart = unit.firstToken == 0
                    || (index > 0 && (units[index - 1].kind == .clauseBreak || units[index - 1].kind == .sentenceBreak)
                        && units[index - 1].firstToken + units[index - 1].tokenCount == unit.firstToken)
                if entry.contrastBefore > entry.contrastAfter && atClauseStart {
                    concession = Int32(index)
                } else if !isTrailingAdversative(index, entry) {
                    previous = Int32(index)
                }
            }
        }
        var next: Int32 = -1
        nextContrast.append(contentsOf: repeatElement(-1, count: units.count))
        for index in units.indices.reversed() {
            let unit = units[index]
            if next >= 0 {
                let contrast = units[Int(next)]
                if contrast.sentence == unit.sentence || !sentenceIsQuestion[Int(contrast.sentence)]
                {
                    nextContrast[index] = next
                }
            }
            if unit.kind == .contrast && unit.entry >= 0 && openingConcession.count > index {
                let isOpening = index + 1 < units.count && openingConcession[index + 1] == Int32(index)
                if !isOpening && !isTrailingAdversative(index, lexicon.entries[Int(unit.entry)]) {
                    next = Int32(index)
                }
            }
        }
    }

    /// An adversative word (`yet`, `still`: before ≤ after) that ends its sentence is an adverb
    /// ("not processed it yet."), not a contrast.
    private func isTrailingAdversative(_ index: Int, _ entry: LexiconEntry) -> Bool {
        guard entry.contrastBefore <= entry.contrastAfter else { return false }
        let unit = units[index]
        let end = unit.firstToken + unit.tokenCount
        if Int(end) >= tokens.count { return true }
        let nextToken = tokens[Int(end)]
        if nextToken.kind == .punctuationRun || nextToken.kind == .punctuation {
            let byte = normalizedBytes[nextToken.normalizedRange.lowerBound]
            return byte == 0x2E || byte == 0x21 || byte == 0x3F
        }
        return false
    }

    /// The contrast weight of the sentiment unit at `index` (after `locateContrasts`).
    ///
    /// A contrast word weighs what comes before it by `before` and what follows by `after`
    /// (`pero` 0.5 / 1.5); a unit feels only the nearest contrast word on each side, so long
    /// texts stay bounded. A concessive word opening a clause (`aunque`, `although`: `before` >
    /// `after`) weighs its own clause by `after` and the rest of its sentence by `before`: in
    /// "aunque tarde, llegó bien" the main clause is the second one.
    private func contrastWeight(
        of index: Int, lexicon: LexiconStore, explain: Bool, into applied: inout [String]
    ) -> Float {
        var weight: Float = 1
        let unit = units[index]
        func apply(_ contrastIndex: Int32, _ pick: (LexiconEntry) -> Float) {
            guard contrastIndex >= 0 else { return }
            let contrast = units[Int(contrastIndex)]
            guard contrast.entry >= 0 else { return }
            let factor = pick(lexicon.entries[Int(contrast.entry)])
            if factor != 1 {
                weight *= factor
                if explain { applied.append("contrast '\(termText(contrast, lexicon))' ×\(format(factor))") }
            }
        }
        apply(previousContrast[index]) { $0.contrastAfter }
        apply(nextContrast[index]) { $0.contrastBefore }
        let concession = openingConcession[index]
        if concession >= 0 {
            let opening = units[Int(concession)]
            if opening.clause == unit.clause {
                apply(concession) { $0.contrastAfter }
            } else {
                apply(concession) { $0.contrastBefore }
            }
        }
        return weight
    }

    private func termText(_ unit: Unit, _ lexicon: LexiconStore) -> String {
        if unit.entry >= 0 {
            let term = lexicon.entries[Int(unit.entry)].term
            if term >= 0 && Int(term) < lexicon.terms.count { return lexicon.terms[Int(term)] }
        }
        let tokens = self.tokens
        let first = tokens[Int(unit.firstToken)]
        return String(decoding: normalizedBytes[first.normalizedRange], as: UTF8.self)
    }

    private func format(_ value: Float) -> String {
        let rounded = (value * 100).rounded() / 100
        return "\(rounded)"
    }
}

/// Intensifying prefixes (accent-folded), longest first.
private enum Prefixes {
    static let spanish: [[UInt8]] = ["recontra", "requete", "super", "hiper", "ultra", "mega", "re"].map { Array($0.utf8) }
    static let italian: [[UInt8]] = ["super", "ultra", "stra", "iper", "mega", "arci"].map { Array($0.utf8) }
}

/// Enclitic pronouns, longest first within each language.
/// Enclitic pronouns, tried in list order (the first that ends the word is stripped), grouped
/// by their last letter so that a word is only compared with the clitics that may end it.
private struct Clitics: Sendable {
    static let spanishList = ["los", "las", "les", "nos", "me", "te", "se", "lo", "la", "le", "os"]
    static let italianList = ["glie", "gli", "mi", "ti", "ci", "vi", "si", "lo", "la", "li", "le", "ne", "me", "te", "ce", "ve", "se"]
    static let spanish = Clitics(spanishList)
    static let italian = Clitics(italianList)
    static let all = Clitics(spanishList + italianList)

    /// For each ASCII byte, the clitics ending with it, in list order.
    private let byLastByte: [[Clitic]]

    init(_ list: [String]) {
        var groups = [[Clitic]](repeating: [], count: 128)
        for text in list {
            let clitic = Clitic(text)
            groups[Int(clitic.packed & 0xFF)].append(clitic)
        }
        byLastByte = groups
    }

    /// The clitics that end with `byte`, in list order.
    @inline(__always)
    func ending(with byte: UInt8) -> [Clitic] {
        byte < 0x80 ? byLastByte[Int(byte)] : []
    }
}

/// An enclitic pronoun (two to four ASCII letters) packed into a `UInt32`, last letter in the
/// lowest byte, so that the end of a word is compared with it in one step (see `packedTail`).
private struct Clitic: Sendable {
    let packed: UInt32
    /// The low `count` bytes.
    let mask: UInt32
    let count: Int

    init(_ text: String) {
        let bytes = Array(text.utf8)
        precondition((1...4).contains(bytes.count) && bytes.allSatisfy { $0 < 0x80 }, "a clitic has one to four ASCII bytes")
        packed = bytes.reduce(0) { $0 << 8 | UInt32($1) }
        mask = UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(bytes.count * 8)) - 1)
        count = bytes.count
    }

    /// The last four (or fewer) of the first `end` bytes of `bytes`, packed like a clitic.
    @inline(__always)
    static func packedTail(of bytes: [UInt8], endingAt end: Int) -> UInt32 {
        var tail: UInt32 = 0
        for index in max(0, end - 4)..<end { tail = tail << 8 | UInt32(bytes[index]) }
        return tail
    }
}



extension Array {
    /// Empties the array and keeps its storage; nothing to do when it is already empty (most
    /// of the per-text lists, most of the time).
    @inline(__always)
    fileprivate mutating func clear() {
        if !isEmpty { removeAll(keepingCapacity: true) }
    }
}

extension UnsafeBufferPointer {
    /// The buffer itself (so code written for arrays reads buffers unchanged).
    @inline(__always)
    fileprivate func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<Element>) throws -> Result) rethrows -> Result {
        try body(self)
    }
}
