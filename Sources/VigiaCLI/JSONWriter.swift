/// Builds compact JSON text with keys in the order they are written (the stable machine-readable
/// forms of the CLI).
struct JSONWriter {
    private(set) var text = ""
    private var needsComma: [Bool] = [false]

    mutating func beginObject() { value(raw: "{"); needsComma.append(false) }
    mutating func endObject() { needsComma.removeLast(); text += "}" }
    mutating func beginArray() { value(raw: "["); needsComma.append(false) }
    mutating func endArray() { needsComma.removeLast(); text += "]" }

    mutating func key(_ name: String) {
        separator()
        text += Self.quoted(name)
        text += ":"
        needsComma[needsComma.count - 1] = false
    }

    mutating func string(_ value: String?) {
        guard let value else { return self.value(raw: "null") }
        self.value(raw: Self.quoted(value))
    }

    mutating func bool(_ value: Bool) { self.value(raw: value ? "true" : "false") }
    mutating func number(_ value: Int) { self.value(raw: String(value)) }
    mutating func number(_ value: Double) { self.value(raw: value.isFinite ? String(value) : "null") }
    mutating func null() { value(raw: "null") }

    /// Inserts already-serialised JSON.
    mutating func value(raw: String) {
        separator()
        text += raw
        needsComma[needsComma.count - 1] = true
    }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { text += "," }
    }

    /// `value` as a JSON string literal.
    static func quoted(_ value: String) -> String {
        var result = "\""
        result.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{2028}": result += "\\u2028"
            case "\u{2029}": result += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        result += "\""
        return result
    }
}
