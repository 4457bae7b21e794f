import Foundation
import Testing
import TestSupport

/// A fresh `vigia init` folder.
private func initFolder() throws -> (folder: URL, config: String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-feeds-\(UUID().uuidString)")
    let result = try CommandRunner.run(["init", "--directory", folder.path, "--brand", "Acme"])
    #expect(result.status == 0, "\(result.stderr)")
    return (folder, folder.appendingPathComponent("vigia.yaml").path)
}

@Suite("vigia feeds") struct FeedsCommandTests {
    @Test func addListExportRemove() throws {
        let (folder, config) = try initFolder()
        defer { try? FileManager.default.removeItem(at: folder) }

        let added = try CommandRunner.run(["feeds", "add", "https://forum.example.org/latest.json", "--format", "discourse", "--title", "Forum", "--config", config])
        #expect(added.status == 0, "\(added.stderr)")
        let again = try CommandRunner.run(["feeds", "add", "https://forum.example.org/latest.json", "--config", config])
        #expect(again.stdout.contains("already listed"))
        _ = try CommandRunner.run(["feeds", "add", "https://news.example.com/rss", "--config", config])

        let list = try CommandRunner.run(["feeds", "list", "--config", config])
        #expect(list.stdout.contains("https://forum.example.org/latest.json\tForum"))
        #expect(list.stdout.contains("discourse"))
        #expect(list.stdout.contains("https://news.example.com/rss"))

        let export = try CommandRunner.run(["feeds", "export", "--config", config])
        #expect(export.stdout.hasPrefix("<?xml"))
        #expect(export.stdout.contains("xmlUrl=\"https://news.example.com/rss\""))

        let removed = try CommandRunner.run(["feeds", "remove", "https://news.example.com/rss", "--config", config])
        #expect(removed.status == 0, "\(removed.stderr)")
        let after = try CommandRunner.run(["feeds", "list", "--config", config])
        #expect(!after.stdout.contains("news.example.com"))
        #expect(after.stdout.contains("forum.example.org"))

        let unknown = try CommandRunner.run(["feeds", "remove", "https://nowhere.example/rss", "--config", config])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("not a configured feed"))
        let bad = try CommandRunner.run(["feeds", "add", "ftp://example.com/feed", "--config", config])
        #expect(bad.status == 2)
    }

    @Test func importMergesAnOPMLExport() throws {
        let (folder, config) = try initFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let demo = CommandRunner.repositoryRoot.appendingPathComponent("feeds/demo.opml").path
        let first = try CommandRunner.run(["feeds", "import", demo, "--config", config])
        #expect(first.stdout.contains("imported 5 feeds"))
        let second = try CommandRunner.run(["feeds", "import", demo, "--config", config])
        #expect(second.stdout.contains("imported 0 feeds"))
        let list = try CommandRunner.run(["feeds", "list", "--config", config])
        #expect(list.stdout.split(separator: "\n").count == 5)
        // Relative xmlUrls of the imported file became absolute file URLs.
        #expect(list.stdout.contains("file://" + CommandRunner.repositoryRoot.appendingPathComponent("feeds/demo/zapply-en.json").path))

        let broken = try CommandRunner.temporaryFile(named: "broken.opml", contents: Data("<opml><body><outline".utf8))
        let failure = try CommandRunner.run(["feeds", "import", broken, "--config", config])
        #expect(failure.status == 2)
        #expect(failure.stderr.contains("broken.opml"))
    }

    @Test func statusShowsHealthAfterARun() throws {
        let server = try LocalFeedServer()
        let (folder, config) = try initFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for path in ["/feed.xml", "/status/410"] {
            _ = try CommandRunner.run(["feeds", "add", server.url(path), "--config", config])
        }
        let before = try CommandRunner.run(["feeds", "status", "--config", config])
        #expect(before.stdout.contains("new"))
        _ = try CommandRunner.run(["run", "--once", "--config", config])
        let status = try CommandRunner.run(["feeds", "status", "--config", config])
        #expect(status.status == 0)
        let lines = status.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("STATE\tHTTP\tLAST SUCCESS\tFAILS\tITEMS/DAY\tNEXT POLL\tFEED") == true)
        let ok = try #require(lines.first { $0.hasSuffix(server.url("/feed.xml")) })
        #expect(ok.hasPrefix("ok\t200\t"))
        let gone = try #require(lines.first { $0.hasSuffix(server.url("/status/410")) })
        #expect(gone.hasPrefix("failing\t410\tnever\t1\t"))
        #expect(status.stdout.contains("410 Gone"))
    }

    @Test func checkExplainsInPlainWords() throws {
        let server = try LocalFeedServer()
        let good = try CommandRunner.run(["feeds", "check", server.url("/feed.xml")])
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(good.stdout.contains("HTTP 200"))
        #expect(good.stdout.contains("conditional GET works"))
        #expect(good.stdout.contains("Verdict: OK"))

        let moved = try CommandRunner.run(["feeds", "check", server.url("/redirect/301/feed.xml")])
        #expect(moved.stdout.contains("redirected permanently (301)"))
        #expect(moved.stdout.contains("moved for good"))

        let page = try CommandRunner.run(["feeds", "check", server.url("/not-a-feed")])
        #expect(page.status == 2)
        #expect(page.stdout.contains("not a feed"))

        let missing = try CommandRunner.run(["feeds", "check", server.url("/status/404")])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("404"))

        let loop = try CommandRunner.run(["feeds", "check", server.url("/loop")])
        #expect(loop.status == 1)
        #expect(loop.stdout.contains("redirect"))

        let refused = try CommandRunner.run(["feeds", "check", "http://127.0.0.1:1/feed.xml"])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("no connection"))
    }
}
