/// How the language identifier reads characters: UTF-8 decoding, lower-casing, and the small
/// alphabet its character n-gram model works on.
///
/// The alphabet must match `ALPHABET` in scripts/build-language-profiles.py:
/// `_` (word boundary), `a`–`z`, the accented letters of Western European languages, `·`, and
/// `*` for any other Latin letter.
enum LanguageIDAlphabet {
    /// The symbols of the character model, in order; a symbol is its index here.
    static let symbols: [Unicode.Scalar] = Array(
        "_abcdefghijklmnopqrstuvwxyzàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœ·*".unicodeScalars)

    /// Number of bits of one symbol in a packed n-gram.
    static let symbolBits = 6
    /// Number of symbol slots (a power of two, at least `symbols.count`).
    static let symbolSlots = 1 << symbolBits
    /// The word-boundary symbol.
    static let boundary: UInt8 = 0
    /// The symbol of Latin letters outside the alphabet.
    static let otherLetter = UInt8(symbols.count - 1)
    /// The symbol of the Catalan middle dot (`col·legi`).
    static let middleDot = UInt8(symbols.firstIndex(of: "·") ?? 0)

    /// Symbol of each lower-case scalar below U+0180 (`nil` when it is not a letter).
    private static let symbolTable: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 0x180)
        for (index, scalar) in symbols.enumerated() where scalar.value < 0x180 {
            table[Int(scalar.value)] = UInt8(index)
        }
        table[Int(("_" as Unicode.Scalar).value)] = nil
        table[Int(("*" as Unicode.Scalar).value)] = nil
        return table
    }()

    /// The model symbol of a lower-case letter.
    @inline(__always)
    static func symbol(ofLowercase scalar: UInt32) -> UInt8 {
        if scalar < 0x180, let symbol = symbolTable[Int(scalar)] { return symbol }
        return otherLetter
    }

    /// Number of symbols.
    static let symbolCount = symbols.count

    /// Symbol of each scalar below U+0180 as written in a profile file (`_` and `*` included;
    /// 0xFF when it is not a symbol).
    private static let profileSymbolTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 0x180)
        for (index, scalar) in symbols.enumerated() where scalar.value < 0x180 {
            table[Int(scalar.value)] = UInt8(index)
        }
        return table
    }()

    /// The symbol of a character as written in a profile file (`_` and `*` included).
    static func symbol(inProfile scalar: Unicode.Scalar) -> UInt8? {
        symbol(inProfile: scalar.value)
    }

    /// The symbol of a scalar as written in a profile file (`_` and `*` included).
    @inline(__always)
    static func symbol(inProfile scalar: UInt32) -> UInt8? {
        if scalar < 0x180 {
            let symbol = profileSymbolTable[Int(scalar)]
            return symbol == 0xFF ? nil : symbol
        }
        guard let index = symbols.firstIndex(where: { $0.value == scalar }) else { return nil }
        return UInt8(index)
    }
}

/// What one Unicode scalar means to the language identifier.
enum LanguageIDCharacter: Equatable {
    /// A Latin letter, lower-cased; `isUppercase` tells whether it was written in capitals.
    case letter(UInt32, isUppercase: Bool)
    /// An apostrophe (`'`, `’`, `ʼ`): splits `dell'assistenza` into `dell` and `assistenza`.
    case apostrophe
    /// A mark that belongs to the letter before it and is ignored (combining accents, soft
    /// hyphen, zero-width joiners): the word goes on.
    case ignorable
    /// A letter of another script (Greek, Cyrillic, Arabic, CJK…): evidence of another language.
    case foreignLetter
    /// A digit: ends a word.
    case digit
    /// Anything else (space, punctuation, symbols, emoji): ends a word.
    case separator

