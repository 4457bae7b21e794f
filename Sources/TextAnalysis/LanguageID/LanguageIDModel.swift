import Foundation

/// The language identifier's statistics, built once from the profile files.
///
/// Each modelled language (the analysed es/it/en and the "others" that lead to `und`) has:
/// - a word list with frequencies (`<code>.words.txt`);
/// - character 1-, 2- and 3-gram weights (`<code>.chars.txt`), from which a smoothed trigram
///   model of spelling gives a probability to any word, known or not.
///
/// A word's probability in a language is `p(word) + unknownMass × pSpelling(word)`, where
/// `unknownMass` is the share of the language's text not covered by its word list. Both
/// parts are precomputed for every listed word, in every language at once, so that scoring a
/// known word costs one hash-table probe that yields a vector of eight log-probabilities.
///
/// The tables live in buffers allocated once and never written after `init` (hence
/// `@unchecked Sendable`), so that scoring reads them without reference counting or bounds
/// checks; `deinit` frees them.
final class LanguageIDModel: @unchecked Sendable {
    /// Modelled languages, in score-vector order (must match LANGUAGES in the profile script).
    static let codes = ["es", "it", "en", "pt", "fr", "ca", "de", "nl"]
    /// Lanes of the score vector that are analysed languages, and which `Language` each is.
    static let analysedLanes: [(lane: Int, language: Language)] = [(0, .es), (1, .it), (2, .en)]

    /// Log-probabilities in nats, one lane per modelled language.
    typealias Scores = SIMD8<Float>
    /// Log-probabilities in fixed point (`unitsPerNat` units per nat), as stored.
    typealias PackedScores = SIMD8<Int16>
    /// Log-probabilities in fixed point, widened for adding up.
    typealias UnitScores = SIMD8<Int32>

    /// How far (in nats) one word can pull a language below the word's best language: limits
    /// the damage of a single foreign word, name or typo. Applied to the stored word scores
    /// when loading, and by `LanguageIdentifier` to the scores of unknown words.
    static let wordPenaltyCap: Float = 7

    /// Fixed-point scale of `PackedScores` and `UnitScores`.
    static let unitsPerNat: Float = 256

    /// One slot of the word table: the word's hash (0 = empty slot) and its scores, side by
    /// side so that a look-up touches one cache line.
    struct WordSlot {
        var hash: UInt64
        var scores: PackedScores
    }

    /// log P(symbol c | symbols a b) for every language, indexed by `a << 12 | b << 6 | c`.
    let spellingScores: UnsafeBufferPointer<PackedScores>
    /// log(unknownMass) per language: the share of words outside the word list.
    let unknownWordScores: UnitScores
    /// Open-addressing table of listed words with their log P(word) per language (capped at
    /// `wordPenaltyCap` below the word's best language).
    let wordSlots: UnsafeBufferPointer<WordSlot>
    /// `wordSlots.count - 1` (the table size is a power of two).
    let wordMask: Int
    /// Digest of the text profiles the tables come from (see `sourceDigest(of:)`).
    let sourceDigest: UInt64

    /// The tables, however they were obtained.
    struct Tables {
        var spelling: UnsafeMutableBufferPointer<PackedScores>
        var unknown: UnitScores
        var slots: UnsafeMutableBufferPointer<WordSlot>

        /// Frees tables no model took over.
        func deallocate() {
            spelling.deallocate()
            slots.deallocate()
        }
    }

    /// Loads the profiles in `directory`: from the compiled `langid.bin` when it was compiled
    /// from exactly the text profiles there (and `useCompiled`), otherwise from the text
    /// profiles themselves. Both give the same tables.
    ///
    /// - Throws: `LanguageIdentifierError` when a file is missing or malformed.
    init(profilesDirectory directory: URL, useCompiled: Bool = true) throws {
        let files = try Self.readProfiles(directory)
        let digest = Self.sourceDigest(of: files)
        let tables: Tables
        if useCompiled, let compiled = Self.compiledTables(
            directory.appendingPathComponent(Self.compiledFileName), digest: digest)
        {
            tables = compiled
        } else {
            tables = try Self.buildTables(files)
        }
        spellingScores = UnsafeBufferPointer(tables.spelling)
        unknownWordScores = tables.unknown
        wordSlots = UnsafeBufferPointer(tables.slots)
        wordMask = tables.slots.count - 1
        sourceDigest = digest
    }

