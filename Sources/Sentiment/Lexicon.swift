import Foundation
import TextAnalysis

/// What one lexicon term does: carry a valence, boost or damp the next sentiment word, negate,
/// or mark a contrast. One term may do several (`bien` is a positive word and an intensifier).
struct LexiconEntry: Sendable {
    struct Roles: OptionSet, Sendable {
        let rawValue: UInt32
        static let valence = Roles(rawValue: 1 << 0)
        static let booster = Roles(rawValue: 1 << 1)
        static let negator = Roles(rawValue: 1 << 2)
        static let contrast = Roles(rawValue: 1 << 3)
        /// Written in the lexicon (not generated from a lemma).
        static let explicit = Roles(rawValue: 1 << 4)
        /// A generated emphatic form (`-ísimo`, `-issimo`).
        static let emphatic = Roles(rawValue: 1 << 5)
        /// A verb form (lemma class `verb`); clitic stripping only accepts these.
        static let verbForm = Roles(rawValue: 1 << 6)
        /// From the emoji list (never negated).
        static let emoji = Roles(rawValue: 1 << 7)
        /// The token starts at least one phrase (try the phrase table from here).
        static let phraseStart = Roles(rawValue: 1 << 8)
        /// A negator that denies by absence (`sin`, `senza`, `without`): a negative word after
        /// it is flipped (`sin retrasos` is praise), not only damped.
        static let privative = Roles(rawValue: 1 << 9)
        /// An interjection or laughter (class `intj`): never negated.
        static let interjection = Roles(rawValue: 1 << 10)
        /// A phrase with a negator among its words (`no vale la pena`, `can't wait`, `non c'è
        /// male`): already negated, so an earlier negator does not negate it again.
        static let containsNegator = Roles(rawValue: 1 << 11)
        /// A booster that may follow the word it modifies (`mi piace molto`, `cool af`):
        /// `after` or `both` in `boosters.tsv`.
        static let postBooster = Roles(rawValue: 1 << 12)
        /// A booster that only follows the word it modifies (`af`, `as hell`, `da morire`).
        static let postOnly = Roles(rawValue: 1 << 13)
        /// An adjective or one of its forms (class `adj`).
        static let adjective = Roles(rawValue: 1 << 14)
        /// A negator that negates only the sentiment word right after it (`poco amable`,
        /// `poco chiaro`: `next` in `negators.txt`).
        static let adjacentOnly = Roles(rawValue: 1 << 15)
        /// A discourse marker (`discourse.txt`): opening a sentence that goes on ("Bueno, me
        /// voy", "Well, ok then", "Vabbè, pazienza") it carries no valence.
        static let discourse = Roles(rawValue: 1 << 16)
        /// Asks for something (`requests.txt` kind `request`: "can you", "alguien sabe",
        /// "qualcuno sa"): its sentence is a request.
        static let request = Roles(rawValue: 1 << 17)
        /// A polite formula (`requests.txt` kind `courtesy`: thanks, gracias, grazie, saluti).
        static let courtesy = Roles(rawValue: 1 << 18)
        /// Makes its sentence ask for something without damping it (`requests.txt` kind `plea`:
        /// please, por favor, per favore): a courtesy formula after it is not praise.
        static let plea = Roles(rawValue: 1 << 19)
        /// A negator of time (`never`, `nunca`, `mai`: `never` in `negators.txt`): before a
        /// degree booster it makes an exclamation, not a negation ("never been so happy").
        static let neverType = Roles(rawValue: 1 << 20)
        /// A booster of degree (`so`, `tan`, `così`: position `degree` in `boosters.tsv`).
        static let degree = Roles(rawValue: 1 << 21)

        /// The roles that make a term matter to scoring.
        static let scoring: Roles = [.valence, .booster, .negator, .contrast]
    }

    var roles: Roles = []
    /// −4…+4 when `roles` contains `.valence`.
    var valence: Float = 0
    /// The intensifier factor when `roles` contains `.booster`.
    var boost: Float = 0
    /// Contrast weights of the clause before and after the term.
    var contrastBefore: Float = 1
    var contrastAfter: Float = 1
    /// Index of the lexicon term (lemma or phrase as written) in `LanguageLexicon.terms`.
    var term: Int32 = -1
}

/// A problem found in a lexicon file: the line is skipped.
public struct LexiconIssue: Sendable, CustomStringConvertible {
    /// The file, relative to the lexicon directory.
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// What is wrong and what to do.
    public var message: String

    public var description: String { "\(file):\(line): \(message)" }
}

