/// Splits raw UTF-8 text into the words the language identifier scores.
///
/// What it skips: URLs (`http://…`, `https://…`, `www.…`), `@handles`, HTML entities
/// (`&amp;`), digits, punctuation, symbols and emoji. What it keeps: runs of Latin letters,
/// lower-cased, split at apostrophes (`dell'assistenza` → `dell`, `assistenza`) and, inside
/// hashtags, at lower-to-upper case changes (`#MalServicio` → `mal`, `servicio`). Runs of three
/// or more equal letters are shortened to two (`buenooooo` → `buenoo`) and remembered, so the
/// caller can also try them as one (`bueno`). Letters spelt out one by one (`B R A V O`) are
/// joined into one word. Letters of other scripts are counted, not kept.
///
/// The scanner allocates nothing: words are written into buffers the caller owns.
struct LanguageIDScanner {
    /// Longest word kept; longer runs of letters are cut (their end is still consumed).
    static let maxWordLength = 40

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var inHashtag = false
    /// Latin letters read so far (including those of cut words).
    private(set) var latinLetters = 0
    /// Letters of other scripts read so far.
    private(set) var foreignLetters = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Reads the next word into `word`; returns false at the end of the text.
    @inline(__always)
    mutating func next(into word: inout LanguageIDWord) -> Bool {
        word.reset()
        if !inHashtag && index < bytes.count, let end = shortASCIIWord(into: &word) {
            index = end
            return true
        }
        return nextInGeneral(into: &word)
    }

