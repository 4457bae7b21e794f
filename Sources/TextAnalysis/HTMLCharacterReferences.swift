#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes the HTML character references that raw social-media text often carries (`&amp;`,
/// `&lt;3`, `&quot;`, `&#39;`, `&gt;:(`), working on UTF-8 bytes.
///
/// Posts taken from APIs and scraped pages arrive with their `&`, `<`, `>` and quotes escaped:
/// decoded, `&lt;3` is the `<3` emoticon again and `don&#39;t` the word `don't`.
///
/// What is decoded: numeric references (`&#39;`, `&#x27;`) to any Unicode scalar except NUL
/// and surrogates, and a fixed list of named references — `amp lt gt quot apos nbsp`, the
/// quotation marks, dashes and ellipsis (`lsquo rsquo ldquo rdquo laquo raquo ndash mdash
/// hellip`), `iexcl iquest`, a few symbols (`euro pound copy reg trade deg middot bull hearts`)
/// and the accented letters of Spanish and Italian (`aacute`, `ntilde`, `egrave`, `uuml`,
/// `ccedil`… in both cases). A reference must end with `;`; anything else (`AT&T`, `&nbsp`
/// without `;`, unknown names) is left as written. One level of double escaping, common in
/// re-posted text, is undone too: `&amp;lt;3` gives `<3`.
public enum HTMLCharacterReferences {
    /// Writes `bytes` with their character references decoded into `output` (replacing its
    /// content) and returns true, or returns false without touching `output` when `bytes`
    /// contain no reference to decode. Costs one `memchr` when the text has no `&`.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        guard let base = bytes.baseAddress, bytes.count >= 4,
            var ampersand = firstAmpersand(base, from: 0, count: bytes.count)
        else { return false }
        var copied = 0
        var decodedAny = false
        let count = bytes.count
        while true {
            if let (scalar, end) = reference(in: bytes, at: ampersand) {
                if !decodedAny {
                    output.removeAll(keepingCapacity: true)
                    output.reserveCapacity(count)
                    decodedAny = true
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<ampersand]))
                var decoded = scalar
                var next = end
                // `&amp;` followed by another reference: escaped twice (`&amp;lt;3`).
                if scalar == 0x26, let (inner, innerEnd) = reference(in: bytes, at: end - 1) {
                    decoded = inner
                    next = innerEnd
                }
                UTF8Scan.append(decoded, to: &output)
                copied = next
                guard next < count, let found = firstAmpersand(base, from: next, count: count) else { break }
                ampersand = found
            } else {
                guard ampersand + 1 < count, let found = firstAmpersand(base, from: ampersand + 1, count: count)
                else { break }
                ampersand = found
            }
        }
        guard decodedAny else { return false }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<count]))
        return true
    }

    /// The text of `text` with its character references decoded (see `decode(_:into:)`).
    public static func decode(_ text: String) -> String {
        var copy = text
        var output: [UInt8] = []
        let changed = copy.withUTF8 { decode($0, into: &output) }
        return changed ? String(decoding: output, as: UTF8.self) : text
    }

    @inline(__always)
    private static func firstAmpersand(_ base: UnsafePointer<UInt8>, from start: Int, count: Int) -> Int? {
        guard start < count, let found = memchr(base + start, 0x26, count - start) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// The reference that starts after `index` (the `&`, or the `;` of an `&amp;` for a second
    /// level of escaping): its scalar and the index after its `;`.
    private static func reference(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int)? {
        let start = index + 1
        let count = bytes.count
        guard start < count else { return nil }
        if bytes[start] == 0x23 {  // '#'
            var position = start + 1
            var hex = false
            if position < count && (bytes[position] | 0x20) == 0x78 {
                hex = true
                position += 1
            }
            let digitsStart = position
            var value: UInt32 = 0
            while position < count && position - digitsStart < (hex ? 6 : 7) {
                let byte = bytes[position]
                if byte &- 0x30 < 10 {
                    value = value * (hex ? 16 : 10) + UInt32(byte - 0x30)
                } else if hex && (byte | 0x20) &- 0x61 < 6 {
                    value = value * 16 + UInt32((byte | 0x20) - 0x61 + 10)
                } else {
                    break
                }
                position += 1
            }
            guard position > digitsStart, position < count, bytes[position] == 0x3B,
                value != 0, value <= 0x10FFFF, !(value >= 0xD800 && value <= 0xDFFF)
            else { return nil }
            return (value, position + 1)
        }
        // A name: up to eight ASCII letters, then ';'.
        var position = start
        var key: UInt64 = 0
        while position < count && position - start < 8 {
            let byte = bytes[position]
            guard (byte | 0x20) &- 0x61 < 26 else { break }
            key |= UInt64(byte) << (8 * UInt64(position - start))
            position += 1
        }
        guard position > start, position < count, bytes[position] == 0x3B else { return nil }
        for entry in named where entry.key == key {
            return (entry.scalar, position + 1)
        }
        return nil
    }

    /// A name packed little-endian into a UInt64 (up to eight ASCII bytes).
    private static func packed(_ name: StaticString) -> UInt64 {
        var key: UInt64 = 0
        let pointer = name.utf8Start
        for offset in 0..<min(name.utf8CodeUnitCount, 8) {
            key |= UInt64(pointer[offset]) << (8 * UInt64(offset))
        }
        return key
    }

    private static let named: [(key: UInt64, scalar: UInt32)] = [
        (packed("amp"), 0x26), (packed("lt"), 0x3C), (packed("gt"), 0x3E), (packed("quot"), 0x22),
        (packed("apos"), 0x27), (packed("nbsp"), 0xA0),
        (packed("lsquo"), 0x2018), (packed("rsquo"), 0x2019), (packed("ldquo"), 0x201C),
        (packed("rdquo"), 0x201D), (packed("laquo"), 0xAB), (packed("raquo"), 0xBB),
        (packed("ndash"), 0x2013), (packed("mdash"), 0x2014), (packed("hellip"), 0x2026),
        (packed("iexcl"), 0xA1), (packed("iquest"), 0xBF),
        (packed("euro"), 0x20AC), (packed("pound"), 0xA3), (packed("copy"), 0xA9), (packed("reg"), 0xAE),
        (packed("trade"), 0x2122), (packed("deg"), 0xB0), (packed("middot"), 0xB7), (packed("bull"), 0x2022),
        (packed("hearts"), 0x2665),
        (packed("Aacute"), 0xC1), (packed("aacute"), 0xE1), (packed("Agrave"), 0xC0), (packed("agrave"), 0xE0),
        (packed("Eacute"), 0xC9), (packed("eacute"), 0xE9), (packed("Egrave"), 0xC8), (packed("egrave"), 0xE8),
        (packed("Iacute"), 0xCD), (packed("iacute"), 0xED), (packed("Igrave"), 0xCC), (packed("igrave"), 0xEC),
        (packed("Oacute"), 0xD3), (packed("oacute"), 0xF3), (packed("Ograve"), 0xD2), (packed("ograve"), 0xF2),
        (packed("Uacute"), 0xDA), (packed("uacute"), 0xFA), (packed("Ugrave"), 0xD9), (packed("ugrave"), 0xF9),
        (packed("Uuml"), 0xDC), (packed("uuml"), 0xFC), (packed("Ntilde"), 0xD1), (packed("ntilde"), 0xF1),
        (packed("Ccedil"), 0xC7), (packed("ccedil"), 0xE7),
    ]
}