    /// Builds the tables from the text profiles (`files`: contents by file name).
    private static func buildTables(_ files: [String: [UInt8]]) throws -> Tables {
        let languageCount = Self.codes.count
        // Score vectors of the spelling model, in nats, filled one language (lane) at a time.
        var spelling = [Scores](repeating: Scores(repeating: 0), count: 1 << 18)
        var unknownScores = Scores(repeating: 0)
        // Each language's `# total:` (word frequencies are divided by it when used).
        var totals = [Double](repeating: 1, count: languageCount)
        // The listed words of every language: their hashes, in an open-addressing table that
        // maps a hash to the word's index (+ 1; 0 = empty slot).
        var index = WordIndex(capacity: 1 << 18)
        var wordHashes: [UInt64] = []
        wordHashes.reserveCapacity(1 << 18)
        // Per listed word: its frequency in each language (languageCount values, per billion
        // until divided by the language's total), a bit set of
        // the languages that list it, and the range of its symbols in `wordSymbols`.
        var wordFrequencies: [Double] = []
        wordFrequencies.reserveCapacity(languageCount << 18)
        var wordLanes: [UInt8] = []
        wordLanes.reserveCapacity(1 << 18)
        var wordSymbols: [UInt8] = []
        wordSymbols.reserveCapacity(8 << 18)
        var wordSymbolEnds: [Int32] = []
        wordSymbolEnds.reserveCapacity(1 << 18)

        // Trigram weights of one language at a time (reused: 2 MB).
        var trigramScratch: [Double] = []
        for (lane, code) in Self.codes.enumerated() {
            let chars = files["\(code).chars.txt"] ?? []
            try spelling.withUnsafeMutableBufferPointer { spelling in
                try Self.spellingModel(
                    fromCharsProfile: chars, file: "\(code).chars.txt", lane: lane, into: spelling,
                    trigrams: &trigramScratch)
            }

            let words = files["\(code).words.txt"] ?? []
            var total = 0.0
            var listedTotal = 0.0
            try LanguageIDWord.withScratch { word in
                try Self.forEachEntry(in: words, file: "\(code).words.txt") { key, value, isTotal in
                    if isTotal {
                        total = value
                        return
                    }
                    listedTotal += value
                    var scanner = LanguageIDScanner(key)
                    guard scanner.next(into: &word) else { return }
                    let (position, isNew) = index.insert(word.hash(), next: wordLanes.count)
                    if isNew {
                        wordHashes.append(word.hash())
                        wordFrequencies.append(contentsOf: repeatElement(0, count: languageCount))
                        wordLanes.append(0)
                        wordSymbols.append(
                            contentsOf: UnsafeBufferPointer(start: word.symbols, count: word.length))
                        wordSymbolEnds.append(Int32(wordSymbols.count))
                    }
                    wordFrequencies[position * languageCount + lane] += value
                    wordLanes[position] |= 1 << UInt8(lane)
                }
            }
            guard total > 0, listedTotal > 0 else {
                throw LanguageIdentifierError(
                    file: "\(code).words.txt", problem: "no '# total:' line or no words")
            }
            let unknownMass = max(total - listedTotal, total * 0.01) / total
            unknownScores[lane] = Float(log(unknownMass))
            totals[lane] = total
        }

        // Precompute every listed word's score vector: log(p(word) + unknownMass × pSpelling)
        // per language. Where a language does not list the word, p(word) is 0 and the score is
        // the spelling score itself (log(exp(s)) = s once rounded to Float, since spelling
        // scores stay far above the exp underflow at -708 nats: at most 40 symbols of at
        // least log(1e-5) each), so only the listing languages need exp and log.
        var capacity = 1
        while capacity < wordLanes.count * 2 { capacity <<= 1 }
        let slots = Self.allocateCacheAligned(WordSlot.self, capacity: capacity)
        slots.initialize(repeating: WordSlot(hash: 0, scores: PackedScores()))
        spelling.withUnsafeBufferPointer { spelling in
            wordSymbols.withUnsafeBufferPointer { symbols in
                wordFrequencies.withUnsafeBufferPointer { frequencies in
                    for word in wordHashes.indices {
                        let hash = wordHashes[word]
                        let start = word == 0 ? 0 : Int(wordSymbolEnds[word - 1])
                        let spellingScore = Self.spellingScore(
                            UnsafeBufferPointer(rebasing: symbols[start..<Int(wordSymbolEnds[word])]),
                            spelling, unknownScores)
                        var vector = spellingScore
                        let lanes = wordLanes[word]
                        for lane in 0..<languageCount where lanes & (1 << UInt8(lane)) != 0 || spellingScore[lane] < -700 {
                            let probability =
                                frequencies[word * languageCount + lane] / totals[lane]
                                + exp(Double(spellingScore[lane]))
                            vector[lane] = Float(log(probability))
                        }
                        let floor = vector.max() - Self.wordPenaltyCap
                        vector.replace(with: floor, where: vector .< floor)
                        var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
                        while slots[slot].hash != 0 { slot = (slot + 1) & (capacity - 1) }
                        slots[slot] = WordSlot(hash: hash, scores: Self.packed(vector))
                    }
                }
            }
        }
        let packedSpelling = Self.allocateCacheAligned(PackedScores.self, capacity: spelling.count)
        spelling.withUnsafeBufferPointer { spelling in
            for index in spelling.indices {
                packedSpelling.initializeElement(at: index, to: Self.packed(spelling[index]))
            }
        }
        return Tables(
            spelling: packedSpelling, unknown: UnitScores(truncatingIfNeeded: Self.packed(unknownScores)),
            slots: slots)
    }

