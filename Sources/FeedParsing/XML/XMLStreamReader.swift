internal import CLibXML2
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The qualified name of an element as libxml2 reports it. The pointers are interned in the
/// parser's dictionary, so they are stable for the whole parse and can key caches.
struct XMLName {
    let localName: UnsafePointer<UInt8>
    let namespaceURI: UnsafePointer<UInt8>?
    /// The prefix as written (`content` in `content:encoded`), even when it was never declared.
    let prefix: UnsafePointer<UInt8>?

    var localNameString: String { String(cString: localName) }
    var namespaceString: String? { namespaceURI.map { String(cString: $0) } }
    var prefixString: String? { prefix.map { String(cString: $0) } }
}

/// The attributes of a start tag; valid only during the callback that received them.
struct XMLAttributes {
    fileprivate let count: Int
    fileprivate let raw: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    fileprivate let reader: XMLStreamReader

    var isEmpty: Bool { count == 0 }

    /// The decoded value of the attribute with this local name (any namespace when `namespace` is
    /// nil, no namespace when it is the empty string).
    func value(_ localName: StaticString, namespace: String? = nil) -> String? {
        guard let raw, count > 0 else { return nil }
        for index in 0..<count {
            let base = index * 5
            guard let name = raw[base] else { continue }
            guard Self.equals(name, localName) else { continue }
            if let namespace {
                let uri = raw[base + 2].map { String(cString: $0) } ?? ""
                guard uri == namespace else { continue }
            }
            guard let start = raw[base + 3], let end = raw[base + 4] else { return "" }
            return reader.decodeAttributeValue(start: start, end: end)
        }
        return nil
    }

    /// Calls `body` with the decoded UTF-8 bytes of the attribute with this local name (any
    /// namespace); nil when there is no such attribute.
    func withValue<R>(_ localName: StaticString, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard let raw, count > 0 else { return nil }
        for index in 0..<count {
            let base = index * 5
            guard let name = raw[base], Self.equals(name, localName) else { continue }
            guard let start = raw[base + 3], let end = raw[base + 4], end > start else {
                return body(UnsafeBufferPointer(start: nil, count: 0))
            }
            return reader.withDecodedAttributeValue(start: start, end: end, body)
        }
        return nil
    }

    /// Every attribute as (local name, namespace URI, decoded value), for serialising markup.
    func all() -> [(name: String, namespace: String?, value: String)] {
        guard let raw, count > 0 else { return [] }
        var result: [(String, String?, String)] = []
        for index in 0..<count {
            let base = index * 5
            guard let name = raw[base] else { continue }
            var qualified = String(cString: name)
            if let prefix = raw[base + 1] { qualified = String(cString: prefix) + ":" + qualified }
            let value: String
            if let start = raw[base + 3], let end = raw[base + 4] {
                value = reader.decodeAttributeValue(start: start, end: end)
            } else {
                value = ""
            }
            result.append((qualified, raw[base + 2].map { String(cString: $0) }, value))
        }
        return result
    }

    /// Compares a C string with an ASCII name, ignoring case (feed readers read `isPermaLink`,
    /// `ispermalink` and `ISPERMALINK` alike).
    private static func equals(_ cString: UnsafePointer<UInt8>, _ name: StaticString) -> Bool {
        let length = name.utf8CodeUnitCount
        return name.withUTF8Buffer { expected in
            for offset in 0..<length {
                let byte = cString[offset]
                guard byte != 0, byte | 0x20 == expected[offset] | 0x20 else { return false }
            }
            return cString[length] == 0
        }
    }
}

/// Receives the events of a streaming XML parse.
protocol XMLEventHandler: AnyObject {
    func startElement(_ name: XMLName, attributes: XMLAttributes)
    func endElement(_ name: XMLName)
    func characters(_ text: UnsafeBufferPointer<UInt8>)
}

/// A problem libxml2 reported, kept for `bozo` reasons and error messages.
struct XMLDiagnostic: Sendable, Hashable {
    var line: Int
    var message: String
}

