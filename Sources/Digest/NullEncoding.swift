/// Encodes every stored property of `value`, an absent optional as `null` (the synthesized
/// encoding leaves the key out), so that the digest's JSON always has the same keys.
func encodeEveryProperty(of value: Any, to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: PropertyKey.self)
    for child in Mirror(reflecting: value).children {
        guard let label = child.label, let property = child.value as? any Encodable else { continue }
        // An Optional encodes `.none` as null through its own `encode(to:)`.
        try container.encode(property, forKey: PropertyKey(stringValue: label))
    }
}

/// A key named after a property (the encoder's key strategy applies to it).
struct PropertyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        nil
    }
}
