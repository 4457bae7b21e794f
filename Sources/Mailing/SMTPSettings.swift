import Foundation

/// Where and how to hand mail to an SMTP server.
///
/// The TLS certificate is always verified (against the system CAs, or `caFile`). The URL's path,
/// if any, is the name libcurl gives in `EHLO` (`smtp://mail.example.com:587/client.example.com`);
/// without one it gives this machine's host name.
public struct SMTPSettings: Sendable, Hashable {
    public enum Security: String, Sendable, CaseIterable {
        /// `smtp://`, then STARTTLS, which is required: a server that does not offer it is an error.
        case starttls
        /// Implicit TLS from the first byte (`smtps://`, usually port 465).
        case tls
        /// No encryption at all; only for a trusted relay on the same machine or network.
        case none
    }

    /// `smtp://mail.example.com:587` or `smtps://mail.example.com:465`; no credentials in it.
    public var url: String
    public var security: Security
    public var username: String?
    /// Sent to the server only; never logged or put into errors.
    public var password: String?
    /// A PEM file of CA certificates to trust for the server (e.g. a company CA); libcurl uses
    /// it instead of its default CA bundle file.
    public var caFile: String?
    /// Seconds to establish the connection (TLS included).
    public var connectTimeout: Int
    /// Seconds for the whole exchange.
    public var timeout: Int

    /// Checks the settings; throws ``MailError/Kind/badSettings`` saying what to change.
    ///
    /// The scheme must be `smtp` or `smtps` and the URL must name a host. `smtps://` means
    /// `.tls` whatever `security` says; `.tls` with `smtp://` switches the URL to `smtps://`.
    /// A password needs a username.
    public init(
        url: String, security: Security = .starttls, username: String? = nil, password: String? = nil,
        caFile: String? = nil, connectTimeout: Int = 15, timeout: Int = 60
    ) throws {
        self.url = url
        self.security = security
        self.username = username
        self.password = password
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self = try validated()
    }

    /// The settings checked again (the properties are mutable) and normalised: trimmed URL,
    /// scheme matching `security`, empty username or password as `nil`.
    func validated() throws -> SMTPSettings {
        var settings = self
        settings.url = url.trimmingCharacters(in: .whitespacesAndNewlines)
        let hasSpaces = settings.url.unicodeScalars.contains { $0.properties.isWhitespace || Self.isControl($0) }
        guard !hasSpaces, let components = URLComponents(string: settings.url),
              let scheme = components.scheme?.lowercased()
        else {
            throw Self.bad(
                "the SMTP url \"\(HeaderText.printable(url))\" is not a valid URL; write it like smtp://mail.example.com:587")
        }
        guard scheme == "smtp" || scheme == "smtps" else {
            throw Self.bad("the SMTP url must start with smtp:// or smtps:// (it starts with \(scheme)://)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw Self.bad("the SMTP url has no server name; write it like smtp://mail.example.com:587")
        }
        guard components.user == nil && components.password == nil else {
            throw Self.bad(
                "the SMTP url must not hold a username or password; set username and password instead")
        }
        guard components.query == nil && components.fragment == nil else {
            throw Self.bad("the SMTP url takes no ?query or #fragment")
        }
        if scheme == "smtps" {
            settings.security = .tls
        } else if settings.security == .tls, let colon = settings.url.firstIndex(of: ":") {
            settings.url = "smtps" + settings.url[colon...]
        }

        if settings.username?.isEmpty == true { settings.username = nil }
        if settings.password?.isEmpty == true { settings.password = nil }
        if settings.password != nil && settings.username == nil {
            throw Self.bad("a password is set but no username; set username too, or remove the password")
        }
        if settings.username?.unicodeScalars.contains(where: Self.isControl) == true {
            throw Self.bad("the username contains a line break or another control character")
        }
        if settings.password?.unicodeScalars.contains(where: Self.isControl) == true {
            throw Self.bad("the password contains a line break or another control character")
        }

        if let caFile = settings.caFile {
            guard !caFile.isEmpty else {
                throw Self.bad("caFile is empty; give the path of a PEM file or remove it")
            }
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw Self.bad(
                    "the CA file \"\(HeaderText.printable(caFile))\" does not exist or cannot be read")
            }
        }
        guard settings.connectTimeout > 0 && settings.timeout > 0 else {
            throw Self.bad("connectTimeout and timeout must be at least 1 second")
        }
        return settings
    }

    /// The server's name, for messages.
    var host: String { URLComponents(string: url)?.host ?? url }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
    }

    private static func bad(_ message: String) -> MailError {
        MailError(.badSettings, message + ".")
    }
}

extension SMTPSettings: CustomStringConvertible, CustomReflectable {
    /// The settings with the password left out, safe to log.
    public var description: String {
        var parts = ["url: \(url)", "security: \(security.rawValue)"]
        if let username { parts.append("username: \(username)") }
        if password != nil { parts.append("password: (set)") }
        if let caFile { parts.append("caFile: \(caFile)") }
        parts += ["connectTimeout: \(connectTimeout)", "timeout: \(timeout)"]
        return "SMTPSettings(\(parts.joined(separator: ", ")))"
    }

    /// Keeps the password out of `dump` and debugger summaries too.
    public var customMirror: Mirror {
        Mirror(self, children: ["description": description])
    }
}