    /// Listed words by hash while loading: an open-addressing table of (hash, word index).
    private struct WordIndex {
        private var entries: [(hash: UInt64, word: Int)]
        private var mask: Int
        private var count = 0

        init(capacity: Int) {
            var size = 16
            while size < capacity * 2 { size <<= 1 }
            entries = Array(repeating: (0, 0), count: size)
            mask = size - 1
        }

        /// The index of the word with this hash, and whether it was added now with index
        /// `next`.
        mutating func insert(_ hash: UInt64, next: Int) -> (Int, Bool) {
            if (count + 1) * 2 > entries.count { grow() }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let stored = entries[slot]
                if stored.hash == hash { return (stored.word, false) }
                if stored.hash == 0 { break }
                slot = (slot + 1) & mask
            }
            entries[slot] = (hash, next)
            count += 1
            return (next, true)
        }

        private mutating func grow() {
            let old = entries
            entries = Array(repeating: (0, 0), count: old.count * 2)
            mask = entries.count - 1
            for entry in old where entry.hash != 0 {
                var slot = Int(truncatingIfNeeded: entry.hash) & mask
                while entries[slot].hash != 0 { slot = (slot + 1) & mask }
                entries[slot] = entry
            }
        }
    }

    deinit {
        spellingScores.deallocate()
        wordSlots.deallocate()
    }

    // MARK: - Compiled profiles

    /// The compiled profiles, beside the text profiles they are compiled from.
    static let compiledFileName = "langid.bin"

    /// Layout of `langid.bin` (little-endian; written by `compiledBytes()`, `vigia lang
    /// --compile-profiles`):
    ///
    ///     0    "VIGIALID", format version (UInt32), language count (UInt32)
    ///     16   digest of the text profiles (UInt64, `sourceDigest(of:)`)
    ///     24   slot count, word count, spelling entry count, note length (UInt32 each)
    ///     40   log(unknown mass) per language, fixed point (8 × Int32)
    ///     128  note: what the file is, its source and licence (UTF-8), zero-padded to 64 bytes
    ///     then the spelling table (entry count × 8 × Int16), then the listed words in
    ///     table order (word count × (hash UInt64, 8 × Int16)).
    private static let compiledMagic = Array("VIGIALID".utf8)
    private static let compiledVersion: UInt32 = 1
    private static let compiledHeaderSize = 128
    private static let compiledWordSize = 24
    private static let compiledNote = """
        Vigía language-identification profiles, compiled: the tables LanguageIDModel builds \
        from the *.words.txt and *.chars.txt files beside this file, written by `vigia lang \
        --compile-profiles` (run by scripts/build-language-profiles.py), loaded only while its \
        digest matches those files. Source: wordfreq 3.1.1 by Robyn Speer \
        (https://github.com/rspeer/wordfreq), word frequencies drawn from Wikipedia, \
        OpenSubtitles/SUBTLEX, NewsCrawl, GlobalVoices, Google Books Ngrams, OSCAR, Twitter and \
        Reddit. Licence: CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/), as the \
        wordfreq data it is derived from; changes: lowercased, split at apostrophes, truncated to \
        the most frequent entries, converted to n-gram weights and log-probabilities.

        """

    /// The contents of every text profile in `directory`, by file name.
    static func readProfiles(_ directory: URL) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for code in codes {
            for name in ["\(code).words.txt", "\(code).chars.txt"] {
                files[name] = try readProfile(directory, name)
            }
        }
        return files
    }

    /// A digest of the text profiles (contents by file name), in a fixed order.
    static func sourceDigest(of files: [String: [UInt8]]) -> UInt64 {
        var digest: UInt64 = 0x9E37_79B9_7F4A_7C15
        @inline(__always) func mix(_ word: UInt64) {
            digest = (digest ^ word) &* 0xBF58_476D_1CE4_E5B9
            digest ^= digest >> 31
        }
        for code in codes {
            for name in ["\(code).words.txt", "\(code).chars.txt"] {
                let bytes = files[name] ?? []
                mix(UInt64(bytes.count))
                bytes.withUnsafeBytes { raw in
                    var offset = 0
                    while offset + 8 <= raw.count {
                        mix(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                        offset += 8
                    }
                    var tail: UInt64 = 0
                    var shift: UInt64 = 0
                    while offset < raw.count {
                        tail |= UInt64(raw[offset]) << shift
                        shift += 8
                        offset += 1
                    }
                    mix(tail)
                }
            }
        }
        return digest
    }

    /// The compiled form of the tables.
    func compiledBytes() -> [UInt8] {
        var words: [WordSlot] = []
        for slot in wordSlots where slot.hash != 0 { words.append(slot) }
        let note = Array(Self.compiledNote.utf8)
        let notePadded = (note.count + 63) / 64 * 64
        var bytes: [UInt8] = []
        bytes.reserveCapacity(
            Self.compiledHeaderSize + notePadded + spellingScores.count * 16 + words.count * Self.compiledWordSize)
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        bytes.append(contentsOf: Self.compiledMagic)
        append(Self.compiledVersion)
        append(UInt32(Self.codes.count))
        append(sourceDigest)
        append(UInt32(wordSlots.count))
        append(UInt32(words.count))
        append(UInt32(spellingScores.count))
        append(UInt32(note.count))
        for lane in 0..<UnitScores.scalarCount { append(unknownWordScores[lane]) }
        bytes.append(contentsOf: repeatElement(0, count: Self.compiledHeaderSize - bytes.count))
        bytes.append(contentsOf: note)
        bytes.append(contentsOf: repeatElement(0, count: notePadded - note.count))
        for scores in spellingScores {
            for lane in 0..<PackedScores.scalarCount { append(scores[lane]) }
        }
        for word in words {
            append(word.hash)
            for lane in 0..<PackedScores.scalarCount { append(word.scores[lane]) }
        }
        return bytes
    }

    /// The tables in the compiled file at `url`, when it is well-formed and was compiled from
    /// text profiles with this `digest`.
    static func compiledTables(_ url: URL, digest: UInt64) -> Tables? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return data.withUnsafeBytes { raw -> Tables? in
            guard raw.count >= compiledHeaderSize,
                raw.prefix(compiledMagic.count).elementsEqual(compiledMagic)
            else { return nil }
            func uint32(_ offset: Int) -> Int {
                Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            }
            let slotCount = uint32(24)
            let wordCount = uint32(28)
            let spellingCount = uint32(32)
            let noteLength = uint32(36)
            let spellingStart = compiledHeaderSize + (noteLength + 63) / 64 * 64
            let wordsStart = spellingStart + spellingCount * 16
            guard uint32(8) == Int(compiledVersion), uint32(12) == codes.count,
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) == digest,
                spellingCount == 1 << 18, slotCount > 0, slotCount & (slotCount - 1) == 0,
                wordCount < slotCount, noteLength < 1 << 16,
                raw.count == wordsStart + wordCount * compiledWordSize
            else { return nil }
            var unknown = UnitScores()
            for lane in 0..<UnitScores.scalarCount {
                unknown[lane] = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 40 + 4 * lane, as: Int32.self))
            }
            let spelling = allocateCacheAligned(PackedScores.self, capacity: spellingCount)
            UnsafeMutableRawBufferPointer(spelling).copyMemory(
                from: UnsafeRawBufferPointer(rebasing: raw[spellingStart..<wordsStart]))
            // (The copy is the table as is on little-endian machines, which all Swift
            // platforms Vigía runs on are.)
            let slots = allocateCacheAligned(WordSlot.self, capacity: slotCount)
            slots.initialize(repeating: WordSlot(hash: 0, scores: PackedScores()))
            let mask = slotCount - 1
            var offset = wordsStart
            for _ in 0..<wordCount {
                let hash = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                var scores = PackedScores()
                for lane in 0..<PackedScores.scalarCount {
                    scores[lane] = Int16(
                        littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8 + 2 * lane, as: Int16.self))
                }
                offset += compiledWordSize
                // Words are stored in table order, so this probing writes the slots in order.
                var slot = Int(truncatingIfNeeded: hash) & mask
                while slots[slot].hash != 0 { slot = (slot + 1) & mask }
                slots[slot] = WordSlot(hash: hash, scores: scores)
            }
            return Tables(spelling: spelling, unknown: unknown, slots: slots)
        }
    }

    /// Memory for `capacity` elements starting on a cache-line boundary, so that no 32-byte
    /// slot straddles two lines.
    private static func allocateCacheAligned<Element>(
        _ type: Element.Type, capacity: Int
    ) -> UnsafeMutableBufferPointer<Element> {
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: capacity * MemoryLayout<Element>.stride, alignment: 64)
        return UnsafeMutableBufferPointer(
            start: raw.bindMemory(to: Element.self, capacity: capacity), count: capacity)
    }

    /// Scores in fixed point, clamped to what 16 bits hold (−128 nats).
    private static func packed(_ scores: Scores) -> PackedScores {
        var result = PackedScores()
        for lane in 0..<Scores.scalarCount {
            result[lane] = Int16(max(-32767, min(32767, (scores[lane] * unitsPerNat).rounded())))
        }
        return result
    }

    /// log P(word) per language for the symbols of a word (without boundaries), in fixed
    /// point, with the packed trigram table `table`.
    @inline(__always)
    static func spellingScore(
        _ symbols: UnsafeBufferPointer<UInt8>, table: UnsafeBufferPointer<PackedScores>,
        unknown: UnitScores
    ) -> UnitScores {
        var score = unknown
        var context = 0  // the two previous symbols, a << 6 | b; boundaries at the start
        for symbol in symbols {
            score &+= UnitScores(truncatingIfNeeded: table[context << 6 | Int(symbol)])
            context = (context << 6 | Int(symbol)) & 0xFFF
        }
        return score &+ UnitScores(truncatingIfNeeded: table[context << 6 | Int(LanguageIDAlphabet.boundary)])
    }

    /// The same in nats, with float tables (used while loading).
    @inline(__always)
    static func spellingScore(
        _ symbols: UnsafeBufferPointer<UInt8>, _ spelling: UnsafeBufferPointer<Scores>, _ unknown: Scores
    ) -> Scores {
        var score = unknown
        var context = 0
        for symbol in symbols {
            score += spelling[context << 6 | Int(symbol)]
            context = (context << 6 | Int(symbol)) & 0xFFF
        }
        return score + spelling[context << 6 | Int(LanguageIDAlphabet.boundary)]
    }

    // MARK: - Profile files

    private static func readProfile(_ directory: URL, _ name: String) throws -> [UInt8] {
        let url = directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw LanguageIdentifierError(file: url.path, problem: "cannot be read")
        }
        return [UInt8](data)
    }

    /// Calls `body(key, value, isTotal)` for every `KEY<TAB>NUMBER` line, and for the
    /// `# total: N` comment (with an empty key and `isTotal` true).
    private static func forEachEntry(
        in bytes: [UInt8], file: String, _ body: (UnsafeBufferPointer<UInt8>, Double, Bool) throws -> Void
    ) throws {
        let totalPrefix = Array("# total:".utf8)
        try bytes.withUnsafeBufferPointer { bytes in
            var lineNumber = 0
            var lineStart = 0
            while lineStart < bytes.count {
                lineNumber += 1
                var lineEnd = lineStart
                while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                lineStart = lineEnd + 1
                if line.isEmpty { continue }
                if line[0] == UInt8(ascii: "#") {
                    if line.starts(with: totalPrefix) {
                        let digits = UnsafeBufferPointer(rebasing: line[totalPrefix.count...])
                        guard let total = number(digits) else {
                            throw LanguageIdentifierError(file: file, line: lineNumber, problem: "bad total")
                        }
                        try body(UnsafeBufferPointer(rebasing: line[0..<0]), total, true)
                    }
                    continue
                }
                guard let tab = line.firstIndex(of: UInt8(ascii: "\t")),
                    let value = number(UnsafeBufferPointer(rebasing: line[(tab + 1)...]))
                else {
                    throw LanguageIdentifierError(
                        file: file, line: lineNumber, problem: "expected KEY<TAB>NUMBER")
                }
                try body(UnsafeBufferPointer(rebasing: line[..<tab]), value, false)
            }
        }
    }

    /// A non-negative integer written in ASCII digits, spaces around it allowed.
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var value = 0.0
        var digits = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value * 10 + Double(byte - UInt8(ascii: "0"))
                digits += 1
            case UInt8(ascii: " "), UInt8(ascii: "\r"):
                continue
            default:
                return nil
            }
        }
        return digits > 0 ? value : nil
    }

    /// Writes the smoothed conditional trigram model of one language into lane `lane` of
    /// `model`, as log-probabilities indexed by `a << 12 | b << 6 | c`.
    ///
    /// Without trigrams in context `a b`, p(c | a b) is p(c | b) whatever `a`: those logs are
    /// computed once per `b c` and copied.
    private static func spellingModel(
        fromCharsProfile bytes: [UInt8], file: String, lane: Int, into model: UnsafeMutableBufferPointer<Scores>,
        trigrams: inout [Double]
    ) throws {
        let slots = LanguageIDAlphabet.symbolSlots
        let symbolCount = LanguageIDAlphabet.symbolCount
        var unigrams = [Double](repeating: 0, count: slots)
        var bigrams = [Double](repeating: 0, count: slots * slots)
        if trigrams.count == slots * slots * slots {
            trigrams.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        } else {
            trigrams = [Double](repeating: 0, count: slots * slots * slots)
        }
        try forEachEntry(in: bytes, file: file) { key, value, isTotal in
            if isTotal { return }
            var index = 0
            var length = 0
            var position = 0
            while position < key.count {
                let (scalar, scalarLength) = decodeUTF8Scalar(key, at: position)
                position += scalarLength
                guard let symbol = LanguageIDAlphabet.symbol(inProfile: scalar) else {
                    throw LanguageIdentifierError(
                        file: file, problem: "unknown symbol \(Unicode.Scalar(scalar) ?? "\u{FFFD}")")
                }
                length += 1
                index = index << 6 | Int(symbol)
            }
            switch length {
            case 1: unigrams[index] += value
            case 2: bigrams[index] += value
            case 3: trigrams[index] += value
            default: throw LanguageIdentifierError(file: file, problem: "n-gram of length \(length)")
            }
        }
        let unigramTotal = unigrams.reduce(0, +)
        guard unigramTotal > 0 else { throw LanguageIdentifierError(file: file, problem: "no unigrams") }
        var bigramContexts = [Double](repeating: 0, count: slots)
        for index in bigrams.indices { bigramContexts[index >> 6] += bigrams[index] }
        var trigramContexts = [Double](repeating: 0, count: slots * slots)
        for index in trigrams.indices { trigramContexts[index >> 6] += trigrams[index] }

        // p(c | b) and its log, for every b c.
        let uniform = 1.0 / Double(symbolCount)
        var bigramModel = [Double](repeating: 0, count: slots * slots)
        var bigramLogs = [Float](repeating: 0, count: slots * slots)
        for b in 0..<symbolCount {
            for c in 0..<symbolCount {
                let p1 = 0.97 * unigrams[c] / unigramTotal + 0.03 * uniform
                let p2 =
                    bigramContexts[b] > 0
                    ? 0.85 * bigrams[b << 6 | c] / bigramContexts[b] + 0.15 * p1 : p1
                bigramModel[b << 6 | c] = p2
                bigramLogs[b << 6 | c] = Float(log(p2))
            }
        }
        // Symbols beyond `symbolCount` never occur: their entries stay 0.
        for a in 0..<symbolCount {
            for b in 0..<symbolCount {
                let context = a << 6 | b
                let contextTotal = trigramContexts[context]
                if contextTotal > 0 {
                    for c in 0..<symbolCount {
                        let p3 = 0.75 * trigrams[context << 6 | c] / contextTotal + 0.25 * bigramModel[b << 6 | c]
                        model[context << 6 | c][lane] = Float(log(p3))
                    }
                } else {
                    for c in 0..<symbolCount {
                        model[context << 6 | c][lane] = bigramLogs[b << 6 | c]
                    }
                }
            }
        }
    }
}

/// A language profile that could not be loaded.
public struct LanguageIdentifierError: Error, CustomStringConvertible, Sendable {
    /// The profile file at fault.
    public let file: String
    /// The line at fault, when known.
    public let line: Int?
    /// What is wrong.
    public let problem: String

    init(file: String, line: Int? = nil, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "language profile \(place): \(problem); regenerate the profiles with "
            + "scripts/build-language-profiles.py"
    }
}
