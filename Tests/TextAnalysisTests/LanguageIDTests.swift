import Foundation
import Testing

@testable import TextAnalysis

/// Behaviour of `LanguageIdentifier` on short, noisy social text. Every text here was written
/// for these tests.
@Suite("Language identification")
struct LanguageIDTests {
    let identifier = LanguageIdentifier.shared

    @Test("the bundled profiles load")
    func profilesLoad() {
        #expect(identifier.loadError == nil)
    }

    @Test("every profile file states its format, source and licence")
    func profileHeaders() throws {
        let directory = try #require(LanguageIdentifier.bundledProfilesDirectory)
        for code in ["es", "it", "en", "pt", "fr", "ca", "de", "nl"] {
            for kind in ["words", "chars"] {
                let url = directory.appendingPathComponent("\(code).\(kind).txt")
                let text = try String(contentsOf: url, encoding: .utf8)
                let header = text.prefix(2000)
                #expect(header.contains("# Format:"), "\(url.lastPathComponent)")
                #expect(header.contains("wordfreq"), "\(url.lastPathComponent)")
                #expect(header.contains("CC BY-SA 4.0"), "\(url.lastPathComponent)")
            }
        }
    }

    @Test("a missing profile directory is an error that names the file")
    func missingProfiles() {
        let directory = URL(fileURLWithPath: "/nonexistent/vigia-profiles")
        #expect {
            try LanguageIdentifier(profilesDirectory: directory)
        } throws: { error in
            guard let error = error as? LanguageIdentifierError else { return false }
            return error.file.hasPrefix("/nonexistent/vigia-profiles/")
                && error.description.contains("cannot be read")
        }
    }

    @Test(
        "clear Spanish sentences are es",
        arguments: [
            "El pedido llegó tarde y encima vino roto, qué desastre de servicio.",
            "Llevo una semana esperando el reembolso y nadie me contesta.",
            "Muchísimas gracias por la atención, el equipo de soporte fue muy amable.",
            "No entiendo por qué cancelaron mi vuelo sin avisar.",
            "La aplicación se cierra cada vez que intento pagar con la tarjeta.",
        ])
    func spanish(_ text: String) {
        #expect(identifier.identify(text) == .es)
    }

    @Test(
        "clear Italian sentences are it",
        arguments: [
            "Il pacco è arrivato in ritardo e per di più danneggiato, che vergogna.",
            "Aspetto il rimborso da due settimane e nessuno mi risponde.",
            "Grazie mille per l'aiuto, il servizio clienti è stato gentilissimo.",
            "Non capisco perché abbiano cancellato il mio volo senza avvisare.",
            "L'app si chiude ogni volta che provo a pagare con la carta.",
        ])
    func italian(_ text: String) {
        #expect(identifier.identify(text) == .it)
    }

    @Test(
        "clear English sentences are en",
        arguments: [
            "My order arrived late and the box was damaged, what a mess.",
            "I've been waiting two weeks for a refund and nobody answers.",
            "Thanks so much for the help, the support team was lovely.",
            "I don't understand why they cancelled my flight without telling me.",
            "The app crashes every time I try to pay with my card.",
        ])
    func english(_ text: String) {
        #expect(identifier.identify(text) == .en)
    }

    @Test(
        "short texts are identified",
        arguments: [
            ("muchas gracias", Language.es), ("no me gusta nada", .es), ("qué asco", .es),
            ("grazie mille", .it), ("non mi piace", .it), ("che schifo", .it),
            ("thank you so much", .en), ("I love it", .en), ("so annoying", .en),
        ] as [(String, Language)])
    func shortTexts(_ text: String, _ expected: Language) {
        #expect(identifier.identify(text) == expected)
    }

    @Test(
        "texts without accents are identified",
        arguments: [
            ("perche non funziona piu niente, e gia la terza volta", Language.it),
            ("cosi non si puo andare avanti", .it),
            ("por que nadie me atiende, tambien ayer paso lo mismo", .es),
            ("que pena, el envio todavia no llego", .es),
        ] as [(String, Language)])
    func accentless(_ text: String, _ expected: Language) {
        #expect(identifier.identify(text) == expected)
    }

    @Test(
        "capitals, mixed case and elongations do not matter",
        arguments: [
            ("EL PEOR SERVICIO QUE HE VISTO EN MI VIDA", Language.es),
            ("hOLA a TODOS, ¿cómo ESTÁN?", .es),
            ("Graciaaaaaas por todooooo", .es),
            ("IL PEGGIOR SERVIZIO DI SEMPRE", .it),
            ("bellissimoooooo, bravissimiiii", .it),
            ("THE WORST CUSTOMER SERVICE EVER", .en),
            ("sooooo good, loooove it", .en),
            ("F A N T A S T I C O", .it),
        ] as [(String, Language)])
    func casingAndElongation(_ text: String, _ expected: Language) {
        #expect(identifier.identify(text) == expected)
    }

    @Test(
        "apostrophe patterns are read as words",
        arguments: [
            ("dell'assistenza non ne parliamo", Language.it),
            ("l'ho detto mille volte all'operatore", .it),
            ("I can't believe it's still broken", .en),
        ] as [(String, Language)])
    func apostrophes(_ text: String, _ expected: Language) {
        #expect(identifier.identify(text) == expected)
    }

    @Test(
        "URLs, handles, numbers and emoji do not decide, hashtags add their words",
        arguments: [
            (
                "@soporte_tienda otra vez sin servicio 😡😡 https://example.com/a/b?c=1 #MalServicio",
                Language.es
            ),
            ("@assistenza ancora nessuna risposta dopo 3 giorni!!! #servizioclienti", .it),
            ("@support still no reply after 3 days 🙄 www.example.com", .en),
        ] as [(String, Language)])
    func noisyTokens(_ text: String, _ expected: Language) {
        #expect(identifier.identify(text) == expected)
    }

    @Test(
        "texts with no words of their own are und",
        arguments: [
            "", "   ", "@iberia", "#MalServicio", "@iberia #MalServicio https://example.com/x",
            "https://example.com/una-pagina-muy-larga", "😡😡😡", "❤️❤️", "12345 678", ":-) :D <3",
            "!!!???", "x",
        ])
    func noSignal(_ text: String) {
        #expect(identifier.identify(text) == .und)
    }

    @Test(
        "other languages are und",
        arguments: [
            // Portuguese
            "O atendimento da loja foi péssimo, nunca mais compro lá.",
            "Não consigo acessar minha conta desde ontem, alguém sabe o que está acontecendo?",
            "Obrigado pela ajuda, vocês são demais!",
            // French
            "Le service client ne répond jamais, c'est vraiment nul.",
            "J'ai attendu deux heures pour rien, je suis très déçu.",
            "Merci beaucoup pour votre aide !",
            // Catalan
            "El servei d'atenció al client és molt dolent, no ho recomano gens.",
            "Avui he anat a la platja amb els meus amics i ha estat molt divertit.",
            // German
            "Der Kundenservice ist eine Katastrophe, ich warte seit Wochen auf mein Geld.",
            "Ich bin sehr zufrieden mit der Lieferung.",
            // Dutch
            "De klantenservice reageert nooit op mijn berichten.",
            // Languages that are not modelled at all
            "Bugün hava çok güzel, dışarı çıkalım mı?",
            "Saya sangat senang dengan layanan ini.",
            "Привет, как дела?",
            "東京は今日も暑いです",
        ])
    func otherLanguages(_ text: String) {
        #expect(identifier.identify(text) == .und)
    }

    @Test("scores agree with identify and give probabilities that add up to one")
    func scoresAreConsistent() {
        let text = "Il servizio clienti non risponde mai"
        let scores = identifier.scores(text)
        #expect(scores.language == identifier.identify(text))
        #expect(scores.language == .it)
        #expect(scores.wordCount == 6)
        #expect(scores.scores.map(\.code) == ["es", "it", "en", "pt", "fr", "ca", "de", "nl"])
        let total = scores.scores.map(\.probability).reduce(0, +)
        #expect(abs(total - 1) < 1e-6)
        let best = scores.scores.max { $0.probability < $1.probability }
        #expect(best?.code == "it")
    }

    @Test("a long text's totals are the float sums of its words' scores, even past 2^24 units")
    func longTextTotalsAreFloatSums() throws {
        // Words chosen one by one to keep the two best languages close, so that no decisive
        // lead stops the reading and the totals grow far beyond what floats hold exactly.
        let candidates = [
            "the", "and", "you", "but", "for", "el", "la", "que", "para", "con", "di", "che", "non",
            "per", "sono", "ma", "de", "em", "um", "com", "le", "et", "les", "des", "und", "der",
            "het", "een", "is", "of", "it", "in", "si", "una", "il", "lo", "ok", "mai", "oggi", "bien",
        ]
        let wordScores = candidates.map { word in identifier.scores(word).scores.map { Float($0.logLikelihood) } }
        var expected = [Float](repeating: 0, count: 8)
        var words: [String] = []
        for _ in 0..<12_000 {
            var best = (lead: Float.infinity, index: 0)
            for (index, scores) in wordScores.enumerated() {
                let sums = zip(expected, scores).map { $0 + $1 }.sorted(by: >)
                if sums[0] - sums[1] < best.lead { best = (sums[0] - sums[1], index) }
            }
            words.append(candidates[best.index])
            for lane in expected.indices { expected[lane] += wordScores[best.index][lane] }
        }
        let scores = identifier.scores(words.joined(separator: " "))
        try #require(scores.wordCount == words.count)
        #expect(expected.min() ?? 0 < -Float(1 << 24) / LanguageIDModel.unitsPerNat)
        #expect(scores.scores.map { Float($0.logLikelihood) } == expected)
    }

    @Test("bytes and strings give the same answer")
    func bytesMatchStrings() {
        let text = "Qué buen servicio, volveré seguro"
        let fromBytes = Array(text.utf8).withUnsafeBufferPointer { identifier.identify(utf8: $0) }
        #expect(fromBytes == identifier.identify(text))
        #expect(fromBytes == .es)
    }
}

