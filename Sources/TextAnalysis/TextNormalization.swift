import Foundation

/// Unicode normalisation and folding helpers for matching and scoring.
///
/// Two levels are offered:
/// - `String` helpers (`nfc`, `caseFolded`, `accentFolded`, `matchKey`) that are exact and use
///   Foundation; use them for configuration values, brand names and other rare strings.
/// - Byte-level helpers (`appendLowercased`, `appendMatchKey`) that work on UTF-8 and a
///   precomputed table for the scripts Vigía cares about (Latin, Greek, Cyrillic); the tokenizer
///   uses them on every token, so they avoid `String` entirely.
public enum TextNormalization {
    /// The text in Unicode Normalization Form C (composed: `e` + U+0301 becomes `é`).
    public static func nfc(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
    }

    /// The text case-folded (lower case, locale-independent), in NFC.
    public static func caseFolded(_ text: String) -> String {
        nfc(text).folding(options: [.caseInsensitive], locale: nil)
    }

    /// The text with diacritics removed (`pésimo` → `pesimo`, `perché` → `perche`), in NFC.
    /// Case is kept.
    public static func accentFolded(_ text: String) -> String {
        nfc(text).folding(options: [.diacriticInsensitive], locale: nil)
    }

    /// The key used to compare two strings loosely: NFC, case-folded, accent-folded, with the
    /// typographic apostrophes (`’`, `‘`, `´`, `ʼ`) written as `'`.
    public static func matchKey(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        let composed = nfc(text)
        var utf8 = Array(composed.utf8)
        utf8.withUnsafeMutableBufferPointer { buffer in
            appendMatchKey(of: UnsafeBufferPointer(buffer), to: &bytes)
        }
        utf8.removeAll()
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the lower-case form of UTF-8 `source` to `output`, mapping typographic
    /// apostrophes to `'`. Scalars outside the precomputed table are copied unchanged; invalid
    /// bytes are replaced by U+FFFD.
    public static func appendLowercased(of source: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        appendMapped(source, to: &output, fold: false)
    }

    /// Appends the lower-case, accent-folded form of UTF-8 `source` to `output`.
    public static func appendMatchKey(of source: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        appendMapped(source, to: &output, fold: true)
    }

    /// Appends the accent-folded form of already lower-case UTF-8 `source` to `output`.
    /// Returns whether anything changed (so callers can skip a second lookup).
    @discardableResult
    public static func appendAccentFolded(
        of source: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]
    ) -> Bool {
        let before = output.count
        appendMapped(source, to: &output, fold: true)
        if output.count - before != source.count { return true }
        var index = 0
        while index < source.count {
            if output[before + index] != source[index] { return true }
            index += 1
        }
        return false
    }

    private static func appendMapped(
        _ source: UnsafeBufferPointer<UInt8>, to output: inout [UInt8], fold: Bool
    ) {
        var index = 0
        let count = source.count
        while index < count {
            let byte = source[index]
            if byte < 0x80 {
                output.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : (byte == 0x60 ? 0x27 : byte))
                index += 1
                continue
            }
            let (scalar, length) = UTF8Scan.decode(source, at: index)
            index += length
            let mapped = fold ? UnicodeTables.folded(scalar) : UnicodeTables.lowercased(scalar)
            if mapped == 0 { continue }  // combining mark removed by accent folding
            UTF8Scan.append(mapped, to: &output)
        }
    }
}