/// The lexicon of one language (or the merged lexicon used for `und`), ready for byte lookups.
struct LanguageLexicon: Sendable {
    var language: Language
    var entries: [LexiconEntry] = []
    /// Terms as written in the files (lemmas, phrases) for explanations.
    var terms: [String] = []
    /// Lower-case form (with accents) → entry.
    var exact = ByteTable(capacity: 4096)
    /// Lower-case accent-folded form → entry (fallback for text written without accents).
    var folded = ByteTable(capacity: 4096)
    /// Accent-folded token sequence joined by spaces → entry, for phrases of two tokens or more.
    var phrases = ByteTable(capacity: 512)
    /// Every proper prefix (in tokens) of a phrase → 1, so matching stops early.
    var phrasePrefixes = ByteTable(capacity: 512)
    /// The table used when scoring: every exact key, then every folded key that is not also an
    /// exact key; entries of tokens that start a phrase carry `.phraseStart`. Built by `finalize()`.
    var words = ByteTable(capacity: 4096)
    /// Phrases and phrase prefixes (two tokens or more) in one table, for matching one lookup
    /// per token: the value is `((entry + 1) << 1) | 1 if the key is also a proper prefix`.
    var phraseSteps = ByteTable(capacity: 16)
    /// `phraseSteps` keyed by the combined hashes of the phrase's tokens (see `HashTable64`).
    var phraseHashes = HashTable64(capacity: 16)
    /// A bit per hash of every token that is second in a phrase: a phrase start followed by
    /// another token cannot begin a phrase here.
    var secondTokens = [UInt64](repeating: 0, count: LexiconStore.secondTokenBits / 64)
    /// The longest phrase, in tokens.
    var longestPhrase = 1
    /// Counts of loaded terms for `vigia score --explain` and tests.
    var explicitTerms = 0
    var generatedForms = 0

    init(language: Language) { self.language = language }

    /// Builds `words` from `exact`, `folded` and the phrase prefixes.
    mutating func finalize() {
        var combined = ByteTable(capacity: exact.count + folded.count)
        exact.forEach { key, index in
            combined.insert(Array(key), value: index, replace: true)
        }
        folded.forEach { key, index in
            combined.insert(Array(key), value: index, replace: false)
        }
        // Mark the first token of every phrase: under its phrase key (accent-folded) and under
        // every word key that has that phrase key, so that an accented word (`così` in `così
        // così`, `qualità`) or one with an accent apostrophe (`piu'`) found by its exact form
        // also starts the phrase.
        var starts = ByteTable(capacity: 1024)
        phrasePrefixes.forEach { key, _ in
            if !key.contains(0x20) { starts.insert(Array(key), value: 1, replace: false) }
        }
        var copies: [Int32: Int32] = [:]
        func mark(_ key: [UInt8]) {
            let index = combined.find(key)
            if index >= 0 {
                guard !entries[Int(index)].roles.contains(.phraseStart) else { return }
                // Copy (once per entry) so that entries of keys that start no phrase stay unmarked.
                if let copy = copies[index] {
                    combined.insert(key, value: copy, replace: true)
                } else {
                    var entry = entries[Int(index)]
                    entry.roles.insert(.phraseStart)
                    entries.append(entry)
                    copies[index] = Int32(entries.count - 1)
                    combined.insert(key, value: Int32(entries.count - 1), replace: true)
                }
            } else {
                entries.append(LexiconEntry(roles: [.phraseStart]))
                combined.insert(key, value: Int32(entries.count - 1), replace: true)
            }
        }
        starts.forEach { key, _ in mark(Array(key)) }
        var wordKeys: [[UInt8]] = []
        combined.forEach { key, _ in wordKeys.append(Array(key)) }
        var phraseKey: [UInt8] = []
        for key in wordKeys {
            phraseKey.removeAll(keepingCapacity: true)
            key.withUnsafeBufferPointer { PhraseKey.append(of: $0, to: &phraseKey) }
            if phraseKey != key && starts.find(phraseKey) >= 0 { mark(key) }
        }
        words = combined
        // Phrases with a negator among their words are already negated.
        var negated: [Int32] = []
        phrases.forEach { key, index in
            for part in key.split(separator: 0x20) {
                let word = combined.find(Array(part))
                if word >= 0 && entries[Int(word)].roles.contains(.negator) {
                    negated.append(index)
                    break
                }
            }
        }
        for index in negated { entries[Int(index)].roles.insert(.containsNegator) }
        // Phrases and their prefixes in one table: ((entry + 1) << 1) | isPrefix.
        var steps = ByteTable(capacity: phrases.count + phrasePrefixes.count)
        phrases.forEach { key, index in
            steps.insert(Array(key), value: (index + 1) << 1, replace: true)
        }
        phrasePrefixes.forEach { key, _ in
            let existing = steps.find(Array(key))
            steps.insert(Array(key), value: existing >= 0 ? existing | 1 : 1, replace: true)
        }
        phraseSteps = steps
        var hashes = HashTable64(capacity: steps.count)
        var seconds = [UInt64](repeating: 0, count: LexiconStore.secondTokenBits / 64)
        steps.forEach { key, value in
            var hash = HashTable64.seed
            for (position, part) in key.split(separator: 0x20, omittingEmptySubsequences: false).enumerated() {
                let tokenHash = Array(part).withUnsafeBufferPointer { ByteTable.hash($0) }
                hash = HashTable64.combine(hash, tokenHash)
                if position == 1 {
                    let bit = Int(tokenHash >> 7) & (LexiconStore.secondTokenBits - 1)
                    seconds[bit >> 6] |= 1 << UInt64(bit & 63)
                }
            }
            hashes.insert(hash, value: value)
        }
        phraseHashes = hashes
        secondTokens = seconds
    }

