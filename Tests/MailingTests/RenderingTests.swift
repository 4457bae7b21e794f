import Foundation
import TestSupport
import Testing

@testable import Mailing

private func address(_ text: String) throws -> MailAddress { try MailAddress(parsing: text) }

private func message(subject: String = "Hola", text: String = "Hola\n", html: String? = nil) throws -> MailMessage {
    MailMessage(
        from: try address("Vigía <digest@vigia.example>"), to: [try address("ana@example.com")],
        subject: subject, text: text, html: html, date: Date(timeIntervalSince1970: 1_795_334_400))
}

@Suite struct EncodedWordTests {
    /// Mixed scripts, emoji with modifiers and joiners, flags, combining marks, ASCII.
    private static let alphabet: [String] = [
        "a", "Z", " ", "?", "=", "_", "é", "ñ", "à", "ü", "ß", "—", "¿", "€", "日", "本", "한", "ж", "ع",
        "😀", "👍🏽", "👨‍👩‍👧‍👦", "🇪🇸", "🇮🇹", "e\u{301}",
        "\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}",  // the flag of England
    ]

    @Test func wordsStayWithinTheLimitHoldWholeCharactersAndJoinBack() throws {
        var random = SplitMix(seed: 2047)
        for round in 0..<300 {
            let length = Int.random(in: 1...120, using: &random)
            let text = (0..<length).map { _ in Self.alphabet.randomElement(using: &random) ?? "a" }.joined()
            let maxLength = [75, 69, 40, 24].randomElement(using: &random) ?? 75
            let words = HeaderText.encodedWords(text, maxLength: maxLength)
            var joined: [UInt8] = []
            for word in words {
                #expect(word.utf8.count <= maxLength, "round \(round): \(word)")
                #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
                let data = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
                // Each word on its own is valid UTF-8: no sequence is cut.
                #expect(String(validating: [UInt8](data), as: UTF8.self) != nil, "round \(round): \(word)")
                joined += data
            }
            #expect(String(decoding: joined, as: UTF8.self) == text, "round \(round)")
        }
    }

    @Test func aClusterTooBigForOneWordSplitsBetweenScalars() throws {
        let huge = "e" + String(repeating: "\u{301}", count: 60)  // 121 bytes, one character
        let words = HeaderText.encodedWords("a" + huge + "b")
        #expect(words.count > 1)
        var joined: [UInt8] = []
        for word in words {
            #expect(word.utf8.count <= 75)
            let data = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            #expect(String(validating: [UInt8](data), as: UTF8.self) != nil)
            joined += data
        }
        #expect(String(decoding: joined, as: UTF8.self) == "a" + huge + "b")
    }

    @Test func longSubjectFoldsIntoShortASCIILinesAndDecodesBack() throws {
        let subject = "Resumen diario de Vigía — ¿qué pasó? 😀 "
            + String(repeating: "menciones de Ñandú, perché no? ", count: 6)
        let rendered = try RenderedMessage(try message(subject: subject).rendered())
        for line in rendered.headerLines {
            #expect(line.utf8.count <= 78, "\(line)")
            #expect(line.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }, "\(line)")
        }
        let value = try #require(rendered.field("Subject"))
        #expect(value.contains("=?UTF-8?B?"))
        #expect(decodeHeaderValue(value) == subject)
    }

    @Test func shortASCIISubjectStaysPlainAndLongOneFolds() throws {
        let short = try RenderedMessage(try message(subject: "Daily digest").rendered())
        #expect(short.headerLines.contains("Subject: Daily digest"))

        let long = String(repeating: "digest words ", count: 12) + "end"
        let rendered = try RenderedMessage(try message(subject: long).rendered())
        let value = try #require(rendered.field("Subject"))
        #expect(!value.contains("=?"))
        #expect(decodeHeaderValue(value) == long)
        #expect(rendered.headerLines.allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func asciiTextThatLooksEncodedIsEncoded() throws {
        let subject = "Not =?UTF-8?B?YQ==?= really"
        let value = try #require(try RenderedMessage(try message(subject: subject).rendered()).field("Subject"))
        #expect(!value.contains("YQ==?= really"))
        #expect(decodeHeaderValue(value) == subject)
    }

    @Test func displayNamesAreQuotedOrEncoded() throws {
        let to = [
            try address("\"Smith, John\" <john@example.com>"),
            try address("Ana Pérez <ana@example.com>"),
            try address("bare@example.com"),
            try address("\"Say \\\"hi\\\"\" <hi@example.com>"),
        ]
        var mail = try message()
        mail.to = to
        let rendered = try RenderedMessage(try mail.rendered())
        let value = try #require(rendered.field("To"))
        #expect(value.contains("\"Smith, John\" <john@example.com>,"))
        #expect(value.contains("=?UTF-8?B?"))
        #expect(value.contains("<ana@example.com>,"))
        #expect(value.contains(" bare@example.com,"))
        #expect(value.contains("\"Say \\\"hi\\\"\" <hi@example.com>"))
        #expect(rendered.headerLines.allSatisfy { $0.utf8.count <= 78 })
    }
}