    /// `next` for whatever `shortASCIIWord` does not take (kept apart so that `next` is small
    /// enough to inline).
    private mutating func nextInGeneral(into word: inout LanguageIDWord) -> Bool {
        var previousWasLowercase = false
        var firstLetterIndex = 0
        var joiningSpacedLetters = false
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                // ASCII fast path.
                let folded = byte | 0x20
                let isLetter = folded >= UInt8(ascii: "a") && folded <= UInt8(ascii: "z")
                if word.length == 0 {
                    // Between words: spaces, and the most common words in one step.
                    if byte == UInt8(ascii: " ") {
                        index += 1
                        inHashtag = false
                        continue
                    }
                    if isLetter && !inHashtag, let end = shortASCIIWord(into: &word) {
                        index = end
                        return true
                    }
                }
                if word.length == 0
                    && (!isLetter || folded == UInt8(ascii: "h") || folded == UInt8(ascii: "w"))
                    && skipSpecialToken(at: byte)
                {
                    continue
                }
                index += 1
                if isLetter {
                    let isUppercase = byte < UInt8(ascii: "a")
                    if inHashtag && isUppercase && previousWasLowercase && word.length > 0 {
                        index -= 1
                        return true  // camelCase boundary inside a hashtag; this letter starts the next word
                    }
                    latinLetters += 1
                    previousWasLowercase = !isUppercase
                    if word.length == 0 {
                        word.isHashtagPart = inHashtag
                        firstLetterIndex = index - 1
                    }
                    word.append(UInt32(folded), symbol: folded &- 0x60)
                    // The rest of a run of ASCII letters, in a tight loop.
                    let (end, letters, camelCaseBreak) = word.appendASCIILetters(
                        bytes, from: index, inHashtag: inHashtag, previousWasLowercase: &previousWasLowercase)
                    latinLetters += letters
                    index = end
                    if camelCaseBreak { return true }
                    continue
                }
                if byte == UInt8(ascii: " ") && (word.length == 1 || joiningSpacedLetters)
                    && continuesSpacedLetters(
                        wordLength: word.length, firstLetterIndex: firstLetterIndex,
                        joining: &joiningSpacedLetters)
                {
                    continue
                }
                if byte < UInt8(ascii: "0") || byte > UInt8(ascii: "9") { inHashtag = false }
                if word.length > 0 { return true }
                continue
            }
            let (scalar, length) = decodeUTF8Scalar(bytes, at: index)
            index += length
            switch LanguageIDCharacter.classify(scalar) {
            case .letter(let lower, let isUppercase):
                if inHashtag && isUppercase && previousWasLowercase && word.length > 0 {
                    index -= length
                    return true
                }
                latinLetters += 1
                previousWasLowercase = !isUppercase
                if word.length == 0 { word.isHashtagPart = inHashtag }
                word.append(lower, symbol: LanguageIDAlphabet.symbol(ofLowercase: lower))
            case .ignorable:
                break
            case .digit:
                if word.length > 0 { return true }
            case .foreignLetter:
                foreignLetters += 1
                inHashtag = false
                if word.length > 0 { return true }
            case .apostrophe, .separator:
                inHashtag = false
                if word.length > 0 { return true }
            }
        }
        return word.length > 0
    }

    /// The most common words, eight letters at a time: up to 32 ASCII letters at `index`,
    /// outside a hashtag, followed by an ASCII byte that is not a letter (consumed, as `next`
    /// does) or by the end of the text, with no letter three times in a row, that cannot start
    /// a URL and are not letters spelt out one by one (`B R A V O`). Fills `word` exactly as
    /// `next` would and returns where `next` would stop, or returns nil having changed nothing
    /// that `next` reads.
    @inline(__always)
    private mutating func shortASCIIWord(into word: inout LanguageIDWord) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let first = base[index]
        let lowerFirst = first | 0x20
        guard lowerFirst &- 0x61 < 26 else { return nil }
        let high: UInt64 = 0x8080_8080_8080_8080
        let ones: UInt64 = 0x0101_0101_0101_0101
        var position = index
        var length = 0
        var hash = LanguageIDWord.hashSeed
        // The last letter of the previous eight bytes, and 0x80 when it equals the one before.
        var carryLetter: UInt64 = 0
        var carryEqual: UInt64 = 0
        var second: UInt8 = 0
        while true {
            let available = bytes.count &- position
            var value: UInt64
            if available >= 8 {
                value = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
            } else {
                value = 0
                var offset = 0
                while offset < available {
                    value |= UInt64(base[position &+ offset]) << UInt64(truncatingIfNeeded: offset &* 8)
                    offset &+= 1
                }
            }
            // ASCII letters up to the first byte that is not one (bytes ≥ 0x80 are not; the
            // additions only carry upwards, so the bytes before the first of them are right).
            let caseless = value | 0x2020_2020_2020_2020
            let letterMask = (caseless &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(caseless &+ 0x0505_0505_0505_0505) & high
            let stop = (~letterMask | value) & high
            let shift = stop == 0 ? 64 : UInt64(truncatingIfNeeded: stop.trailingZeroBitCount) & 0x38
            let count = Int(truncatingIfNeeded: shift >> 3)
            let prefix: UInt64 = shift == 64 ? ~0 : (1 << shift) &- 1
            let letters = caseless & prefix
            // A third equal letter in a row (an elongation, marked by `append`).
            let difference = letters ^ (letters << 8 | carryLetter)
            let equal = ~((difference | high) &- ones) & high & prefix
            guard equal & (equal << 8 | carryEqual) == 0 else { return nil }
            if length == 0 && count >= 2 { second = UInt8(truncatingIfNeeded: letters >> 8) }
            guard length &+ count <= 32 else { return nil }
            // Symbols of a…z are 1…26: the letters minus 0x60 (no byte borrows).
            let symbolBytes = letters &- (0x6060_6060_6060_6060 & prefix)
            UnsafeMutableRawPointer(word.symbols + length).storeBytes(of: symbolBytes.littleEndian, as: UInt64.self)
            var rest = letters
            let scalars = word.scalars + length
            for offset in 0..<count {
                let scalar = rest & 0xFF
                scalars[offset] = UInt32(truncatingIfNeeded: scalar)
                hash = (hash ^ scalar) &* LanguageIDWord.hashPrime
                rest >>= 8
            }
            length &+= count
            position &+= count
            if count < 8 {
                let atEnd = count >= available
                let after = UInt8(truncatingIfNeeded: value >> shift)
                // A byte ≥ 0x80 may be a letter that continues the word.
                guard atEnd || after < 0x80, length > 0 else { return nil }
                // A URL (`ht…`, `ww…`; see `skipSpecialToken`).
                if (lowerFirst == 0x68 && second == 0x74) || (lowerFirst == 0x77 && second == 0x77) { return nil }
                // A lone letter before a space may be spelt out with others (`B R A V O`).
                if length == 1 && !atEnd && after == 0x20 && spacedLettersMayFollow(at: position &+ 1) { return nil }
                word.setASCII(length: length, hash: hash)
                latinLetters &+= length
                return atEnd ? bytes.count : position &+ 1
            }
            carryLetter = letters >> 56
            carryEqual = (equal >> 56) & 0x80
        }
    }

    /// Whether `continuesSpacedLetters` could join the lone letter before the space ending at
    /// `index` to letters after it (a conservative test: true whenever it might).
    @inline(__always)
    private func spacedLettersMayFollow(at index: Int) -> Bool {
        guard index &+ 1 < bytes.count else { return false }
        return Self.isASCIILetter(bytes[index]) && bytes[index &+ 1] == UInt8(ascii: " ")
    }

    /// Whether the space just read sits inside letters spelt out one by one ("B R A V O"), which
    /// are then read as one word: the word so far is a lone letter (or such a run) and a lone
    /// letter follows; at least three lone letters are needed to start a run.
    @inline(__always)
    private func continuesSpacedLetters(wordLength: Int, firstLetterIndex: Int, joining: inout Bool) -> Bool {
        @inline(__always) func isLetter(_ offset: Int) -> Bool {
            index + offset < bytes.count && Self.isASCIILetter(bytes[index + offset])
        }
        @inline(__always) func isSpace(_ offset: Int) -> Bool {
            index + offset < bytes.count && bytes[index + offset] == UInt8(ascii: " ")
        }
        // The end of the text, or ASCII that is neither a letter nor a digit.
        @inline(__always) func isBoundary(_ offset: Int) -> Bool {
            guard index + offset < bytes.count else { return true }
            let byte = bytes[index + offset]
            return byte < 0x80 && !Self.isHandleByte(byte)
        }
        if joining { return isLetter(0) && isBoundary(1) }
        guard wordLength == 1, firstLetterIndex == 0 || bytes[firstLetterIndex - 1] == UInt8(ascii: " "),
            isLetter(0), isSpace(1), isLetter(2), isBoundary(3)
        else { return false }
        joining = true
        return true
    }

    /// Skips a URL, handle, hashtag mark or HTML entity starting at `index`; returns whether
    /// it moved.
    @inline(__always)
    private mutating func skipSpecialToken(at byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "@"):
            index += 1
            while index < bytes.count && Self.isHandleByte(bytes[index]) { index += 1 }
            return true
        case UInt8(ascii: "#"):
            index += 1
            inHashtag = true
            return true
        case UInt8(ascii: "&"):
            index += 1
            var end = index
            while end < bytes.count && end - index < 8 && Self.isASCIILetter(bytes[end]) { end += 1 }
            if end < bytes.count && end > index && bytes[end] == UInt8(ascii: ";") { index = end + 1 }
            return true
        case UInt8(ascii: "h"), UInt8(ascii: "H"), UInt8(ascii: "w"), UInt8(ascii: "W"):
            guard index == 0 || !Self.isHandleByte(bytes[index - 1]), startsURL() else { return false }
            while index < bytes.count && bytes[index] > 0x20 { index += 1 }
            return true
        default:
            return false
        }
    }

    private func startsURL() -> Bool {
        // Quick reject: a URL starts with "ht" or "ww" (in any case).
        guard index + 4 <= bytes.count,
            (bytes[index + 1] | 0x20) == ((bytes[index] | 0x20) == UInt8(ascii: "h") ? UInt8(ascii: "t") : UInt8(ascii: "w"))
        else { return false }
        return matches("http://") || matches("https://") || matches("www.")
    }

    private func matches(_ prefix: StaticString) -> Bool {
        let length = prefix.utf8CodeUnitCount
        guard index + length <= bytes.count else { return false }
        let start = prefix.utf8Start
        for offset in 0..<length {
            var byte = bytes[index + offset]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            if byte != start[offset] { return false }
        }
        return true
    }

    @inline(__always)
    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    @inline(__always)
    private static func isHandleByte(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "_")
    }
}

