import Foundation

/// Splits social-media text into tokens, working on UTF-8 bytes.
///
/// It keeps URLs, `@handles`, `#hashtags` (optionally followed by their words, so
/// `#MalServicio` also gives `mal` and `servicio`), emoji with their modifiers (skin tones,
/// variation selectors, ZWJ sequences, keycaps, flags), ASCII emoticons (`:-(`, `xD`, `<3`,
/// `:'(`), numbers and punctuation runs (`!!!`, `?!`, `...`). Words are lower-cased, typographic
/// apostrophes become `'`, letters repeated three times or more are collapsed (`buenísimoooo` →
/// `buenísimo`, flagged `elongated`), and apostrophes split elisions and clitics: `dell'assistenza`
/// → `dell'` `assistenza`, `l'ho` → `l'` `ho`, `don't` → `do` `n't`, `it's` → `it` `'s`.
/// Every token keeps its UTF-8 byte range in the original text.
///
/// Invalid UTF-8, control characters and any length of input are accepted: the tokenizer never
/// traps on input.
public struct Tokenizer: Sendable {
    /// Whether `#hashtag` tokens are followed by the words of the hashtag (flagged `hashtagPart`).
    public var splitsHashtags: Bool

    /// The longest text tokenized (256 MiB); bytes beyond it are ignored.
    public static let maximumLength = 256 << 20

    /// Creates a tokenizer.
    /// - Parameter splitsHashtags: emit the words of each hashtag after it (default true).
    public init(splitsHashtags: Bool = true) {
        self.splitsHashtags = splitsHashtags
    }

    /// Tokenizes `text`; token ranges are UTF-8 offsets in `text.utf8`.
    public func tokenize(_ text: String) -> TokenizedText {
        var output = TokenizedText()
        var copy = text
        copy.withUTF8 { bytes in
            tokenize(bytes, into: &output)
        }
        return output
    }

    /// Tokenizes the UTF-8 `bytes`, replacing the content of `output` (its storage is reused).
    public func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout TokenizedText) {
        // The tokens are written into an arena kept with `output` (a new one when `output`
        // shares it with a copy), then copied into the arrays.
        if output.arena == nil || !isKnownUniquelyReferenced(&output.arena) {
            output.arena = TokenArena()
        }
        guard let arena = output.arena else {
            output.removeAll()
            return
        }
        tokenize(bytes, into: arena)
        output.normalizedBytes.replaceSubrange(output.normalizedBytes.indices, with: arena.byteBuffer)
        output.tokens.replaceSubrange(output.tokens.indices, with: arena.tokenBuffer)
    }

    /// Tokenizes the UTF-8 `bytes` into `arena`, replacing its content, without copying the
    /// result anywhere.
    package func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, into arena: TokenArena) {
        // Offsets are 32-bit: a text longer than `maximumLength` is tokenized up to that length.
        let bytes = bytes.count > Self.maximumLength ? UnsafeBufferPointer(rebasing: bytes[0..<Self.maximumLength]) : bytes
        // Normalised forms never take more than three bytes per input byte (an invalid byte
        // becomes U+FFFD); eight more bytes may be read (never written) when hashing them.
        let capacity = bytes.count * 3 + 16
        arena.reserveBytes(capacity + 8)
        var scanner = Scanner(bytes: bytes, splitsHashtags: splitsHashtags, storage: arena.bytes, capacity: capacity)
        var sink = TokenSink(arena)
        scanner.run(into: &sink)
        arena.tokenCount = sink.count
        arena.byteCount = scanner.norm.count
    }
}

// MARK: - Scanner

/// Appends tokens to a `TokenArena` through a pointer.
private struct TokenSink {
    unowned(unsafe) let arena: TokenArena
    var base: UnsafeMutablePointer<Token>
    var capacity: Int
    var count = 0

    init(_ arena: TokenArena) {
        self.arena = arena
        base = arena.tokens
        capacity = arena.tokenCapacity
    }

    @inline(__always)
    mutating func append(_ token: Token) {
        if count == capacity { grow() }
        (base + count).initialize(to: token)
        count += 1
    }

    private mutating func grow() {
        arena.growTokens(keeping: count)
        base = arena.tokens
        capacity = arena.tokenCapacity
    }
}

private let apostropheASCII: UInt8 = 0x27

/// Output bytes written through a pointer (capacity guaranteed by the caller).
private struct ByteSink {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    var count = 0

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        guard count < capacity else { return }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append<S: Sequence>(contentsOf bytes: S) where S.Element == UInt8 {
        for byte in bytes { append(byte) }
    }

    @inline(__always)
    mutating func appendScalar(_ scalar: UInt32) {
        if scalar < 0x80 {
            append(UInt8(scalar))
        } else if scalar < 0x800 {
            append(UInt8(0xC0 | (scalar >> 6)))
            append(UInt8(0x80 | (scalar & 0x3F)))
        } else if scalar < 0x10000 {
            append(UInt8(0xE0 | (scalar >> 12)))
            append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            append(UInt8(0x80 | (scalar & 0x3F)))
        } else {
            append(UInt8(0xF0 | (scalar >> 18)))
            append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// The bytes from `start` to the end, as an array (slow paths only).
    func bytes(from start: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: base + start, count: count - start))
    }

    mutating func truncate(to newCount: Int) { count = min(count, newCount) }
}

private struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let count: Int
    let splitsHashtags: Bool
    var norm: ByteSink

    init(bytes: UnsafeBufferPointer<UInt8>, splitsHashtags: Bool, storage: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.bytes = bytes
        self.count = bytes.count
        self.splitsHashtags = splitsHashtags
        self.norm = ByteSink(base: storage, capacity: capacity)
    }

    @inline(__always)
    func decode(_ index: Int) -> (UInt32, Int) { UTF8Scan.decode(bytes, at: index) }

    @inline(__always)
    func byte(_ index: Int) -> UInt8 { index < count && index >= 0 ? bytes[index] : 0 }

    /// Whether the byte before `index` is a boundary (start, white space or ASCII punctuation).
    @inline(__always)
    func boundaryBefore(_ index: Int) -> Bool {
        if index == 0 { return true }
        let previous = bytes[index - 1]
        if previous >= 0x80 { return !isLetterStartingAt(previousScalarStart(index)) }
        return !isASCIIAlphanumeric(previous)
    }

    /// Whether `index` is the end or a byte that cannot continue a word.
    @inline(__always)
    func boundaryAt(_ index: Int) -> Bool {
        if index >= count { return true }
        let next = bytes[index]
        if next >= 0x80 { return !isLetterStartingAt(index) }
        return !isASCIIAlphanumeric(next)
    }

    func previousScalarStart(_ index: Int) -> Int {
        var start = index - 1
        while start > 0 && bytes[start] & 0xC0 == 0x80 && index - start < 4 { start -= 1 }
        return start
    }

    func isLetterStartingAt(_ index: Int) -> Bool {
        guard index >= 0 && index < count else { return false }
        let (scalar, _) = decode(index)
        return ScalarClass.isLetter(scalar) || ScalarClass.isMark(scalar)
    }

    mutating func run(into output: inout TokenSink) {
        var index = 0
        while index < count {
            let first = bytes[index]
            if first == 0x20 {
                index += 1
                continue
            }
            if first < 0x80 {
                if let end = shortASCIIWord(at: index, first: first, into: &output) {
                    index = end
                    continue
                }
                index = scanASCII(at: index, first: first, into: &output)
            } else {
                index = scanNonASCII(at: index, into: &output)
            }
        }
    }

    /// Most words, in one step: up to seven ASCII letters and digits, starting with a letter,
    /// followed by an ASCII byte that ends them (not an apostrophe), read in one eight-byte
    /// load. Appends the word exactly as `scanASCII` would and returns its end, or returns nil
    /// having done nothing (`scanASCII` then handles whatever starts at `index`).
    @inline(__always)
    mutating func shortASCIIWord(at index: Int, first: UInt8, into output: inout TokenSink) -> Int? {
        let lowerFirst = first | 0x20
        guard lowerFirst &- 0x61 < 26, norm.count &+ 8 <= norm.capacity, let inputBase = bytes.baseAddress
        else { return nil }
        var word: UInt64
        let available = count &- index
        if available >= 8 {
            word = UInt64(littleEndian: UnsafeRawPointer(inputBase + index).loadUnaligned(as: UInt64.self))
        } else {
            // The end of the text: the bytes left, then zeros (which end the word).
            word = UInt64(first)
            var offset = 1
            while offset < available {
                word |= UInt64(inputBase[index &+ offset]) << UInt64(truncatingIfNeeded: offset &* 8)
                offset &+= 1
            }
        }
        // Letters that may start something else (see `scanASCII`): a URL (`ht…`, `ww…`), an
        // emoticon (`xD`, `D:`, `T_T`, `o.O`, `u_u`).
        let next = UInt8(truncatingIfNeeded: word >> 8)
        switch lowerFirst {
        case 0x68: if next | 0x20 == 0x74 { return nil }
        case 0x77: if next | 0x20 == 0x77 { return nil }
        case 0x78: return nil
        case 0x64: if first == 0x44 && (next == 0x3A || next == 0x3B || next == 0x3D) { return nil }
        case 0x74, 0x6F, 0x75: if next == 0x5F || next == 0x2E { return nil }
        default: break
        }
        let high: UInt64 = 0x8080_8080_8080_8080
        let ones: UInt64 = 0x0101_0101_0101_0101
        // Letters and digits up to the first byte that is neither (a byte ≥ 0x80 is neither;
        // the additions only carry upwards, so the bytes before it are classified right).
        @inline(__always) func atLeast(_ c: UInt64) -> UInt64 { (word &+ (0x80 &- c) &* ones) & high }
        let caseless = word | 0x2020_2020_2020_2020
        let letterMask = (caseless &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(caseless &+ 0x0505_0505_0505_0505) & high
        let digitMask = atLeast(0x30) & ~atLeast(0x3A)
        let stop = (~(letterMask | digitMask) | word) & high
        guard stop != 0 else { return nil }  // eight letters or more: the general loop
        let shift = UInt64(truncatingIfNeeded: stop.trailingZeroBitCount) & 0x38
        let length = Int(truncatingIfNeeded: shift >> 3)
        let after = UInt8(truncatingIfNeeded: word >> shift)
        // Not ASCII (a Latin-1 letter may continue the word) or an apostrophe (`don't`): the
        // general paths. (At the end of the text, `after` is one of the zeros.)
        guard after < 0x80, after != 0x27, after != 0x60 else { return nil }
        let atEnd = length >= available
        let prefix: UInt64 = (1 << shift) &- 1
        let letters = letterMask & prefix
        let capitals = letters & ~(word << 2)  // letters whose 0x20 bit is clear
        let folded = (word | (capitals >> 2)) & prefix
        // A third equal letter in a row: the general path collapses elongations.
        let difference = folded ^ (folded << 8)
        let equal = ~((difference | high) &- ones) & high
        let equalLetters = equal & letters & (letters << 8)
        guard equalLetters & (equalLetters << 8) == 0 else { return nil }
        let start = norm.count
        UnsafeMutableRawPointer(norm.base + start).storeBytes(of: folded.littleEndian, as: UInt64.self)
        norm.count = start &+ length
        var flags: Token.Flags = []
        if capitals & (capitals &- 1) != 0 && capitals == letters { flags.insert(.allCaps) }
        if capitals & 0x80 != 0 { flags.insert(.capitalized) }
        if atEnd || after == 0x20 || after &- 0x09 < 5 { flags.insert(.spaceAfter) }
        var token = Token(
            kind: .word, flags: flags, range: index..<index &+ length, normalizedRange: start..<start &+ length)
        token.normalizedHash = TokenHash.finish(TokenHash.tail(TokenHash.start(length), folded))
        output.append(token)
        return index &+ length
    }

    /// Appends `token`, flagged `spaceAfter` when white space or the end of the text follows it.
    @inline(__always)
    func push(into output: inout TokenSink, _ token: Token) {
        var token = token
        token.normalizedHash = TokenHash.hash(
            overreading: norm.base + Int(token.normalizedStart),
            count: Int(token.normalizedEnd) - Int(token.normalizedStart))
        let end = token.range.upperBound
        if end >= count {
            token.flags.insert(.spaceAfter)
        } else {
            let next = bytes[end]
            if next < 0x80 {
                if next == 0x20 || (next >= 0x09 && next <= 0x0D) { token.flags.insert(.spaceAfter) }
            } else if ScalarClass.isSpace(decode(end).0) {
                token.flags.insert(.spaceAfter)
            }
        }
        output.append(token)
    }

    // MARK: ASCII dispatch

    mutating func scanASCII(at index: Int, first: UInt8, into output: inout TokenSink) -> Int {
        switch first {
        case 0x20, 0x09...0x0D:
            return index + 1
        case 0x00...0x1F, 0x7F:
            return index + 1
        case 0x41...0x5A, 0x61...0x7A:
            if first | 0x20 == 0x68 || first | 0x20 == 0x77, let end = urlEnd(at: index) {
                appendVerbatim(.url, index, end, into: &output)
                return end
            }
            // Letters that may start an emoticon (xD, D:, T_T, o.O, u_u), checked cheaply first.
            let next = byte(index + 1)
            let mayBeEmoticon: Bool
            switch first {
            case 0x78, 0x58: mayBeEmoticon = next == 0x2D || isMouth(next)
            case 0x44: mayBeEmoticon = next == 0x3A || next == 0x3B || next == 0x3D
            case 0x54, 0x74, 0x6F, 0x4F, 0x75, 0x55: mayBeEmoticon = next == 0x5F || next == 0x2E
            default: mayBeEmoticon = false
            }
            if mayBeEmoticon, let end = emoticon(at: index, into: &output) { return end }
            if let end = scanPlainASCIIWord(at: index, into: &output) { return end }
            return scanWord(at: index, into: &output)
        case 0x30...0x39:
            if let end = keycap(at: index, into: &output) { return end }
            if first == 0x38, let end = emoticon(at: index, into: &output) { return end }
            return scanNumber(at: index, into: &output)
        case 0x40:  // @
            if boundaryBefore(index), index + 1 < count, isHandleStart(index + 1) {
                let end = handleEnd(from: index + 1, allowUnderscore: true)
                appendVerbatim(.mention, index, end, into: &output)
                return end
            }
        case 0x23:  // #
            if let end = keycap(at: index, into: &output) { return end }
            if index + 1 < count, isHandleStart(index + 1) {
                return scanHashtag(at: index, into: &output)
            }
        case 0x21, 0x3F:  // ! ?
            return scanExclamationRun(at: index, into: &output)
        case 0x2E:  // .
            // An emoticon (`._.`) needs `_` or `.` next.
            let next = byte(index + 1)
            if next == 0x5F || next == 0x2E, let end = emoticon(at: index, into: &output) { return end }
            var end = index + 1
            while end < count && bytes[end] == 0x2E { end += 1 }
            if end - index >= 2 {
                appendFixed(.punctuationRun, index, end, "...", into: &output)
                return end
            }
        case 0x27, 0x60:  // ' `
            break
        case 0x3A, 0x3B, 0x3D, 0x3C, 0x5E, 0x2D, 0x3E:  // : ; = < ^ - > (may start an emoticon)
            if let end = emoticon(at: index, into: &output) { return end }
        default:
            break
        }
        // Single punctuation or symbol.
        let start = norm.count
        norm.append(first == 0x60 ? apostropheASCII : first)
        push(into: &output, 
            Token(kind: .punctuation, flags: [], range: index..<index + 1,
                  normalizedRange: start..<start + 1))
        return index + 1
    }

    // MARK: Non-ASCII dispatch

    mutating func scanNonASCII(at index: Int, into output: inout TokenSink) -> Int {
        let (scalar, length) = decode(index)
        if ScalarClass.isLetter(scalar) || ScalarClass.isMark(scalar) {
            if bytes[index] == 0xC3, let end = scanPlainASCIIWord(at: index, into: &output) { return end }
            return scanWord(at: index, into: &output)
        }
        if ScalarClass.isSpace(scalar) {
            return index + length
        }
        if ScalarClass.isEmoji(scalar) || ScalarClass.isEmojiModifier(scalar) {
            return scanEmoji(at: index, into: &output)
        }
        if ScalarClass.isExclamationOrQuestion(scalar) {
            return scanExclamationRun(at: index, into: &output)
        }
        if scalar == 0x2026 {  // …
            var end = index + length
            while end < count {
                let (next, nextLength) = decode(end)
                if next == 0x2026 || next == 0x2E { end += nextLength } else { break }
            }
            appendFixed(.punctuationRun, index, end, "...", into: &output)
            return end
        }
        if ScalarClass.isControl(scalar) || scalar == 0x200D || scalar == 0xFE0F || scalar == 0xFE0E {
            return index + length
        }
        // Other punctuation or symbol (including U+FFFD for invalid bytes).
        let start = norm.count
        norm.appendScalar(UnicodeTables.lowercased(scalar))
        push(into: &output, 
            Token(kind: .punctuation, flags: [], range: index..<index + length,
                  normalizedRange: start..<norm.count))
        return index + length
    }

    // MARK: Helpers that append tokens

    mutating func appendVerbatim(_ kind: Token.Kind, _ start: Int, _ end: Int, into output: inout TokenSink) {
        let normalizedStart = norm.count
        var position = start
        while position < end {
            let byte = bytes[position]
            if byte < 0x80 {
                norm.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                position += 1
            } else {
                let (scalar, length) = decode(position)
                norm.appendScalar(UnicodeTables.lowercased(scalar))
                position += length
            }
        }
        push(into: &output, 
            Token(kind: kind, flags: [], range: start..<end,
                  normalizedRange: normalizedStart..<norm.count))
    }

    mutating func appendFixed(
        _ kind: Token.Kind, _ start: Int, _ end: Int, _ text: StaticString, into output: inout TokenSink
    ) {
        let normalizedStart = norm.count
        text.withUTF8Buffer { norm.append(contentsOf: $0) }
        push(into: &output, 
            Token(kind: kind, flags: [], range: start..<end,
                  normalizedRange: normalizedStart..<norm.count))
    }

    // MARK: URLs, handles, hashtags

    @inline(__always)
    func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
    }

    func hasPrefix(_ prefix: StaticString, at index: Int) -> Bool {
        let length = prefix.utf8CodeUnitCount
        guard index + length <= count else { return false }
        var offset = 0
        let pointer = prefix.utf8Start
        while offset < length {
            let expected = pointer[offset]
            var actual = bytes[index + offset]
            if actual >= 0x41 && actual <= 0x5A { actual |= 0x20 }
            if actual != expected { return false }
            offset += 1
        }
        return true
    }

    func urlEnd(at index: Int) -> Int? {
        // Quick reject: a URL starts with "ht" or "ww" (in any case).
        guard index + 4 <= count, (bytes[index + 1] | 0x20) == ((bytes[index] | 0x20) == 0x68 ? 0x74 : 0x77)
        else { return nil }
        var end: Int
        if hasPrefix("https://", at: index) {
            end = index + 8
        } else if hasPrefix("http://", at: index) {
            end = index + 7
        } else if hasPrefix("www.", at: index) && boundaryBefore(index) {
            end = index + 4
        } else {
            return nil
        }
        while end < count {
            let byte = bytes[end]
            if byte <= 0x20 || byte >= 0x80 || byte == 0x7F { break }
            end += 1
        }
        // Trailing punctuation belongs to the sentence, not the URL.
        while end > index + 4 {
            switch bytes[end - 1] {
            case 0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x29, 0x5D, 0x7D, 0x22, 0x27: end -= 1
            default: return end
            }
        }
        return end
    }

    func isHandleStart(_ index: Int) -> Bool {
        let byte = bytes[index]
        if byte < 0x80 { return isASCIIAlphanumeric(byte) || byte == 0x5F }
        let (scalar, _) = decode(index)
        return ScalarClass.isLetter(scalar)
    }

    func handleEnd(from index: Int, allowUnderscore: Bool) -> Int {
        var end = index
        while end < count {
            let byte = bytes[end]
            if byte < 0x80 {
                if isASCIIAlphanumeric(byte) || (allowUnderscore && byte == 0x5F) {
                    end += 1
                    continue
                }
                break
            }
            let (scalar, length) = decode(end)
            if ScalarClass.isLetter(scalar) || ScalarClass.isMark(scalar) {
                end += length
            } else {
                break
            }
        }
        return end
    }

    mutating func scanHashtag(at index: Int, into output: inout TokenSink) -> Int {
        let end = handleEnd(from: index + 1, allowUnderscore: true)
        appendVerbatim(.hashtag, index, end, into: &output)
        guard splitsHashtags else { return end }
        // Split the body at underscores, lower→upper changes, letter↔digit changes, and before
        // the last capital of a run of capitals followed by a lower-case letter (HTTPServer).
        var partStart = -1
        var previousKind = 0  // 0 none, 1 lower, 2 upper, 3 digit
        var position = index + 1
        while position < end {
            let (scalar, length) = decode(position)
            let kind: Int
            if scalar == 0x5F {
                kind = 0
            } else if ScalarClass.isDigit(scalar) {
                kind = 3
            } else if UnicodeTables.isUppercase(scalar) {
                kind = 2
            } else {
                kind = 1
            }
            if kind == 0 {
                if partStart >= 0 { emitWord(partStart, position, extra: .hashtagPart, into: &output) }
                partStart = -1
            } else if partStart < 0 {
                partStart = position
            } else {
                var split = false
                if kind == 2 && previousKind == 1 { split = true }
                if (kind == 3) != (previousKind == 3) { split = true }
                if kind == 1 && previousKind == 2 && position - partStart > 1 {
                    // "HTTPServer": split before the last capital.
                    let lastCapital = previousScalarStart(position)
                    if lastCapital > partStart {
                        emitWord(partStart, lastCapital, extra: .hashtagPart, into: &output)
                        partStart = lastCapital
                    }
                }
                if split {
                    emitWord(partStart, position, extra: .hashtagPart, into: &output)
                    partStart = position
                }
            }
            if ScalarClass.isMark(scalar) {
                // A combining mark keeps the kind of its letter.
            } else {
                previousKind = kind
            }
            position += length
        }
        if partStart >= 0 && partStart < end { emitWord(partStart, end, extra: .hashtagPart, into: &output) }
        return end
    }

    // MARK: Numbers

    mutating func scanNumber(at index: Int, into output: inout TokenSink) -> Int {
        var end = index + 1
        while end < count {
            let byte = bytes[end]
            if byte >= 0x30 && byte <= 0x39 {
                end += 1
            } else if (byte == 0x2E || byte == 0x2C || byte == 0x3A) && end + 1 < count
                && bytes[end + 1] >= 0x30 && bytes[end + 1] <= 0x39
            {
                end += 2
            } else {
                break
            }
        }
        if end < count && bytes[end] == 0x25 { end += 1 }  // %
        appendVerbatim(.number, index, end, into: &output)
        return end
    }

    // MARK: Punctuation runs

    mutating func scanExclamationRun(at index: Int, into output: inout TokenSink) -> Int {
        var end = index
        let normalizedStart = norm.count
        while end < count {
            let (scalar, length) = decode(end)
            guard ScalarClass.isExclamationOrQuestion(scalar) || scalar == 0x203C || scalar == 0x2049
            else { break }
            switch scalar {
            case 0xFF01: norm.append(0x21)
            case 0xFF1F: norm.append(0x3F)
            case 0x203C: norm.append(contentsOf: [0x21, 0x21])
            case 0x2049: norm.append(contentsOf: [0x21, 0x3F])
            default: norm.appendScalar(scalar)
            }
            end += length
        }
        push(into: &output, 
            Token(kind: end - index > 1 || bytes[index] >= 0x80 ? .punctuationRun : .punctuation,
                  flags: [], range: index..<end,
                  normalizedRange: normalizedStart..<norm.count))
        return end
    }

    // MARK: Emoji

    mutating func keycap(at index: Int, into output: inout TokenSink) -> Int? {
        // digit, # or * + optional U+FE0F + U+20E3
        var next = index + 1
        if hasBytes([0xEF, 0xB8, 0x8F], at: next) { next += 3 }
        guard hasBytes([0xE2, 0x83, 0xA3], at: next) else { return nil }
        let end = next + 3
        let normalizedStart = norm.count
        norm.append(bytes[index])
        norm.append(contentsOf: [0xE2, 0x83, 0xA3])
        push(into: &output, 
            Token(kind: .emoji, flags: [], range: index..<end,
                  normalizedRange: normalizedStart..<norm.count))
        return end
    }

    func hasBytes(_ expected: [UInt8], at index: Int) -> Bool {
        guard index + expected.count <= count else { return false }
        for (offset, byte) in expected.enumerated() where bytes[index + offset] != byte { return false }
        return true
    }

    mutating func scanEmoji(at index: Int, into output: inout TokenSink) -> Int {
        let normalizedStart = norm.count
        let (first, firstLength) = decode(index)
        var end = index + firstLength
        if !ScalarClass.isEmojiModifier(first) { norm.appendScalar(first) }
        if ScalarClass.isRegionalIndicator(first), end < count {
            let (second, secondLength) = decode(end)
            if ScalarClass.isRegionalIndicator(second) {
                norm.appendScalar(second)
                end += secondLength
            }
        } else {
            while end < count {
                let (scalar, length) = decode(end)
                if ScalarClass.isEmojiModifier(scalar) || scalar == 0x20E3 {
                    if scalar == 0x20E3 { norm.appendScalar(scalar) }
                    end += length
                    continue
                }
                if scalar == 0x200D, end + length < count {
                    let (joined, joinedLength) = decode(end + length)
                    if ScalarClass.isEmoji(joined) {
                        norm.appendScalar(0x200D)
                        norm.appendScalar(joined)
                        end += length + joinedLength
                        continue
                    }
                }
                break
            }
        }
        if norm.count == normalizedStart {
            norm.appendScalar(first)
        }
        push(into: &output, 
            Token(kind: .emoji, flags: [], range: index..<end,
                  normalizedRange: normalizedStart..<norm.count))
        return end
    }

    // MARK: Emoticons

    @inline(__always)
    func isMouth(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x29, 0x28, 0x5D, 0x5B, 0x44, 0x50, 0x70, 0x4F, 0x6F, 0x2F, 0x5C, 0x7C, 0x2A, 0x33,
            0x24, 0x40, 0x53, 0x73, 0x76, 0x63, 0x43, 0x7D, 0x7B, 0x58, 0x78, 0x64:
            return true
        default:
            return false
        }
    }

    @inline(__always)
    func isLetterMouth(_ byte: UInt8) -> Bool {
        isASCIIAlphanumeric(byte)
    }

    /// Matches an ASCII emoticon at `index`; appends it and returns its end, or nil.
    mutating func emoticon(at index: Int, into output: inout TokenSink) -> Int? {
        let first = bytes[index]
        var normalized: [UInt8] = []
        var end = index
        var repeated = false
        switch first {
        case 0x3A, 0x3B, 0x3D, 0x78, 0x58, 0x38:  // : ; = x X 8
            let isLetterEyes = first == 0x78 || first == 0x58 || first == 0x38
            if isLetterEyes {
                // Quick rejection of ordinary words starting with x or X.
                let next = byte(index + 1)
                if next != 0x2D && !isMouth(next) { return nil }
            }
            if (isLetterEyes || first == 0x3D) && !boundaryBefore(index) { return nil }
            if first == 0x3A || first == 0x3B, index > 0, bytes[index - 1] >= 0x30 && bytes[index - 1] <= 0x39 {
                return nil
            }
            var position = index + 1
            var hasTear = false
            if byte(position) == 0x27 && !isLetterEyes {
                hasTear = true
                position += 1
            }
            if byte(position) == 0x2D || (byte(position) == 0x5E && !isLetterEyes) || (byte(position) == 0x6F && isMouth(byte(position + 1)) && !isLetterEyes) {
                position += 1
            }
            let mouth = byte(position)
            guard isMouth(mouth) else { return nil }
            if isLetterEyes {
                // xD, XD, xP, x(, 8), 8D
                switch mouth {
                case 0x44, 0x64, 0x50, 0x70, 0x28, 0x29: break
                default: return nil
                }
                if first == 0x38 && mouth != 0x29 && mouth != 0x44 { return nil }
            }
            if mouth == 0x2F || mouth == 0x5C {
                if byte(position + 1) == 0x2F || byte(position + 1) == 0x5C { return nil }
            }
            end = position + 1
            while end < count && bytes[end] == mouth {
                end += 1
                repeated = true
            }
            // xDDD or xDdd
            if isLetterEyes {
                while end < count && (bytes[end] | 0x20) == (mouth | 0x20) && isASCIIAlphanumeric(mouth) {
                    end += 1
                    repeated = true
                }
            }
            if isLetterMouth(mouth) || isLetterEyes {
                if !boundaryAt(end) { return nil }
            } else if end < count && isASCIIAlphanumeric(bytes[end]) && (first == 0x3D) {
                return nil
            }
            normalized.append(isLetterEyes ? (first | 0x20) : first)
            if hasTear { normalized.append(0x27) }
            normalized.append(isASCIIAlphanumeric(mouth) ? (mouth | 0x20) : mouth)
        case 0x3C:  // <3  </3
            var position = index + 1
            var broken = false
            if byte(position) == 0x2F {
                broken = true
                position += 1
            }
            guard byte(position) == 0x33 else { return nil }
            end = position + 1
            while end < count && bytes[end] == 0x33 {
                end += 1
                repeated = true
            }
            if end < count && bytes[end] >= 0x30 && bytes[end] <= 0x39 { return nil }
            normalized = broken ? [0x3C, 0x2F, 0x33] : [0x3C, 0x33]
        case 0x44:  // D:  D;
            guard boundaryBefore(index), byte(index + 1) == 0x3A || byte(index + 1) == 0x3B || byte(index + 1) == 0x3D
            else { return nil }
            end = index + 2
            if end < count && !(bytes[end] == 0x20 || bytes[end] == 0x2E || bytes[end] == 0x2C || bytes[end] == 0x21) {
                return nil
            }
            normalized = [0x64, 0x3A]
        case 0x5E, 0x2D, 0x54, 0x74, 0x3E, 0x6F, 0x4F, 0x75, 0x55, 0x2E:
            // Eastern: ^^ ^_^ -_- T_T >_< o.O u_u ._.
            let next = byte(index + 1)
            guard next == 0x5F || next == 0x2E || (first == 0x5E && next == 0x5E), boundaryBefore(index) else {
                return nil
            }
            var position = index + 1
            var separator: UInt8 = 0
            while position < count && (bytes[position] == 0x5F || bytes[position] == 0x2E) && position - index <= 3 {
                separator = bytes[position]
                position += 1
            }
            let second = byte(position)
            let pairOK: Bool
            switch first {
            case 0x5E: pairOK = second == 0x5E
            case 0x2D: pairOK = second == 0x2D && separator != 0
            case 0x54, 0x74: pairOK = (second | 0x20) == 0x74 && separator != 0
            case 0x3E: pairOK = second == 0x3C && separator != 0
            case 0x6F, 0x4F: pairOK = (second | 0x20) == 0x6F && separator != 0 && second != first
            case 0x75, 0x55: pairOK = (second | 0x20) == 0x75 && separator == 0x5F
            case 0x2E: pairOK = second == 0x2E && separator == 0x5F
            default: pairOK = false
            }
            guard pairOK else { return nil }
            end = position + 1
            if !boundaryAt(end) { return nil }
            normalized.append(first == 0x54 ? 0x74 : (first == 0x55 ? 0x75 : first))
            if separator != 0 { normalized.append(separator) }
            normalized.append(second == 0x54 ? 0x74 : (second == 0x55 ? 0x75 : second))
        default:
            return nil
        }
        let normalizedStart = norm.count
        norm.append(contentsOf: normalized)
        push(into: &output, 
            Token(kind: .emoticon, flags: repeated ? .elongated : [], range: index..<end,
                  normalizedRange: normalizedStart..<norm.count))
        return end
    }

    // MARK: Words

    /// Scans letters, marks, digits and internal apostrophes, then emits the pieces.
    mutating func scanWord(at index: Int, into output: inout TokenSink) -> Int {
        var end = index
        var previousWasLetter = false
        var hasApostrophe = false
        while end < count {
            let byte = bytes[end]
            if byte < 0x80 {
                if isASCIIAlphanumeric(byte) {
                    end += 1
                    previousWasLetter = true
                    continue
                }
                if (byte == 0x27 || byte == 0x60) && previousWasLetter {
                    hasApostrophe = true
                    if end + 1 < count && isLetterStartingAt(end + 1) {
                        end += 1
                        previousWasLetter = false
                        continue
                    }
                    // Trailing apostrophe (Italian "po'", "perche'"): keep it with the word.
                    end += 1
                }
                break
            }
            let (scalar, length) = decode(end)
            if ScalarClass.isLetter(scalar) || ScalarClass.isMark(scalar) {
                end += length
                previousWasLetter = true
                continue
            }
            if UnicodeTables.isApostrophe(scalar) && previousWasLetter {
                hasApostrophe = true
                if end + length < count && isLetterStartingAt(end + length) {
                    end += length
                    previousWasLetter = false
                    continue
                }
                end += length
            }
            break
        }
        if hasApostrophe {
            emitWordSpan(index, end, into: &output)
        } else {
            emitWord(index, end, extra: [], into: &output)
        }
        return end
    }

    /// The common case in one pass: a word of ASCII letters and Latin-1 letters (`á`, `ñ`, `è`),
    /// then letters or digits, followed by something that cannot continue a word. Returns nil,
    /// having written nothing, when the word goes on with an apostrophe, a combining mark or
    /// another non-ASCII scalar, or repeats a letter three times (the general path handles those).
    mutating func scanPlainASCIIWord(at index: Int, into output: inout TokenSink) -> Int? {
        // Local copies so the loop keeps them in registers.
        let base = norm.base
        let capacity = norm.capacity
        let normalizedStart = norm.count
        var written = normalizedStart
        let input = bytes
        let inputCount = count
        var end = index
        var upper = 0
        var lower = 0
        var previous: UInt16 = 0
        var run = 0
        var nonASCII = false
        let inputBase = UnsafeRawPointer(input.baseAddress)
        while end < inputCount {
            // Eight ASCII bytes at a time (SWAR): the letters and digits that begin them are
            // the word's, classified, counted, checked for a third repeated letter and
            // lower-cased together. Anything else is left to the byte-by-byte steps below.
            if end + 8 <= inputCount && written + 8 <= capacity, let inputBase {
                let word = UInt64(littleEndian: inputBase.loadUnaligned(fromByteOffset: end, as: UInt64.self))
                let consumed = Self.plainASCIIChunk(
                    word, previous: &previous, run: &run, lower: &lower, upper: &upper, into: base + written)
                if consumed < 0 { return nil }
                written += consumed
                end += consumed
                if consumed == 8 { continue }
            }
            var byte = input[end]
            var scalar: UInt16
            if byte &- 0x61 < 26 {
                lower += 1
                scalar = UInt16(byte)
            } else if byte &- 0x41 < 26 {
                upper += 1
                byte |= 0x20
                scalar = UInt16(byte)
            } else if byte &- 0x30 < 10 {
                scalar = 0  // digits continue a word and never count as a repeated letter
            } else if byte == 0xC3 && end + 1 < inputCount {
                // Latin-1 letters U+00C0…U+00FF except × and ÷.
                var second = input[end + 1]
                guard second &- 0x80 < 0x40, second != 0x97, second != 0xB7 else { return nil }
                if second < 0x9F {  // À…Þ (0x9F is ß, lower case)
                    upper += 1
                    second |= 0x20
                } else {
                    lower += 1
                }
                scalar = 0xC300 | UInt16(second)
                if scalar == previous {
                    run += 1
                    if run >= 3 { return nil }
                } else {
                    run = 1
                    previous = scalar
                }
                if written + 1 < capacity {
                    base[written] = 0xC3
                    base[written + 1] = second
                    written += 2
                }
                nonASCII = true
                end += 2
                continue
            } else {
                if byte >= 0x80 || byte == 0x27 || byte == 0x60 { return nil }
                break
            }
            if scalar != 0 && scalar == previous {
                run += 1
                if run >= 3 { return nil }
            } else {
                run = 1
                previous = scalar
            }
            if written < capacity {
                base[written] = byte
                written += 1
            }
            end += 1
        }
        norm.count = written
        var flags: Token.Flags = []
        if upper >= 2 && lower == 0 { flags.insert(.allCaps) }
        let first = input[index]
        if first <= 0x5A || (first == 0xC3 && index + 1 < inputCount && input[index + 1] < 0x9F) {
            flags.insert(.capitalized)
        }
        if nonASCII { flags.insert(.nonASCII) }
        push(into: &output,
            Token(kind: .word, flags: flags, range: index..<end, normalizedRange: normalizedStart..<written))
        return end
    }

    /// The byte-wise steps of `scanPlainASCIIWord` for the letters and digits at the start of
    /// the eight bytes `word` (little-endian), done together: returns how many it took (0…8;
    /// the first byte it did not take, if any, is not a letter or digit, or not ASCII), or -1
    /// where a letter is the third of a run of one letter (the word needs the slow path).
    /// Updates the running state and writes the lower-cased bytes to `output` (all eight;
    /// those past the count are scratch).
    @inline(__always)
    static func plainASCIIChunk(
        _ word: UInt64, previous: inout UInt16, run: inout Int, lower: inout Int, upper: inout Int,
        into output: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let high: UInt64 = 0x8080_8080_8080_8080
        let ones: UInt64 = 0x0101_0101_0101_0101
        if word & high != 0 { return 0 }
        // For ASCII bytes, `x + 0x80 - c` has its high bit set exactly when x >= c, and no
        // byte carries into the next.
        @inline(__always) func atLeast(_ c: UInt64) -> UInt64 { (word &+ (0x80 &- c) &* ones) & high }
        let lowerMask = atLeast(0x61) & ~atLeast(0x7B)
        let upperMask = atLeast(0x41) & ~atLeast(0x5B)
        let digitMask = atLeast(0x30) & ~atLeast(0x3A)
        let taken = lowerMask | upperMask | digitMask
        let stop = ~taken & high
        let count = stop == 0 ? 8 : stop.trailingZeroBitCount >> 3
        if count == 0 { return 0 }
        let prefix: UInt64 = count == 8 ? ~0 : (1 << UInt64(count * 8)) &- 1
        let letters = (lowerMask | upperMask) & prefix
        let folded = word | ((upperMask & prefix) >> 2)
        // Equal to the byte before (the byte before the chunk: `previous`, when an ASCII letter).
        let previousByte: UInt64 = previous != 0 && previous < 0x80 ? UInt64(previous) : 0
        let shifted = folded << 8 | previousByte
        let difference = folded ^ shifted
        let equal = ~((difference | high) &- ones) & high
        let previousIsLetter: UInt64 = previousByte != 0 ? 0x80 : 0
        let equalLetters = equal & letters & (letters << 8 | previousIsLetter)
        // A third equal letter: equal to the one before, which was equal to the one before it.
        let runBefore: UInt64 = run >= 2 && previousByte != 0 ? 0x80 : 0
        if equalLetters & (equalLetters << 8 | runBefore) != 0 { return -1 }
        // Only whether there is a lower-case letter and whether there are two capitals matter.
        if lowerMask & prefix != 0 { lower += 1 }
        let capitals = upperMask & prefix
        if capitals != 0 { upper += capitals & (capitals &- 1) != 0 ? 2 : 1 }
        UnsafeMutableRawPointer(output).storeBytes(of: folded.littleEndian, as: UInt64.self)
        let lastShift = UInt64(count - 1) * 8
        if (digitMask >> lastShift) & 0x80 != 0 {
            previous = 0
            run = 1
        } else {
            previous = UInt16((folded >> lastShift) & 0xFF)
            run = (equalLetters >> lastShift) & 0x80 != 0 ? (count == 1 ? run + 1 : 2) : 1
        }
        return count
    }

    /// Splits a word span at its internal apostrophes (elisions and English clitics).
    mutating func emitWordSpan(_ start: Int, _ end: Int, into output: inout TokenSink) {
        var segmentStart = start
        var position = start
        while position < end {
            let byte = bytes[position]
            var apostropheLength = 0
            if byte == 0x27 || byte == 0x60 {
                apostropheLength = 1
            } else if byte >= 0x80 {
                let (scalar, length) = decode(position)
                if UnicodeTables.isApostrophe(scalar) { apostropheLength = length }
                if apostropheLength == 0 {
                    position += length
                    continue
                }
            } else {
                position += 1
                continue
            }
            let rightStart = position + apostropheLength
            if rightStart >= end {
                position = rightStart
                break  // trailing apostrophe stays in the word
            }
            if position == segmentStart {
                position = rightStart
                continue
            }
            if isLastSegment(from: rightStart, to: end) {
                let rightLength = end - rightStart
                if rightLength <= 2 && isEnglishClitic(rightStart, end) {
                    emitWord(segmentStart, position, extra: [], into: &output)
                    emitWord(position, end, extra: [], into: &output)
                    return
                }
                if rightLength == 1 && (bytes[rightStart] | 0x20) == 0x74 && position - segmentStart >= 1
                    && (bytes[position - 1] | 0x20) == 0x6E
                {
                    emitWord(segmentStart, position - 1, extra: [], into: &output)
                    emitWord(position - 1, end, extra: [], into: &output)
                    return
                }
            }
            emitWord(segmentStart, rightStart, extra: [], into: &output)
            segmentStart = rightStart
            position = rightStart
        }
        if segmentStart < end { emitWord(segmentStart, end, extra: [], into: &output) }
    }

    func isLastSegment(from start: Int, to end: Int) -> Bool {
        var position = start
        while position < end {
            let byte = bytes[position]
            if byte == 0x27 || byte == 0x60 { return false }
            if byte >= 0x80 {
                let (scalar, length) = decode(position)
                if UnicodeTables.isApostrophe(scalar) { return false }
                position += length
            } else {
                position += 1
            }
        }
        return true
    }

    /// `'s`, `'m`, `'d`, `'ll`, `'re`, `'ve` (ASCII, any case).
    func isEnglishClitic(_ start: Int, _ end: Int) -> Bool {
        let a = bytes[start] | 0x20
        if end - start == 1 { return a == 0x73 || a == 0x6D || a == 0x64 }
        let b = bytes[start + 1] | 0x20
        return (a == 0x6C && b == 0x6C) || (a == 0x72 && b == 0x65) || (a == 0x76 && b == 0x65)
    }

    /// Emits one word token for `bytes[start..<end]`: lower case, NFC, apostrophes as `'`,
    /// elongations collapsed, flags for capitals and elongation.
    mutating func emitWord(_ start: Int, _ end: Int, extra: Token.Flags, into output: inout TokenSink) {
        guard start < end else { return }
        var flags = extra
        let normalizedStart = norm.count
        var upper = 0
        var lower = 0
        var hasMark = false
        var firstLetter = true
        var previous: UInt32 = 0
        var run = 0
        var maxRun = 0
        var position = start
        while position < end {
            let byte = bytes[position]
            var scalar: UInt32
            var length = 1
            if byte < 0x80 {
                scalar = UInt32(byte)
                if byte >= 0x41 && byte <= 0x5A {
                    upper += 1
                    if firstLetter { flags.insert(.capitalized) }
                    scalar |= 0x20
                    firstLetter = false
                } else if byte >= 0x61 && byte <= 0x7A {
                    lower += 1
                    firstLetter = false
                } else if byte == 0x60 {
                    scalar = 0x27
                }
                norm.append(UInt8(scalar))
            } else {
                flags.insert(.nonASCII)
                (scalar, length) = decode(position)
                if ScalarClass.isMark(scalar) {
                    hasMark = true
                } else if UnicodeTables.isUppercase(scalar) {
                    upper += 1
                    if firstLetter { flags.insert(.capitalized) }
                    firstLetter = false
                } else if scalar < UnicodeTables.limit && ScalarClass.isLetter(scalar) {
                    lower += 1
                    firstLetter = false
                }
                scalar = UnicodeTables.lowercased(scalar)
                norm.appendScalar(scalar)
            }
            if scalar == previous && !ScalarClass.isDigit(scalar) {
                run += 1
                if run > maxRun { maxRun = run }
            } else {
                run = 1
                previous = scalar
            }
            position += length
        }
        if upper >= 2 && lower == 0 { flags.insert(.allCaps) }
        if hasMark {
            // Compose (NFC) through Foundation: rare, so the slow path is fine.
            let composed = String(decoding: norm.bytes(from: normalizedStart), as: UTF8.self)
                .precomposedStringWithCanonicalMapping
            norm.truncate(to: normalizedStart)
            norm.append(contentsOf: composed.utf8)
        }
        var alternative = 0..<0
        if maxRun >= 3 {
            flags.insert(.elongated)
            let original = norm.bytes(from: normalizedStart)
            norm.truncate(to: normalizedStart)
            var collapsed: [UInt8] = []
            Self.appendCollapsed(original, keep: 1, to: &collapsed)
            norm.append(contentsOf: collapsed)
            let alternativeStart = norm.count
            collapsed.removeAll()
            Self.appendCollapsed(original, keep: 2, to: &collapsed)
            norm.append(contentsOf: collapsed)
            alternative = alternativeStart..<norm.count
            push(into: &output, 
                Token(kind: .word, flags: flags, range: start..<end,
                      normalizedRange: normalizedStart..<alternativeStart, alternativeRange: alternative))
            return
        }
        push(into: &output, 
            Token(kind: .word, flags: flags, range: start..<end,
                  normalizedRange: normalizedStart..<norm.count))
    }

    /// Appends `source` with every run of three or more equal letters cut to `keep` letters.
    static func appendCollapsed(_ source: [UInt8], keep: Int, to output: inout [UInt8]) {
        source.withUnsafeBufferPointer { buffer in
            var position = 0
            while position < buffer.count {
                let (scalar, length) = UTF8Scan.decode(buffer, at: position)
                var runEnd = position + length
                var run = 1
                while runEnd < buffer.count {
                    let (next, nextLength) = UTF8Scan.decode(buffer, at: runEnd)
                    if next != scalar { break }
                    run += 1
                    runEnd += nextLength
                }
                let copies = run >= 3 && !ScalarClass.isDigit(scalar) ? keep : run
                for _ in 0..<copies { UTF8Scan.append(scalar, to: &output) }
                position = runEnd
            }
        }
    }
}
