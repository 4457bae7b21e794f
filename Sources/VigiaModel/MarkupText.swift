/// Writing XML or HTML by hand: text and attribute values.
public enum MarkupText {
    /// `text` safe inside an element or a quoted attribute of XML or HTML: `&`, `<`, `>`, `"` and
    /// `'` as references (`&#39;`, which both languages read), and the control characters neither
    /// allows (all but tab, line feed and carriage return, and U+FFFE/U+FFFF) left out.
    public static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