/// One word read by `LanguageIDScanner`: its lower-case scalars and model symbols, in buffers
/// of `LanguageIDScanner.maxWordLength` elements owned by the caller.
struct LanguageIDWord {
    let scalars: UnsafeMutablePointer<UInt32>
    let symbols: UnsafeMutablePointer<UInt8>
    private(set) var length = 0
    /// Bit i set: the letter at i is the second of a pair that stood for a longer run
    /// (`buenooooo` is stored as `buenoo` with the bit of the last `o` set).
    private(set) var elongations: UInt64 = 0
    /// Whether the word comes from a hashtag (`#MalServicio` gives `mal` and `servicio`).
    var isHashtagPart = false

    init(scalars: UnsafeMutablePointer<UInt32>, symbols: UnsafeMutablePointer<UInt8>) {
        self.scalars = scalars
        self.symbols = symbols
    }

    /// The FNV-1a hash of the scalars so far (see `hash`).
    private var runningHash: UInt64 = Self.hashSeed

    static let hashSeed: UInt64 = 0xcbf2_9ce4_8422_2325
    static let hashPrime: UInt64 = 0x0000_0100_0000_01B3

    /// Empties the word.
    @inline(__always)
    mutating func reset() {
        length = 0
        elongations = 0
        isHashtagPart = false
        runningHash = Self.hashSeed
    }

