import VigiaModel

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
        text += JSONText.quoted(name)
        text += ":"
        needsComma[needsComma.count - 1] = false
    }

    mutating func string(_ value: String?) {
        guard let value else { return self.value(raw: "null") }
        self.value(raw: JSONText.quoted(value))
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
}
