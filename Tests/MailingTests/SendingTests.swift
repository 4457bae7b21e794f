import Foundation
import TestSupport
import Testing

@testable import Mailing

#if canImport(Glibc)
import Glibc
#endif

/// Sending through libcurl to `smtp_sink.py` on 127.0.0.1.
@Suite struct SendingTests {
    static let longLine = String(repeating: "0123456789abcdefghijklmnopqrstuvwxyzñ ", count: 53).prefix(2000)
    static let text = """
        Hola, este es el resumen diario de Vigía.
        Menciones: 42 — sentimento medio −0,3; perché così? Ça va: àèìòù ÀÉÍÓÚ ñ ü ß.
        Emoji: 😀 👍🏽 👨‍👩‍👧 🇪🇸🇮🇹
        .una línea que empieza con un punto
        ..dos puntos
        .
        a=b, =3D y espacios al final   
        tabulador al final\t
        \(longLine)
        fin sin salto de línea
        """
    static let html = """
        <!doctype html>
        <html><body><h1>Resumen de <b>Vigía</b> — ¿qué pasó? 😀</h1>
        <p>.punto</p>
        .
        <p>\(longLine)</p>
        </body></html>

        """
    static let subject = "Resumen diario de Vigía — ¿qué pasó? 😀 "
        + "menciones de la marca Ñandú en foros, noticias y redes: perché no? ¡Ánimo!"
    static let date = Date(timeIntervalSince1970: 1_795_334_400)

    static func message(
        html: String? = Self.html, to: [String] = ["Ana Pérez <ana@example.com>"]
    ) throws -> MailMessage {
        MailMessage(
            from: try MailAddress(name: "Vigía Resúmenes", address: "digest@vigia.example"),
            to: try to.map { try MailAddress(parsing: $0) },
            subject: subject, text: text, html: html, date: date)
    }

    static func settings(
        _ sink: LocalSMTPSink, security: SMTPSettings.Security, username: String? = nil, password: String? = nil,
        trust: Bool = true, timeout: Int = 20
    ) throws -> SMTPSettings {
        try SMTPSettings(
            url: sink.url, security: security, username: username, password: password,
            caFile: trust ? sink.caFile : nil, connectTimeout: 5, timeout: timeout)
    }

    /// The error `send` threw, with the sink's transcript when it did not throw one.
    static func sendError(
        _ message: MailMessage, _ settings: SMTPSettings, _ sink: LocalSMTPSink?
    ) async -> MailError? {
        do {
            try await MailSender(settings: settings).send(message)
            Issue.record("sending succeeded; transcript:\n\(sink?.transcript ?? "")")
            return nil
        } catch let error as MailError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    /// The error of sending the usual message to `sink`, trusting its certificate unless told not to.
    static func sendError(to sink: LocalSMTPSink, security: SMTPSettings.Security, trust: Bool = true) async throws
        -> MailError?
    {
        await sendError(try message(), try settings(sink, security: security, trust: trust), sink)
    }

    @Test func startTLSWithLoginDeliversEveryCharacter() async throws {
        let sink = try LocalSMTPSink(tls: .starttls, user: "vigia", password: "pa:ss wörd")
        let settings = try Self.settings(sink, security: .starttls, username: "vigia", password: "pa:ss wörd")
        try await MailSender(settings: settings).send(try Self.message(to: [
            "Ana Pérez <ana@example.com>", "\"Rossi, Niccolò\" <niccolo@example.it>",
        ]))

        let mails = try sink.messages(atLeast: 1)
        try #require(mails.count == 1, "transcript:\n\(sink.transcript)")
        let mail = mails[0]
        #expect(mail.parseError == nil)
        #expect(mail.defects == [])
        #expect(mail.tls)
        #expect(mail.authUser == "vigia")
        #expect(mail.mailFrom == "digest@vigia.example")
        #expect(mail.rcptTo == ["ana@example.com", "niccolo@example.it"])

        #expect(mail.subject == Self.subject)
        #expect(mail.fromAddresses == [.init(name: "Vigía Resúmenes", address: "digest@vigia.example")])
        #expect(mail.toAddresses == [
            .init(name: "Ana Pérez", address: "ana@example.com"),
            .init(name: "Rossi, Niccolò", address: "niccolo@example.it"),
        ])
        #expect(mail.dateTimestamp == Self.date.timeIntervalSince1970)
        #expect(mail.date == "Sun, 22 Nov 2026 08:00:00 +0000")
        #expect(mail.messageID?.wholeMatch(of: #/<[0-9a-f]{32}@vigia\.example>/#) != nil)

