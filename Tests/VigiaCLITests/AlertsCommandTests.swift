import Foundation
import Testing
import TestSupport

@Suite("vigia alerts test") struct AlertsCommandTests {
    private func workspace(_ sinks: String) throws -> (URL, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let yaml = "brands:\n  - name: Acme\nalerts:\n  sinks:\n\(sinks)"
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("vigia.yaml"))
        return (folder, folder.appendingPathComponent("vigia.yaml").path)
    }

    @Test func everySinkGetsAMarkedSampleAndReportsItsResult() throws {
        let server = try LocalFeedServer()
        let (folder, config) = try workspace("""
                - {type: file, path: alerts.jsonl}
                - {type: slack, url: "\(server.url("/hook/ok"))", name: team-room}
                - {type: discord, url: "\(server.url("/hook/status/500"))"}

            """)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.run(["alerts", "test", "--config", config])
        #expect(result.status == 1, "one sink failed")
        #expect(result.stdout.contains("file#1: delivered"))
        #expect(result.stdout.contains("team-room: delivered (HTTP 204)"))
        #expect(result.stdout.contains("discord#3: FAILED: the server answered HTTP 500"))
        let slack = try #require(try server.lastBody("/hook/ok"))
        #expect(slack.contains("[TEST] Negative spike for Acme"))
        let file = try String(contentsOf: folder.appendingPathComponent("alerts.jsonl"), encoding: .utf8)
        #expect(file.contains("\"test\":true"))
    }

    @Test func configurationErrorsAreExitTwo() throws {
        let (folder, config) = try workspace("    - {type: pager, url: \"https://example.org\"}\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.run(["alerts", "test", "--config", config])
        #expect(result.status == 2)
        #expect(result.stderr.contains("'pager' is not a sink type"))
    }
}
