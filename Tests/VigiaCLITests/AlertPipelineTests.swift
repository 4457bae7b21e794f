import Foundation
import Testing
import TestSupport

/// `vigia run --once` end to end with alerting: stored history warms the detector up, a burst of
/// complaints in a closed bucket records one alert, delivered to a file and a webhook.
@Suite("alerts from the daemon") struct AlertPipelineTests {
    /// An RSS file: one complaint every 20 minutes over the last 10 hours, plus `burst` items
    /// published within one bucket 25 to 30 minutes ago with `burstText`.
    private func feed(burst: Int, burstText: String, now: Date, neutralEvery: Int? = nil) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var items: [String] = []
        func item(_ id: String, _ text: String, _ date: Date) {
            items.append("<item><guid>\(id)</guid><title>\(text)</title><link>https://forum.example/t/\(id)</link><description>\(text)</description><pubDate>\(formatter.string(from: date))</pubDate></item>")
        }
        for k in 1...30 { item("h\(k)", "Acme support is terrible number \(k)", now.addingTimeInterval(-Double(k) * 1200 - 1800)) }
        // The burst inside one 5-minute bucket that closed more than the grace period ago.
        let bucket = ((now.timeIntervalSince1970 - 1500) / 300).rounded(.down) * 300
        for k in 0..<burst {
            let neutral = neutralEvery.map { k % $0 != 0 } ?? false
            item("b\(k)", neutral ? "Acme opens a new store on Main Street \(k)" : "\(burstText) \(k)", Date(timeIntervalSince1970: bucket + 10 + Double(k)))
        }
        return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Forum</title>\(items.joined())</channel></rss>"
    }

    private func workspace(_ feedText: String, hook: String) throws -> (URL, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-alerting-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(feedText.utf8).write(to: folder.appendingPathComponent("forum.xml"))
        let yaml = """
            sources:
              - url: forum.xml
            brands:
              - name: Acme
            alerts:
              bucket: 5m
              sinks:
                - {type: file, path: alerts.jsonl}
                - {type: slack, url: "\(hook)", name: room}

            """
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("vigia.yaml"))
        return (folder, folder.appendingPathComponent("vigia.yaml").path)
    }

    @Test func aBurstOfComplaintsIsOneAlertDeliveredEverywhere() throws {
        let server = try LocalFeedServer()
        let (folder, config) = try workspace(
            feed(burst: 30, burstText: "Acme lost my refund, terrible service", now: Date()), hook: server.url("/hook/ok"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try CommandRunner.run(["run", "--once", "--config", config])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("alert"), "\(run.stderr)")

        let lines = try String(contentsOf: folder.appendingPathComponent("alerts.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        let alert = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(alert["brand"] as? String == "Acme")
        #expect((alert["observed"] as? Int ?? 0) >= 25)
        #expect((alert["top_mentions"] as? [[String: Any]])?.isEmpty == false)
        #expect((alert["terms"] as? [String])?.contains("refund") == true)
        #expect(try server.lastBody("/hook/ok")?.contains("Negative spike for Acme") == true)

        let list = try CommandRunner.run(["alerts", "list", "--config", config])
        #expect(list.stdout.contains("Acme"))
        #expect(list.stdout.contains("room: delivered"))
        #expect(list.stdout.contains("file#1: delivered"))

        // A backtest over the stored history finds the same spike and records nothing.
        let backtest = try CommandRunner.run(["alerts", "backtest", "--since", "2d", "--config", config])
        #expect(backtest.status == 0, "\(backtest.stderr)")
        #expect(backtest.stdout.contains("1 alert would have fired"), "\(backtest.stdout)")
        #expect(backtest.stdout.contains("Negative spike for Acme"))

        // Judged again after a restart: the same bucket, the same key, nothing recorded twice.
        _ = try CommandRunner.run(["run", "--once", "--config", config])
        let after = try String(contentsOf: folder.appendingPathComponent("alerts.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(after.count == 1)
        #expect(try server.count("/hook/ok") == 1)
    }

    /// A viral surge: 40 mentions, one in four a complaint (10 negative ones, a spike on their own),
    /// but a smaller negative share than usual.
    @Test func aSurgeWithAnUsualNegativeShareDoesNotAlert() throws {
        let server = try LocalFeedServer()
        let (folder, config) = try workspace(
            feed(burst: 40, burstText: "Acme lost my refund, terrible service", now: Date(), neutralEvery: 4), hook: server.url("/hook/ok"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try CommandRunner.run(["run", "--once", "--config", config])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("alerts.jsonl").path))
        #expect(try server.count("/hook/ok") == 0)
    }
}