@Suite struct HeaderInjectionTests {
    @Test func lineBreaksInTheSubjectNeverStartAHeader() throws {
        for subject in ["x\r\nBcc: evil@example.com", "x\nBcc: evil@example.com", "x\rBcc: evil@example.com",
                        "x\u{2028}Bcc: evil@example.com", "x\u{85}Bcc: evil@example.com"] {
            let bytes = try message(subject: subject).rendered()
            let rendered = try RenderedMessage(bytes)
            #expect(rendered.field("Bcc") == nil)
            #expect(!rendered.headerLines.contains { $0.lowercased().hasPrefix("bcc") })
            #expect(hasOnlyCRLF(bytes))
            #expect(decodeHeaderValue(rendered.field("Subject") ?? "") == "x Bcc: evil@example.com")
        }
    }

    @Test func lineBreaksInADisplayNameBecomeSpaces() throws {
        let from = try MailAddress(name: "Ana\r\nBcc: evil@example.com", address: "ana@example.com")
        #expect(from.name == "Ana Bcc: evil@example.com")
        var mail = try message()
        mail.from = from
        mail.to = [try MailAddress(name: "Bob\n\nX-Evil: 1", address: "bob@example.com")]
        let rendered = try RenderedMessage(try mail.rendered())
        #expect(rendered.field("Bcc") == nil && rendered.field("X-Evil") == nil)
    }

    @Test func addressesWithLineBreaksAreRefused() throws {
        for text in ["ana@example.com\r\nBcc: evil@example.com", "ana@example.com\nBcc: evil@example.com",
                     "ana@exam\rple.com", "Ana <ana@example.com\r\nBcc: evil@example.com>"] {
            #expect(throws: MailError.self) { try MailAddress(parsing: text) }
            let error = try #require(throws: MailError.self) { try MailAddress(name: nil, address: text) }
            #expect(error.kind == .badAddress)
            #expect(!error.message.contains("\r") && !error.message.contains("\n"))
        }
    }

    @Test func anAddressChangedAfterCheckingIsCheckedAgain() throws {
        var mail = try message()
        mail.to[0].address = "ana@example.com\r\nBcc: evil@example.com"
        let error = try #require(throws: MailError.self) { try mail.rendered() }
        #expect(error.kind == .badAddress)
        mail.to[0].address = "ana@example.com"
        mail.from.address = "x>\r\nBcc: y@example.com"
        #expect(throws: MailError.self) { try mail.rendered() }
    }

    @Test func automaticMailSaysSoAndPersonalMailDoesNot() throws {
        var mail = try message()
        let personal = String(decoding: try mail.rendered(), as: UTF8.self)
        #expect(!personal.contains("Auto-Submitted"))
        mail.isAutomatic = true
        let automatic = String(decoding: try mail.rendered(), as: UTF8.self)
        #expect(automatic.contains("\r\nAuto-Submitted: auto-generated\r\n"))
        #expect(automatic.contains("\r\nX-Auto-Response-Suppress: All\r\n"))
    }

    @Test func messageIDsAreCheckedToo() throws {
        var mail = try message()
        mail.messageID = "<a@b>\r\nBcc: evil@example.com"
        #expect(throws: MailError.self) { try mail.rendered() }
        mail.messageID = "no spaces@allowed"
        #expect(throws: MailError.self) { try mail.rendered() }
        mail.messageID = "unique.1@vigia.example"
        #expect(try RenderedMessage(try mail.rendered()).field("Message-ID") == " <unique.1@vigia.example>")
        mail.messageID = "<unique.2@vigia.example>"
        #expect(try RenderedMessage(try mail.rendered()).field("Message-ID") == " <unique.2@vigia.example>")
    }
}

@Suite struct BodyEncodingTests {
    @Test func equalsSignsAndTrailingWhitespaceAreEncoded() throws {
        let text = "a=b\nspaces at the end   \ntab at the end\t\nmiddle  spaces stay\n"
        let encoded = String(decoding: QuotedPrintable.encode(Array(text.utf8)), as: UTF8.self)
        #expect(encoded.contains("a=3Db\r\n"))
        #expect(encoded.contains("spaces at the end  =20\r\n"))
        #expect(encoded.contains("tab at the end=09\r\n"))
        #expect(encoded.contains("middle  spaces stay\r\n"))
        let decoded = try #require(decodeQuotedPrintable(Array(encoded.utf8)))
        #expect(unixLines(String(decoding: decoded, as: UTF8.self)) == text)
    }

    @Test func anyTextRoundTripsWithShortCRLFLines() throws {
        var random = SplitMix(seed: 76)
        let pieces = ["a", " ", "\t", "=", ".", "é", "😀", "\n", "\r\n", "\r", "x", "=3D", "  \n"]
        for round in 0..<200 {
            let text = (0..<Int.random(in: 0...400, using: &random)).map { _ in
                pieces.randomElement(using: &random) ?? "a"
            }.joined()
            let encoded = QuotedPrintable.encode(Array(text.utf8))
            #expect(hasOnlyCRLF(encoded), "round \(round)")
            for line in crlfLines(encoded) {
                #expect(line.count <= 76, "round \(round)")
                #expect(line.allSatisfy { $0 >= 0x20 && $0 < 0x7F || $0 == 0x09 }, "round \(round)")
                #expect(line.last != 0x20 && line.last != 0x09, "round \(round): whitespace ends a line")
            }
            let decoded = try #require(decodeQuotedPrintable(encoded), "round \(round)")
            let expected = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            #expect(unixLines(String(decoding: decoded, as: UTF8.self)) == expected, "round \(round)")
        }
    }

