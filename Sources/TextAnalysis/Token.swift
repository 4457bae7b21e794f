/// One token of a text: a word, a number, a URL, a handle, an emoji… with its place in the
/// original text and its normalised form.
///
/// Tokens are small values; their normalised text lives in the `TokenizedText` that produced
/// them (read it with `TokenizedText.normalized(_:)`), so tokenizing allocates no `String`.
public struct Token: Sendable, Hashable {
    /// What a token is.
    public enum Kind: UInt8, Sendable, Hashable, CustomStringConvertible {
        /// Letters (and digits after a letter), including elided or clitic pieces such as
        /// `dell'`, `l'`, `n't`, `'s`.
        case word
        /// Digits, with `.`, `,` or `:` between digits and an optional `%`.
        case number
        /// `http://…`, `https://…` or `www.…`, up to the next white space.
        case url
        /// `@handle`.
        case mention
        /// `#hashtag` (its words follow as `.word` tokens flagged `hashtagPart` when the
        /// tokenizer splits hashtags).
        case hashtag
        /// One emoji, with its modifiers: skin tone, variation selector, ZWJ sequence, keycap, flag.
        case emoji
        /// An ASCII emoticon such as `:-(`, `xD`, `<3`, `:'(`.
        case emoticon
        /// A run of `!`, `?`, `¡`, `¿` (`!!!`, `?!`), or of dots (`...`, `…`).
        case punctuationRun
        /// Any other punctuation or symbol, one scalar per token.
        case punctuation

        public var description: String {
            switch self {
            case .word: "word"
            case .number: "number"
            case .url: "url"
            case .mention: "mention"
            case .hashtag: "hashtag"
            case .emoji: "emoji"
            case .emoticon: "emoticon"
            case .punctuationRun: "punctuation-run"
            case .punctuation: "punctuation"
            }
        }
    }

    /// Properties of a token's surface form.
    @frozen
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Written in capitals (at least two letters, none lower case): `HORRIBLE`.
        @inlinable public static var allCaps: Flags { Flags(rawValue: 1 << 0) }
        /// A letter was repeated three times or more (`buenísimoooo`); the normalised form has
        /// the run collapsed.
        @inlinable public static var elongated: Flags { Flags(rawValue: 1 << 1) }
        /// A word that comes from splitting a hashtag (`#MalServicio` → `mal`, `servicio`).
        @inlinable public static var hashtagPart: Flags { Flags(rawValue: 1 << 2) }
        /// The token is followed by white space or ends the text (absent for `dell'` in
        /// `dell'assistenza`).
        @inlinable public static var spaceAfter: Flags { Flags(rawValue: 1 << 3) }
        /// The word contains a non-ASCII scalar (useful to skip accent folding).
        @inlinable public static var nonASCII: Flags { Flags(rawValue: 1 << 4) }
        /// Starts with an upper-case letter.
        @inlinable public static var capitalized: Flags { Flags(rawValue: 1 << 5) }
    }

    /// What the token is.
    public var kind: Kind
    /// Properties of its surface form.
    public var flags: Flags
    /// `TokenHash` of the normalised form, set by the tokenizer (0 for tokens made otherwise).
    public var normalizedHash: UInt32 = 0
    // Offsets are stored as 32-bit values so a token takes 32 bytes (the tokenizer caps texts
    // at `Tokenizer.maximumLength`).
    @usableFromInline var start: UInt32
    @usableFromInline var end: UInt32
    @usableFromInline var normalizedStart: UInt32
    @usableFromInline var normalizedEnd: UInt32
    @usableFromInline var alternativeStart: UInt32
    @usableFromInline var alternativeEnd: UInt32

    /// UTF-8 byte offsets of the token in the original text.
    @inlinable public var range: Range<Int> {
        get { Int(start)..<Int(end) }
        set {
            start = UInt32(truncatingIfNeeded: newValue.lowerBound)
            end = UInt32(truncatingIfNeeded: newValue.upperBound)
        }
    }

    /// Byte offsets of the normalised form in `TokenizedText.normalizedBytes`: NFC, lower case,
    /// `’` written `'`, letter runs of three or more collapsed to one (`sooo` → `so`).
    @inlinable public var normalizedRange: Range<Int> {
        get { Int(normalizedStart)..<Int(normalizedEnd) }
        set {
            normalizedStart = UInt32(truncatingIfNeeded: newValue.lowerBound)
            normalizedEnd = UInt32(truncatingIfNeeded: newValue.upperBound)
        }
    }

    /// For elongated words, the normalised form with runs collapsed to two letters instead
    /// (`feeeel` → `feel`, `cooool` → `cool`); empty otherwise.
    @inlinable public var alternativeRange: Range<Int> {
        get { Int(alternativeStart)..<Int(alternativeEnd) }
        set {
            alternativeStart = UInt32(truncatingIfNeeded: newValue.lowerBound)
            alternativeEnd = UInt32(truncatingIfNeeded: newValue.upperBound)
        }
    }

    /// Creates a token.
    @inlinable
    public init(
        kind: Kind, flags: Flags, range: Range<Int>, normalizedRange: Range<Int>,
        alternativeRange: Range<Int> = 0..<0
    ) {
        self.kind = kind
        self.flags = flags
        start = UInt32(truncatingIfNeeded: range.lowerBound)
        end = UInt32(truncatingIfNeeded: range.upperBound)
        normalizedStart = UInt32(truncatingIfNeeded: normalizedRange.lowerBound)
        normalizedEnd = UInt32(truncatingIfNeeded: normalizedRange.upperBound)
        alternativeStart = UInt32(truncatingIfNeeded: alternativeRange.lowerBound)
        alternativeEnd = UInt32(truncatingIfNeeded: alternativeRange.upperBound)
    }
}

