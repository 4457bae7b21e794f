import Foundation
import Testing

@testable import Mailing

@Suite struct SMTPSettingsTests {
    @Test func defaultsAreStartTLSWithModestTimeouts() throws {
        let settings = try SMTPSettings(url: "smtp://mail.example.com:587")
        #expect(settings.security == .starttls)
        #expect(settings.connectTimeout == 15 && settings.timeout == 60)
    }

    @Test func smtpsMeansImplicitTLS() throws {
        #expect(try SMTPSettings(url: "smtps://mail.example.com:465").security == .tls)
        #expect(try SMTPSettings(url: "SMTPS://mail.example.com", security: .none).security == .tls)
        let switched = try SMTPSettings(url: "smtp://mail.example.com:465", security: .tls)
        #expect(switched.url == "smtps://mail.example.com:465")
        #expect(switched.security == .tls)
    }

    @Test(arguments: [
        "http://mail.example.com", "mail.example.com:587", "smtp://", "smtp://:587",
        "smtp://user:secret@mail.example.com",
        "smtp://mail.example.com:587?x=1", "smtp://mail.example.com/#f", "smtp://mail example.com", "",
        "smtp://mail.example.com\r\n:587",
    ])
    func badURLsAreRefused(_ url: String) throws {
        let error = try #require(throws: MailError.self) { try SMTPSettings(url: url) }
        #expect(error.kind == .badSettings)
        #expect(!error.message.contains("secret"))
    }

    @Test func credentialsAndLimitsAreChecked() throws {
        let noUser = try #require(throws: MailError.self) {
            try SMTPSettings(url: "smtp://mail.example.com", password: "secret")
        }
        #expect(noUser.kind == .badSettings)
        #expect(!noUser.message.contains("secret"))
        #expect(throws: MailError.self) { try SMTPSettings(url: "smtp://mail.example.com", timeout: 0) }
        #expect(throws: MailError.self) { try SMTPSettings(url: "smtp://mail.example.com", connectTimeout: -1) }
        #expect(throws: MailError.self) {
            try SMTPSettings(url: "smtp://mail.example.com", caFile: "/nonexistent/ca.pem")
        }
        #expect(throws: MailError.self) { try SMTPSettings(url: "smtp://mail.example.com", username: "a\r\nb") }
        let empty = try SMTPSettings(url: "smtp://mail.example.com", username: "", password: "")
        #expect(empty.username == nil && empty.password == nil)
    }

    @Test func thePasswordStaysOutOfDescriptions() throws {
        let settings = try SMTPSettings(url: "smtp://mail.example.com", username: "ana", password: "hunter2-secret")
        #expect(!"\(settings)".contains("hunter2"))
        #expect(!String(reflecting: settings).contains("hunter2"))
        var dumped = ""
        dump(settings, to: &dumped)
        #expect(!dumped.contains("hunter2"))
    }

    @Test func settingsChangedAfterCheckingAreCheckedWhenSending() async throws {
        var settings = try SMTPSettings(url: "smtp://127.0.0.1:1", security: .none)
        settings.url = "http://127.0.0.1:1"
        let mail = MailMessage(
            from: try MailAddress(address: "a@example.com"), to: [try MailAddress(address: "b@example.com")],
            subject: "s", text: "t")
        let error = try await #require(throws: MailError.self) { try await MailSender(settings: settings).send(mail) }
        #expect(error.kind == .badSettings)
    }
}
