/// Whitespace and character clean-up shared by every text field.
enum TextCleanup {
    /// Whether a scalar counts as whitespace when collapsing (Unicode white space, including the
    /// no-break space that `&nbsp;` produces).
    @inline(__always)
    static func isCollapsibleSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `text` with runs of whitespace collapsed to one space and the ends trimmed.
    static func collapsingWhitespace(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        var copy = text
        copy.withUTF8 { buffer in
            appendCollapsing(buffer, to: &bytes, pendingSpace: &pendingSpace)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends UTF-8 `text` to `output`, collapsing whitespace. `pendingSpace` carries a space
    /// owed between calls; no space is written at the start of `output`.
    static func appendCollapsing(_ text: UnsafeBufferPointer<UInt8>, to output: inout [UInt8], pendingSpace: inout Bool) {
        var index = 0
        let count = text.count
        while index < count {
            let byte = text[index]
            if byte < 0x80 {
                if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                    pendingSpace = true
                    index += 1
                    continue
                }
                if byte < 0x20 || byte == 0x7F {
                    index += 1
                    continue
                }
                if pendingSpace && !output.isEmpty { output.append(0x20) }
                pendingSpace = false
                output.append(byte)
                index += 1
                continue
            }
            // Multi-byte: decode the scalar to test for Unicode spaces.
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            guard index + length <= count else { break }
            var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for offset in 1..<length { value = value << 6 | UInt32(text[index + offset] & 0x3F) }
            if let scalar = Unicode.Scalar(value), isCollapsibleSpace(scalar) {
                pendingSpace = true
            } else if value >= 0x80 && value <= 0x9F {
                // C1 controls are windows-1252 characters in disguise.
                if pendingSpace && !output.isEmpty { output.append(0x20) }
                pendingSpace = false
                if let scalar = Windows1252.highScalar(UInt8(value)), scalar.value > 0x9F {
                    appendUTF8Scalar(scalar.value, to: &output)
                }
            } else {
                if pendingSpace && !output.isEmpty { output.append(0x20) }
                pendingSpace = false
                for offset in 0..<length { output.append(text[index + offset]) }
            }
            index += length
        }
    }

    /// Plain text as a feed gives it: ends trimmed, C1 controls read as windows-1252, text that
    /// was UTF-8 decoded as Latin-1 ("Ã©") repaired. Inner whitespace is kept.
    static func plainText(_ text: String) -> String {
        var result = text.trimmingCharacters(in: " \t\r\n")
        if result.unicodeScalars.contains(where: { $0.value >= 0x80 && $0.value <= 0x9F }) {
            var scalars = String.UnicodeScalarView()
            for scalar in result.unicodeScalars {
                if scalar.value >= 0x80 && scalar.value <= 0x9F, let mapped = Windows1252.highScalar(UInt8(scalar.value)) {
                    scalars.append(mapped)
                } else {
                    scalars.append(scalar)
                }
            }
            result = String(scalars)
        }
        return repairingMojibake(result)
    }

    /// Repairs text that was UTF-8 but got decoded as Latin-1 somewhere upstream: when every
    /// character fits in one byte and those bytes form valid UTF-8 with multi-byte sequences.
    static func repairingMojibake(_ text: String) -> String {
        var bytes: [UInt8] = []
        var sawHigh = false
        for scalar in text.unicodeScalars {
            guard scalar.value <= 0xFF else { return text }
            if scalar.value >= 0xC2 { sawHigh = true }
            bytes.append(UInt8(scalar.value))
        }
        guard sawHigh else { return text }
        let valid = bytes.withUnsafeBytes { UTF8Check.firstInvalidOffset($0) == nil }
        guard valid else { return text }
        return String(decoding: bytes, as: UTF8.self)
    }
}