    mutating func addTerm(_ text: String) -> Int32 {
        terms.append(text)
        return Int32(terms.count - 1)
    }

    /// Adds or merges `entry` under the single-token `key` (lower case). Explicit entries beat
    /// generated ones; two entries for one key merge their roles.
    mutating func addWord(_ key: String, _ entry: LexiconEntry) {
        var utf8 = Array(key.utf8)
        let existingIndex = exact.find(utf8)
        if existingIndex >= 0 {
            let existing = entries[Int(existingIndex)]
            entries[Int(existingIndex)] = Self.merge(existing, entry)
        } else {
            entries.append(entry)
            exact.insert(utf8, value: Int32(entries.count - 1), replace: true)
        }
        let index = exact.find(utf8)
        // Folded key: the first explicit entry wins, then the first generated.
        var foldedKey: [UInt8] = []
        utf8.withUnsafeBufferPointer { TextNormalization.appendMatchKey(of: $0, to: &foldedKey) }
        let foldedIndex = folded.find(foldedKey)
        if foldedIndex < 0 {
            folded.insert(foldedKey, value: index, replace: true)
        } else if foldedIndex != index {
            let current = entries[Int(foldedIndex)]
            let candidate = entries[Int(index)]
            // Prefer the entry whose own form is the folded one, then explicit over generated.
            if foldedKey == utf8
                || (!current.roles.contains(.explicit) && candidate.roles.contains(.explicit))
            {
                folded.insert(foldedKey, value: index, replace: true)
            }
        }
        utf8.removeAll()
    }

    static func merge(_ old: LexiconEntry, _ new: LexiconEntry) -> LexiconEntry {
        var result = old
        let oldExplicit = old.roles.contains(.explicit)
        let newExplicit = new.roles.contains(.explicit)
        if new.roles.contains(.valence) {
            if !old.roles.contains(.valence) || (newExplicit && !oldExplicit) {
                result.valence = new.valence
                result.roles.insert(.valence)
                result.roles.remove(.emphatic)
                result.roles.formUnion(new.roles.intersection([.emphatic]))
                result.term = new.term
            }
        }
        if new.roles.contains(.booster) && (!old.roles.contains(.booster) || newExplicit) {
            result.boost = new.boost
            result.roles.insert(.booster)
            result.roles.formUnion(new.roles.intersection([.postBooster, .postOnly, .degree]))
        }
        if new.roles.contains(.negator) {
            result.roles.formUnion(new.roles.intersection([.negator, .privative, .adjacentOnly, .neverType]))
        }
        if new.roles.contains(.contrast) {
            result.roles.insert(.contrast)
            result.contrastBefore = new.contrastBefore
            result.contrastAfter = new.contrastAfter
        }
        if newExplicit { result.roles.insert(.explicit) }
        if new.roles.contains(.verbForm) { result.roles.insert(.verbForm) }
        if new.roles.contains(.adjective) && (newExplicit || !oldExplicit) { result.roles.insert(.adjective) }
        if new.roles.contains(.emoji) { result.roles.insert(.emoji) }
        if new.roles.contains(.interjection) { result.roles.insert(.interjection) }
        if new.roles.contains(.discourse) { result.roles.insert(.discourse) }
        result.roles.formUnion(new.roles.intersection([.request, .courtesy, .plea]))
        if result.term < 0 { result.term = new.term }
        return result
    }