    /// Classifies a scalar.
    @inline(__always)
    static func classify(_ scalar: UInt32) -> LanguageIDCharacter {
        switch scalar {
        case 0x61...0x7A: return .letter(scalar, isUppercase: false)
        case 0x41...0x5A: return .letter(scalar + 0x20, isUppercase: true)
        case 0x30...0x39: return .digit
        case 0x27, 0x60: return .apostrophe
        case 0x00...0x7F: return .separator
        case 0xAD: return .ignorable
        case 0xB4: return .apostrophe
        case 0xB7: return .letter(0xB7, isUppercase: false)
        case 0xC0...0xDE where scalar != 0xD7: return .letter(scalar + 0x20, isUppercase: true)
        case 0xDF...0xFF where scalar != 0xF7: return .letter(scalar, isUppercase: false)
        case 0x80...0xFF: return .separator
        case 0x100...0x17F: return latinExtendedA(scalar)
        case 0x180...0x24F, 0x250...0x2AF, 0x1D00...0x1DBF, 0x1E00...0x1EFF:
            return .letter(scalar, isUppercase: false)
        case 0x2BC: return .apostrophe
        case 0x2B0...0x2FF: return .separator
        case 0x300...0x36F: return .ignorable
        case 0x370...0x1CFF, 0x1F00...0x1FFF: return .foreignLetter
        case 0x200B...0x200D, 0x2060, 0xFE00...0xFE0F: return .ignorable
        case 0x2019: return .apostrophe
        case 0x2000...0x2BFF: return .separator
        case 0x2C00...0x2DFF: return .foreignLetter
        case 0x2E80...0x2FFF, 0x3040...0xD7FF, 0xF900...0xFAFF, 0xFB1D...0xFDFF:
            return .foreignLetter
        case 0xFB00...0xFB06: return .letter(scalar, isUppercase: false)
        case 0xFF21...0xFF3A: return .letter(scalar - 0xFF21 + 0x61, isUppercase: true)
        case 0xFF41...0xFF5A: return .letter(scalar - 0xFF41 + 0x61, isUppercase: false)
        case 0xFF66...0xFFDC: return .foreignLetter
        case 0x1D400...0x1D6A3:
            // Mathematical alphanumeric letters (bold, italic… "𝐡𝐨𝐥𝐚"), used as styled text.
            let index = (scalar - 0x1D400) % 52
            return index < 26
                ? .letter(0x61 + index, isUppercase: true)
                : .letter(0x61 + index - 26, isUppercase: false)
        case 0x20000...0x3FFFF: return .foreignLetter
        case 0xE0000...0xE007F: return .ignorable  // tag characters in flag emoji
        default: return .separator
        }
    }

    /// Latin Extended-A (U+0100–U+017F): capital and small letters mostly alternate.
    private static func latinExtendedA(_ scalar: UInt32) -> LanguageIDCharacter {
        switch scalar {
        case 0x130: return .letter(0x69, isUppercase: true)  // İ
        case 0x131, 0x138, 0x149, 0x17F: return .letter(scalar, isUppercase: false)
        case 0x178: return .letter(0xFF, isUppercase: true)  // Ÿ
        case 0x139...0x148, 0x179...0x17E:
            return scalar % 2 == 1
                ? .letter(scalar + 1, isUppercase: true) : .letter(scalar, isUppercase: false)
        default:
            return scalar % 2 == 0
                ? .letter(scalar + 1, isUppercase: true) : .letter(scalar, isUppercase: false)
        }
    }
}

/// Decodes one scalar from UTF-8 bytes, never failing: an invalid or truncated sequence yields
/// U+FFFD and a length of one byte, so the caller always moves forward.
@inline(__always)
func decodeUTF8Scalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: UInt32, length: Int) {
    let lead = UInt32(bytes[index])
    if lead < 0x80 { return (lead, 1) }
    let count = bytes.count
    @inline(__always) func continuation(_ offset: Int) -> UInt32? {
        guard index + offset < count else { return nil }
        let byte = UInt32(bytes[index + offset])
        return byte & 0xC0 == 0x80 ? byte & 0x3F : nil
    }
    switch lead {
    case 0xC2...0xDF:
        if let b1 = continuation(1) { return ((lead & 0x1F) << 6 | b1, 2) }
    case 0xE0...0xEF:
        if let b1 = continuation(1), let b2 = continuation(2) {
            let scalar = (lead & 0x0F) << 12 | b1 << 6 | b2
            if scalar >= 0x800 && !(0xD800...0xDFFF).contains(scalar) { return (scalar, 3) }
        }
    case 0xF0...0xF4:
        if let b1 = continuation(1), let b2 = continuation(2), let b3 = continuation(3) {
            let scalar = (lead & 0x07) << 18 | b1 << 12 | b2 << 6 | b3
            if scalar >= 0x10000 && scalar <= 0x10FFFF { return (scalar, 4) }
        }
    default:
        break
    }
    return (0xFFFD, 1)
}
