/// The identity of a link, to recognise the same page reached through different URLs.
///
/// `canonicalKey(_:)` is an identity key, not a URL to fetch. For `http` and `https` links:
/// - the scheme and host are lower-cased, and `http` is treated as `https` (feeds disagree about
///   the scheme of the same page far more often than two schemes serve different pages);
/// - a leading `www.` and a trailing `.` of the host are dropped, and so are user information and
///   the default port (`:80`, `:443`);
/// - percent-escapes are upper-cased, and escaped unreserved characters (`%41` → `A`) decoded;
/// - the path keeps its case; an empty path is `/`, and a trailing `/` of a longer path is dropped;
/// - tracking parameters are dropped (``trackingParameters``, and every `utm_*`), and the remaining
///   query parameters are sorted (their order never changes the page);
/// - the fragment is dropped, except a `#!` route (old single-page sites put the page there).
///
/// `ref`, `ref_src` and `ref_url` count as tracking: in feed links they say who referred the
/// reader (`?ref=rss`, `?ref_src=twsrc`), not which page it is.
///
/// Other schemes (`tag:`, `urn:`, `mailto:`) keep everything but the fragment, with the scheme
/// lower-cased. A link without a scheme is kept as written, trimmed.
public enum CanonicalURL {
    /// Query parameters that only track where a reader came from (compared lower-cased; every
    /// parameter starting with `utm_` is dropped too).
    public static let trackingParameters: Set<String> = [
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "mc_cid", "mc_eid", "igshid", "igsh", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id",
        "ref", "ref_src", "ref_url",
    ]

