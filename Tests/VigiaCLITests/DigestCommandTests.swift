import Foundation
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

    @Test func unknownBrandIsBadUsage() throws {
        let (folder, config) = try demoWorkspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.run(["digest", "--brand", "Nobody", "--config", config])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Vuelalto"))
    }
}
