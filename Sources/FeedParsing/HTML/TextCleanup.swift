/// Writes visible text into a buffer the caller sized (at least twice the input plus one),
/// collapsing whitespace runs (Unicode spaces included) to one space, dropping control
/// characters and reading C1 controls as the windows-1252 characters they stand for.
struct CollapsingWriter {
    let base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    /// A space is owed before the next visible character.
    var pendingSpace = false
    /// Whether text the writer did not write precedes `base` (so a leading space is kept).
    var precededByText = false

    init(base: UnsafeMutablePointer<UInt8>, precededByText: Bool = false, pendingSpace: Bool = false) {
        self.base = base
        self.precededByText = precededByText
        self.pendingSpace = pendingSpace
    }

    @inline(__always)
    private mutating func flushSpace() {
        if pendingSpace {
            if count > 0 || precededByText {
                base[count] = 0x20
                count += 1
            }
            pendingSpace = false
        }
    }

    /// Appends UTF-8 text (complete sequences).
    @inline(__always)
    mutating func write(_ text: UnsafeBufferPointer<UInt8>) {
        write(text, from: 0, to: text.count)
    }

    /// Appends `text[start..<end]`.
    mutating func write(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        var index = start
        while index < end {
            let byte = text[index]
            if byte < 0x80 {
                if byte > 0x20 && byte != 0x7F {
                    flushSpace()
                    base[count] = byte
                    count += 1
                } else if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                    pendingSpace = true
                }
                index += 1
                continue
            }
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            guard index + length <= end else { break }
            var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for offset in 1..<length { value = value << 6 | UInt32(text[index + offset] & 0x3F) }
            if let scalar = Unicode.Scalar(value), TextCleanup.isCollapsibleSpace(scalar) {
                pendingSpace = true
            } else if value >= 0x80 && value <= 0x9F {
                // C1 controls are windows-1252 characters in disguise.
                if let scalar = Windows1252.highScalar(UInt8(value)), scalar.value > 0x9F {
                    flushSpace()
                    let code = scalar.value
                    if code < 0x800 {
                        base[count] = UInt8(0xC0 | (code >> 6))
                        base[count + 1] = UInt8(0x80 | (code & 0x3F))
                        count += 2
                    } else {
                        base[count] = UInt8(0xE0 | (code >> 12))
                        base[count + 1] = UInt8(0x80 | ((code >> 6) & 0x3F))
                        base[count + 2] = UInt8(0x80 | (code & 0x3F))
                        count += 3
                    }
                }
            } else {
                flushSpace()
                for offset in 0..<length { base[count + offset] = text[index + offset] }
                count += length
            }
            index += length
        }
    }

    /// Writes `text` from `start` up to the first `<` or `&` (or `end`) and returns where it
    /// stopped: the HTML fast path's inner loop, one pass over plain text.
    mutating func writeRun(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        while index < end {
            let byte = text[index]
            if byte >= 0x80 {
                // Rare: let the general writer handle one multi-byte character.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                let stop = min(end, index + length)
                write(text, from: index, to: stop)
                index = stop
                continue
            }
            if byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&") { return index }
            if byte > 0x20 && byte != 0x7F {
                if pendingSpace {
                    if count > 0 || precededByText {
                        base[count] = 0x20
                        count += 1
                    }
                    pendingSpace = false
                }
                base[count] = byte
                count += 1
            } else if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                pendingSpace = true
            }
            index += 1
        }
        return index
    }

    /// Drops a trailing space (the writer never ends with one it wrote itself, but callers may).
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
}

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
        output.append(contentsOf: repeatElement(0, count: count * 2 + 1))
        var written = 0
        var pending = pendingSpace
        output.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            var writer = CollapsingWriter(base: base + start, precededByText: start > 0, pendingSpace: pending)
            writer.write(text)
            written = writer.count
            pending = writer.pendingSpace
        }
        pendingSpace = pending
        output.removeSubrange((start + written)...)
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