    @inline(__always)
    mutating func append(_ scalar: UInt32, symbol: UInt8) {
        if length >= 2 && scalars[length - 1] == scalar && scalars[length - 2] == scalar {
            elongations |= 1 << UInt64(length - 1)
            return
        }
        guard length < LanguageIDScanner.maxWordLength else { return }
        scalars[length] = scalar
        symbols[length] = symbol
        length += 1
        runningHash = (runningHash ^ UInt64(scalar)) &* Self.hashPrime
    }

    /// Makes the word the `length` letters already written to `scalars` and `symbols`, with
    /// the running hash of those scalars, as `append` would one by one (no elongation among
    /// them, outside a hashtag).
    @inline(__always)
    mutating func setASCII(length: Int, hash: UInt64) {
        self.length = length
        runningHash = hash
    }

    /// Appends the ASCII letters from `start` on, as `LanguageIDScanner.next` would one by one
    /// once the word has begun (`length > 0`), keeping the running state in registers. Stops
    /// at the first byte that is not an ASCII letter, or at a lower-to-upper case change inside
    /// a hashtag (`camelCaseBreak`, that letter not consumed). Returns where it stopped and how
    /// many letters it read.
    @inline(__always)
    mutating func appendASCIILetters(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, inHashtag: Bool, previousWasLowercase: inout Bool
    ) -> (end: Int, letters: Int, camelCaseBreak: Bool) {
        var index = start
        let count = bytes.count
        var length = self.length
        var hash = runningHash
        var marks = elongations
        // The last two letters kept (a value no letter has when there are fewer).
        var last = length >= 1 ? scalars[length - 1] : UInt32.max
        var beforeLast = length >= 2 ? scalars[length - 2] : UInt32.max
        var wasLowercase = previousWasLowercase
        var camelCaseBreak = false
        while index < count {
            let byte = bytes[index]
            let folded = byte | 0x20
            guard folded &- 0x61 < 26 else { break }
            let isUppercase = byte < 0x61
            if inHashtag && isUppercase && wasLowercase {
                camelCaseBreak = true
                break
            }
            wasLowercase = !isUppercase
            let scalar = UInt32(folded)
            if length >= 2 && last == scalar && beforeLast == scalar {
                marks |= 1 << UInt64(length - 1)
            } else if length < LanguageIDScanner.maxWordLength {
                scalars[length] = scalar
                symbols[length] = folded &- 0x60
                length += 1
                hash = (hash ^ UInt64(scalar)) &* Self.hashPrime
                beforeLast = last
                last = scalar
            }
            index += 1
        }
        self.length = length
        runningHash = hash
        elongations = marks
        previousWasLowercase = wasLowercase
        return (index, index - start, camelCaseBreak)
    }

    /// The word's hash; its top bit is always set.
    @inline(__always)
    func hash() -> UInt64 {
        Self.finish(runningHash, count: length)
    }

    /// The hash of the word with each elongation mark's pair counted as one letter
    /// (`buenoo` → `bueno`).
    func hashCollapsingElongations() -> UInt64 {
        var hash = Self.hashSeed
        var kept = 0
        for position in 0..<length where elongations & (1 << UInt64(position)) == 0 {
            hash = (hash ^ UInt64(scalars[position])) &* Self.hashPrime
            kept += 1
        }
        return Self.finish(hash, count: kept)
    }

    @inline(__always)
    private static func finish(_ value: UInt64, count: Int) -> UInt64 {
        var hash = value ^ UInt64(truncatingIfNeeded: count)
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash | 0x8000_0000_0000_0000  // the top bit is set, so no hash is 0
    }

    /// Calls `body` with a scratch word for the duration of the call.
    static func withScratch<Result>(_ body: (inout LanguageIDWord) throws -> Result) rethrows -> Result {
        try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: LanguageIDScanner.maxWordLength) {
            scalars in
            try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: LanguageIDScanner.maxWordLength) {
                symbols in
                guard let scalarBase = scalars.baseAddress, let symbolBase = symbols.baseAddress else {
                    preconditionFailure("temporary allocation has no address")
                }
                var word = LanguageIDWord(scalars: scalarBase, symbols: symbolBase)
                return try body(&word)
            }
        }
    }
}
