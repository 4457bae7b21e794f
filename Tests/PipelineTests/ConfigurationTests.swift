import Foundation
import Testing
@testable import Pipeline

@Suite("vigia.yaml") struct ConfigurationTests {
    private let file = URL(fileURLWithPath: "/srv/vigia/vigia.yaml")

    private func parse(_ text: String) throws -> Configuration {
        try Configuration.parse(text, file: file)
    }

    private func failure(_ text: String) -> ConfigurationError? {
        do {
            _ = try parse(text)
            return nil
        } catch let error as ConfigurationError {
            return error
        } catch {
            return nil
        }
    }

    @Test func readsTheDocumentedExample() throws {
        let configuration = try parse("""
            database: data/vigia.db
            sources:
              - opml: feeds/demo.opml
              - url: https://forum.example.org/latest.json
                format: discourse
                interval: 15m
            brands:
              - name: Iberia
                query: '"Iberia" OR #iberia OR @iberia NOT "península ibérica"'
                languages: [es, en]
            alerts:
              bucket: 5m
              sinks:
                - {type: file, path: alerts.jsonl}
                - {type: slack, url: "https://hooks.example/x"}
            digest:
              schedule: daily 08:00 Europe/Madrid
            """)
        #expect(configuration.database.path == "/srv/vigia/data/vigia.db")
        #expect(configuration.sources == [
            .opml(path: URL(fileURLWithPath: "/srv/vigia/feeds/demo.opml"), interval: nil),
            .url("https://forum.example.org/latest.json", format: "discourse", interval: .seconds(900), name: nil),
        ])
        #expect(configuration.brands.count == 1)
        #expect(configuration.brands[0].name == "Iberia")
        #expect(configuration.brands[0].languages == ["es", "en"])
        #expect(configuration.brands[0].line == 8)
        #expect(configuration.alerts.bucket == .seconds(300))
        #expect(configuration.alerts.sinks.count == 2)
        #expect(configuration.alerts.sinks[1]["type"] == "slack")
        #expect(configuration.digest?.schedule == "daily 08:00 Europe/Madrid")
    }

    @Test func defaultsTheDatabaseAndTheBrandQuery() throws {
        let configuration = try parse("brands:\n  - name: Acme\n")
        #expect(configuration.database.path == "/srv/vigia/vigia.db")
        #expect(configuration.brands[0].query == "\"Acme\"")
        #expect(configuration.brands[0].languages == nil)
    }

    @Test func bareSourcePathsAreFilesNextToTheConfiguration() throws {
        let configuration = try parse("sources:\n  - url: exports/posts.xml\nbrands:\n  - name: A\n")
        #expect(configuration.sources == [.url("file:///srv/vigia/exports/posts.xml", format: nil, interval: nil, name: nil)])
    }

    @Test func unknownKeyNamesTheLineAndSuggests() throws {
        let error = try #require(failure("brnds:\n  - name: A\n"))
        #expect(error.line == 1)
        #expect(error.message.contains("did you mean 'brands'"))
    }

    @Test func missingBrandsIsExplained() throws {
        let error = try #require(failure("database: x.db\n"))
        #expect(error.key == "brands")
        #expect(error.message.contains("missing"))
    }

    @Test func wrongTypeNamesTheKeyAndLine() throws {
        let error = try #require(failure("brands:\n  name: A\n"))
        #expect(error.key == "brands")
        #expect(error.line == 2)
        #expect(error.message.contains("list"))
    }

    @Test func badDurationSaysWhatIsExpected() throws {
        let error = try #require(failure("sources:\n  - url: https://x.example/feed\n    interval: soon\nbrands:\n  - name: A\n"))
        #expect(error.key == "sources[0].interval")
        #expect(error.line == 3)
        #expect(error.message.contains("15m"))
    }

    @Test func unsupportedLanguageIsRejected() throws {
        let error = try #require(failure("brands:\n  - name: A\n    languages: [fr]\n"))
        #expect(error.key == "brands[0].languages")
        #expect(error.message.contains("es, it or en"))
    }

    @Test func duplicateBrandNamesAreRejected() throws {
        let error = try #require(failure("brands:\n  - name: Acme\n  - name: acme\n"))
        #expect(error.message.contains("defined twice"))
    }

    @Test func yamlSyntaxErrorsCarryLineAndColumn() throws {
        let error = try #require(failure("brands:\n  - name: [unclosed\n"))
        #expect(error.line != nil)
        #expect(error.message.hasPrefix("YAML syntax"))
    }

    @Test func emptyAndGarbageFilesAreErrorsNotCrashes() throws {
        #expect(failure("") != nil)
        #expect(failure("\u{0}\u{1}\u{2}") != nil)
        #expect(failure(String(repeating: "[", count: 10_000)) != nil)
        #expect(failure("- just\n- a list\n") != nil)
    }

    @Test func sourceURLSchemesAreChecked() throws {
        let error = try #require(failure("sources:\n  - url: ftp://x.example/feed\nbrands:\n  - name: A\n"))
        #expect(error.message.contains("http(s)://"))
    }

    @Test func durationsInEveryUnit() {
        #expect(DurationText.parse("30s") == .seconds(30))
        #expect(DurationText.parse("15m") == .seconds(900))
        #expect(DurationText.parse("2h") == .seconds(7200))
        #expect(DurationText.parse("7d") == .seconds(604_800))
        #expect(DurationText.parse("1h30m") == .seconds(5400))
        #expect(DurationText.parse("180D") == .seconds(180 * 86_400))
        #expect(DurationText.parse("") == nil)
        #expect(DurationText.parse("m") == nil)
        #expect(DurationText.parse("5") == nil)
        #expect(DurationText.parse("5x") == nil)
        #expect(DurationText.format(.seconds(900)) == "15m")
        #expect(DurationText.format(.seconds(86_400 * 7)) == "1w")
    }

    @Test func readsTheDigestSection() throws {
        let configuration = try parse("""
            brands:
              - name: Acme
              - name: Sol
                time_zone: America/Mexico_City
                competitor: yes
            digest:
              schedule: weekly monday 09:00 Europe/Rome
              language: IT
              link: https://intranet.example/vigia/latest.html
              archive: digests
              email:
                smtp: smtps://mail.example.com:465
                username: vigia
                password_env: VIGIA_SMTP_PASSWORD
                ca_file: certs/company.pem
                from: "Vigía <vigia@example.com>"
                to: [a@example.com, "Ana Pérez <ana@example.com>"]
              webhooks:
                - {type: slack, url: "https://hooks.slack.com/services/x"}
            """)
        let digest = try #require(configuration.digest)
        #expect(digest.schedule == "weekly monday 09:00 Europe/Rome")
        #expect(digest.scheduleLine == 7)
        #expect(digest.language == "it")
        #expect(digest.link == "https://intranet.example/vigia/latest.html")
        #expect(digest.archive?.path == "/srv/vigia/digests")
        let email = try #require(digest.email)
        #expect(email.smtp == "smtps://mail.example.com:465" && email.username == "vigia")
        #expect(email.passwordVariable == "VIGIA_SMTP_PASSWORD")
        #expect(email.caFile == "/srv/vigia/certs/company.pem")
        #expect(email.to == ["a@example.com", "Ana Pérez <ana@example.com>"])
        #expect(digest.webhooks == [["type": "slack", "url": "https://hooks.slack.com/services/x"]])
        #expect(configuration.brands.map(\.timeZone) == [nil, "America/Mexico_City"])
    }

    @Test(arguments: [
        ("digest:\n  language: es\n", "digest.schedule", "missing"),
        ("digest:\n  schedule: daily 08:00\n  language: fr\n", "digest.language", "es, it or en"),
        ("digest:\n  schedule: daily 08:00\n  link: ftp://x\n", "digest.link", "http(s)"),
        ("digest:\n  schedule: daily 08:00\n  emial: {}\n", nil, "did you mean 'email'"),
        ("digest:\n  schedule: daily 08:00\n  email:\n    smtp: smtp://m:587\n    to: [a@example.com]\n", "digest.email.from", "missing"),
        ("digest:\n  schedule: daily 08:00\n  email:\n    smtp: smtp://m:587\n    from: a@example.com\n", "digest.email.to", "recipients"),
        ("digest:\n  schedule: daily 08:00\n  email:\n    smtp: smtp://m:587\n    from: a@example.com\n    to: []\n", "digest.email.to", "empty"),
        ("digest:\n  schedule: daily 08:00\n  email:\n    smtp: smtp://m\n    from: a@x.es\n    to: b@x.es\n    password: hunter2\n", "digest.email.password", "environment variable"),
        ("digest:\n  schedule: daily 08:00\n  email:\n    smtp: smtp://m\n    from: a@x.es\n    to: b@x.es\n    security: ssl\n", "digest.email.security", "starttls, tls or none"),
        ("digest:\n  schedule: daily 08:00\n  webhooks:\n    - {type: slack}\n", "digest.webhooks[0]", "url"),
    ] as [(String, String?, String)])
    func digestErrorsNameTheKey(_ text: String, _ key: String?, _ words: String) throws {
        let error = try #require(failure("brands:\n  - name: Acme\n" + text))
        if let key { #expect(error.key == key, "\(error)") }
        #expect(error.description.contains(words), "\(error)")
        #expect(error.line != nil)
    }

    @Test func aBrandTimeZoneMustExist() throws {
        let error = try #require(failure("brands:\n  - name: Acme\n    time_zone: Europe/Atlantis\n"))
        #expect(error.key == "brands[0].time_zone")
        #expect(error.description.contains("IANA"))
    }
}