    /// Adds a term that may span several tokens: phrases go to the phrase table, single tokens
    /// to the word tables.
    mutating func addTermOfAnyLength(_ text: String, _ entry: LexiconEntry, tokenizer: Tokenizer) {
        let keys = Self.tokenKeys(text, tokenizer: tokenizer)
        guard !keys.isEmpty else { return }
        if keys.count == 1 {
            var single = Tokenizer(splitsHashtags: false).tokenize(text)
            let key = single.tokens.first.map { single.normalized($0) } ?? text
            single.removeAll()
            addWord(key, entry)
            return
        }
        let joined = keys.joined(separator: " ")
        let existing = phrases.find(joined)
        if existing >= 0 {
            entries[Int(existing)] = Self.merge(entries[Int(existing)], entry)
        } else {
            entries.append(entry)
            phrases.insert(joined, value: Int32(entries.count - 1), replace: true)
        }
        for length in 1..<keys.count {
            phrasePrefixes.insert(keys[0..<length].joined(separator: " "), value: 1, replace: false)
        }
        longestPhrase = max(longestPhrase, keys.count)
    }

    /// Adds `role` to the entry of the word or phrase `term` (lower case), if it has one.
    mutating func markExisting(_ term: String, with role: LexiconEntry.Roles, tokenizer: Tokenizer) {
        let keys = Self.tokenKeys(term, tokenizer: tokenizer)
        guard !keys.isEmpty else { return }
        if keys.count == 1 {
            var single = tokenizer.tokenize(term)
            let key = single.tokens.first.map { single.normalized($0) } ?? term
            single.removeAll()
            let index = exact.find(key)
            if index >= 0 { entries[Int(index)].roles.insert(role) }
            let folded = self.folded.find(keys[0])
            if folded >= 0 && folded != index { entries[Int(folded)].roles.insert(role) }
        } else {
            let index = phrases.find(keys.joined(separator: " "))
            if index >= 0 { entries[Int(index)].roles.insert(role) }
        }
    }

    /// The phrase keys (`PhraseKey`) of the tokens of `text`.
    static func tokenKeys(_ text: String, tokenizer: Tokenizer) -> [String] {
        let tokenized = tokenizer.tokenize(text)
        return tokenized.tokens.map { token in
            var key: [UInt8] = []
            tokenized.normalizedBytes.withUnsafeBufferPointer { buffer in
                PhraseKey.append(of: UnsafeBufferPointer(rebasing: buffer[token.normalizedRange]), to: &key)
            }
            return String(decoding: key, as: UTF8.self)
        }
    }
}

/// How a token is written in phrase keys: lower case, accent-folded, and without an apostrophe
/// that follows a vowel at the end (Italian writes `piu'`, `perche'`, `e'`, `cosi'` for `più`,
/// `perché`, `è`, `così`; `po'` is `po`). Elisions (`dell'`, `c'`, `l'`) end in a consonant and
/// keep their apostrophe.
enum PhraseKey {
    static func append(of token: UnsafeBufferPointer<UInt8>, to key: inout [UInt8]) {
        let start = key.count
        TextNormalization.appendMatchKey(of: token, to: &key)
        if key.count - start >= 2 && key[key.count - 1] == 0x27 && isVowel(key[key.count - 2]) {
            key.removeLast()
        }
    }

    /// Whether an ASCII token ends in a vowel and an apostrophe (its phrase key differs from
    /// its normalised form).
    @inline(__always)
    static func endsWithAccentApostrophe(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        token.count >= 2 && token[token.count - 1] == 0x27 && isVowel(token[token.count - 2])
    }

    @inline(__always)
    static func isVowel(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x61, 0x65, 0x69, 0x6F, 0x75: true
        default: false
        }
    }
}

/// The emoji and emoticon valences shared by every language.
struct EmojiLexicon: Sendable {
    /// Normalised emoji or emoticon (as the tokenizer writes it) → valence.
    var table = ByteTable(capacity: 512)
    var valences: [Float] = []
    var symbols: [String] = []
    /// Entries whose symbol is not one token for our tokenizer: added to every phrase table.
    var multiToken: [(String, Float)] = []

    mutating func add(_ symbol: String, valence: Float, tokenizer: Tokenizer) {
        let tokenized = tokenizer.tokenize(symbol)
        if tokenized.tokens.count == 1, let token = tokenized.tokens.first {
            let key = Array(tokenized.normalizedBytes[token.normalizedRange])
            if table.find(key) < 0 {
                valences.append(valence)
                symbols.append(symbol)
                table.insert(key, value: Int32(valences.count - 1), replace: false)
            }
        } else if !tokenized.tokens.isEmpty {
            multiToken.append((symbol, valence))
        }
    }
}

/// A loaded lexicon behind a reference, so the scorer passes one pointer around instead of
/// copying a struct of a dozen arrays for every text.
final class LexiconStore: Sendable {
    let language: Language
    let entries: [LexiconEntry]
    let terms: [String]
    let words: ByteTable
    let phrases: ByteTable
    let phrasePrefixes: ByteTable
    let phraseSteps: ByteTable
    let phraseHashes: HashTable64
    let secondTokens: [UInt64]
    /// Size of the second-token filter (64 Kibit, 8 KiB).
    static let secondTokenBits = 1 << 16
    let longestPhrase: Int

