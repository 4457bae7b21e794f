/// windows-1252, the encoding behind most "Latin-1" text on the web.
enum Windows1252 {
    /// Characters for bytes 0x80–0x9F (0x81, 0x8D, 0x8F, 0x90 and 0x9D are unassigned and kept as
    /// the C1 control of the same number, as browsers do).
    private static let high: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// The character for a byte in 0x80–0x9F.
    static func highScalar(_ byte: UInt8) -> Unicode.Scalar? {
        guard byte >= 0x80 && byte <= 0x9F else { return nil }
        return Unicode.Scalar(high[Int(byte - 0x80)])
    }

    /// The character for any byte.
    static func scalar(_ byte: UInt8) -> Unicode.Scalar {
        highScalar(byte) ?? Unicode.Scalar(byte)
    }

    /// Appends the UTF-8 form of a windows-1252 byte.
    static func appendUTF8(of byte: UInt8, to output: inout [UInt8]) {
        if byte < 0x80 {
            output.append(byte)
        } else {
            appendUTF8Scalar(scalar(byte).value, to: &output)
        }
    }
}

/// Appends the UTF-8 encoding of a code point.
@inline(__always)
func appendUTF8Scalar(_ code: UInt32, to output: inout [UInt8]) {
    switch code {
    case 0..<0x80:
        output.append(UInt8(code))
    case 0x80..<0x800:
        output.append(UInt8(0xC0 | (code >> 6)))
        output.append(UInt8(0x80 | (code & 0x3F)))
    case 0x800..<0x10000:
        output.append(UInt8(0xE0 | (code >> 12)))
        output.append(UInt8(0x80 | ((code >> 6) & 0x3F)))
        output.append(UInt8(0x80 | (code & 0x3F)))
    default:
        output.append(UInt8(0xF0 | (code >> 18)))
        output.append(UInt8(0x80 | ((code >> 12) & 0x3F)))
        output.append(UInt8(0x80 | ((code >> 6) & 0x3F)))
        output.append(UInt8(0x80 | (code & 0x3F)))
    }
}

/// UTF-8 validation and repair.
enum UTF8Check {
    /// The length of the valid UTF-8 sequence starting at `index`, or 0 when the bytes there do
    /// not form one (overlong forms, surrogates and code points past U+10FFFF are invalid).
    @inline(__always)
    static func sequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int {
        let count = bytes.count
        let lead = bytes[index]
        if lead < 0x80 { return 1 }
        @inline(__always) func continuation(_ offset: Int) -> Bool {
            index + offset < count && bytes[index + offset] & 0xC0 == 0x80
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : 0
        case 0xE0...0xEF:
            guard continuation(1), continuation(2) else { return 0 }
            let second = bytes[index + 1]
            if lead == 0xE0 && second < 0xA0 { return 0 }
            if lead == 0xED && second > 0x9F { return 0 }
            return 3
        case 0xF0...0xF4:
            guard continuation(1), continuation(2), continuation(3) else { return 0 }
            let second = bytes[index + 1]
            if lead == 0xF0 && second < 0x90 { return 0 }
            if lead == 0xF4 && second > 0x8F { return 0 }
            return 4
        default:
            return 0
        }
    }

    /// The offset of the first byte that does not start a valid UTF-8 sequence, or nil when all
    /// bytes are valid. A sequence cut by the end of the buffer counts as invalid unless
    /// `allowTruncatedEnd` is set (for streaming chunks), in which case it is not reported.
    static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer, allowTruncatedEnd: Bool = false) -> Int? {
        let count = bytes.count
        var index = 0
        while index < count {
            // Skip ASCII eight bytes at a time.
            while index + 8 <= count {
                let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                index += 8
            }
            guard index < count else { break }
            let length = sequenceLength(bytes, at: index)
            if length == 0 {
                if allowTruncatedEnd && count - index < 4 && isTruncatedSequence(bytes, at: index) {
                    return nil
                }
                return index
            }
            index += length
        }
        return nil
    }

    /// Whether the bytes from `index` to the end are a valid but incomplete sequence.
    static func isTruncatedSequence(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Bool {
        let lead = bytes[index]
        let needed: Int
        switch lead {
        case 0xC2...0xDF: needed = 2
        case 0xE0...0xEF: needed = 3
        case 0xF0...0xF4: needed = 4
        default: return false
        }
        let available = bytes.count - index
        guard available < needed else { return false }
        for offset in 1..<available where bytes[index + offset] & 0xC0 != 0x80 { return false }
        return true
    }

    /// Copies `bytes` as UTF-8, reading every byte that is not part of a valid UTF-8 sequence as
    /// windows-1252 (the usual mislabelling). Returns the repaired bytes and how many bytes were
    /// repaired.
    static func repairingAsWindows1252(_ bytes: UnsafeRawBufferPointer) -> (bytes: [UInt8], repaired: Int) {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8)
        var repaired = 0
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(bytes, at: index)
            if length == 0 {
                Windows1252.appendUTF8(of: bytes[index], to: &output)
                repaired += 1
                index += 1
            } else {
                for offset in 0..<length { output.append(bytes[index + offset]) }
                index += length
            }
        }
        return (output, repaired)
    }
}

/// Decoders for the Unicode encodings other than UTF-8.
enum UnicodeTranscoder {
    /// UTF-16 to UTF-8; unpaired surrogates become U+FFFD.
    static func utf16ToUTF8(_ bytes: UnsafeRawBufferPointer, bigEndian: Bool) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        func unit(at position: Int) -> UInt32 {
            let first = UInt32(bytes[position]), second = UInt32(bytes[position + 1])
            return bigEndian ? first << 8 | second : second << 8 | first
        }
        while index + 1 < bytes.count {
            let code = unit(at: index)
            index += 2
            if code >= 0xD800 && code <= 0xDBFF, index + 1 < bytes.count {
                let low = unit(at: index)
                if low >= 0xDC00 && low <= 0xDFFF {
                    index += 2
                    appendUTF8Scalar(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00), to: &output)
                    continue
                }
            }
            if code >= 0xD800 && code <= 0xDFFF {
                appendUTF8Scalar(0xFFFD, to: &output)
            } else {
                appendUTF8Scalar(code, to: &output)
            }
        }
        return output
    }

    /// UTF-32 to UTF-8; invalid code points become U+FFFD.
    static func utf32ToUTF8(_ bytes: UnsafeRawBufferPointer, bigEndian: Bool) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 2)
        var index = 0
        while index + 3 < bytes.count {
            let b0 = UInt32(bytes[index]), b1 = UInt32(bytes[index + 1])
            let b2 = UInt32(bytes[index + 2]), b3 = UInt32(bytes[index + 3])
            let code = bigEndian ? b0 << 24 | b1 << 16 | b2 << 8 | b3 : b3 << 24 | b2 << 16 | b1 << 8 | b0
            index += 4
            if code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) {
                appendUTF8Scalar(0xFFFD, to: &output)
            } else {
                appendUTF8Scalar(code, to: &output)
            }
        }
        return output
    }
}
