import Foundation

/// A test-side reading of rendered messages, independent of the code under test.
struct RenderedMessage {
    /// Header lines as rendered (folded), without their CRLF.
    let headerLines: [String]
    /// Unfolded fields, names lowercased, in order.
    let fields: [(name: String, value: String)]
    let body: [UInt8]

    init(_ bytes: [UInt8]) throws {
        let separator = Array("\r\n\r\n".utf8)
        guard let split = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
            throw ReadingError("no blank line after the header")
        }
        let head = String(decoding: bytes[..<split], as: UTF8.self)
        headerLines = head.components(separatedBy: "\r\n")
        body = Array(bytes[(split + 4)...])
        var fields: [(name: String, value: String)] = []
        for line in headerLines {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), let last = fields.popLast() {
                fields.append((last.name, last.value + line))
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((line[..<colon].lowercased(), String(line[line.index(after: colon)...])))
            } else {
                throw ReadingError("header line without a colon: \(line)")
            }
        }
        self.fields = fields
    }

    func field(_ name: String) -> String? {
        fields.first { $0.name == name.lowercased() }?.value
    }
}

struct ReadingError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Every line of `bytes` split at CRLF (the last one included even when empty).
func crlfLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    var lines: [ArraySlice<UInt8>] = []
    var start = 0
    var index = 0
    while index + 1 < bytes.count {
        if bytes[index] == 13 && bytes[index + 1] == 10 {
            lines.append(bytes[start..<index])
            index += 2
            start = index
        } else {
            index += 1
        }
    }
    lines.append(bytes[start...])
    return lines
}

/// Whether every LF in `bytes` follows a CR and every CR precedes an LF.
func hasOnlyCRLF(_ bytes: some Collection<UInt8>) -> Bool {
    var previous: UInt8 = 0
    var pendingCR = false
    for byte in bytes {
        if pendingCR && byte != 10 { return false }
        if byte == 10 && previous != 13 { return false }
        pendingCR = byte == 13
        previous = byte
    }
    return !pendingCR
}

/// Undoes quoted-printable: soft breaks removed, `=XX` decoded; nil on a malformed escape.
func decodeQuotedPrintable(_ encoded: [UInt8]) -> [UInt8]? {
    func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        default: nil
        }
    }
    var output: [UInt8] = []
    output.reserveCapacity(encoded.count)
    var index = 0
    while index < encoded.count {
        let byte = encoded[index]
        guard byte == UInt8(ascii: "=") else {
            output.append(byte)
            index += 1
            continue
        }
        guard index + 2 < encoded.count else { return nil }
        if encoded[index + 1] == 13 && encoded[index + 2] == 10 {
            index += 3
        } else if let high = hex(encoded[index + 1]), let low = hex(encoded[index + 2]) {
            output.append(high << 4 | low)
            index += 3
        } else {
            return nil
        }
    }
    return output
}

/// A header value with its RFC 2047 `=?UTF-8?B?…?=` words decoded (the space between two
/// encoded words dropped, as RFC 2047 says); nil when a word does not decode to UTF-8.
func decodeHeaderValue(_ value: String) -> String? {
    var result = ""
    var previousWasEncoded = false
    var first = true
    for token in value.split(separator: " ", omittingEmptySubsequences: false) where !(first && token.isEmpty) {
        defer { first = false }
        if token.hasPrefix("=?UTF-8?B?") && token.hasSuffix("?=") {
            let base64 = token.dropFirst(10).dropLast(2)
            guard let data = Data(base64Encoded: String(base64)),
                  let text = String(validating: [UInt8](data), as: UTF8.self)
            else { return nil }
            if !first && !previousWasEncoded { result += " " }
            result += text
            previousWasEncoded = true
        } else {
            if !first { result += " " }
            result += token
            previousWasEncoded = false
        }
    }
    return result
}

/// `text` with every line end as LF, as a reader compares decoded parts.
func unixLines(_ text: String) -> String {
    text.replacingOccurrences(of: "\r\n", with: "\n")
}