/// A streaming (SAX2 push) XML parser over libxml2: no DOM is built, so memory stays flat however
/// large the document. Safe defaults: recovery on, no network, no external entities, no DTD
/// loading; libxml2's own entity-amplification limits stay on. HTML named entities that a feed
/// uses without declaring them are resolved (and reported) instead of being dropped.
final class XMLStreamReader {
    /// How the bytes are encoded.
    enum InputEncoding {
        /// The bytes are UTF-8 (transcoded by us); ignore the document's declaration.
        case utf8
        /// Let libxml2 convert from this encoding (one it supports through iconv).
        case named(String)
    }

    private var context: xmlParserCtxtPtr?
    // The document reader owns both the handler and this parser, so the handler outlives every
    // callback; unowned(unsafe) spares a reference-count round trip per SAX event.
    private unowned(unsafe) let handler: any XMLEventHandler
    private let documentName: String
    private(set) var diagnostics: [XMLDiagnostic] = []
    private(set) var diagnosticCount = 0
    /// HTML entity names the document used without declaring them.
    private(set) var undeclaredEntities: Set<String> = []
    /// External entities the document declared; they are never loaded, but kept as the text of
    /// their reference (`&name;`), as feed readers do.
    private var externalEntities: Set<String> = []
    /// External entities the document referenced (the document is bozo then).
    private(set) var referencedExternalEntities: Set<String> = []
    /// Whether any element has been reported: a document with none is not XML at all.
    private(set) var sawElement = false
    private(set) var stoppedEarly = false

    init(documentName: String, encoding: InputEncoding, handler: any XMLEventHandler) throws {
        LibXML2.initialize()
        self.handler = handler
        self.documentName = documentName
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startDocument = xmlSAX2StartDocument
        sax.internalSubset = xmlSAX2InternalSubset
        sax.entityDecl = xmlStreamEntityDecl
        sax.getEntity = xmlStreamGetEntity
        sax.getParameterEntity = xmlSAX2GetParameterEntity
        sax.startElementNs = xmlStreamStartElement
        sax.endElementNs = xmlStreamEndElement
        sax.characters = xmlStreamCharacters
        sax.cdataBlock = xmlStreamCharacters
        sax.serror = xmlStreamStructuredError
        let created: xmlParserCtxtPtr? = documentName.withCString { name in
            xmlCreatePushParserCtxt(&sax, nil, nil, 0, name)
        }
        guard let created else {
            throw FeedParsingError(.unreadable, document: documentName, message: "libxml2 could not create a parser (out of memory?)")
        }
        context = created
        var options = vigia_xml_options(1)
        switch encoding {
        case .utf8:
            options |= Int32(XML_PARSE_IGNORE_ENC.rawValue)
            xmlSwitchEncoding(created, XML_CHAR_ENCODING_UTF8)
        case .named(let name):
            if let encodingHandler = xmlFindCharEncodingHandler(name) {
                xmlSwitchToEncoding(created, encodingHandler)
                options |= Int32(XML_PARSE_IGNORE_ENC.rawValue)
            }
        }
        xmlCtxtUseOptions(created, options)
        created.pointee._private = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        if let context {
            if let document = context.pointee.myDoc {
                xmlFreeDoc(document)
                context.pointee.myDoc = nil
            }
            xmlFreeParserCtxt(context)
        }
    }

    /// The line the parser has reached.
    var currentLine: Int { Int(vigia_xml_ctxt_line(context)) }

    /// False once libxml2 found the document not well-formed (even if it recovered), including
    /// namespace errors such as a prefix used without being declared.
    var isWellFormed: Bool {
        vigia_xml_ctxt_well_formed(context) != 0 && (context?.pointee.nsWellFormed ?? 0) != 0
    }

