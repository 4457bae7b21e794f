/// Quoted-printable body encoding (RFC 2045 §6.7).
enum QuotedPrintable {
    /// The longest encoded line, soft break included.
    static let maxLineLength = 76

    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Encodes `bytes` with CRLF line ends. Any line end in the input (CRLF, CR or LF) becomes
    /// CRLF; `=`, control and non-ASCII bytes, and a space or tab ending a line become `=XX`;
    /// longer lines get soft breaks (`=` CRLF). Output lines are at most 76 characters.
    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8 + 16)
        var lineLength = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == cr || byte == lf {
                output += [cr, lf]
                lineLength = 0
                index += byte == cr && index + 1 < bytes.count && bytes[index + 1] == lf ? 2 : 1
                continue
            }
            let next = index + 1 < bytes.count ? bytes[index + 1] : lf
            let endsLine = next == cr || next == lf
            let isLiteral = (byte >= 0x21 && byte <= 0x7E && byte != UInt8(ascii: "="))
                || ((byte == 0x20 || byte == 0x09) && !endsLine)
            let width = isLiteral ? 1 : 3
            // A line that goes on needs room for the soft break's `=`.
            if lineLength + width > (endsLine ? maxLineLength : maxLineLength - 1) {
                output += [UInt8(ascii: "="), cr, lf]
                lineLength = 0
            }
            if isLiteral {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
            lineLength += width
            index += 1
        }
        return output
    }
}