    init(_ lexicon: LanguageLexicon) {
        language = lexicon.language
        entries = lexicon.entries
        terms = lexicon.terms
        words = lexicon.words
        phrases = lexicon.phrases
        phrasePrefixes = lexicon.phrasePrefixes
        phraseSteps = lexicon.phraseSteps
        phraseHashes = lexicon.phraseHashes
        secondTokens = lexicon.secondTokens
        longestPhrase = lexicon.longestPhrase
    }
}

/// The lexicons ready for scoring, one store per language; the merged `und` store is built the
/// first time a text needs it.
final class LexiconStores: @unchecked Sendable {
    private let lock = NSLock()
    private let set: LexiconSet
    private var stores: [LexiconStore?]

    init(_ set: LexiconSet) {
        self.set = set
        stores = [Language.es, .it, .en].map { LexiconStore(set.lexicon(for: $0)) } + [nil]
    }

    /// The store for `language` (thread-safe).
    func store(for language: Language) -> LexiconStore {
        let index = LexiconSet.index(of: language)
        lock.lock()
        defer { lock.unlock() }
        if let store = stores[index] { return store }
        let store = LexiconStore(set.mergedLexicon())
        stores[index] = store
        return store
    }
}

/// Every lexicon Vigía scores with, loaded from a `lexicons/` directory.
struct LexiconSet: Sendable {
    var languages: [Language: LanguageLexicon] = [:]
    var emoji = EmojiLexicon()
    var issues: [LexiconIssue] = []

    /// Loads `directory` (the layout described in `lexicons/README.md`). Missing files are
    /// allowed (the language simply knows fewer words); malformed lines are skipped and reported
    /// in `issues`.
    init(directory: URL) {
        let tokenizer = Tokenizer(splitsHashtags: false)
        let emojiURL = directory.appendingPathComponent("emoji.tsv")
        for (line, columns) in Self.rows(of: emojiURL, relative: "emoji.tsv", into: &issues) {
            guard columns.count >= 2, let valence = Self.valence(columns[1]) else {
                issues.append(LexiconIssue(file: "emoji.tsv", line: line, message: "expected symbol<TAB>valence (−4…4)"))
                continue
            }
            emoji.add(columns[0], valence: valence, tokenizer: tokenizer)
        }
        for language in Language.analysed {
            var lexicon = LanguageLexicon(language: language)
            let folder = directory.appendingPathComponent(language.rawValue)
            Self.loadWords(folder, language, into: &lexicon, issues: &issues)
            Self.loadPhrases(folder, language, into: &lexicon, issues: &issues, tokenizer: tokenizer)
            Self.loadBoosters(folder, language, into: &lexicon, issues: &issues, tokenizer: tokenizer)
            Self.loadNegators(folder, language, into: &lexicon, issues: &issues, tokenizer: tokenizer)
            Self.loadContrast(folder, language, into: &lexicon, issues: &issues, tokenizer: tokenizer)
            Self.loadDiscourse(folder, language, into: &lexicon, issues: &issues, tokenizer: tokenizer)
            Self.loadRequests(folder, language, into: &lexicon, issues: &issues, tokenizer: tokenizer)
            for (symbol, valence) in emoji.multiToken {
                var entry = LexiconEntry(roles: [.valence, .explicit, .emoji], valence: valence)
                entry.term = lexicon.addTerm(symbol)
                lexicon.addTermOfAnyLength(symbol, entry, tokenizer: tokenizer)
            }
            lexicon.finalize()
            languages[language] = lexicon
        }
    }

    /// The merged lexicon used for `und` (built on demand: it takes a moment).
    func mergedLexicon() -> LanguageLexicon {
        var merged = Self.merged(languages, tokenizer: Tokenizer(splitsHashtags: false))
        merged.finalize()
        return merged
    }

    /// The lexicon for `language` (`und` gives the merged lexicon).
    func lexicon(for language: Language) -> LanguageLexicon {
        languages[language] ?? LanguageLexicon(language: language)
    }


    /// The position of `language` in `stores()`.
    @inline(__always)
    static func index(of language: Language) -> Int {
        switch language {
        case .es: 0
        case .it: 1
        case .en: 2
        case .und: 3
        }
    }

    // MARK: Parsing

    static func valence(_ text: String) -> Float? {
        guard let value = Float(text), value.isFinite else { return nil }
        return min(4, max(-4, value))
    }