    /// Parses the next chunk of the document; pass `isLast` with the final chunk.
    func parse(_ chunk: UnsafeRawBufferPointer, isLast: Bool) {
        guard let context, !stoppedEarly else { return }
        var offset = 0
        // xmlParseChunk takes an Int32 size: feed big buffers in slices.
        let slice = 1 << 24
        repeat {
            let length = min(slice, chunk.count - offset)
            let last = isLast && offset + length == chunk.count
            let base = chunk.baseAddress.map { $0.advanced(by: offset).assumingMemoryBound(to: CChar.self) }
            _ = xmlParseChunk(context, base, Int32(length), last ? 1 : 0)
            offset += length
        } while offset < chunk.count && !stoppedEarly
    }

    /// Stops the parse as soon as possible (a size cap was reached).
    func stop() {
        stoppedEarly = true
        vigia_xml_ctxt_stop(context)
    }

    // MARK: - Called from the C callbacks

    fileprivate func didStartElement(
        localName: UnsafePointer<UInt8>, prefix: UnsafePointer<UInt8>?, uri: UnsafePointer<UInt8>?,
        attributeCount: Int, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        sawElement = true
        handler.startElement(
            XMLName(localName: localName, namespaceURI: uri, prefix: prefix),
            attributes: XMLAttributes(count: attributeCount, raw: attributes, reader: self))
    }

    fileprivate func didEndElement(localName: UnsafePointer<UInt8>, prefix: UnsafePointer<UInt8>?, uri: UnsafePointer<UInt8>?) {
        handler.endElement(XMLName(localName: localName, namespaceURI: uri, prefix: prefix))
    }

    fileprivate func didReadCharacters(_ text: UnsafeBufferPointer<UInt8>) {
        handler.characters(text)
    }

    fileprivate func didReport(line: Int, message: String) {
        diagnosticCount += 1
        if diagnostics.count < 20 {
            diagnostics.append(XMLDiagnostic(line: line, message: message))
        }
    }

    /// Returns an entity for an HTML named entity the document did not declare, adding it to the
    /// document's internal subset so that libxml2 frees it with the document.
    fileprivate func undeclaredEntity(named name: String) -> xmlEntityPtr? {
        guard let context, let document = context.pointee.myDoc else { return nil }
        // An unknown name is kept as the literal text "&name;".
        let replacement = HTMLEntities.characterReference(forName: name) ?? "&#38;\(name);"
        if document.pointee.intSubset == nil {
            _ = xmlCreateIntSubset(document, "html", nil, nil)
        }
        undeclaredEntities.insert(name)
        return xmlAddDocEntity(document, name, Int32(XML_INTERNAL_GENERAL_ENTITY.rawValue), nil, nil, replacement)
    }

    /// Declares an external entity as an internal one whose text is its own reference, so that
    /// nothing is loaded and nothing silently disappears.
    fileprivate func declareExternalEntity(
        context: UnsafeMutableRawPointer?, name: UnsafePointer<xmlChar>
    ) {
        let text = String(cString: name)
        externalEntities.insert(text)
        var literal = Array("&#38;\(text);".utf8CString).map { xmlChar(bitPattern: $0) }
        literal.withUnsafeMutableBufferPointer { buffer in
            xmlSAX2EntityDecl(context, name, Int32(XML_INTERNAL_GENERAL_ENTITY.rawValue), nil, nil, buffer.baseAddress)
        }
    }

    /// Notes a reference to an entity the document declared.
    fileprivate func didReferenceDeclaredEntity(named name: UnsafePointer<xmlChar>) {
        guard !externalEntities.isEmpty else { return }
        let text = String(cString: name)
        if externalEntities.contains(text) { referencedExternalEntities.insert(text) }
    }

    /// Calls `body` with an attribute value's bytes, references decoded.
    fileprivate func withDecodedAttributeValue<R>(
        start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R
    ) -> R {
        let buffer = UnsafeBufferPointer(start: start, count: end - start)
        guard ByteText.contains(buffer, byte: UInt8(ascii: "&")), let context,
              let decoded = xmlStringLenDecodeEntities(context, start, Int32(buffer.count), Int32(XML_SUBSTITUTE_REF), 0, 0, 0) else {
            return body(buffer)
        }
        defer { vigia_xml_free(decoded) }
        return body(UnsafeBufferPointer(start: decoded, count: strlen(decoded)))
    }

