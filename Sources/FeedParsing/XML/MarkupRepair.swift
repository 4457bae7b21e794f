/// Repairs the two most common ways feeds break XML before a second parse: a bare `&` that
/// starts no reference ("Fish & Chips") and a `<` that starts no tag ("1 < 2"). Comments, CDATA
/// sections, processing instructions and the document type are left untouched. Works on any
/// ASCII-compatible encoding.
enum MarkupRepair {
    /// The repaired bytes, or nil when nothing needed repair.
    static func repair(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        var output: [UInt8] = []
        var changed = false
        let count = input.count
        var index = 0
        output.reserveCapacity(count + 256)

        func starts(_ literal: StaticString, at position: Int) -> Bool {
            let length = literal.utf8CodeUnitCount
            guard position + length <= count else { return false }
            return literal.withUTF8Buffer { bytes in
                (0..<length).allSatisfy { input[position + $0] == bytes[$0] }
            }
        }
        func copy(until terminator: StaticString) {
            while index < count {
                if starts(terminator, at: index) {
                    let length = terminator.utf8CodeUnitCount
                    output.append(contentsOf: input[index..<(index + length)])
                    index += length
                    return
                }
                output.append(input[index])
                index += 1
            }
        }
        func isNameStart(_ byte: UInt8) -> Bool {
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x3A || byte >= 0x80
        }
        func isNameByte(_ byte: UInt8) -> Bool {
            isNameStart(byte) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x2E
        }
        /// Whether a valid reference starts at `position` (which holds `&`).
        func isReference(at position: Int) -> Bool {
            var cursor = position + 1
            guard cursor < count else { return false }
            if input[cursor] == UInt8(ascii: "#") {
                cursor += 1
                var hex = false
                if cursor < count, input[cursor] == UInt8(ascii: "x") || input[cursor] == UInt8(ascii: "X") {
                    hex = true
                    cursor += 1
                }
                let digitsStart = cursor
                while cursor < count {
                    let byte = input[cursor]
                    let isDigit = byte >= 0x30 && byte <= 0x39
                    let isHex = hex && ((byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66))
                    guard isDigit || isHex else { break }
                    cursor += 1
                }
                return cursor > digitsStart && cursor < count && input[cursor] == UInt8(ascii: ";")
            }
            guard isNameStart(input[cursor]) else { return false }
            while cursor < count, isNameByte(input[cursor]), cursor - position < 40 { cursor += 1 }
            return cursor < count && input[cursor] == UInt8(ascii: ";")
        }
        func appendAmpersand() {
            if isReference(at: index) {
                output.append(UInt8(ascii: "&"))
            } else {
                output.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
                changed = true
            }
            index += 1
        }

        while index < count {
            let byte = input[index]
            if byte == UInt8(ascii: "&") {
                appendAmpersand()
                continue
            }
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
                // Control characters are not allowed in XML: read them as spaces.
                output.append(0x20)
                changed = true
                index += 1
                continue
            }
            guard byte == UInt8(ascii: "<") else {
                output.append(byte)
                index += 1
                continue
            }
            if starts("<!--", at: index) {
                copy(until: "-->")
            } else if starts("<![CDATA[", at: index) {
                copy(until: "]]>")
            } else if starts("<?", at: index) {
                copy(until: "?>")
            } else if starts("<!", at: index) {
                // Document type, possibly with an internal subset.
                var depth = 0
                while index < count {
                    let current = input[index]
                    output.append(current)
                    index += 1
                    if current == UInt8(ascii: "[") { depth += 1 }
                    if current == UInt8(ascii: "]") { depth -= 1 }
                    if current == UInt8(ascii: ">") && depth <= 0 { break }
                }
            } else if index + 1 < count, isNameStart(input[index + 1]) || input[index + 1] == UInt8(ascii: "/") {
                // A tag: copy it, repairing bare ampersands inside attribute values, and closing
                // HTML void elements (`<br>`, `<img …>`) that unescaped HTML leaves open.
                var quote: UInt8?
                let nameStart = index + 1
                var nameEnd = nameStart
                while nameEnd < count, isNameByte(input[nameEnd]) { nameEnd += 1 }
                let isVoid = Self.isHTMLVoidElement(input, nameStart..<nameEnd)
                output.append(byte)
                index += 1
                while index < count {
                    let current = input[index]
                    if let open = quote {
                        if current == open { quote = nil }
                        if current == UInt8(ascii: "&") {
                            appendAmpersand()
                            continue
                        }
                        if current == UInt8(ascii: "<") {
                            output.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
                            changed = true
                            index += 1
                            continue
                        }
                    } else if current == UInt8(ascii: "\"") || current == UInt8(ascii: "'") {
                        quote = current
                    } else if current == UInt8(ascii: ">") {
                        if isVoid, output.last != UInt8(ascii: "/") {
                            output.append(UInt8(ascii: "/"))
                            changed = true
                        }
                        output.append(current)
                        index += 1
                        break
                    } else if current == UInt8(ascii: "<") {
                        // An unclosed tag: let the parser deal with it.
                        break
                    }
                    output.append(current)
                    index += 1
                }
            } else {
                output.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
                changed = true
                index += 1
            }
        }
        return changed ? output : nil
    }

    /// HTML elements that never have content; `link` is left out (it is a feed element).
    private static func isHTMLVoidElement(_ input: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        guard range.count >= 2, range.count <= 6 else { return false }
        let name = String(decoding: input[range], as: UTF8.self).lowercased()
        return ["br", "hr", "img", "input", "wbr", "area", "col", "embed", "param", "source", "track", "meta"].contains(name)
    }
}