    /// The non-comment, non-blank lines of a file split on tabs, with their line numbers.
    static func rows(of url: URL, relative: String, into issues: inout [LexiconIssue]) -> [(Int, [String])] {
        guard let data = try? Data(contentsOf: url) else { return [] }
        let bytes = [UInt8](data)
        guard String(bytes: bytes, encoding: .utf8) != nil else {
            issues.append(LexiconIssue(file: relative, line: 0, message: "not valid UTF-8; save the file as UTF-8"))
            return []
        }
        var result: [(Int, [String])] = []
        var lineNumber = 0
        var lineStart = 0
        func column(_ start: Int, _ end: Int) -> String {
            var start = start
            var end = end
            while start < end && bytes[start] == 0x20 { start += 1 }
            while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x0D) { end -= 1 }
            let slice = bytes[start..<end]
            let text = String(decoding: slice, as: UTF8.self)
            // Compose only when a combining mark (U+0300…U+036F: CC 80…CD AF) is present.
            return slice.contains(where: { $0 == 0xCC || $0 == 0xCD }) ? TextNormalization.nfc(text) : text
        }
        while lineStart <= bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            lineNumber += 1
            var first = lineStart
            while first < lineEnd && (bytes[first] == 0x20 || bytes[first] == 0x09 || bytes[first] == 0x0D) { first += 1 }
            if first < lineEnd && bytes[first] != 0x23 {
                var columns: [String] = []
                var columnStart = lineStart
                for index in lineStart..<lineEnd where bytes[index] == 0x09 {
                    columns.append(column(columnStart, index))
                    columnStart = index + 1
                }
                columns.append(column(columnStart, lineEnd))
                result.append((lineNumber, columns))
            }
            lineStart = lineEnd + 1
        }
        return result
    }

    static func loadWords(_ folder: URL, _ language: Language, into lexicon: inout LanguageLexicon, issues: inout [LexiconIssue]) {
        let file = "\(language.rawValue)/words.tsv"
        let rows = rows(of: folder.appendingPathComponent("words.tsv"), relative: file, into: &issues)
        // Explicit entries first, so they always beat generated forms.
        var generated: [(String, WordClass, Float, Int32)] = []
        for (line, columns) in rows {
            guard columns.count >= 2, !columns[0].isEmpty, let valence = valence(columns[1]) else {
                issues.append(LexiconIssue(file: file, line: line, message: "expected term<TAB>valence<TAB>class"))
                continue
            }
            let wordClass: WordClass
            if columns.count >= 3, !columns[2].isEmpty {
                guard let parsed = WordClass(rawValue: columns[2].lowercased()) else {
                    issues.append(LexiconIssue(
                        file: file, line: line, message: "unknown class '\(columns[2])' (adj, noun, verb, adv, other, intj)"))
                    continue
                }
                wordClass = parsed
            } else {
                wordClass = .other
            }
            let term = columns[0].lowercased()
            let termIndex = lexicon.addTerm(term)
            var roles: LexiconEntry.Roles = [.valence, .explicit]
            if wordClass == .verb { roles.insert(.verbForm) }
            if wordClass == .intj { roles.insert(.interjection) }
            if wordClass == .adj { roles.insert(.adjective) }
            if term.contains(" ") {
                lexicon.addTermOfAnyLength(term, LexiconEntry(roles: roles, valence: valence, term: termIndex),
                                           tokenizer: Tokenizer(splitsHashtags: false))
                continue
            }
            lexicon.addWord(term, LexiconEntry(roles: roles, valence: valence, term: termIndex))
            lexicon.explicitTerms += 1
            generated.append((term, wordClass, valence, termIndex))
        }
        for (term, wordClass, valence, termIndex) in generated {
            for form in Inflector.forms(of: term, as: wordClass, in: language) {
                var roles: LexiconEntry.Roles = [.valence]
                if form.emphatic { roles.insert(.emphatic) }
                if wordClass == .verb { roles.insert(.verbForm) }
                if wordClass == .adj { roles.insert(.adjective) }
                if lexicon.exact.find(form.form) >= 0 {
                    // An explicit entry or an earlier generated form already owns this form.
                    continue
                }
                lexicon.addWord(form.form, LexiconEntry(roles: roles, valence: valence, term: termIndex))
                lexicon.generatedForms += 1
            }
        }
    }

    static func loadPhrases(_ folder: URL, _ language: Language, into lexicon: inout LanguageLexicon,
                            issues: inout [LexiconIssue], tokenizer: Tokenizer) {
        let file = "\(language.rawValue)/phrases.tsv"
        for (line, columns) in rows(of: folder.appendingPathComponent("phrases.tsv"), relative: file, into: &issues) {
            guard columns.count >= 2, !columns[0].isEmpty, let valence = valence(columns[1]) else {
                issues.append(LexiconIssue(file: file, line: line, message: "expected phrase<TAB>valence"))
                continue
            }
            let phrase = columns[0].lowercased()
            var entry = LexiconEntry(roles: [.valence, .explicit], valence: valence)
            entry.term = lexicon.addTerm(phrase)
            lexicon.addTermOfAnyLength(phrase, entry, tokenizer: tokenizer)
        }
    }

    static func loadBoosters(_ folder: URL, _ language: Language, into lexicon: inout LanguageLexicon,
                             issues: inout [LexiconIssue], tokenizer: Tokenizer) {
        let file = "\(language.rawValue)/boosters.tsv"
        for (line, columns) in rows(of: folder.appendingPathComponent("boosters.tsv"), relative: file, into: &issues) {
            guard columns.count >= 2, !columns[0].isEmpty, var factor = Float(columns[1]), factor.isFinite else {
                issues.append(LexiconIssue(file: file, line: line, message: "expected term<TAB>factor[<TAB>before|after|both]"))
                continue
            }
            if factor <= -1 || factor > 4 {
                // valence × (1 + factor) must keep the valence's sign: clamp and report.
                issues.append(LexiconIssue(
                    file: file, line: line, message: "factor \(columns[1]) out of range (−1 < factor ≤ 4); clamped"))
                factor = min(4, max(-0.9, factor))
            }
            let term = columns[0].lowercased()
            var entry = LexiconEntry(roles: [.booster, .explicit], boost: factor)
            // Optional position: before (default), after (`af`, `da morire`), both (`molto`),
            // degree (a before-booster of degree: `so`, `tan`, `così`).
            if columns.count >= 3 && !columns[2].isEmpty {
                switch columns[2].lowercased() {
                case "before": break
                case "after": entry.roles.formUnion([.postBooster, .postOnly])
                case "both": entry.roles.insert(.postBooster)
                case "degree": entry.roles.insert(.degree)
                default:
                    issues.append(LexiconIssue(
                        file: file, line: line, message: "position '\(columns[2])' must be before, after, both or degree"))
                    continue
                }
            }
            entry.term = lexicon.addTerm(term)
            lexicon.addTermOfAnyLength(term, entry, tokenizer: tokenizer)
        }
    }

    static func loadNegators(_ folder: URL, _ language: Language, into lexicon: inout LanguageLexicon,
                             issues: inout [LexiconIssue], tokenizer: Tokenizer) {
        let file = "\(language.rawValue)/negators.txt"
        for (line, columns) in rows(of: folder.appendingPathComponent("negators.txt"), relative: file, into: &issues) {
            guard let first = columns.first, !first.isEmpty else { continue }
            let term = first.lowercased()
            var entry = LexiconEntry(roles: [.negator, .explicit])
            if columns.count >= 2 && !columns[1].isEmpty {
                switch columns[1].lowercased() {
                case "absence": entry.roles.insert(.privative)
                case "next": entry.roles.insert(.adjacentOnly)
                case "never": entry.roles.insert(.neverType)
                default:
                    issues.append(LexiconIssue(
                        file: file, line: line, message: "expected term or term<TAB>absence|next|never"))
                    continue
                }
            }
            entry.term = lexicon.addTerm(term)
            lexicon.addTermOfAnyLength(term, entry, tokenizer: tokenizer)
        }
    }

    /// `discourse.txt`: discourse markers, one per line. Only words and phrases that already
    /// have an entry matter (they lose their valence when they open a sentence); the others are
    /// skipped.
    static func loadDiscourse(_ folder: URL, _ language: Language, into lexicon: inout LanguageLexicon,
                              issues: inout [LexiconIssue], tokenizer: Tokenizer) {
        let file = "\(language.rawValue)/discourse.txt"
        for (_, columns) in rows(of: folder.appendingPathComponent("discourse.txt"), relative: file, into: &issues) {
            guard let first = columns.first, !first.isEmpty else { continue }
            lexicon.markExisting(first.lowercased(), with: .discourse, tokenizer: tokenizer)
        }
    }

    /// `requests.txt`: `term<TAB>request` marks words and phrases that ask for something and
    /// `term<TAB>plea` those that make a sentence ask without damping it (added when missing);
    /// `term<TAB>courtesy` marks polite formulas that already have an entry.
    static func loadRequests(_ folder: URL, _ language: Language, into lexicon: inout LanguageLexicon,
                             issues: inout [LexiconIssue], tokenizer: Tokenizer) {
        let file = "\(language.rawValue)/requests.txt"
        for (line, columns) in rows(of: folder.appendingPathComponent("requests.txt"), relative: file, into: &issues) {
            guard columns.count >= 2, !columns[0].isEmpty else {
                issues.append(LexiconIssue(file: file, line: line, message: "expected term<TAB>request|plea|courtesy"))
                continue
            }
            let term = columns[0].lowercased()
            switch columns[1].lowercased() {
            case "request":
                var entry = LexiconEntry(roles: [.request, .explicit])
                entry.term = lexicon.addTerm(term)
                lexicon.addTermOfAnyLength(term, entry, tokenizer: tokenizer)
            case "plea":
                var entry = LexiconEntry(roles: [.plea, .explicit])
                entry.term = lexicon.addTerm(term)
                lexicon.addTermOfAnyLength(term, entry, tokenizer: tokenizer)
            case "courtesy":
                lexicon.markExisting(term, with: .courtesy, tokenizer: tokenizer)
            default:
                issues.append(LexiconIssue(file: file, line: line, message: "expected term<TAB>request|plea|courtesy"))
            }
        }
    }

    static func loadContrast(_ folder: URL, _ language: Language, into lexicon: inout LanguageLexicon,
                             issues: inout [LexiconIssue], tokenizer: Tokenizer) {
        let file = "\(language.rawValue)/contrast.tsv"
        for (line, columns) in rows(of: folder.appendingPathComponent("contrast.tsv"), relative: file, into: &issues) {
            guard columns.count >= 3, !columns[0].isEmpty,
                  let before = Float(columns[1]), let after = Float(columns[2]),
                  before.isFinite, after.isFinite, before >= 0, after >= 0, before <= 4, after <= 4
            else {
                issues.append(LexiconIssue(file: file, line: line, message: "expected term<TAB>before<TAB>after (0…4)"))
                continue
            }
            let term = columns[0].lowercased()
            var entry = LexiconEntry(roles: [.contrast, .explicit], contrastBefore: before, contrastAfter: after)
            entry.term = lexicon.addTerm(term)
            lexicon.addTermOfAnyLength(term, entry, tokenizer: tokenizer)
        }
    }

    /// The lexicon used when the language is undetermined: the union of every language. A word
    /// listed in several languages keeps the mean of its valences when they agree in sign and is
    /// dropped when they disagree (`burro`, `caldo` mean different things in different languages).
    static func merged(_ languages: [Language: LanguageLexicon], tokenizer: Tokenizer) -> LanguageLexicon {
        var result = LanguageLexicon(language: .und)
        var valenceSums: [String: (sum: Float, count: Int, conflict: Bool)] = [:]
        for language in Language.analysed {
            guard let lexicon = languages[language] else { continue }
            lexicon.exact.forEach { key, index in
                let entry = lexicon.entries[Int(index)]
                guard entry.roles.contains(.valence) && entry.roles.contains(.explicit) else { return }
                let word = String(decoding: key, as: UTF8.self)
                var record = valenceSums[word] ?? (0, 0, false)
                if record.count > 0 && (record.sum > 0) != (entry.valence > 0) { record.conflict = true }
                record.sum += entry.valence
                record.count += 1
                valenceSums[word] = record
            }
        }
        for language in Language.analysed {
            guard let lexicon = languages[language] else { continue }
            // Words (explicit first, so generated forms of other languages do not shadow them).
            for pass in 0..<2 {
                lexicon.exact.forEach { key, index in
                    var entry = lexicon.entries[Int(index)]
                    let isExplicit = entry.roles.contains(.explicit)
                    if (pass == 0) != isExplicit { return }
                    let word = String(decoding: key, as: UTF8.self)
                    if let record = valenceSums[word], record.count > 1, entry.roles.contains(.valence) {
                        if record.conflict {
                            entry.roles.remove(.valence)
                            entry.valence = 0
                        } else {
                            entry.valence = record.sum / Float(record.count)
                        }
                    }
                    if entry.roles.isDisjoint(with: [.valence, .booster, .negator, .contrast, .request, .plea]) { return }
                    entry.term = result.addTerm(lexicon.terms.indices.contains(Int(entry.term)) ? lexicon.terms[Int(entry.term)] : word)
                    if result.exact.find(word) >= 0 && !isExplicit { return }
                    result.addWord(word, entry)
                }
            }
            lexicon.phrases.forEach { key, index in
                var entry = lexicon.entries[Int(index)]
                entry.term = result.addTerm(lexicon.terms.indices.contains(Int(entry.term)) ? lexicon.terms[Int(entry.term)] : "")
                let phrase = String(decoding: key, as: UTF8.self)
                if result.phrases.find(phrase) < 0 {
                    result.entries.append(entry)
                    result.phrases.insert(phrase, value: Int32(result.entries.count - 1), replace: false)
                }
            }
            lexicon.phrasePrefixes.forEach { key, _ in
                result.phrasePrefixes.insert(Array(key), value: 1, replace: false)
            }
            result.longestPhrase = max(result.longestPhrase, lexicon.longestPhrase)
        }
        return result
    }
}