    /// Decodes character and entity references left in an attribute value.
    fileprivate func decodeAttributeValue(start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> String {
        let length = end - start
        guard length > 0 else { return "" }
        let buffer = UnsafeBufferPointer(start: start, count: length)
        guard buffer.contains(UInt8(ascii: "&")), let context else {
            return String(decoding: buffer, as: UTF8.self)
        }
        guard let decoded = xmlStringLenDecodeEntities(context, start, Int32(length), Int32(XML_SUBSTITUTE_REF), 0, 0, 0) else {
            return String(decoding: buffer, as: UTF8.self)
        }
        defer { vigia_xml_free(decoded) }
        return String(cString: decoded)
    }
}

// MARK: - libxml2 callbacks (C function pointers)

private func reader(from context: UnsafeMutableRawPointer?) -> XMLStreamReader? {
    guard let context else { return nil }
    let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let owner = parser.pointee._private else { return nil }
    return Unmanaged<XMLStreamReader>.fromOpaque(owner).takeUnretainedValue()
}

private let xmlStreamStartElement: startElementNsSAX2Func = {
    context, localName, prefix, uri, _, _, attributeCount, _, attributes in
    guard let localName, let reader = reader(from: context) else { return }
    reader.didStartElement(
        localName: localName, prefix: prefix, uri: uri, attributeCount: Int(attributeCount), attributes: attributes)
}

private let xmlStreamEndElement: endElementNsSAX2Func = { context, localName, prefix, uri in
    guard let localName, let reader = reader(from: context) else { return }
    reader.didEndElement(localName: localName, prefix: prefix, uri: uri)
}

private let xmlStreamCharacters: charactersSAXFunc = { context, characters, length in
    guard let characters, length > 0, let reader = reader(from: context) else { return }
    reader.didReadCharacters(UnsafeBufferPointer(start: characters, count: Int(length)))
}

private let xmlStreamEntityDecl: entityDeclSAXFunc = { context, name, type, publicID, systemID, content in
    let external = type == Int32(XML_EXTERNAL_GENERAL_PARSED_ENTITY.rawValue)
        || type == Int32(XML_EXTERNAL_GENERAL_UNPARSED_ENTITY.rawValue)
    guard external, let name, let reader = reader(from: context) else {
        xmlSAX2EntityDecl(context, name, type, publicID, systemID, content)
        return
    }
    reader.declareExternalEntity(context: context, name: name)
}

private let xmlStreamGetEntity: getEntitySAXFunc = { context, name in
    guard let context, let name else { return nil }
    if let declared = xmlSAX2GetEntity(context, name) {
        reader(from: context)?.didReferenceDeclaredEntity(named: name)
        return declared
    }
    let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
    guard parser.pointee.inSubset == 0, let reader = reader(from: context) else { return nil }
    return reader.undeclaredEntity(named: String(cString: name))
}

private let xmlStreamStructuredError: xmlStructuredErrorFunc = { userData, error in
    guard let error else { return }
    // userData is the parser context for SAX2 push parsers.
    guard let reader = reader(from: error.pointee.ctxt ?? userData) else { return }
    var message = error.pointee.message.map { String(cString: $0) } ?? "XML error"
    while message.last == "\n" { message.removeLast() }
    reader.didReport(line: Int(error.pointee.line), message: message)
}

/// Which character encodings libxml2 (through iconv) can convert.
enum XMLEncodingSupport {
    static func isSupported(_ name: String) -> Bool {
        LibXML2.initialize()
        guard let handler = xmlFindCharEncodingHandler(name) else { return false }
        xmlCharEncCloseFunc(handler)
        return true
    }
}
