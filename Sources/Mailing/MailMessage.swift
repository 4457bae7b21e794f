import Foundation

/// One email: a plain-text body and, optionally, an HTML alternative of it.
///
/// ``rendered()`` produces the RFC 5322 bytes: UTF-8 everywhere, non-ASCII headers as RFC 2047
/// encoded words, bodies in quoted-printable, CRLF line ends, no line longer than 78 characters
/// (except a single address too long to fold).
public struct MailMessage: Sendable {
    public var from: MailAddress
    /// Every recipient; all of them appear in the `To` header.
    public var to: [MailAddress]
    /// Any text; line breaks become spaces.
    public var subject: String
    /// The `text/plain` part. Line ends may be LF, CRLF or CR. Without `html`, the message ends
    /// with a line end even when the text does not.
    public var text: String
    /// When set, the message is `multipart/alternative`: the text part first, then this.
    public var html: String?
    public var date: Date
    /// `<unique@domain>`; when `nil`, each rendering makes a random one at the sender's domain.
    public var messageID: String?
    /// Sent by a program, not a person: marked `Auto-Submitted: auto-generated` (RFC 3834) and
    /// `X-Auto-Response-Suppress: All`, so that vacation replies and receipts do not answer it.
    public var isAutomatic: Bool

    public init(
        from: MailAddress, to: [MailAddress], subject: String, text: String, html: String? = nil,
        date: Date = Date(), messageID: String? = nil, isAutomatic: Bool = false
    ) {
        self.isAutomatic = isAutomatic
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        self.messageID = messageID
    }

    /// The message as sent, headers and body. Throws ``MailError/Kind/badAddress`` when there is
    /// no recipient, an address is invalid, or `messageID` is malformed.
    public func rendered() throws -> [UInt8] {
        try envelope().content
    }

    /// The rendered message with the SMTP sender and the recipients, each recipient once.
    func envelope() throws -> Envelope {
        guard !to.isEmpty else {
            throw MailError(.badAddress, "the message has no recipient: add at least one address to `to`.")
        }
        let from = try from.validated()
        let recipients = try to.map { try $0.validated() }
        let messageID = try messageID.map(Self.checkedMessageID) ?? "<\(randomHex(bytes: 16))@\(from.domain)>"

        var head = "Date: \(MailDate.rfc5322(date))\r\n"
        head += HeaderText.addressField("From", [from])
        head += HeaderText.addressField("To", recipients)
        head += HeaderText.unstructuredField("Subject", subject)
        head += "Message-ID: \(messageID)\r\n"
        if isAutomatic { head += "Auto-Submitted: auto-generated\r\nX-Auto-Response-Suppress: All\r\n" }
        head += "MIME-Version: 1.0\r\n"

        let textPart = QuotedPrintable.encode(Array(text.utf8))
        var content: [UInt8]
        if let html {
            // Quoted-printable never puts `_` after `=`, so this cannot occur inside a part.
            let boundary = "=_vigia_\(randomHex(bytes: 12))"
            head += "Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"\r\n\r\n"
            content = Array(head.utf8)
            content += Array("--\(boundary)\r\n\(Self.leafHeaders("text/plain"))\r\n".utf8) + textPart
            content += Array("\r\n--\(boundary)\r\n\(Self.leafHeaders("text/html"))\r\n".utf8)
            content += QuotedPrintable.encode(Array(html.utf8))
            content += Array("\r\n--\(boundary)--\r\n".utf8)
        } else {
            content = Array((head + Self.leafHeaders("text/plain") + "\r\n").utf8) + textPart
            if !content.isEmpty && content.last != UInt8(ascii: "\n") { content += Array("\r\n".utf8) }
        }

        var seen = Set<String>()
        let envelopeRecipients = recipients.map(\.address).filter { seen.insert($0.lowercased()).inserted }
        return Envelope(sender: from.address, recipients: envelopeRecipients, content: content)
    }

    private static func leafHeaders(_ type: String) -> String {
        "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
    }

    /// `<left@right>` from `left@right` or `<left@right>`: printable ASCII, no spaces or brackets.
    static func checkedMessageID(_ text: String) throws -> String {
        var inner = Substring(text.trimmingCharacters(in: .whitespaces))
        if inner.hasPrefix("<") && inner.hasSuffix(">") { inner = inner.dropFirst().dropLast() }
        let bytes = inner.utf8
        let at = bytes.firstIndex(of: UInt8(ascii: "@"))
        let isAllowed: (UInt8) -> Bool = {
            $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">")
        }
        guard (3...250).contains(bytes.count), bytes.allSatisfy(isAllowed),
              let at, at != bytes.startIndex, bytes.index(after: at) != bytes.endIndex
        else {
            throw MailError(
                .badAddress,
                "the message ID \"\(HeaderText.printable(text))\" must look like <unique@example.com> "
                    + "(ASCII, no spaces); leave it unset to have one generated.")
        }
        return "<\(inner)>"
    }
}

/// What the SMTP transaction needs: `MAIL FROM`, the `RCPT TO` list and the `DATA`.
struct Envelope: Sendable {
    var sender: String
    var recipients: [String]
    var content: [UInt8]
}

/// `bytes` random bytes as lowercase hexadecimal.
func randomHex(bytes: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    let digits = Array("0123456789abcdef")
    return String((0..<bytes).flatMap { _ -> [Character] in
        let byte = UInt8.random(in: 0...255, using: &generator)
        return [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
    })
}
