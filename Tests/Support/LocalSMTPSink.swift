import Foundation

/// Why a `LocalSMTPSink` could not start or be read.
public enum LocalSMTPSinkError: Error, CustomStringConvertible {
    case python3NotFound
    case scriptNotFound(String)
    case certificateGenerationFailed(String)
    case startFailed(String)
    case readFailed(String)

    public var description: String {
        switch self {
        case .python3NotFound: "LocalSMTPSink: python3 is not on PATH"
        case .scriptNotFound(let path): "LocalSMTPSink: smtp_sink.py not found at \(path)"
        case .certificateGenerationFailed(let why): "LocalSMTPSink: openssl could not make a certificate: \(why)"
        case .startFailed(let why): "LocalSMTPSink: the sink did not start: \(why)"
        case .readFailed(let why): "LocalSMTPSink: could not read the received mail: \(why)"
        }
    }
}

/// `Tests/Support/smtp_sink.py` run as a subprocess on 127.0.0.1 and an ephemeral port: an SMTP
/// server that keeps every accepted message for the test to inspect (see ``messages(atLeast:timeout:)``).
public final class LocalSMTPSink: Sendable {
    public enum TLS: Sendable {
        /// Plain SMTP; STARTTLS is not offered.
        case none
        /// Plain SMTP that offers STARTTLS (and AUTH only after it).
        case starttls
        /// TLS from the first byte, as on port 465.
        case implicit
    }

    /// How the sink misbehaves on purpose.
    public enum FailMode: String, Sendable {
        /// Answers the connection with 421 and hangs up.
        case greeting421 = "greeting-421"
        /// Reads the whole message, then answers 451.
        case data451 = "data-451"
        /// Closes the connection after the first line of the message.
        case dropInData = "drop-in-data"
    }

    public let port: Int
    public let tls: TLS
    /// The sink's self-signed certificate (PEM), to use as the client's CA file; `nil` without TLS.
    public let caFile: String?

    /// `smtp://127.0.0.1:PORT`, or `smtps://…` for implicit TLS.
    public var url: String { "\(tls == .implicit ? "smtps" : "smtp")://127.0.0.1:\(port)" }

    private let script: RunningScript
    private let outDirectory: URL

    /// Starts the sink. With `user`, MAIL FROM needs a login with these credentials first;
    /// `rejecting` lists recipients refused with 550.
    public init(
        tls: TLS = .none, user: String? = nil, password: String? = nil, rejecting: [String] = [],
        failMode: FailMode? = nil
    ) throws {
        guard let python = ScriptProcess.python3Path() else { throw LocalSMTPSinkError.python3NotFound }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("smtp_sink.py").path
        guard FileManager.default.fileExists(atPath: script) else { throw LocalSMTPSinkError.scriptNotFound(script) }

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-smtp-sink-\(UUID().uuidString)")
        let out = work.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        do {
            var arguments = [script, "--port", "0", "--out", out.path, "--verbose"]
            var certificate: String?
            if tls != .none {
                let (cert, key): (String, String)
                do { (cert, key) = try ScriptProcess.makeCertificate(in: work) } catch {
                    throw LocalSMTPSinkError.certificateGenerationFailed(error.reason)
                }
                arguments += ["--tls-cert", cert, "--tls-key", key]
                if tls == .implicit { arguments.append("--implicit-tls") }
                certificate = cert
            }
            if let user { arguments += ["--user", user, "--password", password ?? ""] }
            for address in rejecting { arguments += ["--reject-rcpt", address] }
            if let failMode { arguments += ["--fail-mode", failMode.rawValue] }

            do {
                self.script = try ScriptProcess.start(python: python, arguments: arguments, work: work, reaperName: "smtp-sink-reaper")
            } catch let error as ScriptProcess.Failure {
                throw LocalSMTPSinkError.startFailed(error.reason)
            }
            self.port = self.script.port
            self.tls = tls
            self.caFile = certificate
            self.outDirectory = out
        } catch {
            try? FileManager.default.removeItem(at: work)
            throw error
        }
    }

