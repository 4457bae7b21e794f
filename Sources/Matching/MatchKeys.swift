import Foundation
import TextAnalysis

/// The byte keys under which query words and text tokens meet. Query words and text are read by
/// the same `Tokenizer` and keyed by the same functions, so they always agree.
enum MatchKeys {
    /// Appends the case- and accent-folded key of UTF-8 `source` (lower case, no diacritics,
    /// typographic apostrophes as `'`).
    @inline(__always)
    static func appendFolded(_ source: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        TextNormalization.appendMatchKey(of: source, to: &output)
    }

    /// Appends the case-sensitive key of UTF-8 `source`: the text in NFC with typographic
    /// apostrophes written `'` (for `{Exact}` terms).
    static func appendExact(_ source: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        let start = output.count
        var hasMark = false
        var index = 0
        while index < source.count {
            let byte = source[index]
            if byte < 0x80 {
                output.append(byte == 0x60 ? 0x27 : byte)
                index += 1
                continue
            }
            let (scalar, length) = UTF8Scan.decode(source, at: index)
            if scalar == 0x2019 || scalar == 0x2018 || scalar == 0xB4 || scalar == 0x2BC {
                output.append(0x27)
            } else {
                if scalar >= 0x300 && scalar <= 0x36F { hasMark = true }
                output.append(contentsOf: source[index..<index + length])
            }
            index += length
        }
        if hasMark {
            // Combining marks are rare: compose through Foundation.
            let composed = TextNormalization.nfc(String(decoding: output[start...], as: UTF8.self))
            output.removeSubrange(start...)
            output.append(contentsOf: composed.utf8)
        }
    }
}

/// How query text becomes the normalised words of a `QueryTerm`.
enum QueryWords {
    /// The most words in one phrase.
    static let maximumPhraseLength = 32

    /// Whether a token takes a word position (words, numbers, hashtags, handles). English
    /// clitics (`'s`, `'ll`, `'re`…) do not: `Iberia's` is read as `Iberia`.
    @inline(__always)
    static func isPositional(_ token: Token, normalized: UnsafeBufferPointer<UInt8>) -> Bool {
        switch token.kind {
        case .word:
            let range = token.normalizedRange
            return range.isEmpty || normalized[range.lowerBound] != 0x27
        case .number, .hashtag, .mention:
            return true
        default:
            return false
        }
    }

    /// The normalised words of query text: the words and numbers the tokenizer finds (a
    /// hashtag gives its words, a handle its name).
    static func words(of source: UnsafeBufferPointer<UInt8>, tokenizer: Tokenizer, caseSensitive: Bool) -> [String] {
        var tokens = TokenizedText()
        tokenizer.tokenize(source, into: &tokens)
        var words: [String] = []
        var key: [UInt8] = []
        tokens.normalizedBytes.withUnsafeBufferPointer { normalized in
            for token in tokens.tokens {
                guard token.kind != .hashtag, isPositional(token, normalized: normalized) else { continue }
                var range = token.range
                if token.kind == .mention { range = range.lowerBound + 1..<range.upperBound }
                key.removeAll(keepingCapacity: true)
                let slice = UnsafeBufferPointer(rebasing: source[range])
                if caseSensitive {
                    MatchKeys.appendExact(slice, to: &key)
                } else {
                    MatchKeys.appendFolded(slice, to: &key)
                }
                words.append(String(decoding: key, as: UTF8.self))
            }
        }
        return words
    }

    /// The normalised name of `#name` or `@name` (without the sign), or nil when `source` is not
    /// exactly one hashtag or handle.
    static func tagName(of source: UnsafeBufferPointer<UInt8>, hashtag: Bool, tokenizer: Tokenizer, caseSensitive: Bool) -> String? {
        var tokens = TokenizedText()
        tokenizer.tokenize(source, into: &tokens)
        guard let first = tokens.tokens.first, first.kind == (hashtag ? .hashtag : .mention),
            first.range == 0..<source.count, source.count > 1
        else { return nil }
        var key: [UInt8] = []
        let body = UnsafeBufferPointer(rebasing: source[1...])
        if caseSensitive {
            MatchKeys.appendExact(body, to: &key)
        } else {
            MatchKeys.appendFolded(body, to: &key)
        }
        return String(decoding: key, as: UTF8.self)
    }

    /// Whether the tokenizer reads a link in `source`.
    static func containsLink(_ source: UnsafeBufferPointer<UInt8>, tokenizer: Tokenizer) -> Bool {
        tokenizer.tokenize(String(decoding: source, as: UTF8.self)).tokens.contains { $0.kind == .url }
    }
}
