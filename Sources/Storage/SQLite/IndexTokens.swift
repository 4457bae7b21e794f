/// How the full-text index's `lang` and `site` columns spell a language code and a reversed
/// host: as one token each, so that a filter is one exact term look-up (no phrase, no
/// positions). FTS5's `unicode61` tokenizer splits at anything but letters and digits, so the
/// separators become letters no host or language code contains: `.` → `ǂ`, `-` and `_` → `ǁ`
/// (`org.example-shop.www` → `orgǂexampleǁshopǂwww`, `ca-es` → `caǁes`).
enum IndexTokens {
    static let labelSeparator = "ǂ"
    static let innerSeparator = "ǁ"

    /// SQL that spells the language code `expression` as its token.
    static func languageSQL(_ expression: String) -> String {
        "replace(replace(\(expression), '-', '\(innerSeparator)'), '_', '\(innerSeparator)')"
    }

    /// SQL that spells the reversed host `expression` as its token.
    static func hostSQL(_ expression: String) -> String {
        "replace(" + languageSQL(expression) + ", '.', '\(labelSeparator)')"
    }

    /// The token of a language code (lower-cased), or nil when it would not be one token.
    static func language(_ code: String) -> String? {
        token(code.lowercased().replacingOccurrences(of: "-", with: innerSeparator)
            .replacingOccurrences(of: "_", with: innerSeparator))
    }

    /// The token of a reversed host key (`org.example`), or nil when it would not be one token
    /// (an IPv6 literal, say).
    static func host(_ key: String) -> String? {
        token(key.replacingOccurrences(of: "-", with: innerSeparator).replacingOccurrences(of: "_", with: innerSeparator)
            .replacingOccurrences(of: ".", with: labelSeparator))
    }

    /// `text` when it is made of ASCII lower-case letters, digits and the separators only.
    private static func token(_ text: String) -> String? {
        let allowed = text.unicodeScalars.allSatisfy { scalar in
            (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") || scalar == "ǂ" || scalar == "ǁ"
        }
        return allowed && !text.isEmpty ? text : nil
    }
}
