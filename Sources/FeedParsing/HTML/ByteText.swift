#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level text helpers for the hot paths of parsing (Swift `String` searching is far slower
/// than scanning UTF-8 bytes).
enum ByteText {
    @inline(__always)
    static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// The range of `bytes` without leading and trailing ASCII whitespace.
    static func trimmedRange(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var start = 0
        var end = bytes.count
        while start < end, isASCIISpace(bytes[start]) { start += 1 }
        while end > start, isASCIISpace(bytes[end - 1]) { end -= 1 }
        return start..<end
    }

    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        guard haystack.count >= needle.utf8CodeUnitCount, let base = haystack.baseAddress else { return false }
        return needle.withUTF8Buffer { pattern in
            guard let first = pattern.first, let patternBase = pattern.baseAddress else { return true }
            var offset = 0
            let last = haystack.count - pattern.count
            while offset <= last {
                guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return false }
                let position = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                if memcmp(base + position, patternBase, pattern.count) == 0 { return true }
                offset = position + 1
            }
            return false
        }
    }

    /// Whether `bytes` holds `byte`.
    @inline(__always)
    static func contains(_ bytes: UnsafeBufferPointer<UInt8>, byte: UInt8) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        return memchr(base, Int32(byte), bytes.count) != nil
    }

    /// Plain text from UTF-8 bytes as a feed gives it: ends trimmed, C1 controls read as
    /// windows-1252, text that was UTF-8 decoded as Latin-1 upstream ("CafÃ©") repaired. Inner
    /// whitespace is kept.
    static func plainText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let range = trimmedRange(bytes)
        let trimmed = UnsafeBufferPointer(rebasing: bytes[range])
        return finishText(trimmed)
    }

    /// Applies the character repairs of ``plainText(_:)`` (no trimming) and makes the string.
    static func finishText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // Fast path: ASCII or ordinary UTF-8 with no C1 controls and no Latin-1-only text.
        var sawLatin1Lead = false
        var sawC1 = false
        var sawHigherLead = false
        for byte in bytes where byte >= 0xC2 {
            if byte == 0xC2 || byte == 0xC3 { sawLatin1Lead = true } else if byte >= 0xC4 && byte < 0xF8 { sawHigherLead = true }
        }
        if sawLatin1Lead {
            var index = 0
            while index + 1 < bytes.count {
                if bytes[index] == 0xC2, bytes[index + 1] >= 0x80, bytes[index + 1] <= 0x9F {
                    sawC1 = true
                    break
                }
                index += 1
            }
        }
        if !sawC1 && (!sawLatin1Lead || sawHigherLead) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var text = String(decoding: bytes, as: UTF8.self)
        if sawC1 {
            var scalars = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                if scalar.value >= 0x80 && scalar.value <= 0x9F, let mapped = Windows1252.highScalar(UInt8(scalar.value)) {
                    scalars.append(mapped)
                } else {
                    scalars.append(scalar)
                }
            }
            text = String(scalars)
        }
        if !sawHigherLead { text = TextCleanup.repairingMojibake(text) }
        return text
    }
}
