/// HTML named and numeric character references (the full WHATWG list).
enum HTMLEntities {
    /// Name (without `&` and `;`) to its characters.
    static let byName: [String: String] = {
        var result: [String: String] = [:]
        result.reserveCapacity(2200)
        for line in table.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let name = String(line[..<space])
            var value = ""
            for hex in line[line.index(after: space)...].split(separator: ",") {
                if let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) {
                    value.unicodeScalars.append(scalar)
                }
            }
            result[name] = value
        }
        return result
    }()

    /// The characters of a named reference, or nil when HTML has no such name.
    static func value(forName name: String) -> String? { byName[name] }

    /// The named reference as numeric character references (`&#8230;`), which any XML or HTML
    /// parser understands, or nil when HTML has no such name.
    static func characterReference(forName name: String) -> String? {
        guard let value = byName[name] else { return nil }
        return value.unicodeScalars.map { "&#\($0.value);" }.joined()
    }

    /// The character a numeric reference stands for, with HTML's repairs: code points 0x80–0x9F
    /// are read as windows-1252, and invalid ones become U+FFFD.
    static func scalar(forNumericReference code: UInt32) -> Unicode.Scalar {
        if code >= 0x80 && code <= 0x9F, let mapped = Windows1252.highScalar(UInt8(code)) {
            return mapped
        }
        if code == 0 { return "\u{FFFD}" }
        return Unicode.Scalar(code) ?? "\u{FFFD}"
    }

    @inline(__always)
    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// Decodes every character reference in UTF-8 `text` (see ``decode(_:)``).
    static func decodeBytes(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var index = 0
        let count = text.count
        while index < count {
            let byte = text[index]
            if byte == UInt8(ascii: "&"), let end = appendReference(text, at: index, to: &output) {
                index = end
                continue
            }
            output.append(byte)
            index += 1
        }
        return output
    }

    /// Decodes the character reference that starts at `index` (which holds `&`) the way HTML5
    /// does: named (with or without the semicolon where HTML allows it) or numeric. Appends its
    /// UTF-8 to `output` and returns the index just past it, or returns nil and appends nothing
    /// when the `&` starts no reference.
    static func appendReference(_ text: UnsafeBufferPointer<UInt8>, at index: Int, to output: inout [UInt8]) -> Int? {
        let count = text.count
        guard index + 1 < count else { return nil }
        var cursor = index + 1
        if text[cursor] == UInt8(ascii: "#") {
            cursor += 1
            var radix: UInt32 = 10
            if cursor < count, text[cursor] | 0x20 == UInt8(ascii: "x") {
                radix = 16
                cursor += 1
            }
            var value: UInt32 = 0
            let digitsStart = cursor
            while cursor < count {
                let digit: UInt32
                switch text[cursor] {
                case 0x30...0x39: digit = UInt32(text[cursor] - 0x30)
                case 0x41...0x46 where radix == 16: digit = UInt32(text[cursor] - 0x41 + 10)
                case 0x61...0x66 where radix == 16: digit = UInt32(text[cursor] - 0x61 + 10)
                default: digit = 99
                }
                guard digit < radix else { break }
                value = value > 0x10FFFF ? value : value &* radix &+ digit
                cursor += 1
            }
            guard cursor > digitsStart else { return nil }
            if cursor < count, text[cursor] == UInt8(ascii: ";") { cursor += 1 }
            appendUTF8Scalar(scalar(forNumericReference: value).value, to: &output)
            return cursor
        }
        var legacy: (String, Int)?
        while cursor < count, cursor - index < 34, isNameByte(text[cursor]) {
            cursor += 1
            let name = String(decoding: UnsafeBufferPointer(rebasing: text[(index + 1)..<cursor]), as: UTF8.self)
            if cursor < count, text[cursor] == UInt8(ascii: ";"), let value = byName[name] {
                output.append(contentsOf: value.utf8)
                return cursor + 1
            }
            if legacyNames.contains(name), let value = byName[name] { legacy = (value, cursor) }
        }
        guard let (value, end) = legacy else { return nil }
        output.append(contentsOf: value.utf8)
        return end
    }

    /// Decodes every character reference in `text`, named (with or without the semicolon where
    /// HTML allows it) and numeric. Unknown names are left as written.
    static func decode(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var output = String()
        output.reserveCapacity(text.utf8.count)
        var scalars = text.unicodeScalars[...]
        while let ampersand = scalars.firstIndex(of: "&") {
            output.unicodeScalars.append(contentsOf: scalars[..<ampersand])
            let afterAmpersand = scalars.index(after: ampersand)
            let rest = scalars[afterAmpersand...]
            if let (decoded, end) = decodeReference(rest) {
                output.unicodeScalars.append(contentsOf: decoded.unicodeScalars)
                scalars = scalars[end...]
            } else {
                output.unicodeScalars.append("&")
                scalars = rest
            }
        }
        output.unicodeScalars.append(contentsOf: scalars)
        return output
    }

    /// Decodes one reference at the start of `text` (which follows an `&`).
    private static func decodeReference(
        _ text: Substring.UnicodeScalarView
    ) -> (String, Substring.UnicodeScalarView.Index)? {
        var index = text.startIndex
        guard index < text.endIndex else { return nil }
        if text[index] == "#" {
            index = text.index(after: index)
            var radix: UInt32 = 10
            if index < text.endIndex, text[index] == "x" || text[index] == "X" {
                radix = 16
                index = text.index(after: index)
            }
            var value: UInt32 = 0
            var digits = 0
            while index < text.endIndex, let digit = hexDigit(text[index]), digit < radix {
                value = value > 0x10FFFF ? value : value &* radix &+ digit
                digits += 1
                index = text.index(after: index)
            }
            guard digits > 0 else { return nil }
            if index < text.endIndex, text[index] == ";" { index = text.index(after: index) }
            return (String(scalar(forNumericReference: value)), index)
        }
        var name = ""
        var lastLegacy: (String, Substring.UnicodeScalarView.Index)?
        while index < text.endIndex, name.unicodeScalars.count < 32 {
            let scalar = text[index]
            guard scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) else { break }
            name.unicodeScalars.append(scalar)
            index = text.index(after: index)
            if legacyNames.contains(name), let value = byName[name] { lastLegacy = (value, index) }
        }
        if index < text.endIndex, text[index] == ";", let value = byName[name] {
            return (value, text.index(after: index))
        }
        return lastLegacy
    }

    private static func hexDigit(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar.value {
        case 0x30...0x39: scalar.value - 0x30
        case 0x41...0x46: scalar.value - 0x41 + 10
        case 0x61...0x66: scalar.value - 0x61 + 10
        default: nil
        }
    }
}
