/// An email address with an optional display name, e.g. `Ana Pérez <ana@example.com>`.
///
/// The address itself must be plain ASCII `local@domain` (a dot-atom local part and a host name);
/// the display name may be any text and is encoded when the message is rendered. Line breaks and
/// other control characters in the name become spaces, so a name can never start a new header.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The display name, e.g. `Ana Pérez`; `nil` for a bare address.
    public var name: String?
    /// `local@domain`, ASCII only.
    public var address: String

    /// Throws ``MailError/Kind/badAddress`` when `address` is not a plain `local@domain` address
    /// (spaces, line breaks, angle brackets and non-ASCII characters are refused).
    public init(name: String? = nil, address: String) throws {
        try Self.check(address)
        self.address = address
        self.name = Self.cleanName(name)
    }

    /// Reads `ana@example.com`, `Ana Pérez <ana@example.com>` or `"Pérez, Ana" <ana@example.com>`.
    public init(parsing text: String) throws {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.first == "\"" {
            let (name, rest) = try Self.splitQuotedName(text)
            try self.init(name: name, address: Self.angleAddress(rest, in: text))
        } else if let open = text.lastIndex(of: "<") {
            let name = text[..<open].trimmingCharacters(in: .whitespaces)
            if name.contains(where: { "<>\"".contains($0) }) {
                throw Self.invalid(
                    text, "the name has stray quotes or angle brackets; quote it: \"Name\" <ana@example.com>")
            }
            try self.init(name: name, address: Self.angleAddress(text[open...], in: text))
        } else {
            try self.init(address: text)
        }
    }

    /// The address as a person would write it; `MailAddress(parsing:)` reads it back.
    public var description: String {
        guard let name else { return address }
        if name.contains(where: { HeaderText.phraseSpecials.contains($0) }) {
            return "\"\(HeaderText.quotedStringContent(name))\" <\(address)>"
        }
        return "\(name) <\(address)>"
    }

    /// The part after the `@`.
    var domain: Substring {
        address.lastIndex(of: "@").map { address[address.index(after: $0)...] } ?? ""
    }

    /// The same address re-checked (the properties are mutable) with a cleaned name.
    func validated() throws -> MailAddress {
        try MailAddress(name: name, address: address)
    }

    // MARK: Checks

    /// `local@domain`: a dot-atom local part of at most 64 characters, a host name of at most 253.
    static func check(_ address: String) throws {
        let bytes = Array(address.utf8)
        guard !bytes.isEmpty else { throw invalid(address, "it is empty") }
        guard bytes.count <= 254 else { throw invalid(address, "it is longer than 254 characters") }
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw invalid(address, "it contains spaces, line breaks or non-ASCII characters")
        }
        let parts = bytes.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw invalid(address, "it must contain exactly one @") }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty, local.count <= 64 else {
            throw invalid(address, "the part before @ must have 1 to 64 characters")
        }
        guard isDotAtom(local) else {
            throw invalid(
                address, "the part before @ may only hold letters, digits, single dots and !#$%&'*+-/=?^_`{|}~")
        }
        guard isHostName(domain) else {
            throw invalid(address, "the part after @ must be a host name such as example.com")
        }
    }

    private static let atextSymbols = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    private static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: atextSymbols.contains(byte)
        }
    }

    private static func isDotAtom(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            .allSatisfy { !$0.isEmpty && $0.allSatisfy(isAtext) }
    }

    private static func isHostName(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        let isLetterOrDigit: (UInt8) -> Bool = {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A)
        }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
            return isLetterOrDigit(first) && isLetterOrDigit(last)
                && label.allSatisfy { isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// One line, single spaces, trimmed; `nil` when nothing is left.
    static func cleanName(_ name: String?) -> String? {
        guard let name else { return nil }
        let cleaned = HeaderText.singleLine(name)
            .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return cleaned.isEmpty ? nil : cleaned
    }

    // MARK: Parsing

    /// `"Pérez, Ana" <…>` → (`Pérez, Ana`, `<…>`), undoing backslash escapes.
    private static func splitQuotedName(_ text: String) throws -> (String, Substring) {
        var name = ""
        var index = text.index(after: text.startIndex)
        var escaped = false
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            if escaped {
                name.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                return (name, text[index...].drop(while: { $0 == " " || $0 == "\t" }))
            } else {
                name.append(character)
            }
        }
        throw invalid(text, "the quoted name has no closing quote")
    }

    /// `<ana@example.com>` → `ana@example.com`.
    private static func angleAddress(_ text: Substring, in whole: String) throws -> String {
        guard text.first == "<", text.last == ">", text.count >= 2 else {
            throw invalid(whole, "write it as ana@example.com or Name <ana@example.com>")
        }
        return String(text.dropFirst().dropLast())
    }

    static func invalid(_ text: String, _ reason: String) -> MailError {
        MailError(.badAddress, "\"\(HeaderText.printable(text))\" is not a usable email address: \(reason).")
    }
}
