/// The identity of an entry's text, to recognise the same text syndicated under different links.
///
/// The title and the text are normalised — lower-cased, accents folded (`é` → `e`, `ß` → `ss`),
/// everything that is not a letter or a digit turned into a word break, whitespace collapsed — and
/// the resulting words hashed with ``StableHash``. Two entries whose normalised words are equal
/// have the same fingerprint, whatever their markup, punctuation, capitals or spacing.
///
/// Short texts are not fingerprinted (``value`` is nil): different people really do write
/// "Great service!" or "+1", and those are different mentions, not one syndicated text. A text
/// needs ``minimumWords`` words to be identified by its content.
///
/// A near-duplicate detector (shingles, simhash) was left out: exact normalised equality is what
/// syndication produces, and it costs one indexed integer per entry.
public struct ContentFingerprint: Sendable, Hashable {
    /// Texts with fewer words than this are not fingerprinted.
    public static let minimumWords = 8

    /// The hash of the normalised words, or nil for a text too short to identify.
    public let value: Int64?
    /// How many words the normalised title and text hold.
    public let wordCount: Int

    /// Fingerprints a title and a text (either may be nil).
    public init(title: String?, text: String?) {
        var normaliser = FingerprintNormaliser()
        if let title { normaliser.add(title) }
        if let text { normaliser.add(text) }
        wordCount = normaliser.wordCount
        if normaliser.wordCount >= Self.minimumWords {
            var hash = StableHash()
            hash.add(contentsOf: normaliser.bytes)
            value = hash.value
        } else {
            value = nil
        }
    }

    /// The normalised form the fingerprint hashes (for tests and explanations).
    public static func normalised(title: String?, text: String?) -> String {
        var normaliser = FingerprintNormaliser()
        if let title { normaliser.add(title) }
        if let text { normaliser.add(text) }
        return String(decoding: normaliser.bytes, as: UTF8.self)
    }
}

/// Lower-cases, folds accents and keeps only letters and digits, one space between words.
struct FingerprintNormaliser {
    private(set) var bytes: [UInt8] = []
    private(set) var wordCount = 0
    private var inWord = false

    init() { bytes.reserveCapacity(1024) }

    mutating func add(_ string: String) {
        var copy = string
        copy.withUTF8 { buffer in add(buffer) }
        inWord = false  // the title and the text never run into one word
    }

    private mutating func add(_ utf8: UnsafeBufferPointer<UInt8>) {
        var index = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            if byte < 0x80 {
                index += 1
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    emit(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    emit(byte | 0x20)
                default:
                    inWord = false
                }
                continue
            }
            // Decode one multi-byte scalar (Swift strings hold valid UTF-8).
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            guard index + length <= count else { break }
            var scalarValue = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for offset in 1..<length {
                scalarValue = (scalarValue << 6) | (UInt32(utf8[index + offset]) & 0x3F)
            }
            index += length
            addNonASCII(scalarValue)
        }
    }

    private mutating func addNonASCII(_ value: UInt32) {
        if value >= 0xC0 && value <= 0x17F {
            let folded = LatinFolding.table[Int(value - 0xC0)]
            if folded.isEmpty {
                inWord = false
            } else {
                for byte in folded.utf8 { emit(byte) }
            }
            return
        }
        if value >= 0x300 && value <= 0x36F { return }  // combining accents: dropped, word goes on
        guard let scalar = Unicode.Scalar(value) else {
            inWord = false
            return
        }
        let properties = scalar.properties
        if properties.isAlphabetic || properties.numericType != nil {
            for byte in properties.lowercaseMapping.utf8 { emit(byte) }
        } else {
            inWord = false
        }
    }

    @inline(__always)
    private mutating func emit(_ byte: UInt8) {
        if !inWord {
            if !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
            wordCount += 1
            inWord = true
        }
        bytes.append(byte)
    }
}

/// Latin-1 Supplement and Latin Extended-A letters (U+00C0…U+017F) without their accents,
/// lower-cased; "" for the two symbols in the range (× and ÷).
enum LatinFolding {
    static let table: [String] = {
        let runs: [(Int, String)] = [
            // U+00C0…U+00FF
            (6, "a"), (1, "ae"), (1, "c"), (4, "e"), (4, "i"), (1, "d"), (1, "n"), (5, "o"), (1, ""),
            (1, "o"), (4, "u"), (1, "y"), (1, "th"), (1, "ss"),
            (6, "a"), (1, "ae"), (1, "c"), (4, "e"), (4, "i"), (1, "d"), (1, "n"), (5, "o"), (1, ""),
            (1, "o"), (4, "u"), (1, "y"), (1, "th"), (1, "y"),
            // U+0100…U+017F
            (6, "a"), (8, "c"), (4, "d"), (10, "e"), (8, "g"), (4, "h"), (10, "i"), (2, "ij"), (2, "j"),
            (3, "k"), (10, "l"), (9, "n"), (6, "o"), (2, "oe"), (6, "r"), (8, "s"), (6, "t"), (12, "u"),
            (2, "w"), (3, "y"), (6, "z"), (1, "s"),
        ]
        var table: [String] = []
        table.reserveCapacity(0x180 - 0xC0)
        for (count, folded) in runs {
            table.append(contentsOf: repeatElement(folded, count: count))
        }
        precondition(table.count == 0x180 - 0xC0, "the Latin folding table covers U+00C0…U+017F")
        return table
    }()
}
