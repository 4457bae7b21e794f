internal import CLibXML2

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

    private enum ElementRole {
        case inline, block, hidden, lineBreak
    }

    init() {
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
        let first = extract(html)
        if looksDoubleEscaped(original: html, decoded: first) {
            return extract(first)
        }
        return first
    }

    private func extract(_ html: String) -> String {
        var html = html
        let hasTag = html.utf8.contains(UInt8(ascii: "<"))
        let hasReference = html.utf8.contains(UInt8(ascii: "&"))
        if !hasTag {
            // Plain text with at most some references: no parser needed.
            let decoded = hasReference ? HTMLEntities.decode(Substring(html)) : html
            return TextCleanup.collapsingWhitespace(decoded)
        }
        if hasReference { html = Self.numericReferencesForNamedOnes(html) }
        output.removeAll(keepingCapacity: true)
        hiddenDepth = 0
        pendingSpace = false
        guard let context else { return TextCleanup.collapsingWhitespace(html) }
        context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
        // A wrapping <div> keeps libxml2 from opening an implied <p> around text that sits at
        // the top level of the fragment (which would add spaces inside sentences).
        input.removeAll(keepingCapacity: true)
        input.append(contentsOf: Self.openWrapper)
        input.append(contentsOf: html.utf8)
        input.append(contentsOf: Self.closeWrapper)
        input.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                // Parses into our SAX callbacks; no document is built.
                let document = htmlCtxtReadMemory(
                    context, chars.baseAddress, Int32(chars.count), nil, "UTF-8", vigia_html_options())
                if let document { xmlFreeDoc(document) }
            }
        }
        context.pointee._private = nil
        // The callbacks collapsed whitespace already; drop the trailing separator.
        while let last = output.last, last == 0x20 { output.removeLast() }
        return String(decoding: output, as: UTF8.self)
    }

    /// libxml2 knows the HTML 4 entities only: rewrite every other named reference as numeric
    /// references so that the parser decodes them (leaving the markup-significant ones alone).
    static func numericReferencesForNamedOnes(_ html: String) -> String {
        var result = ""
        result.reserveCapacity(html.utf8.count)
        var rest = Substring(html)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let afterAmpersand = rest.index(after: ampersand)
            var end = afterAmpersand
            while end < rest.endIndex, rest[end].isASCII, rest[end].isLetter || rest[end].isNumber { end = rest.index(after: end) }
            let name = rest[afterAmpersand..<end]
            if end < rest.endIndex, rest[end] == ";", !name.isEmpty,
               !["lt", "gt", "amp", "quot", "apos"].contains(name),
               let reference = HTMLEntities.characterReference(forName: String(name)) {
                result += reference
                rest = rest[rest.index(after: end)...]
            } else {
                result += "&"
                rest = rest[afterAmpersand...]
            }
        }
        result += rest
        return result
    }

    /// A fragment whose markup was escaped twice decodes to text that is itself HTML: it starts
    /// with a tag and contains a closing tag or line break.
    private func looksDoubleEscaped(original: String, decoded: String) -> Bool {
        guard original.contains("&lt;") || original.contains("&#60;") || original.contains("&#x3C;") else { return false }
        guard decoded.hasPrefix("<"), decoded.contains(">") else { return false }
        let lower = decoded.lowercased()
        return lower.contains("</p>") || lower.contains("</a>") || lower.contains("<br") || lower.contains("</div>")
            || lower.contains("</li>") || lower.contains("</span>") || lower.contains("</b>") || lower.contains("</em>")
            || lower.contains("</strong>") || lower.contains("</i>") || lower.contains("<p>")
    }

    // MARK: - SAX events

    private func role(of name: UnsafePointer<UInt8>) -> ElementRole {
        let key = UnsafeRawPointer(name)
        if let cached = nameCache[key] { return cached }
        let role: ElementRole
        switch String(cString: name).lowercased() {
        case "script", "style", "applet", "template", "head", "title": role = .hidden
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
        case .hidden: hiddenDepth += 1
        case .block, .lineBreak: pendingSpace = true
        case .inline: break
        }
    }

    fileprivate func endElement(_ name: UnsafePointer<UInt8>) {
        switch role(of: name) {
        case .hidden: hiddenDepth = max(0, hiddenDepth - 1)
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
