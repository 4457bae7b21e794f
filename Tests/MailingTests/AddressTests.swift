import Testing

@testable import Mailing

@Suite struct MailAddressTests {
    @Test(arguments: [
        ("ana@example.com", nil, "ana@example.com"),
        ("  ana@example.com \n", nil, "ana@example.com"),
        ("Ana Pérez <ana@example.com>", "Ana Pérez", "ana@example.com"),
        ("\"Pérez, Ana\" <ana@example.com>", "Pérez, Ana", "ana@example.com"),
        ("\"Say \\\"hi\\\"\"<hi@example.com>", "Say \"hi\"", "hi@example.com"),
        ("<ana@example.com>", nil, "ana@example.com"),
        ("Ana   Pérez\t<first.last+tag@mail.example-site.co.uk>", "Ana Pérez", "first.last+tag@mail.example-site.co.uk"),
        ("o'brien@example.com", nil, "o'brien@example.com"),
        ("relay@localhost", nil, "relay@localhost"),
    ] as [(String, String?, String)])
    func goodAddressesParse(_ text: String, _ name: String?, _ address: String) throws {
        let parsed = try MailAddress(parsing: text)
        #expect(parsed.name == name)
        #expect(parsed.address == address)
        // The description reads back as the same address.
        #expect(try MailAddress(parsing: parsed.description) == parsed)
    }

    @Test(arguments: [
        "", "   ", "ana", "ana.example.com", "ana@@example.com", "ana@b@example.com", "@example.com", "ana@",
        "ana @example.com", "ana@exa mple.com", "Ana <ana@example.com", "Ana ana@example.com>",
        "<<ana@example.com>>", "Ana <ana@example.com> trailing", "<ana@example.com>>", "A<na <ana@example.com>",
        "\"unclosed <ana@example.com>", "\"Ana\" ana@example.com", "ana.@example.com", ".ana@example.com",
        "a..na@example.com", "ana@-example.com", "ana@example-.com", "ana@example..com", "ana@exam_ple.com",
        "añá@example.com", "ana@exämple.com", "ana(comment)@example.com", "ana@example.com (Ana)",
        String(repeating: "a", count: 1000) + "@example.com", String(repeating: "a", count: 65) + "@example.com",
        "ana@" + String(repeating: "b", count: 64) + ".com",
    ])
    func badAddressesAreRefused(_ text: String) throws {
        let error = try #require(throws: MailError.self) { try MailAddress(parsing: text) }
        #expect(error.kind == .badAddress)
        #expect(error.message.utf8.count < 400, "the message quotes at most the start of the input")
    }

    @Test func namesAreCleanedAndEmptyNamesDropped() throws {
        #expect(try MailAddress(name: "  ", address: "a@example.com").name == nil)
        #expect(try MailAddress(name: " Ana \t Pérez ", address: "a@example.com").name == "Ana Pérez")
        #expect(try MailAddress(parsing: "\"\" <a@example.com>").name == nil)
    }

    @Test func longestLegalPartsAreAccepted() throws {
        let local = String(repeating: "a", count: 64)
        let label = String(repeating: "b", count: 63)
        let domain = "\(label).\(label).example.com"
        #expect(try MailAddress(address: "\(local)@\(domain)").address.hasPrefix(local))
    }
}
