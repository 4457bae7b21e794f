internal import CLibXML2

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns HTML fragments into the text a reader sees, through libxml2's HTML parser in SAX mode
/// (no DOM): tags dropped, `script`/`style` contents removed, every named entity decoded, block
/// elements separated, whitespace collapsed. Reuses one parser context; not thread-safe, so each
/// parse owns its own extractor.
final class HTMLTextExtractor {
    private var context: htmlParserCtxtPtr?
    private var output: [UInt8] = []
    private var input: [UInt8] = []
    private static let openWrapper = Array("<div>".utf8)
    private static let closeWrapper = Array("</div>".utf8)
    /// Depth inside elements whose content is not visible (`script`, `style`, …).
    private var hiddenDepth = 0
    private var pendingSpace = false
    private var nameCache: [UnsafeRawPointer: ElementRole] = [:]

    fileprivate enum ElementRole {
        case inline, block, hidden, lineBreak, rawText
    }

    init() {
        LibXML2.initialize()
        context = htmlNewParserCtxt()
        if let sax = context?.pointee.sax {
            sax.pointee = htmlSAXHandler()
            sax.pointee.initialized = 0
            sax.pointee.startElement = htmlTextStartElement
            sax.pointee.endElement = htmlTextEndElement
            sax.pointee.characters = htmlTextCharacters
            sax.pointee.cdataBlock = htmlTextCharacters
            sax.pointee.ignorableWhitespace = htmlTextCharacters
            sax.pointee.error = nil
            sax.pointee.warning = nil
        }
    }

    deinit {
        if let context { htmlFreeParserCtxt(context) }
    }

    /// The visible text of an HTML fragment. Entity-escaped markup (`&lt;p&gt;…`, HTML escaped
    /// twice by the feed) is unwrapped once more when the whole fragment turns out to be markup.
    func text(ofHTML html: String) -> String {
        var copy = html
        return copy.withUTF8 { text(ofHTML: $0) }
    }

    /// The visible text of an HTML fragment given as UTF-8 bytes (see ``text(ofHTML:)``).
    func text(ofHTML html: UnsafeBufferPointer<UInt8>) -> String {
        let first = extract(html)
        let doubleEscaped = first.withUnsafeBufferPointer { looksDoubleEscaped(original: html, decoded: $0) }
        let result = doubleEscaped ? first.withUnsafeBufferPointer { extract($0) } : first
        return result.withUnsafeBufferPointer { ByteText.finishText($0) }
    }

    /// `VIGIA_HTML_LIBXML2_ONLY=1` turns the byte-scan fast path off (to compare both readers).
    static let fastPathDisabled: Bool = {
        guard let value = getenv("VIGIA_HTML_LIBXML2_ONLY") else { return false }
        return String(cString: value) == "1"
    }()

    /// The visible text through libxml2 only (no byte-scan fast path), for tests that check the
    /// fast path gives the same result.
    func textThroughLibxml2(ofHTML html: String) -> String {
        var copy = html
        return copy.withUTF8 { bytes in
            extract(bytes, allowFastPath: false).withUnsafeBufferPointer { ByteText.finishText($0) }
        }
    }

