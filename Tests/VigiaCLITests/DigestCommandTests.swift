import Foundation
import TestSupport
import Testing

/// `vigia digest` over the demo sources, polled into a fresh database.
@Suite("vigia digest") struct DigestCommandTests {
    private func demoWorkspace() throws -> (URL, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-digest-\(UUID().uuidString)")
        let initialised = try CommandRunner.run(["init", "--directory", folder.path, "--brand", "Vuelalto", "--brand", "Pastaria", "--brand", "Zapply"])
        #expect(initialised.status == 0)
        let config = folder.appendingPathComponent("vigia.yaml").path
        let demo = CommandRunner.repositoryRoot.appendingPathComponent("feeds/demo.opml").path
        _ = try CommandRunner.run(["feeds", "import", demo, "--config", config])
        let run = try CommandRunner.run(["run", "--once", "--config", config])
        #expect(run.status == 0, "\(run.stderr)")
        return (folder, config)
    }

    @Test func everyFormatOfTheDemoDigest() throws {
        let (folder, config) = try demoWorkspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The demo entries are dated 2026-11-20; a long period takes them in whatever today is.
        let markdown = try CommandRunner.run(["digest", "--since", "3650d", "--config", config])
        #expect(markdown.status == 0, "\(markdown.stderr)")
        #expect(markdown.stdout.contains("## Vuelalto"))
        #expect(markdown.stdout.contains("Net Sentiment Score"))
        #expect(markdown.stdout.contains("### Top negative"))

        let json = try CommandRunner.run(["digest", "--since", "3650d", "--format", "json", "--brand", "Zapply", "--config", config])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let brands = try #require(object["brands"] as? [[String: Any]])
        #expect(brands.map { $0["name"] as? String } == ["Zapply"])
        #expect(((brands[0]["period"] as? [String: Any])?["total"] as? Int ?? 0) > 0)

        let out = folder.appendingPathComponent("digest.html").path
        let html = try CommandRunner.run(["digest", "--since", "3650d", "--format", "html", "--out", out, "--config", config])
        #expect(html.status == 0)
        let page = try String(contentsOfFile: out, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<svg"))
    }

    @Test func outToADeviceWritesIntoItAndNeverReplacesIt() throws {
        let (folder, config) = try demoWorkspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A FIFO stands in for /dev/null or /dev/stdout: an atomic write would replace it with a file.
        let fifo = folder.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = DispatchQueue.global()
        nonisolated(unsafe) var received = Data()
        let done = DispatchSemaphore(value: 0)
        reader.async {
            received = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data()
            done.signal()
        }
        let result = try CommandRunner.run(["digest", "--since", "3650d", "--format", "json", "--out", fifo, "--config", config])
        // Bounded: had the pipe been replaced, its reader would wait forever.
        #expect(done.wait(timeout: .now() + 30) == .success, "the digest went into the pipe")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(decoding: received, as: UTF8.self).hasPrefix("{\"brands\""))
        let type = try FileManager.default.attributesOfItem(atPath: fifo)[.type] as? FileAttributeType
        #expect(type != .typeRegular, "still a pipe, not a file")
    }

    @Test func unknownBrandIsBadUsage() throws {
        let (folder, config) = try demoWorkspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.run(["digest", "--brand", "Nobody", "--config", config])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Vuelalto"))
    }

    /// Appends a `digest:` section sending to `sink` (STARTTLS, login; password from the environment).
    private func addDigest(to config: String, sink: LocalSMTPSink, schedule: String, webhooks: [String] = []) throws {
        var yaml = try String(contentsOfFile: config, encoding: .utf8)
        yaml += """

            digest:
              schedule: \(schedule)
              language: it
              email:
                smtp: \(sink.url)
                username: vigia
                password_env: VIGIA_TEST_SMTP_PASSWORD
                ca_file: \(sink.caFile ?? "")
                from: "Vigía <vigia@example.com>"
                to: ["Marketing <mkt@example.com>", ana@example.com]

            """
        if !webhooks.isEmpty {
            yaml += "  webhooks:\n" + webhooks.map { "    - {type: mattermost, url: \"\($0)\"}\n" }.joined()
        }
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
    }

    @Test func sendMailsTheDigestAndPostsTheSummary() throws {
        let (folder, config) = try demoWorkspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sink = try LocalSMTPSink(tls: .starttls, user: "vigia", password: "pw")
        defer { sink.stop() }
        let hooks = try LocalFeedServer()
        defer { hooks.stop() }
        try addDigest(to: config, sink: sink, schedule: "daily 08:00 Europe/Rome", webhooks: [hooks.url("/hook/ok"), hooks.url("/hook/status/502")])

        let missing = try CommandRunner.run(["digest", "--since", "3650d", "--send", "--config", config])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("VIGIA_TEST_SMTP_PASSWORD"), "\(missing.stderr)")

        let sent = try CommandRunner.run(
            ["digest", "--since", "3650d", "--send", "--config", config], environment: ["VIGIA_TEST_SMTP_PASSWORD": "pw"])
        #expect(sent.status == 1, "one webhook fails on purpose")
        #expect(sent.stdout.contains("email: sent to mkt@example.com, ana@example.com"), "\(sent.stdout)")
        #expect(sent.stdout.contains("mattermost#1: sent"))
        #expect(sent.stdout.contains("mattermost#2: FAILED: "))
        let mail = try #require(try sink.messages(atLeast: 1).first)
        #expect(mail.rcptTo.sorted() == ["ana@example.com", "mkt@example.com"])
        #expect(mail.subject?.hasPrefix("Riepilogo di Vigía") == true)
        #expect(mail.parts.map(\.contentType) == ["text/plain", "text/html"])
        #expect(mail.parts.first?.text?.contains("Menzioni:") == true)
        #expect(mail.parts.last?.text?.contains("Pastaria") == true)
        #expect(try hooks.lastBody("/hook/ok")?.contains("Riepilogo di Vigía") == true)
    }

    @Test func theDaemonSendsTheDigestOncePerPeriod() throws {
        let (folder, config) = try demoWorkspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sink = try LocalSMTPSink(tls: .starttls, user: "vigia", password: "pw")
        defer { sink.stop() }
        // A slot a few minutes ago (UTC), so the next `run --once` finds it due.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let slot = calendar.dateComponents([.hour, .minute], from: Date().addingTimeInterval(-180))
        try addDigest(to: config, sink: sink, schedule: String(format: "daily %02d:%02d UTC", slot.hour ?? 0, slot.minute ?? 0))
        let environment = ["VIGIA_TEST_SMTP_PASSWORD": "pw"]
        for _ in 0..<2 {
            let run = try CommandRunner.run(["run", "--once", "--config", config, "--log-level", "warning"], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
        }
        let mails = try sink.messages(atLeast: 1)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try sink.messages(atLeast: 1).count == 1, "a restart never sends a period twice")
        #expect(mails.first?.subject?.hasPrefix("Riepilogo di Vigía") == true)
        let history = try CommandRunner.run(["digest", "--history", "--config", config])
        #expect(history.status == 0)
        #expect(history.stdout.contains("email"))
        #expect(history.stdout.contains("delivered"))
    }
}
