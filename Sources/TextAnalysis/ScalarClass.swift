/// Character classes the tokenizer needs, decided on Unicode scalar values with range checks
/// (no `Character` or `String` work).
enum ScalarClass {
    /// White space and invisible separators between tokens.
    @inline(__always)
    static func isSpace(_ s: UInt32) -> Bool {
        if s < 0x80 { return s == 0x20 || (s >= 0x09 && s <= 0x0D) }
        return s == 0xA0 || s == 0x85 || (s >= 0x2000 && s <= 0x200B) || s == 0x2028 || s == 0x2029
            || s == 0x202F || s == 0x205F || s == 0x3000 || s == 0xFEFF || s == 0x1680
    }

    /// Other control characters, skipped like white space.
    @inline(__always)
    static func isControl(_ s: UInt32) -> Bool {
        s < 0x20 || s == 0x7F || (s >= 0x80 && s < 0xA0)
    }

    /// Combining marks that belong to the preceding letter.
    @inline(__always)
    static func isMark(_ s: UInt32) -> Bool {
        (s >= 0x300 && s <= 0x36F) || (s >= 0x1AB0 && s <= 0x1AFF) || (s >= 0x1DC0 && s <= 0x1DFF)
            || (s >= 0x20D0 && s <= 0x20FF && s != 0x20E3) || (s >= 0xFE20 && s <= 0xFE2F)
    }

    /// Letters of any script (approximate, range based; punctuation blocks excluded).
    @inline(__always)
    static func isLetter(_ s: UInt32) -> Bool {
        if s < 0x80 { return (s | 0x20) >= 0x61 && (s | 0x20) <= 0x7A }
        if s < 0x250 { return s >= 0xC0 ? (s != 0xD7 && s != 0xF7) : (s == 0xAA || s == 0xB5 || s == 0xBA) }
        if s < 0x2000 {
            if s >= 0x2B9 && s <= 0x2FF { return false }  // spacing modifiers (ʼ handled as apostrophe)
            if s >= 0x300 && s <= 0x36F { return false }
            if s == 0x37E || s == 0x387 || s == 0x589 || s == 0x5BE || s == 0x5C0 || s == 0x5C3
                || s == 0x5C6 || s == 0x5F3 || s == 0x5F4 || s == 0x60C || s == 0x61B || s == 0x61F
                || s == 0x6D4 || s == 0x964 || s == 0x965
            {
                return false
            }
            return true
        }
        if s >= 0x2C00 && s <= 0x2DFF { return true }
        if s >= 0x3040 && s <= 0x9FFF { return s != 0x30FB }
        if s >= 0xA000 && s <= 0xD7FF { return true }
        if s >= 0xF900 && s <= 0xFDFF { return true }
        if s >= 0xFE70 && s <= 0xFEFC { return true }
        if s >= 0xFF21 && s <= 0xFF3A { return true }
        if s >= 0xFF41 && s <= 0xFF5A { return true }
        if s >= 0xFF66 && s <= 0xFFDC { return true }
        if s >= 0x10000 && s <= 0x1EFFF { return true }
        if s >= 0x20000 && s <= 0x3FFFF { return true }
        return false
    }

    @inline(__always)
    static func isDigit(_ s: UInt32) -> Bool { s >= 0x30 && s <= 0x39 }

    /// The scalars that start an emoji presentation.
    @inline(__always)
    static func isEmoji(_ s: UInt32) -> Bool {
        if s < 0x2000 { return false }
        if s >= 0x1F000 && s <= 0x1FAFF { return true }
        if s >= 0x2600 && s <= 0x27BF { return true }
        if s >= 0x2300 && s <= 0x23FF { return true }
        if s >= 0x2B00 && s <= 0x2BFF { return true }
        if s >= 0x2190 && s <= 0x21FF { return true }
        if s >= 0x25A0 && s <= 0x25FF { return true }
        return s == 0x203C || s == 0x2049 || s == 0x2122 || s == 0x2139 || s == 0x24C2
            || s == 0x2934 || s == 0x2935 || s == 0x3030 || s == 0x303D || s == 0x3297 || s == 0x3299
    }

    /// Scalars that modify the emoji before them and are dropped from its normalised form.
    @inline(__always)
    static func isEmojiModifier(_ s: UInt32) -> Bool {
        s == 0xFE0F || s == 0xFE0E || (s >= 0x1F3FB && s <= 0x1F3FF) || (s >= 0xE0020 && s <= 0xE007F)
    }

    @inline(__always)
    static func isRegionalIndicator(_ s: UInt32) -> Bool { s >= 0x1F1E6 && s <= 0x1F1FF }

    /// `!`, `?`, `¡`, `¿`: they form runs such as `!!!` or `?!`.
    @inline(__always)
    static func isExclamationOrQuestion(_ s: UInt32) -> Bool {
        s == 0x21 || s == 0x3F || s == 0xA1 || s == 0xBF || s == 0xFF01 || s == 0xFF1F
    }
}