/// Hostile input never crashes and still gives an answer.
@Suite("Language identification on hostile input")
struct LanguageIDHostileInputTests {
    let identifier = LanguageIdentifier.shared

    @Test("a one-megabyte line is identified")
    func oneMegabyteLine() {
        let sentence = "Il pacco non è ancora arrivato e nessuno risponde. "
        let text = String(repeating: sentence, count: 1_048_576 / sentence.utf8.count + 1)
        #expect(identifier.identify(text) == .it)
    }

    @Test("a one-megabyte word and a megabyte of one letter are one word each")
    func hugeWord() {
        #expect(identifier.scores(String(repeating: "abcdefghij", count: 100_000)).wordCount == 1)
        #expect(identifier.scores(String(repeating: "a", count: 1_000_000)).wordCount == 1)
    }

    @Test("control characters, NULs and odd separators are separators")
    func controlCharacters() {
        let text = "no\u{0}me\u{1}gusta\u{7}nada\u{1B}[31m,\u{2028}qué\u{FEFF}mal\u{200B}servicio"
        #expect(identifier.identify(text) == .es)
    }

    @Test("invalid UTF-8 is tolerated")
    func invalidUTF8() {
        var bytes = Array("grazie mille per ".utf8)
        bytes += [0xFF, 0xFE, 0xC3, 0x28, 0xE2, 0x82, 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80, 0xC0, 0xAF]
        bytes += Array(" tutto, siete gentilissimi".utf8)
        bytes += [0xE2, 0x82]  // truncated at the end
        let language = bytes.withUnsafeBufferPointer { identifier.identify(utf8: $0) }
        #expect(language == .it)
        let garbage: [UInt8] = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        _ = garbage.withUnsafeBufferPointer { identifier.identify(utf8: $0) }
        let empty: [UInt8] = []
        #expect(empty.withUnsafeBufferPointer { identifier.identify(utf8: $0) } == .und)
    }