/// Low-level UTF-8 decoding and encoding used by the tokenizer and the lexicons.
public enum UTF8Scan {
    /// Decodes the scalar at `index`; invalid or truncated sequences give U+FFFD with length 1.
    @inline(__always)
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int) {
        let b0 = UInt32(bytes[index])
        if b0 < 0x80 { return (b0, 1) }
        let count = bytes.count
        if b0 >= 0xC2 && b0 <= 0xDF {
            if index + 1 < count {
                let b1 = UInt32(bytes[index + 1])
                if b1 & 0xC0 == 0x80 { return (((b0 & 0x1F) << 6) | (b1 & 0x3F), 2) }
            }
            return (0xFFFD, 1)
        }
        if b0 >= 0xE0 && b0 <= 0xEF {
            if index + 2 < count {
                let b1 = UInt32(bytes[index + 1])
                let b2 = UInt32(bytes[index + 2])
                if b1 & 0xC0 == 0x80 && b2 & 0xC0 == 0x80 {
                    let scalar = ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F)
                    if scalar >= 0x800 && (scalar < 0xD800 || scalar > 0xDFFF) { return (scalar, 3) }
                }
            }
            return (0xFFFD, 1)
        }
        if b0 >= 0xF0 && b0 <= 0xF4 {
            if index + 3 < count {
                let b1 = UInt32(bytes[index + 1])
                let b2 = UInt32(bytes[index + 2])
                let b3 = UInt32(bytes[index + 3])
                if b1 & 0xC0 == 0x80 && b2 & 0xC0 == 0x80 && b3 & 0xC0 == 0x80 {
                    let scalar =
                        ((b0 & 0x07) << 18) | ((b1 & 0x3F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F)
                    if scalar >= 0x10000 && scalar <= 0x10FFFF { return (scalar, 4) }
                }
            }
            return (0xFFFD, 1)
        }
        return (0xFFFD, 1)
    }

    /// Appends the UTF-8 encoding of `scalar` to `output`.
    @inline(__always)
    public static func append(_ scalar: UInt32, to output: inout [UInt8]) {
        if scalar < 0x80 {
            output.append(UInt8(scalar))
        } else if scalar < 0x800 {
            output.append(UInt8(0xC0 | (scalar >> 6)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        } else if scalar < 0x10000 {
            output.append(UInt8(0xE0 | (scalar >> 12)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        } else {
            output.append(UInt8(0xF0 | (scalar >> 18)))
            output.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}

/// Precomputed lower-case and accent-folded mappings for U+0000…U+052F and a few extra ranges,
/// built once from Foundation so they agree with `TextNormalization`'s `String` helpers.
enum UnicodeTables {
    static let limit: UInt32 = 0x530

    /// `lower[s]` is the lower-case scalar of `s`; `fold[s]` the lower-case scalar without
    /// diacritics, or 0 when `s` is a combining mark that folding removes.
    private static let tables: (lower: [UInt32], fold: [UInt32], upper: [Bool]) = {
        var lower = [UInt32](repeating: 0, count: Int(limit))
        var fold = [UInt32](repeating: 0, count: Int(limit))
        var upper = [Bool](repeating: false, count: Int(limit))
        for value in 0..<limit {
            lower[Int(value)] = value
            fold[Int(value)] = value
            guard let scalar = Unicode.Scalar(value) else { continue }
            if value < 0x80 {
                if value >= 0x41 && value <= 0x5A {
                    lower[Int(value)] = value | 0x20
                    fold[Int(value)] = value | 0x20
                    upper[Int(value)] = true
                }
                continue
            }
            if value >= 0x300 && value <= 0x36F {
                fold[Int(value)] = 0
                continue
            }
            let string = String(Character(scalar))
            let lowered = string.lowercased()
            if lowered.unicodeScalars.count == 1, let first = lowered.unicodeScalars.first {
                lower[Int(value)] = first.value
                if first.value != value { upper[Int(value)] = true }
            }
            let folded = lowered.folding(options: [.diacriticInsensitive], locale: nil)
            if folded.unicodeScalars.count == 1, let first = folded.unicodeScalars.first {
                fold[Int(value)] = first.value
            } else {
                fold[Int(value)] = lower[Int(value)]
            }
        }
        // Typographic apostrophes and the acute accent used as one.
        return (lower, fold, upper)
    }()

    @inline(__always)
    static func isApostrophe(_ scalar: UInt32) -> Bool {
        scalar == 0x27 || scalar == 0x2019 || scalar == 0x2018 || scalar == 0xB4 || scalar == 0x2BC
            || scalar == 0x60
    }

    @inline(__always)
    static func lowercased(_ scalar: UInt32) -> UInt32 {
        if scalar < limit {
            if scalar == 0xB4 { return 0x27 }
            return tables.lower[Int(scalar)]
        }
        if isApostrophe(scalar) { return 0x27 }
        return scalar
    }

    @inline(__always)
    static func folded(_ scalar: UInt32) -> UInt32 {
        if scalar < limit {
            if scalar == 0xB4 { return 0x27 }
            return tables.fold[Int(scalar)]
        }
        if isApostrophe(scalar) { return 0x27 }
        return scalar
    }

    @inline(__always)
    static func isUppercase(_ scalar: UInt32) -> Bool {
        scalar < limit && tables.upper[Int(scalar)]
    }
}