    deinit { stop() }

    /// SIGTERM, then SIGKILL if the sink is still there after 2 s. Idempotent.
    public func stop() {
        script.stop()
    }

    /// The conversation so far as the sink logged it (commands and replies, no message contents),
    /// for failure messages.
    public var transcript: String {
        (try? String(contentsOf: script.stderrPath, encoding: .utf8)) ?? ""
    }

    /// Every message accepted so far, in order, once there are at least `count` of them or
    /// `timeout` seconds have passed (then with what there is). `atLeast: 0` does not wait.
    public func messages(atLeast count: Int = 1, timeout: Double = 10) throws -> [ReceivedMail] {
        let deadline = Date().addingTimeInterval(timeout)
        var numbers = try messageNumbers()
        while numbers.count < count && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            numbers = try messageNumbers()
        }
        return try numbers.map(readMessage)
    }

    private func messageNumbers() throws -> [Int] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: outDirectory.path) } catch {
            throw LocalSMTPSinkError.readFailed("\(error)")
        }
        return names.compactMap { $0.hasSuffix(".json") ? Int($0.dropLast(5)) : nil }.sorted()
    }

    private func readMessage(_ number: Int) throws -> ReceivedMail {
        do {
            let json = try Data(contentsOf: outDirectory.appendingPathComponent("\(number).json"))
            var mail = try JSONDecoder().decode(ReceivedMail.self, from: json)
            mail.raw = try [UInt8](Data(contentsOf: outDirectory.appendingPathComponent("\(number).eml")))
            return mail
        } catch {
            throw LocalSMTPSinkError.readFailed("message \(number): \(error)")
        }
    }
}

/// One message as the sink received it: the SMTP envelope, the raw bytes, and Python's reading of
/// them (`email.policy.default`), which stands for what a mail client would show.
public struct ReceivedMail: Decodable, Sendable {
    public struct Mailbox: Decodable, Sendable, Equatable {
        /// Empty when the address had no display name.
        public let name: String
        public let address: String

        public init(name: String, address: String) {
            self.name = name
            self.address = address
        }
    }

    /// One leaf part of the MIME tree.
    public struct Part: Decodable, Sendable {
        public let contentType: String
        public let charset: String?
        public let transferEncoding: String?
        /// The decoded text (line ends as decoded, i.e. CRLF).
        public let text: String?

        enum CodingKeys: String, CodingKey {
            case contentType = "content_type", charset, transferEncoding = "transfer_encoding", text
        }
    }

    public let number: Int
    public let mailFrom: String
    public let rcptTo: [String]
    /// Whether the message came over TLS (STARTTLS or implicit).
    public let tls: Bool
    public let authUser: String?
    public let subject: String?
    public let from: String?
    public let to: String?
    public let date: String?
    public let dateTimestamp: Double?
    public let messageID: String?
    public let contentType: String?
    public let fromAddresses: [Mailbox]?
    public let toAddresses: [Mailbox]?
    public let parts: [Part]
    /// Everything Python's parser found wrong with the message; empty for a clean one.
    public let defects: [String]
    public let parseError: String?
    /// The message exactly as received (dot-stuffing undone).
    public internal(set) var raw: [UInt8] = []

    /// `raw` as text (it should be ASCII).
    public var rawText: String { String(decoding: raw, as: UTF8.self) }

    enum CodingKeys: String, CodingKey {
        case number, mailFrom = "mail_from", rcptTo = "rcpt_to", tls, authUser = "auth_user", subject, from, to
        case date, dateTimestamp = "date_timestamp", messageID = "message_id", contentType = "content_type"
        case fromAddresses = "from_addresses", toAddresses = "to_addresses", parts, defects
        case parseError = "parse_error"
    }
}