    @Test func aFiveMegabyteBodyRendersWithShortLines() throws {
        let paragraph = "Vigía — menciones: ñ, à, 😀, a=b, .dot; " + String(repeating: "x", count: 3000) + "\n"
        let text = String(repeating: paragraph, count: 5_000_000 / paragraph.utf8.count + 1)
        #expect(text.utf8.count >= 5_000_000)
        let bytes = try message(text: text, html: "<p>" + text + "</p>").rendered()
        var longest = 0
        var current = 0
        for byte in bytes {
            if byte == 10 {
                longest = max(longest, current)
                current = 0
            } else {
                current += 1
            }
        }
        #expect(max(longest, current) <= 78)  // CR counted: 77 characters at most
        #expect(hasOnlyCRLF(bytes))
    }

    @Test func plainTextMessageHasOneQuotedPrintablePart() throws {
        let rendered = try RenderedMessage(try message(text: "Línea uno\nLínea dos").rendered())
        #expect(rendered.field("Content-Type") == " text/plain; charset=utf-8")
        #expect(rendered.field("Content-Transfer-Encoding") == " quoted-printable")
        #expect(rendered.field("MIME-Version") == " 1.0")
        let decoded = try #require(decodeQuotedPrintable(rendered.body))
        #expect(unixLines(String(decoding: decoded, as: UTF8.self)) == "Línea uno\nLínea dos\n")
    }

    @Test func htmlMakesAnAlternativeWithTextFirst() throws {
        let bytes = try message(text: "texto", html: "<p>texto</p>").rendered()
        let rendered = try RenderedMessage(bytes)
        let contentType = try #require(rendered.field("Content-Type"))
        let match = try #require(contentType.firstMatch(of: #/multipart/alternative;\s+boundary="([^"]+)"/#))
        let boundary = String(match.1)
        #expect(boundary.hasPrefix("=_"))
        let body = String(decoding: rendered.body, as: UTF8.self)
        #expect(body.components(separatedBy: "--\(boundary)\r\n").count == 3)
        #expect(body.hasSuffix("\r\n--\(boundary)--\r\n"))
        let plain = try #require(body.range(of: "Content-Type: text/plain; charset=utf-8"))
        let html = try #require(body.range(of: "Content-Type: text/html; charset=utf-8"))
        #expect(plain.lowerBound < html.lowerBound)
        // Two renderings use different boundaries.
        let again = try RenderedMessage(try message(text: "texto", html: "<p>texto</p>").rendered())
        #expect(again.field("Content-Type") != contentType)
    }
}

@Suite struct HeaderFieldTests {
    @Test func dateIsRFC5322InUTC() {
        #expect(MailDate.rfc5322(Date(timeIntervalSince1970: 1_795_334_400)) == "Sun, 22 Nov 2026 08:00:00 +0000")
        #expect(MailDate.rfc5322(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MailDate.rfc5322(Date(timeIntervalSince1970: -1)) == "Wed, 31 Dec 1969 23:59:59 +0000")
        #expect(MailDate.rfc5322(Date(timeIntervalSince1970: 951_782_400.5)) == "Tue, 29 Feb 2000 00:00:00 +0000")
    }

    @Test func dateAgreesWithFoundationsFormatter() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        var random = SplitMix(seed: 5322)
        for _ in 0..<2000 {
            let seconds = Int64.random(in: -2_000_000_000...8_000_000_000, using: &random)
            let date = Date(timeIntervalSince1970: Double(seconds))
            #expect(MailDate.rfc5322(date) == formatter.string(from: date))
        }
    }

    @Test func everyHeaderIsThereOnce() throws {
        let rendered = try RenderedMessage(try message().rendered())
        for name in ["date", "from", "to", "subject", "message-id", "mime-version", "content-type"] {
            #expect(rendered.fields.filter { $0.name == name }.count == 1, "\(name)")
        }
        let id = try #require(rendered.field("Message-ID"))
        #expect(id.wholeMatch(of: #/ <[0-9a-f]{32}@vigia\.example>/#) != nil)
    }

    @Test func noRecipientIsAnError() throws {
        var mail = try message()
        mail.to = []
        let error = try #require(throws: MailError.self) { try mail.rendered() }
        #expect(error.kind == .badAddress)
    }

    @Test func theEnvelopeNamesEachRecipientOnce() throws {
        var mail = try message()
        mail.to = [try address("ana@example.com"), try address("Ana <ANA@example.com>"), try address("bob@example.com")]
        let envelope = try mail.envelope()
        #expect(envelope.sender == "digest@vigia.example")
        #expect(envelope.recipients == ["ana@example.com", "bob@example.com"])
    }
}
