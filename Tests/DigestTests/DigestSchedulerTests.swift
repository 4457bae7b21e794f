import Alerting
import Fetching
import Foundation
import Logging
import Mailing
import Storage
import TestSupport
import Testing
@testable import Digest

/// The daemon's digest: sent at the slot over real SMTP (STARTTLS, login) and a real webhook
/// receiver, once per period and target even across restarts, failures retried.
@Suite(.serialized) struct DigestSchedulerTests {
    private func date(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text))
    }

    private func scheduler(_ store: any MentionStore, targets: [DigestTarget]) throws -> DigestScheduler {
        let schedule = try DigestSchedule(parsing: "daily 08:00 Europe/Madrid")
        let plan = DigestPlan(
            schedule: schedule, scopes: [.init(timeZone: schedule.timeZone, brands: [.init(name: "Acme")])], language: "es",
            link: "https://intranet.example/vigia/latest.html", targets: targets)
        return DigestScheduler(
            store: store, plan: plan, sender: DigestSender(deliverer: AlertDeliverer(fetcher: Fetcher())), logger: Logger(label: "test"))
    }

    @Test func sendsEachPeriodOncePerTargetAcrossRestarts() async throws {
        let fixture = try await DigestStore()
        let slot = try date("2026-11-22T07:00:00Z")  // 08:00 in Madrid
        for minute in stride(from: 0, to: 600, by: 60) {
            try await fixture.add("Acme", .neg, at: slot.addingTimeInterval(-Double(minute) * 60 - 30), text: "reembolso pendiente <script>x</script>",
                                  language: "es")
        }
        let sink = try LocalSMTPSink(tls: .starttls, user: "vigia", password: "s3cret")
        defer { sink.stop() }
        let hooks = try LocalFeedServer()
        defer { hooks.stop() }
        let email = EmailTarget(
            settings: try SMTPSettings(url: sink.url, security: .starttls, username: "vigia", password: "s3cret", caFile: sink.caFile),
            from: try MailAddress(parsing: "Vigía <vigia@example.com>"), to: [try MailAddress(parsing: "Marketing <mkt@example.com>")])
        let targets: [DigestTarget] = [
            .email(email),
            .webhook(try AlertSink(fields: ["type": "slack", "url": hooks.url("/hook/ok"), "name": "team"], index: 0, directory: fixture.folder)),
            .webhook(try AlertSink(fields: ["type": "generic", "url": hooks.url("/hook/status/500"), "name": "flaky"], index: 1, directory: fixture.folder)),
        ]
        let archive = fixture.folder.appendingPathComponent("digests")
        let first = try scheduler(fixture.store, targets: targets + [.archive(directory: archive)])

        // Before the slot nothing is due.
        let early = try await first.pass(now: slot.addingTimeInterval(-60))
        #expect(early.queued == 0 && early.delivered == 0, "yesterday's slot is too old to send late")

        let report = try await first.pass(now: slot.addingTimeInterval(120))
        #expect(report.queued == 4)
        #expect(report.delivered == 3)
        #expect(report.retrying == 1)

        let mail = try #require(try sink.messages(atLeast: 1).first)
        #expect(mail.tls && mail.authUser == "vigia")
        #expect(String(decoding: mail.raw, as: UTF8.self).contains("\r\nAuto-Submitted: auto-generated\r\n"), "no vacation replies to a digest")
        #expect(mail.subject?.hasPrefix("Resumen de Vigía 2026-11-22: Acme 10") == true, "\(mail.subject ?? "")")
        #expect(mail.contentType?.hasPrefix("multipart/alternative") == true)
        #expect(mail.parts.map(\.contentType) == ["text/plain", "text/html"])
        let html = try #require(mail.parts.last?.text)
        #expect(html.contains("Acme") && html.contains("Menciones"))
        #expect(html.contains("&lt;script&gt;") && !html.contains("<script>"))
        #expect(try hooks.count("/hook/ok") == 1)
        let posted = try #require(try hooks.lastBody("/hook/ok"))
        #expect(posted.contains("Resumen de Vigía") && posted.contains("intranet.example"))
        // The archive holds the digest.
        #expect(FileManager.default.fileExists(atPath: archive.appendingPathComponent("latest.html").path))
        let stem = "digest-2026-11-22-0800-Europe-Madrid"
        #expect(FileManager.default.fileExists(atPath: archive.appendingPathComponent(stem + ".html").path))
        #expect(try String(contentsOf: archive.appendingPathComponent(stem + ".md"), encoding: .utf8).hasPrefix("# Resumen de Vigía"))

        // The same pass again, and a restarted daemon: nothing sent twice.
        let again = try await first.pass(now: slot.addingTimeInterval(180))
        #expect(again.queued == 0 && again.delivered == 0)
        let restarted = try scheduler(fixture.store, targets: targets)
        let afterRestart = try await restarted.pass(now: slot.addingTimeInterval(240))
        #expect(afterRestart.queued == 0 && afterRestart.delivered == 0)
        #expect(try sink.messages(atLeast: 1).count == 1)
        #expect(try hooks.count("/hook/ok") == 1)

        // The failing webhook is retried later, then given up after the policy's attempts.
        let deliveries = try await fixture.store.digestDeliveries(limit: 10)
        let flaky = try #require(deliveries.first { $0.target == "flaky" })
        #expect(flaky.status == .pending, "retried with backoff")
        #expect(flaky.attempts >= 2, "each pass retries what is due")
        #expect(flaky.lastError?.contains("500") == true)
        #expect(deliveries.filter { $0.status == .delivered }.count == 3)

        // The next morning: a new period, sent again.
        let next = try await restarted.pass(now: slot.addingTimeInterval(86_400 + 60))
        #expect(next.queued == 3)
        #expect(try sink.messages(atLeast: 2).count == 2)
    }

    @Test func anArchiveAloneIsWrittenOncePerPeriod() async throws {
        let fixture = try await DigestStore()
        let archive = fixture.folder.appendingPathComponent("digests")
        let scheduler = try scheduler(fixture.store, targets: [.archive(directory: archive)])
        let slot = try date("2026-11-22T07:00:00Z")
        #expect(try await scheduler.pass(now: slot.addingTimeInterval(60)).delivered == 1)
        let latest = archive.appendingPathComponent("latest.html")
        try "edited by hand".write(to: latest, atomically: true, encoding: .utf8)
        #expect(try await scheduler.pass(now: slot.addingTimeInterval(120)).delivered == 0)
        #expect(try String(contentsOf: latest, encoding: .utf8) == "edited by hand", "nothing written twice")
        // A directory that cannot be made: retried, not given up.
        let blocked = fixture.folder.appendingPathComponent("file")
        try "x".write(to: blocked, atomically: true, encoding: .utf8)
        let failing = try self.scheduler(fixture.store, targets: [.archive(directory: blocked.appendingPathComponent("sub"))])
        let report = try await failing.pass(now: slot.addingTimeInterval(86_400 + 60))
        #expect(report.retrying == 1)
    }

    @Test func aSlotMissedByMoreThanHalfAPeriodIsNotSentLate() async throws {
        let fixture = try await DigestStore()
        let scheduler = try scheduler(fixture.store, targets: [])
        let slot = try date("2026-11-22T07:00:00Z")
        #expect(scheduler.dueRuns(now: slot.addingTimeInterval(11 * 3600)).count == 1, "back the same day: sent late")
        #expect(scheduler.dueRuns(now: slot.addingTimeInterval(13 * 3600)).isEmpty, "the next digest is near")
        let run = try #require(scheduler.dueRuns(now: slot.addingTimeInterval(60)).first)
        #expect(run.periodEnd == slot && run.periodStart == slot.addingTimeInterval(-86_400))
        #expect(run.key == "Europe/Madrid/2026-11-22T07:00:00Z")
    }

    @Test func aRejectedPasswordIsGivenUpAtOnce() async throws {
        let fixture = try await DigestStore()
        let sink = try LocalSMTPSink(tls: .starttls, user: "vigia", password: "right")
        defer { sink.stop() }
        let email = EmailTarget(
            settings: try SMTPSettings(url: sink.url, security: .starttls, username: "vigia", password: "wrong", caFile: sink.caFile),
            from: try MailAddress(parsing: "vigia@example.com"), to: [try MailAddress(parsing: "mkt@example.com")])
        let scheduler = try scheduler(fixture.store, targets: [.email(email)])
        let report = try await scheduler.pass(now: try date("2026-11-22T07:01:00Z"))
        #expect(report.givenUp == 1 && report.delivered == 0)
        let delivery = try #require(try await fixture.store.digestDeliveries(limit: 1).first)
        #expect(delivery.status == .failed)
        #expect(delivery.lastError?.contains("wrong") == false, "the password never appears in errors")
    }
}