/// The tokens of one text and the bytes of their normalised forms.
///
/// Reuse one value across texts (`Tokenizer.tokenize(_:into:)` clears it) to avoid allocating.
public struct TokenizedText: Sendable {
    /// The tokens, in text order.
    public var tokens: [Token] = []
    /// The normalised forms of every token, back to back (see `Token.normalizedRange`).
    public var normalizedBytes: [UInt8] = []
    /// Where the tokenizer writes before the result is copied into the arrays (kept to avoid
    /// allocating for every text).
    var arena: TokenArena?

    /// An empty value, ready to be filled by a tokenizer.
    public init() {}

    /// Removes every token, keeping the storage.
    public mutating func removeAll() {
        tokens.removeAll(keepingCapacity: true)
        normalizedBytes.removeAll(keepingCapacity: true)
    }

    /// The normalised form of `token` as a `String`.
    public func normalized(_ token: Token) -> String {
        String(decoding: normalizedBytes[token.normalizedRange], as: UTF8.self)
    }

    /// The normalised forms of every token.
    public var normalizedStrings: [String] { tokens.map(normalized) }
}

/// The tokens of one text and their normalised bytes, in storage reused from text to text and
/// read through pointers: `Tokenizer.tokenize(_:into:)` with an arena writes there and copies
/// nothing. For the scorers of this package; a `TokenizedText` is the safe public form.
///
/// The pointers stay valid until the next tokenization into the same arena. An arena is used
/// by one thread at a time (hence `@unchecked Sendable`).
package final class TokenArena: @unchecked Sendable {
    /// The tokens, `tokenCount` of them.
    package private(set) var tokens: UnsafeMutablePointer<Token>
    package internal(set) var tokenCount = 0
    private(set) var tokenCapacity: Int
    /// The normalised bytes, `byteCount` of them; at least eight more bytes are allocated
    /// after them (see `TokenHash.hash(overreading:count:)`).
    package private(set) var bytes: UnsafeMutablePointer<UInt8>
    package internal(set) var byteCount = 0
    private(set) var byteCapacity: Int

    package init() {
        tokenCapacity = 256
        tokens = UnsafeMutablePointer<Token>.allocate(capacity: tokenCapacity)
        byteCapacity = 4096
        bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: byteCapacity)
        bytes.initialize(repeating: 0, count: byteCapacity)
    }

    deinit {
        tokens.deallocate()
        bytes.deallocate()
    }

    /// The tokens as a buffer.
    @inline(__always)
    package var tokenBuffer: UnsafeBufferPointer<Token> { UnsafeBufferPointer(start: tokens, count: tokenCount) }

    /// The normalised bytes as a buffer.
    @inline(__always)
    package var byteBuffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: bytes, count: byteCount) }

    /// Makes room for `count` normalised bytes (the content is not kept).
    func reserveBytes(_ count: Int) {
        guard count > byteCapacity else { return }
        bytes.deallocate()
        byteCapacity = max(count, byteCapacity * 2)
        bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: byteCapacity)
        bytes.initialize(repeating: 0, count: byteCapacity)
    }

    /// Doubles the token capacity, keeping the first `count` tokens.
    func growTokens(keeping count: Int) {
        let newCapacity = tokenCapacity * 2
        let newTokens = UnsafeMutablePointer<Token>.allocate(capacity: newCapacity)
        newTokens.moveInitialize(from: tokens, count: count)
        tokens.deallocate()
        tokens = newTokens
        tokenCapacity = newCapacity
    }
}