    /// The canonical key of `link`, or nil when it is empty.
    public static func canonicalKey(_ link: String) -> String? {
        let trimmed = link.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { return nil }
        guard let colon = trimmed.utf8.firstIndex(of: UInt8(ascii: ":")), isScheme(trimmed[..<colon]) else {
            return String(trimmed)
        }
        let scheme = lowercased(trimmed[..<colon])
        var rest = trimmed[trimmed.index(after: colon)...]
        guard scheme == "http" || scheme == "https", rest.hasPrefix("//") else {
            if let hash = rest.utf8.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<hash] }
            return scheme + ":" + rest
        }
        rest = rest.dropFirst(2)

        // Fragment: dropped unless it is a `#!` route.
        var fragment: Substring = ""
        if let hash = rest.utf8.firstIndex(of: UInt8(ascii: "#")) {
            let after = rest[rest.utf8.index(after: hash)...]
            if after.hasPrefix("!") { fragment = after }
            rest = rest[..<hash]
        }
        // Query.
        var query: Substring = ""
        if let mark = rest.utf8.firstIndex(of: UInt8(ascii: "?")) {
            query = rest[rest.utf8.index(after: mark)...]
            rest = rest[..<mark]
        }
        // Authority and path.
        let slash = rest.utf8.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
        let authority = rest[..<slash]
        let path = rest[slash...]

        var result = "https://"
        result += canonicalHost(authority, scheme: scheme)
        result += canonicalPath(path)
        let parameters = canonicalQuery(query)
        if !parameters.isEmpty {
            result += "?"
            result += parameters
        }
        if !fragment.isEmpty {
            result += "#"
            result += normalisePercentEscapes(fragment)
        }
        return result
    }

    /// The host of `link`, lower-cased, without user information, port or trailing dot (nil when
    /// the link has no host). Used for `site:` filters.
    public static func host(of link: String) -> String? {
        var rest = link.trimmingASCIIWhitespace()
        if let colon = rest.utf8.firstIndex(of: UInt8(ascii: ":")), isScheme(rest[..<colon]) {
            rest = rest[rest.utf8.index(after: colon)...]
            guard rest.hasPrefix("//") else { return nil }
            rest = rest.dropFirst(2)
        }
        let end = rest.utf8.firstIndex(where: { $0 == 0x2F || $0 == 0x3F || $0 == 0x23 }) ?? rest.endIndex
        let host = hostOnly(rest[..<end])
        return host.isEmpty ? nil : host
    }

    /// A host with its labels reversed (`blog.example.org` → `org.example.blog`), so that a site
    /// and all its subdomains are one range of an index.
    static func reversedHost(_ host: String) -> String {
        host.split(separator: ".", omittingEmptySubsequences: true).reversed().joined(separator: ".")
    }

    // MARK: - Parts

    private static func isScheme(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, isASCIILetter(first) else { return false }
        return text.utf8.allSatisfy { isASCIILetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// The host and port part of an authority (after any user information), and where the host
    /// ends in it (before `:port`). Searched as UTF-8: the delimiters are ASCII.
    private static func splitAuthority(_ authority: Substring) -> (hostPort: Substring, hostEnd: String.Index) {
        let bytes = authority.utf8
        var start = bytes.startIndex
        if let at = bytes.lastIndex(of: UInt8(ascii: "@")) { start = bytes.index(after: at) }
        let hostPort = authority[start...]
        let view = hostPort.utf8
        if view.first == UInt8(ascii: "[") {  // IPv6 literal
            let close = view.firstIndex(of: UInt8(ascii: "]")).map { view.index(after: $0) } ?? view.endIndex
            return (hostPort, close)
        }
        return (hostPort, view.lastIndex(of: UInt8(ascii: ":")) ?? view.endIndex)
    }

    private static func hostOnly(_ authority: Substring) -> String {
        let (hostPort, hostEnd) = splitAuthority(authority)
        var host = hostPort[..<hostEnd]
        while host.utf8.last == UInt8(ascii: ".") { host = host.dropLast() }
        return lowercased(host)
    }

    /// `text` lower-cased; ASCII text without capitals is only copied.
    private static func lowercased(_ text: Substring) -> String {
        text.utf8.contains(where: { ($0 >= 0x41 && $0 <= 0x5A) || $0 >= 0x80 }) ? text.lowercased() : String(text)
    }

    private static func canonicalHost(_ authority: Substring, scheme: String) -> String {
        let (hostPort, hostEnd) = splitAuthority(authority)
        var port: Substring = ""
        if hostEnd < hostPort.endIndex, hostPort.utf8[hostEnd] == UInt8(ascii: ":") {
            port = hostPort[hostPort.utf8.index(after: hostEnd)...]
        }
        var host = hostOnly(authority)
        if host.hasPrefix("www.") && host.utf8.count > 4 { host.removeFirst(4) }
        let dropPort = port.isEmpty || (scheme == "http" && port == "80") || (scheme == "https" && port == "443")
        return dropPort ? host : host + ":" + port
    }

    private static func canonicalPath(_ path: Substring) -> String {
        var normalised = normalisePercentEscapes(path)
        if normalised.isEmpty { return "/" }
        while normalised.count > 1 && normalised.hasSuffix("/") { normalised.removeLast() }
        return normalised
    }

    private static func canonicalQuery(_ query: Substring) -> String {
        guard !query.isEmpty else { return "" }
        var kept: [String] = []
        for parameter in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name = parameter.firstIndex(of: "=").map { parameter[..<$0] } ?? parameter
            let lowered = lowercased(name)
            if lowered.isEmpty || lowered.hasPrefix("utm_") || trackingParameters.contains(lowered) { continue }
            kept.append(normalisePercentEscapes(parameter))
        }
        return kept.sorted().joined(separator: "&")
    }

    /// Upper-cases the hex digits of `%xx` escapes and decodes escaped unreserved characters.
    static func normalisePercentEscapes(_ text: Substring) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                let decoded = high << 4 | low
                if isUnreserved(decoded) {
                    output.append(decoded)
                } else {
                    output.append(UInt8(ascii: "%"))
                    output.append(upperHex(high))
                    output.append(upperHex(low))
                }
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func upperHex(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x2E || byte == 0x5F
            || byte == 0x7E
    }
}

extension Substring {
    /// Without leading and trailing ASCII spaces, tabs and line breaks.
    func trimmingASCIIWhitespace() -> Substring {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let start = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) })
        else {
            return Substring()
        }
        return self[start..<utf8.index(after: last)]
    }
}

extension String {
    /// Without leading and trailing ASCII spaces, tabs and line breaks.
    func trimmingASCIIWhitespace() -> Substring { self[...].trimmingASCIIWhitespace() }
}
