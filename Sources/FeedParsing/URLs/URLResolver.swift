/// Resolves relative references against a base URI (RFC 3986, section 5.2).
public enum URLResolver {
    /// The components of a URI reference; absent parts are nil (an empty query is "").
    struct Components: Equatable {
        var scheme: String?
        var authority: String?
        var path: String
        var query: String?
        var fragment: String?

        init(scheme: String? = nil, authority: String? = nil, path: String = "", query: String? = nil, fragment: String? = nil) {
            self.scheme = scheme
            self.authority = authority
            self.path = path
            self.query = query
            self.fragment = fragment
        }

        /// Splits a reference with the grammar of RFC 3986, appendix B.
        init(parsing reference: Substring) {
            var rest = reference
            if let colon = rest.firstIndex(of: ":"), colon != rest.startIndex,
               rest[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }),
               rest.first?.isLetter == true {
                scheme = String(rest[..<colon])
                rest = rest[rest.index(after: colon)...]
            }
            if let hash = rest.firstIndex(of: "#") {
                fragment = String(rest[rest.index(after: hash)...])
                rest = rest[..<hash]
            }
            if let question = rest.firstIndex(of: "?") {
                query = String(rest[rest.index(after: question)...])
                rest = rest[..<question]
            }
            if rest.hasPrefix("//") {
                let afterSlashes = rest.index(rest.startIndex, offsetBy: 2)
                let end = rest[afterSlashes...].firstIndex(of: "/") ?? rest.endIndex
                authority = String(rest[afterSlashes..<end])
                rest = rest[end...]
            }
            path = String(rest)
        }

        var string: String {
            var result = ""
            if let scheme { result += scheme + ":" }
            if let authority { result += "//" + authority }
            result += path
            if let query { result += "?" + query }
            if let fragment { result += "#" + fragment }
            return result
        }
    }

    /// `reference` resolved against `base`; `reference` unchanged when there is no base.
    public static func resolve(_ reference: String, against base: String?) -> String {
        let trimmed = reference.trimmingCharacters(in: " \t\r\n")
        guard let base, !base.isEmpty else { return trimmed }
        // Most feed links are already absolute with nothing to normalise: they resolve to themselves.
        if hasScheme(trimmed), !mayHaveDotSegments(trimmed) { return trimmed }
        let r = Components(parsing: Substring(trimmed))
        let b = Components(parsing: Substring(base.trimmingCharacters(in: " \t\r\n")))
        var t = Components()
        if let scheme = r.scheme {
            t.scheme = scheme
            t.authority = r.authority
            t.path = removeDotSegments(r.path)
            t.query = r.query
        } else {
            if r.authority != nil {
                t.authority = r.authority
                t.path = removeDotSegments(r.path)
                t.query = r.query
            } else {
                if r.path.isEmpty {
                    t.path = b.path
                    t.query = r.query ?? b.query
                } else {
                    if r.path.hasPrefix("/") {
                        t.path = removeDotSegments(r.path)
                    } else {
                        t.path = removeDotSegments(merge(base: b, path: r.path))
                    }
                    t.query = r.query
                }
                t.authority = b.authority
            }
            t.scheme = b.scheme
        }
        t.fragment = r.fragment
        return t.string
    }

    /// Whether `text` starts with a scheme (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`, then `:`).
    private static func hasScheme(_ text: String) -> Bool {
        var utf8 = text.utf8.makeIterator()
        guard let first = utf8.next(), (first | 0x20) >= 0x61, (first | 0x20) <= 0x7A else { return false }
        while let byte = utf8.next() {
            switch byte {
            case 0x3A: return true
            case 0x61...0x7A, 0x41...0x5A, 0x30...0x39, 0x2B, 0x2D, 0x2E: continue
            default: return false
            }
        }
        return false
    }

    /// Whether a path segment of `text` may be `.` or `..` (a conservative test: `/.` anywhere).
    private static func mayHaveDotSegments(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if previous == 0x2F, byte == 0x2E { return true }
            previous = byte
        }
        return false
    }

    /// Whether `reference` is absolute (has a scheme).
    public static func isAbsolute(_ reference: String) -> Bool {
        Components(parsing: Substring(reference)).scheme != nil
    }

    private static func merge(base: Components, path: String) -> String {
        if base.authority != nil && base.path.isEmpty { return "/" + path }
        guard let slash = base.path.lastIndex(of: "/") else { return path }
        return String(base.path[...slash]) + path
    }

    /// RFC 3986, section 5.2.4.
    static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        var input = Substring(path)
        var output: [Substring] = []
        var result = ""
        while !input.isEmpty {
            if input.hasPrefix("../") {
                input = input.dropFirst(3)
            } else if input.hasPrefix("./") {
                input = input.dropFirst(2)
            } else if input.hasPrefix("/./") {
                input = input.dropFirst(2)
            } else if input == "/." {
                input = "/"
            } else if input.hasPrefix("/../") {
                input = input.dropFirst(3)
                if !output.isEmpty { output.removeLast() }
            } else if input == "/.." {
                input = "/"
                if !output.isEmpty { output.removeLast() }
            } else if input == "." || input == ".." {
                input = ""
            } else {
                let searchStart = input.hasPrefix("/") ? input.index(after: input.startIndex) : input.startIndex
                let end = input[searchStart...].firstIndex(of: "/") ?? input.endIndex
                output.append(input[..<end])
                input = input[end...]
            }
        }
        for segment in output { result += segment }
        return result
    }
}
