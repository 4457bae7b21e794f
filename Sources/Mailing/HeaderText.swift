import Foundation

/// Header values as RFC 5322 and RFC 2047 want them: one line of ASCII per header, folded before
/// 78 characters, with non-ASCII text in `=?UTF-8?B?…?=` encoded words.
enum HeaderText {
    static let maxLineLength = 78
    /// RFC 2047's limit for one encoded word.
    static let maxEncodedWordLength = 75

    /// Characters that make a display name need quotes (RFC 5322 `specials`).
    static let phraseSpecials: Set<Character> = [
        "(", ")", "<", ">", "[", "]", ":", ";", "@", "\\", ",", ".", "\"",
    ]

    // MARK: Whole fields

    /// `Name: token token…`, folded between tokens so that lines stay within 78 characters
    /// (a single token longer than a line stays whole). Lines end with CRLF.
    static func field(_ name: String, _ tokens: [String]) -> String {
        var field = ""
        var line = name + ":"
        var lineHasToken = false
        for token in tokens {
            if lineHasToken && line.utf8.count + 1 + token.utf8.count > maxLineLength {
                field += line + "\r\n"
                line = ""
            }
            line += " " + token
            lineHasToken = true
        }
        return field + line + "\r\n"
    }

    /// The longest encoded word that still fits on the header's first line.
    static func encodedWordLength(for name: String) -> Int {
        min(maxEncodedWordLength, maxLineLength - name.utf8.count - 2)
    }

    /// A `Subject`-like field of free text: plain words when the text is short ASCII words,
    /// encoded words otherwise (so that spacing and every character survive exactly).
    static func unstructuredField(_ name: String, _ text: String) -> String {
        let text = singleLine(text)
        if text.isEmpty { return field(name, []) }
        let longestWord = maxLineLength - name.utf8.count - 2
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        let plain = !needsEncoding(text) && words.allSatisfy { !$0.isEmpty && $0.utf8.count <= longestWord }
        if plain {
            return field(name, words.map(String.init))
        }
        return field(name, encodedWords(text, maxLength: encodedWordLength(for: name)))
    }

    /// `From`/`To`: comma-separated mailboxes, folded between words.
    static func addressField(_ name: String, _ addresses: [MailAddress]) -> String {
        var tokens: [String] = []
        for (index, address) in addresses.enumerated() {
            if let displayName = address.name {
                tokens += phrase(displayName, maxEncodedLength: encodedWordLength(for: name))
            }
            let mailbox = address.name == nil ? address.address : "<\(address.address)>"
            tokens.append(index == addresses.count - 1 ? mailbox : mailbox + ",")
        }
        return field(name, tokens)
    }

    // MARK: Pieces

    /// A display name as header tokens: bare words, one quoted string, or encoded words.
    static func phrase(_ name: String, maxEncodedLength: Int) -> [String] {
        if needsEncoding(name) { return encodedWords(name, maxLength: maxEncodedLength) }
        if !name.contains(where: { phraseSpecials.contains($0) }) {
            let words = name.split(separator: " ").map(String.init)
            if words.allSatisfy({ $0.utf8.count <= maxEncodedLength }) { return words }
            return encodedWords(name, maxLength: maxEncodedLength)
        }
        let quoted = "\"" + quotedStringContent(name) + "\""
        if quoted.utf8.count <= maxEncodedLength { return [quoted] }
        return encodedWords(name, maxLength: maxEncodedLength)
    }

    /// `text` with `\` and `"` escaped, for inside a quoted string.
    static func quotedStringContent(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "\\" || character == "\"" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// Whether `text` cannot go into a header as it is: anything but printable ASCII and spaces,
    /// or something a reader would take for an encoded word.
    static func needsEncoding(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 > 0x7E } || text.contains("=?")
    }

    /// `=?UTF-8?B?…?=` words of at most `maxLength` characters. Each word holds whole characters
    /// (grapheme clusters; a cluster too big for one word is split between its Unicode scalars,
    /// never inside a UTF-8 sequence). Readers join adjacent encoded words without the space.
    static func encodedWords(_ text: String, maxLength: Int = maxEncodedWordLength) -> [String] {
        let prefix = "=?UTF-8?B?"
        let suffix = "?="
        // Base64 turns 3 bytes into 4 characters.
        let capacity = max(4, (maxLength - prefix.utf8.count - suffix.utf8.count) / 4 * 3)
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append(prefix + Data(chunk).base64EncodedString() + suffix)
            chunk.removeAll(keepingCapacity: true)
        }
        func add(_ bytes: some Collection<UInt8>) {
            if chunk.count + bytes.count > capacity { flush() }
            chunk += bytes
        }
        for character in text {
            let bytes = String(character).utf8
            if bytes.count <= capacity {
                add(bytes)
            } else {
                for scalar in character.unicodeScalars { add(String(scalar).utf8) }
            }
        }
        flush()
        return words
    }

    /// `text` on one line: every run of control characters (CR, LF, tab…) and Unicode line or
    /// paragraph separators becomes one space, so header values cannot start a new header.
    static func singleLine(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var inBreak = false
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator:
                if !inBreak { scalars.append(" ") }
                inBreak = true
            default:
                scalars.append(scalar)
                inBreak = false
            }
        }
        return String(scalars)
    }

    /// `text` made safe to show in an error: control characters escaped, at most 80 characters.
    static func printable(_ text: String) -> String {
        let shown = text.unicodeScalars.prefix(80).map { scalar in
            scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: true) : String(scalar)
        }.joined()
        return text.unicodeScalars.count > 80 ? shown + "…" : shown
    }
}