    @Test("apostrophes, hashes and at-signs alone are und")
    func punctuationOnly() {
        #expect(identifier.identify("'''''’’’```") == .und)
        #expect(identifier.identify("@@@@ #### &&&&; &amp;&lt;") == .und)
        #expect(identifier.identify("http://") == .und)
    }
}

/// The scanner that splits text into the words the identifier scores.
@Suite("Language identification scanner")
struct LanguageIDScannerTests {
    private func words(_ text: String) -> [String] {
        var result: [String] = []
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            LanguageIDWord.withScratch { word in
                var scanner = LanguageIDScanner(bytes)
                while scanner.next(into: &word) {
                    var scalars = String.UnicodeScalarView()
                    for index in 0..<word.length {
                        if let scalar = Unicode.Scalar(word.scalars[index]) { scalars.append(scalar) }
                    }
                    result.append(String(scalars))
                }
            }
        }
        return result
    }

    @Test("URLs, handles, entities and digits are skipped")
    func skips() {
        #expect(
            words("@user_1 mira https://t.co/abc123 esto &amp; 2x3 www.example.com") == ["mira", "esto", "x"])
    }

    @Test("hashtags are split at case changes")
    func hashtags() {
        #expect(words("#MalServicio #iberia #SOS") == ["mal", "servicio", "iberia", "sos"])
    }

    @Test("apostrophes split words")
    func apostrophes() {
        #expect(words("dell'assistenza l’ho don't") == ["dell", "assistenza", "l", "ho", "don", "t"])
    }

    @Test("letters are lower-cased, runs of three or more shortened to two")
    func lowercasingAndElongation() {
        #expect(words("ÁNIMO Buenooooo ÇA") == ["ánimo", "buenoo", "ça"])
    }

    @Test("letters spelt out one by one are joined, lone words are not")
    func spacedLetters() {
        #expect(words("B R A V O !!") == ["bravo"])
        #expect(words("que c o s a t a n b o n i t a") == ["que", "cosatanbonita"])
        #expect(words("y a mí") == ["y", "a", "mí"])
        #expect(words("a b") == ["a", "b"])
    }

    @Test("styled mathematical letters read as plain letters")
    func styledLetters() {
        #expect(words("𝐡𝐨𝐥𝐚") == ["hola"])
    }
}
