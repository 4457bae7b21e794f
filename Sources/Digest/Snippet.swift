import Matching

/// The one-line snippets of the digest.
enum Snippet {
    /// About this many characters on each side of the brand.
    static let before = 70
    static let after = 110

    /// A line of the field where the brand first matched, around the match, the match between
    /// U+0002 and U+0003, cut on word boundaries with `…`.
    static func around(_ matches: [MatchedTerm], title: String?, text: String?) -> String {
        let match = matches.first { $0.field == .text && text != nil } ?? matches.first { $0.field == .title && title != nil }
        guard let match, let field = match.field == .text ? text : title else {
            return oneLine(String((text ?? title ?? "").prefix(before + after)))
        }
        let bytes = Array(field.utf8)
        guard match.range.lowerBound >= 0, match.range.upperBound <= bytes.count, !match.range.isEmpty else {
            return oneLine(String(field.prefix(before + after)))
        }
        let head = String(decoding: bytes[..<match.range.lowerBound], as: UTF8.self)
        let brand = String(decoding: bytes[match.range], as: UTF8.self)
        let tail = String(decoding: bytes[match.range.upperBound...], as: UTF8.self)
        var left = oneLine(head)
        var right = oneLine(tail)
        // Keep spacing around the brand as it was.
        let spaceBefore = head.last?.isWhitespace == true && !left.isEmpty
        let spaceAfter = tail.first?.isWhitespace == true && !right.isEmpty
        if left.count > before {
            let cut = String(left.suffix(before))
            left = "…" + (cut.firstIndex(of: " ").map { String(cut[cut.index(after: $0)...]) } ?? cut)
        }
        if right.count > after {
            let cut = String(right.prefix(after))
            right = (cut.lastIndex(of: " ").map { String(cut[..<$0]) } ?? cut) + "…"
        }
        return left + (spaceBefore ? " " : "") + "\u{2}" + oneLine(brand) + "\u{3}" + (spaceAfter ? " " : "") + right
    }

    /// Whitespace runs (line breaks included) as one space, control characters dropped, trimmed.
    static func oneLine(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
            } else if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) {
                continue
            } else {
                if pendingSpace { result.unicodeScalars.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
