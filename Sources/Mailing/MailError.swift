/// Why a message could not be built or sent.
///
/// `message` is written for the person running Vigía: it says what went wrong and what to try.
/// It never contains the SMTP password.
public struct MailError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// An address (or the recipient list) is malformed.
        case badAddress
        /// The SMTP settings cannot work (URL, security, credentials, timeouts, CA file).
        case badSettings
        /// The server could not be reached, or the connection broke.
        case connection
        /// TLS failed: no STARTTLS, an untrusted certificate, a failed handshake.
        case tls
        /// The server refused the username and password, or requires a login.
        case authentication
        /// The server refused the sender, a recipient or the message (see `smtpCode`).
        case rejected
        /// The server did not answer in time.
        case timeout
        /// The server answered something unexpected, or libcurl failed in another way.
        case protocolError
    }

    public var kind: Kind
    /// What went wrong and what to do, in plain words.
    public var message: String
    /// The server's last SMTP reply code, when one is known (e.g. 550 for a refused recipient;
    /// after a TLS or connection failure it may be the last positive reply, such as 250).
    public var smtpCode: Int?

    public init(_ kind: Kind, _ message: String, smtpCode: Int? = nil) {
        self.kind = kind
        self.message = message
        self.smtpCode = smtpCode
    }

    public var description: String {
        if let smtpCode, smtpCode >= 400 { return "mail \(kind.rawValue) (SMTP \(smtpCode)): \(message)" }
        return "mail \(kind.rawValue): \(message)"
    }
}