        #expect(mail.contentType == "multipart/alternative")
        try #require(mail.parts.count == 2)
        #expect(mail.parts.map(\.contentType) == ["text/plain", "text/html"])
        #expect(mail.parts.map(\.charset) == ["utf-8", "utf-8"])
        #expect(mail.parts.map(\.transferEncoding) == ["quoted-printable", "quoted-printable"])
        #expect(mail.parts[0].text.map(unixLines) == Self.text)
        #expect(mail.parts[1].text.map(unixLines) == Self.html)

        // On the wire: CRLF only, ASCII only, short lines, encoded words, the dot lines intact.
        #expect(hasOnlyCRLF(mail.raw))
        #expect(mail.raw.allSatisfy { $0 < 0x80 })
        let lines = crlfLines(mail.raw)
        #expect(lines.allSatisfy { $0.count <= 78 })
        let header = try RenderedMessage(mail.raw)
        #expect(header.headerLines.allSatisfy { $0.utf8.count <= 78 })
        #expect(header.field("Subject")?.contains("=?UTF-8?B?") == true)
        #expect(header.field("From")?.contains("=?UTF-8?B?") == true)
        #expect(lines.contains { $0.elementsEqual(".".utf8) })
        #expect(lines.contains { $0.starts(with: ".una l".utf8) })
    }

    @Test func implicitTLSDelivers() async throws {
        let sink = try LocalSMTPSink(tls: .implicit, user: "vigia", password: "secret")
        let settings = try Self.settings(sink, security: .tls, username: "vigia", password: "secret")
        #expect(settings.url.hasPrefix("smtps://"))
        try await MailSender(settings: settings).send(try Self.message(html: nil))
        let mails = try sink.messages(atLeast: 1)
        try #require(mails.count == 1, "transcript:\n\(sink.transcript)")
        #expect(mails[0].tls)
        #expect(mails[0].authUser == "vigia")
        #expect(mails[0].contentType == "text/plain")
        // A single part gains the final line end a message needs.
        #expect(mails[0].parts.first?.text.map(unixLines) == Self.text + "\n")
    }

    @Test func plainSMTPToALocalRelayDelivers() async throws {
        let sink = try LocalSMTPSink(tls: .none)
        try await MailSender(settings: try Self.settings(sink, security: .none)).send(try Self.message())
        let mails = try sink.messages(atLeast: 1)
        try #require(mails.count == 1, "transcript:\n\(sink.transcript)")
        #expect(!mails[0].tls)
        #expect(mails[0].authUser == nil)
        #expect(mails[0].parts.count == 2)
    }

    @Test func requiredSTARTTLSThatIsNotOfferedFailsAndSendsNothing() async throws {
        let sink = try LocalSMTPSink(tls: .none)
        let error = try #require(await Self.sendError(to: sink, security: .starttls))
        #expect(error.kind == .tls)
        #expect(error.message.contains("STARTTLS"))
        #expect(try sink.messages(atLeast: 0).isEmpty)
        #expect(!sink.transcript.contains("MAIL FROM"))
    }

    @Test func anUntrustedCertificateFails() async throws {
        let sink = try LocalSMTPSink(tls: .starttls)
        let error = try #require(await Self.sendError(to: sink, security: .starttls, trust: false))
        #expect(error.kind == .tls)
        #expect(error.message.contains("caFile"))
        #expect(try sink.messages(atLeast: 0).isEmpty)
    }

    @Test func anUntrustedCertificateFailsWithImplicitTLSToo() async throws {
        let sink = try LocalSMTPSink(tls: .implicit)
        let error = try #require(await Self.sendError(to: sink, security: .tls, trust: false))
        #expect(error.kind == .tls)
    }

    @Test func implicitTLSToAStartTLSPortIsATLSError() async throws {
        let sink = try LocalSMTPSink(tls: .starttls)
        let settings = try SMTPSettings(
            url: "smtps://127.0.0.1:\(sink.port)", caFile: sink.caFile, connectTimeout: 5, timeout: 20)
        let error = try #require(await Self.sendError(try Self.message(), settings, sink))
        #expect(error.kind == .tls)
        #expect(error.message.contains("starttls"))
    }

    @Test func aWrongPasswordIsAnAuthenticationError() async throws {
        let sink = try LocalSMTPSink(tls: .starttls, user: "vigia", password: "right")
        let settings = try Self.settings(sink, security: .starttls, username: "vigia", password: "wrong-password")
        let error = try #require(await Self.sendError(try Self.message(), settings, sink))
        #expect(error.kind == .authentication)
        #expect(error.smtpCode == 535)
        #expect(!error.message.contains("wrong-password") && !error.description.contains("wrong-password"))
        #expect(try sink.messages(atLeast: 0).isEmpty)
    }

    @Test func aMissingLoginIsAnAuthenticationError() async throws {
        let sink = try LocalSMTPSink(tls: .starttls, user: "vigia", password: "right")
        let error = try #require(await Self.sendError(to: sink, security: .starttls))
        #expect(error.kind == .authentication)
        #expect(error.smtpCode == 530)
    }

    @Test func aRejectedRecipientIsRejectedWithItsCode() async throws {
        let sink = try LocalSMTPSink(tls: .none, rejecting: ["nobody@example.com"])
        let settings = try Self.settings(sink, security: .none)
        let error = try #require(await Self.sendError(try Self.message(to: ["nobody@example.com"]), settings, sink))
        #expect(error.kind == .rejected)
        #expect(error.smtpCode == 550)
        #expect(error.message.contains("nobody@example.com"))

        // One refused recipient among others: nobody gets the message.
        let mixed = try Self.message(to: ["ana@example.com", "nobody@example.com"])
        let second = try #require(await Self.sendError(mixed, settings, sink))
        #expect(second.kind == .rejected && second.smtpCode == 550)
        #expect(try sink.messages(atLeast: 0).isEmpty)
    }

    @Test func aGreetingOf421IsATemporaryRejection() async throws {
        let sink = try LocalSMTPSink(tls: .none, failMode: .greeting421)
        let error = try #require(await Self.sendError(to: sink, security: .none))
        #expect(error.kind == .rejected)
        #expect(error.smtpCode == 421)
        #expect(error.message.contains("try again later"))
    }

    @Test func aTemporaryFailureAfterTheDataKeepsItsCode() async throws {
        let sink = try LocalSMTPSink(tls: .none, failMode: .data451)
        let error = try #require(await Self.sendError(to: sink, security: .none))
        #expect(error.kind == .rejected)
        #expect(error.smtpCode == 451)
        #expect(try sink.messages(atLeast: 0).isEmpty)
    }

    @Test func aConnectionDroppedDuringTheDataIsAnError() async throws {
        let sink = try LocalSMTPSink(tls: .none, failMode: .dropInData)
        let error = try #require(await Self.sendError(to: sink, security: .none))
        #expect(error.kind == .connection)
        #expect(try sink.messages(atLeast: 0).isEmpty)
    }

    @Test func nothingListeningIsAConnectionError() async throws {
        let settings = try SMTPSettings(url: "smtp://127.0.0.1:1", security: .none, connectTimeout: 5, timeout: 10)
        let error = try #require(await Self.sendError(try Self.message(), settings, nil))
        #expect(error.kind == .connection)
        #expect(error.smtpCode == nil)
    }

    @Test func aServerThatNeverGreetsTimesOut() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let settings = try SMTPSettings(
            url: "smtp://127.0.0.1:\(listener.port)", security: .none, connectTimeout: 2, timeout: 2)
        let error = try #require(await Self.sendError(try Self.message(), settings, nil))
        #expect(error.kind == .timeout)
    }

    @Test func aCancelledTaskSendsNothing() async throws {
        let sink = try LocalSMTPSink(tls: .none)
        let settings = try Self.settings(sink, security: .none)
        let message = try Self.message()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await MailSender(settings: settings).send(message)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(try sink.messages(atLeast: 0).isEmpty)
    }

    @Test func cancellingDuringTheExchangeAbortsIt() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let settings = try SMTPSettings(
            url: "smtp://127.0.0.1:\(listener.port)", security: .none, connectTimeout: 5, timeout: 15)
        let message = try Self.message()
        let task = Task { try await MailSender(settings: settings).send(message) }
        // Once libcurl is connected (and waiting for a greeting that never comes), cancel.
        // Generous: under a full parallel test run the task may wait long for a cooperative thread.
        #expect(await listener.waitForConnection(timeout: 600))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}

/// A socket on 127.0.0.1 that accepts connections (through the kernel's backlog) and never speaks.
private final class SilentListener {
    let port: Int
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ReadingError("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 4) == 0 else {
            Glibc.close(fd)
            throw ReadingError("bind or listen failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            Glibc.close(fd)
            throw ReadingError("getsockname failed")
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether a connection is waiting to be accepted within `timeout` seconds. It polls without
    /// blocking a thread of the cooperative pool, which the sending task may need to start.
    func waitForConnection(timeout: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 0) == 1 { return true }
            try? await Task.sleep(for: .milliseconds(20))
        } while Date() < deadline
        return false
    }

    func close() { Glibc.close(fd) }
}