    /// Visible text as collapsed UTF-8 bytes.
    private func extract(_ html: UnsafeBufferPointer<UInt8>, allowFastPath: Bool = true) -> [UInt8] {
        let hasTag = ByteText.contains(html, byte: UInt8(ascii: "<")) || !allowFastPath
        let hasReference = ByteText.contains(html, byte: UInt8(ascii: "&"))
        var collapsed: [UInt8] = []
        var pendingSpace = false
        if !hasTag {
            // Plain text with at most some references: no parser needed.
            if hasReference {
                let decoded = HTMLEntities.decodeBytes(html)
                decoded.withUnsafeBufferPointer { TextCleanup.appendCollapsing($0, to: &collapsed, pendingSpace: &pendingSpace) }
            } else {
                collapsed.reserveCapacity(html.count)
                TextCleanup.appendCollapsing(html, to: &collapsed, pendingSpace: &pendingSpace)
            }
            return collapsed
        }
        if allowFastPath, !Self.fastPathDisabled, let simple = Self.simpleExtract(html) { return simple }
        guard let context else {
            TextCleanup.appendCollapsing(html, to: &collapsed, pendingSpace: &pendingSpace)
            return collapsed
        }
        // A wrapping <div> keeps libxml2 from opening an implied <p> around text that sits at
        // the top level of the fragment (which would add spaces inside sentences).
        input.removeAll(keepingCapacity: true)
        input.reserveCapacity(html.count + 16)
        input.append(contentsOf: Self.openWrapper)
        if hasReference {
            Self.appendRewritingNamedReferences(html, to: &input)
        } else {
            input.append(contentsOf: html)
        }
        input.append(contentsOf: Self.closeWrapper)
        output.removeAll(keepingCapacity: true)
        hiddenDepth = 0
        pendingSpace = false
        self.pendingSpace = false
        context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
        input.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                // Parses into our SAX callbacks; no document is built.
                let document = htmlCtxtReadMemory(
                    context, chars.baseAddress, Int32(chars.count), nil, "UTF-8", vigia_html_options())
                if let document { xmlFreeDoc(document) }
            }
        }
        context.pointee._private = nil
        while let last = output.last, last == 0x20 { output.removeLast() }
        return output
    }

    /// The same text libxml2's HTML parser would give, for fragments simple enough to read with a
    /// byte scan: ordinary tags with quoted or plain attributes, comments, and references that end
    /// in `;`. Anything else (script or style elements, a stray `<`, a reference without `;`,
    /// CDATA, processing instructions) returns nil and goes to libxml2. A test runs both readers
    /// over real feeds and requires identical output.
    static func simpleExtract(_ html: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: html.count * 2 + 16)
        defer { storage.deallocate() }
        var writer = CollapsingWriter(base: storage)
        var hiddenDepth = 0
        var index = 0
        let count = html.count
        var runStart = 0
        @inline(__always) func flushRun(until end: Int) {
            if end > runStart, hiddenDepth == 0 {
                writer.write(html, from: runStart, to: end)
            }
        }
        @inline(__always) func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        while index < count {
            let byte = html[index]
            if byte == UInt8(ascii: "<") {
                flushRun(until: index)
                var cursor = index + 1
                guard cursor < count else { return nil }
                if html[cursor] == UInt8(ascii: "!") {
                    // Only comments are simple.
                    guard cursor + 2 < count, html[cursor + 1] == UInt8(ascii: "-"), html[cursor + 2] == UInt8(ascii: "-") else { return nil }
                    cursor += 3
                    var closed = false
                    while cursor + 2 < count {
                        if html[cursor] == UInt8(ascii: "-"), html[cursor + 1] == UInt8(ascii: "-"), html[cursor + 2] == UInt8(ascii: ">") {
                            closed = true
                            break
                        }
                        cursor += 1
                    }
                    guard closed else { return nil }
                    index = cursor + 3
                    runStart = index
                    continue
                }
                let closing = html[cursor] == UInt8(ascii: "/")
                if closing { cursor += 1 }
                let nameStart = cursor
                while cursor < count, HTMLEntities.isNameByte(html[cursor]) { cursor += 1 }
                guard cursor > nameStart, cursor - nameStart <= 16 else { return nil }
                let first = lower(html[nameStart])
                guard first >= 0x61 && first <= 0x7A else { return nil }
                if cursor < count, html[cursor] == UInt8(ascii: ":") { return nil }
                let nameEnd = cursor
                let role = simpleRole(UnsafeBufferPointer(rebasing: html[nameStart..<nameEnd]))
                // Attributes: up to '>' outside quotes; a '<' inside the tag is not simple.
                var quote: UInt8 = 0
                var selfClosing = false
                var previous: UInt8 = 0
                while cursor < count {
                    let current = html[cursor]
                    if quote != 0 {
                        if current == quote { quote = 0 }
                    } else if current == UInt8(ascii: "\"") || current == UInt8(ascii: "'") {
                        // A quote that does not follow '=' is malformed markup: leave it to libxml2.
                        guard previous == UInt8(ascii: "=") else { return nil }
                        quote = current
                    } else if current == UInt8(ascii: ">") {
                        selfClosing = cursor > 0 && html[cursor - 1] == UInt8(ascii: "/")
                        break
                    } else if current == UInt8(ascii: "<") {
                        return nil
                    }
                    if quote == 0 && !ByteText.isASCIISpace(current) { previous = current }
                    cursor += 1
                }
                guard cursor < count else { return nil }
                index = cursor + 1
                runStart = index
                switch role {
                case .block, .lineBreak:
                    writer.pendingSpace = true
                case .rawText:
                    // script/style: their text runs to the matching end tag.
                    guard !closing else { continue }
                    if selfClosing { continue }
                    let nameLength = nameEnd - nameStart
                    var end = index
                    var found = false
                    while end + 1 + nameLength < count {
                        if html[end] == UInt8(ascii: "<"), html[end + 1] == UInt8(ascii: "/") {
                            var matches = true
                            for offset in 0..<nameLength where lower(html[end + 2 + offset]) != lower(html[nameStart + offset]) {
                                matches = false
                                break
                            }
                            if matches { found = true; break }
                        }
                        end += 1
                    }
                    guard found else { return nil }
                    index = end
                    runStart = index
                case .hidden:
                    if selfClosing { continue }
                    hiddenDepth = closing ? max(0, hiddenDepth - 1) : hiddenDepth + 1
                case .inline:
                    break
                }
                continue
            }
            if byte == UInt8(ascii: "&") {
                flushRun(until: index)
                var cursor = index + 1
                while cursor < count, cursor - index < 40, HTMLEntities.isNameByte(html[cursor]) || html[cursor] == UInt8(ascii: "#") { cursor += 1 }
                if cursor < count, html[cursor] == UInt8(ascii: ";"), cursor > index + 1 {
                    let original = UnsafeBufferPointer(rebasing: html[index...cursor])
                    let reference = HTMLEntities.decodeBytes(original)
                    if !reference.elementsEqual(original) {
                        if hiddenDepth == 0 {
                            reference.withUnsafeBufferPointer { writer.write($0) }
                        }
                        index = cursor + 1
                        runStart = index
                        continue
                    }
                }
                // A reference without its semicolon ("&copy 2024", "&#169 "): the libxml2 path
                // reads it the HTML5 way.
                var ignored: [UInt8] = []
                if HTMLEntities.appendReference(html, at: index, to: &ignored) != nil { return nil }
                // Not a reference: the '&' is text.
                runStart = index
                index += 1
                continue
            }
            // Text up to the next '<' or '&', written (or skipped when hidden) in one pass.
            if runStart < index { flushRun(until: index) }
            if hiddenDepth == 0 {
                index = writer.writeRun(html, from: index, to: count)
            } else {
                while index < count, html[index] != UInt8(ascii: "<"), html[index] != UInt8(ascii: "&") { index += 1 }
            }
            runStart = index
        }
        flushRun(until: count)
        return Array(writer.bytes)
    }

    /// How the simple reader treats an element.
    private static func simpleRole(_ name: UnsafeBufferPointer<UInt8>) -> ElementRole {
        guard name.count <= 16 else { return .inline }
        var low: UInt64 = 0
        var high: UInt64 = 0
        for (offset, byte) in name.enumerated() {
            let lowered = UInt64(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            if offset < 8 { low |= lowered << (8 * UInt64(offset)) } else { high |= lowered << (8 * UInt64(offset - 8)) }
        }
        return RoleTable.shared.role(low: low, high: high)
    }

    /// Element names packed into two integers, in an open-addressing table (no hashing of strings).
    private struct RoleTable {
        static let shared = RoleTable()
        private var keys = [SIMD2<UInt64>](repeating: .zero, count: 256)
        private var roles = [ElementRole](repeating: .inline, count: 256)

        private init() {
            func add(_ name: String, _ role: ElementRole) {
                var low: UInt64 = 0
                var high: UInt64 = 0
                for (offset, byte) in name.utf8.enumerated() {
                    if offset < 8 { low |= UInt64(byte) << (8 * UInt64(offset)) } else { high |= UInt64(byte) << (8 * UInt64(offset - 8)) }
                }
                var slot = Self.slot(low: low, high: high)
                while keys[slot] != .zero { slot = (slot + 1) & 255 }
                keys[slot] = SIMD2(low, high)
                roles[slot] = role
            }
            for name in ["p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                         "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "blockquote", "pre", "hr",
                         "section", "article", "header", "footer", "aside", "nav", "main", "figure", "figcaption",
                         "address", "form", "fieldset", "legend", "details", "summary", "body", "html", "center",
                         "option", "iframe", "img", "video", "audio", "object"] {
                add(name, .block)
            }
            add("br", .lineBreak)
            for name in ["script", "style"] { add(name, .rawText) }
            // Like feed readers' sanitizers: only these elements lose their text (a <title> or
            // <template> in content keeps it).
            add("applet", .hidden)
        }

        @inline(__always)
        private static func slot(low: UInt64, high: UInt64) -> Int {
            Int(truncatingIfNeeded: ((low ^ (high &* 31)) &* 0x9E37_79B9_7F4A_7C15) >> 56)
        }

        func role(low: UInt64, high: UInt64) -> ElementRole {
            var slot = Self.slot(low: low, high: high)
            while true {
                let key = keys[slot]
                if key == .zero { return .inline }
                if key[0] == low && key[1] == high { return roles[slot] }
                slot = (slot + 1) & 255
            }
        }
    }

    /// libxml2 knows the HTML 4 entities only, wants the semicolon, and drops malformed numeric
    /// references: copy `html` with every reference rewritten as HTML5 reads it (as
    /// ``HTMLEntities/decodeBytes(_:)`` and the fast path do) into numeric references, and every
    /// `&` that starts no reference escaped, so that both paths give the same text.
    static func appendRewritingNamedReferences(_ html: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var index = 0
        let count = html.count
        var decoded: [UInt8] = []
        while index < count {
            let byte = html[index]
            guard byte == UInt8(ascii: "&") else {
                output.append(byte)
                index += 1
                continue
            }
            decoded.removeAll(keepingCapacity: true)
            if let end = HTMLEntities.appendReference(html, at: index, to: &decoded) {
                for scalar in String(decoding: decoded, as: UTF8.self).unicodeScalars {
                    output.append(contentsOf: Array("&#\(scalar.value);".utf8))
                }
                index = end
            } else {
                output.append(contentsOf: Array("&amp;".utf8))
                index += 1
            }
        }
    }

    /// A fragment whose markup was escaped twice decodes to text that is itself HTML: it starts
    /// with a tag and contains a closing tag or line break.
    private func looksDoubleEscaped(original: UnsafeBufferPointer<UInt8>, decoded: UnsafeBufferPointer<UInt8>) -> Bool {
        guard decoded.first == UInt8(ascii: "<"), ByteText.contains(decoded, byte: UInt8(ascii: ">")) else { return false }
        guard ByteText.contains(original, "&lt;") || ByteText.contains(original, "&#60;") || ByteText.contains(original, "&#x3C;")
            || ByteText.contains(original, "&#x3c;") else { return false }
        for tag: StaticString in ["</p>", "</a>", "<br", "</div>", "</li>", "</span>", "</b>", "</em>", "</strong>", "</i>", "<p>",
                                  "</P>", "<BR", "</A>"] where ByteText.contains(decoded, tag) {
            return true
        }
        return false
    }

    // MARK: - SAX events

    private func role(of name: UnsafePointer<UInt8>) -> ElementRole {
        let key = UnsafeRawPointer(name)
        if let cached = nameCache[key] { return cached }
        let role: ElementRole
        switch String(cString: name).lowercased() {
        case "script", "style", "applet": role = .hidden
        case "br": role = .lineBreak
        case "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
             "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "blockquote", "pre", "hr",
             "section", "article", "header", "footer", "aside", "nav", "main", "figure", "figcaption",
             "address", "form", "fieldset", "legend", "details", "summary", "body", "html", "center",
             "option", "iframe", "img", "video", "audio", "object":
            role = .block
        default:
            role = .inline
        }
        nameCache[key] = role
        return role
    }

    fileprivate func startElement(_ name: UnsafePointer<UInt8>) {
        switch role(of: name) {
        case .hidden, .rawText: hiddenDepth += 1
        case .block, .lineBreak: pendingSpace = true
        case .inline: break
        }
    }

    fileprivate func endElement(_ name: UnsafePointer<UInt8>) {
        switch role(of: name) {
        case .hidden, .rawText: hiddenDepth = max(0, hiddenDepth - 1)
        case .block: pendingSpace = true
        case .lineBreak, .inline: break
        }
    }

    fileprivate func characters(_ text: UnsafeBufferPointer<UInt8>) {
        guard hiddenDepth == 0 else { return }
        TextCleanup.appendCollapsing(text, to: &output, pendingSpace: &pendingSpace)
    }
}

private func extractor(from context: UnsafeMutableRawPointer?) -> HTMLTextExtractor? {
    guard let context else { return nil }
    let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let owner = parser.pointee._private else { return nil }
    return Unmanaged<HTMLTextExtractor>.fromOpaque(owner).takeUnretainedValue()
}

private let htmlTextStartElement: startElementSAXFunc = { context, name, _ in
    guard let name, let extractor = extractor(from: context) else { return }
    extractor.startElement(name)
}

private let htmlTextEndElement: endElementSAXFunc = { context, name in
    guard let name, let extractor = extractor(from: context) else { return }
    extractor.endElement(name)
}

private let htmlTextCharacters: charactersSAXFunc = { context, characters, length in
    guard let characters, length > 0, let extractor = extractor(from: context) else { return }
    extractor.characters(UnsafeBufferPointer(start: characters, count: Int(length)))
}

