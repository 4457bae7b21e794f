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
        let count = text.count
        guard count > 0 else { return }
        let start = output.count
        // Worst case: a space plus 3 bytes for every 2 input bytes (C1 controls become € etc.).
        let capacity = count * 2 + 1
        output.append(contentsOf: repeatElement(0, count: capacity))
        var written = start
        var pending = pendingSpace
        output.withUnsafeMutableBufferPointer { out in
            var index = 0
            while index < count {
                let byte = text[index]
                if byte < 0x80 {
                    if byte > 0x20 && byte != 0x7F {
                        if pending {
                            if written > 0 { out[written] = 0x20; written += 1 }
                            pending = false
                        }
                        out[written] = byte
                        written += 1
                    } else if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                        pending = true
                    }
                    index += 1
                    continue
                }
                // Multi-byte: decode the scalar to test for Unicode spaces.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                guard index + length <= count else { break }
                var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for offset in 1..<length { value = value << 6 | UInt32(text[index + offset] & 0x3F) }
                if let scalar = Unicode.Scalar(value), isCollapsibleSpace(scalar) {
                    pending = true
                } else {
                    if pending {
                        if written > 0 { out[written] = 0x20; written += 1 }
                        pending = false
                    }
                    if value >= 0x80 && value <= 0x9F {
                        // C1 controls are windows-1252 characters in disguise.
                        if let scalar = Windows1252.highScalar(UInt8(value)), scalar.value > 0x9F {
                            var encoded: [UInt8] = []
                            appendUTF8Scalar(scalar.value, to: &encoded)
                            for encodedByte in encoded { out[written] = encodedByte; written += 1 }
                        }
                    } else {
                        for offset in 0..<length { out[written] = text[index + offset]; written += 1 }
                    }
                }
                index += length
            }
        }
        pendingSpace = pending
        output.removeSubrange(written...)
    }

    /// Plain text as a feed gives it: ends trimmed, C1 controls read as windows-1252, text that
    /// was UTF-8 decoded as Latin-1 ("Ã©") repaired. Inner whitespace is kept.
    static func plainText(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { ByteText.plainText($0) }
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
