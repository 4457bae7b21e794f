import Foundation
import Testing
import TestSupport

/// A folder with a `vigia.yaml` whose sources are `urls`, brands Acme and the demo brands.
private func makeWorkspace(urls: [String], timeout: Int = 10, stallTimeout: Int = 3) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var yaml = "database: vigia.db\nsources:\n"
    for url in urls { yaml += "  - url: \(url)\n" }
    yaml += """
        fetch:
          timeout: \(timeout)s
          stall_timeout: \(stallTimeout)s
        brands:
          - name: Acme
          - name: Vuelalto
          - name: Pastaria
          - name: Zapply

        """
    try Data(yaml.utf8).write(to: folder.appendingPathComponent("vigia.yaml"))
    return folder
}

private func json(_ text: String) throws -> [String: Any] {
    let line = try #require(text.split(separator: "\n").last.map(String.init))
    return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
}

private func feedStatus(_ folder: URL) throws -> [[String: Any]] {
    let result = try CommandRunner.run(["feeds", "status", "--format", "json", "--config", folder.appendingPathComponent("vigia.yaml").path])
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
}

@Suite("vigia run --once") struct RunOnceTests {
    @Test func demoSourcesThroughTheWholePipeline() throws {
        let demo = CommandRunner.repositoryRoot.appendingPathComponent("feeds/demo.opml")
        let folder = try makeWorkspace(urls: [])
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = try String(contentsOf: folder.appendingPathComponent("vigia.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "sources:\n", with: "sources:\n  - opml: \(demo.path)\n")
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("vigia.yaml"))
        let config = folder.appendingPathComponent("vigia.yaml").path

        let first = try CommandRunner.run(["run", "--once", "--format", "json", "--config", config])
        #expect(first.status == 0, "\(first.stderr)")
        let report = try json(first.stdout)
        #expect(report["feeds"] as? Int == 5)
        #expect(report["fetched"] as? Int == 5)
        #expect((report["entries_new"] as? Int ?? 0) > 0)
        let mentions = try #require(report["mentions"] as? [String: [String: Int]])
        #expect(Set(mentions.keys).isSuperset(of: ["Vuelalto", "Pastaria", "Zapply"]))
        #expect(mentions["Vuelalto"]?["neg"] ?? 0 > 0)

        // Nothing changed: nothing parsed again, nothing stored twice.
        let second = try CommandRunner.run(["run", "--once", "--format", "json", "--config", config])
        #expect(second.status == 0)
        let again = try json(second.stdout)
        #expect(again["entries_new"] as? Int == 0)
        #expect(again["unchanged"] as? Int == 5)

        let text = try CommandRunner.run(["run", "--once", "--config", config])
        #expect(text.stdout.contains("Polled 5 of 5 feeds"))
    }

    @Test func mixedFeedsAreRecordedAndExitZero() throws {
        let server = try LocalFeedServer()
        let folder = try makeWorkspace(urls: [
            server.url("/version/run.xml"), server.url("/status/500"), server.url("/redirect/301/feed.xml"),
            server.url("/retry-after/600"),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("vigia.yaml").path
        let result = try CommandRunner.run(["run", "--once", "--format", "json", "--config", config])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(report["polled"] as? Int == 4)
        #expect(report["failed"] as? Int == 2)
        #expect(report["fetched"] as? Int == 2)

        let status = try feedStatus(folder)
        let byURL = Dictionary(uniqueKeysWithValues: status.compactMap { row in (row["url"] as? String).map { ($0, row) } })
        #expect(byURL[server.url("/status/500")]?["consecutive_failures"] as? Int == 1)
        #expect(byURL[server.url("/status/500")]?["state"] as? String == "failing")
        #expect(byURL[server.url("/redirect/301/feed.xml")]?["fetch_url"] as? String == server.url("/feed.xml"))
        #expect(byURL[server.url("/version/run.xml")]?["state"] as? String == "ok")

        // The server asked for 10 minutes: the next --once leaves that feed alone.
        _ = try CommandRunner.run(["run", "--once", "--config", config])
        #expect(try server.count("/retry-after/600") == 1)
        #expect(try server.count("/status/500") == 1, "a failed feed waits for its backoff")
        #expect(try server.count("/version/run.xml") == 2)
        #expect(try server.stats().lastHeaders["/version/run.xml"]?["if-none-match"] != nil)
    }

    @Test func nothingPolledIsExitOne() throws {
        let server = try LocalFeedServer()
        let folder = try makeWorkspace(urls: [server.url("/status/404"), "http://127.0.0.1:1/feed.xml"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.run(["run", "--once", "--config", folder.appendingPathComponent("vigia.yaml").path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("Failed feeds:"))
        #expect(result.stdout.contains("404"))
    }

    @Test func noFeedsIsAClearError() throws {
        let folder = try makeWorkspace(urls: [])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.run(["run", "--once", "--config", folder.appendingPathComponent("vigia.yaml").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no feeds to poll"))
    }

    @Test func folderSourceReadsEachDroppedExportOnce() throws {
        let inbox = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-drop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: inbox) }
        let folder = try makeWorkspace(urls: [inbox.absoluteString])
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("vigia.yaml").path
        let anHourAgo = Date().addingTimeInterval(-3600)
        func drop(_ name: String, _ lines: [String], modified: Date = Date().addingTimeInterval(-3600)) throws {
            let url = inbox.appendingPathComponent(name)
            try Data((["id,title,text"] + lines).joined(separator: "\n").utf8).write(to: url)
            try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: url.path)
        }
        try drop("week1.csv", ["1,Acme,Acme support was great", "2,Acme,Acme lost my parcel"])
        try drop(".week2.csv.swp", ["9,Acme,never read"])
        try drop("week2.csv.part", ["8,Acme,never read either"])
        // Still being written (its time is in the future on a loaded machine too): left for later.
        try drop("fresh.csv", ["7,Acme,still being written"], modified: Date().addingTimeInterval(3600))

        let first = try json(try CommandRunner.run(["run", "--once", "--format", "json", "--config", config]).stdout)
        #expect(first["entries_new"] as? Int == 2)
        let second = try json(try CommandRunner.run(["run", "--once", "--format", "json", "--config", config]).stdout)
        #expect(second["entries_new"] as? Int == 0)
        #expect(second["not_modified"] as? Int == 1)

        try drop("week2.csv", ["3,Acme,Acme refund arrived", "1,Acme,Acme support was great"], modified: anHourAgo.addingTimeInterval(60))
        try drop("fresh.csv", ["7,Acme,finished now"], modified: anHourAgo)
        let third = try json(try CommandRunner.run(["run", "--once", "--format", "json", "--config", config]).stdout)
        #expect(third["entries_new"] as? Int == 2, "week2's new row and the finished fresh.csv")
        #expect(third["entries_read"] as? Int == 3)
    }

    @Test func jsonLogs() throws {
        let demo = CommandRunner.repositoryRoot.appendingPathComponent("feeds/demo/zapply-en.json")
        let folder = try makeWorkspace(urls: [demo.absoluteString])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.run([
            "run", "--once", "--log-format", "json", "--config", folder.appendingPathComponent("vigia.yaml").path,
        ])
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] != nil && object?["msg"] != nil, "\(line)")
        }
    }
}

/// A `vigia` process in the background.
private final class Daemon {
    let process = Process()
    let stderr = Pipe()

    init(_ arguments: [String]) throws {
        process.executableURL = CommandRunner.binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits for the process to end, at most `seconds`; true when it ended.
    func waitForExit(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        return !process.isRunning
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill9() }
    }
}

@Suite("vigia run, the daemon") struct DaemonTests {
    @Test func metricsHealthAndCleanShutdownOnSIGTERM() throws {
        let server = try LocalFeedServer()
        let folder = try makeWorkspace(
            urls: [server.url("/version/daemon.xml"), server.url("/slow/20.xml"), server.url("/status/503")],
            timeout: 60, stallTimeout: 40)
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = try freePort()
        let daemon = try Daemon([
            "run", "--metrics", "127.0.0.1:\(port)", "--config", folder.appendingPathComponent("vigia.yaml").path,
        ])
        // Wait (bounded) for the first cycle's polls to be counted.
        var metrics = ""
        for _ in 0..<200 {
            if let response = try? LocalFeedServer.request("GET", "/metrics", port: port, timeout: 2),
                response.status == 200, response.text.contains("vigia_polls_total{result=\"fetched\"} 1"),
                response.text.contains("vigia_fetch_errors_total{kind=\"http_status\"} 1"),
                response.text.contains("vigia_entries_stored_total "), !response.text.contains("vigia_entries_stored_total 0\n")
            {
                metrics = response.text
                break
            }
            usleep(50_000)
        }
        #expect(metrics.contains("vigia_polls_total{result=\"fetched\"} 1"), "\(metrics)")
        #expect(metrics.contains("vigia_fetch_errors_total{kind=\"http_status\"} 1"))
        #expect(metrics.contains("vigia_entries_stored_total 3"), "the three items of /version/daemon.xml")
        #expect(metrics.contains("vigia_fetch_queue_depth"))
        let health = try LocalFeedServer.request("GET", "/healthz", port: port)
        #expect(health.status == 200)
        #expect(health.text.hasPrefix("ok"))

        // /slow/20.xml is still in flight: SIGTERM abandons it and the daemon exits cleanly.
        kill(daemon.process.processIdentifier, SIGTERM)
        let exited = daemon.waitForExit(seconds: 10)
        #expect(exited, "the daemon did not stop within 10 s of SIGTERM")
        if exited { #expect(daemon.process.terminationStatus == 0) }

        let status = try feedStatus(folder)
        let slow = status.first { $0["url"] as? String == server.url("/slow/20.xml") }
        #expect(slow?["consecutive_failures"] as? Int == 0, "an abandoned transfer is not a failure")
    }

    /// `kill -9` at random moments of several runs, then a full run: every entry stored exactly
    /// once, and every feed's state consistent with its entries.
    @Test func killNineAtAnyMomentLosesNothingAndDuplicatesNothing() throws {
        let server = try LocalFeedServer()
        let sizes = (0..<12).map { 600 + $0 * 37 }
        let folder = try makeWorkspace(urls: sizes.map { server.url("/items/\($0).xml") })
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("vigia.yaml").path
        var generator = SystemRandomNumberGenerator()
        for round in 0..<6 {
            let daemon = try Daemon(["run", "--once", "--quiet", "--config", config])
            usleep(UInt32.random(in: 30_000...(150_000 + UInt32(round) * 100_000), using: &generator))
            daemon.kill9()
        }
        let final = try CommandRunner.run(["run", "--once", "--format", "json", "--config", config])
        #expect(final.status == 0, "\(final.stderr)")

        let export = try CommandRunner.run(["export", "--format", "jsonl", "--config", config])
        #expect(export.status == 0)
        var perSource: [String: Set<String>] = [:]
        var rows = 0
        for line in export.stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let source = object["source"] as? String ?? "?"
            let guid = object["guid"] as? String ?? object["id"] as? String ?? "?"
            perSource[source, default: []].insert(guid)
            rows += 1
        }
        #expect(rows == sizes.reduce(0, +), "every item stored exactly once")
        #expect(perSource.values.map(\.count).reduce(0, +) == rows, "no entry twice")
        for row in try feedStatus(folder) {
            #expect(row["state"] as? String == "ok")
            #expect(row["last_error"] is NSNull)
        }
    }
}

/// A port nobody listens on now (bound and released).
private func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
    address.sin_port = 0
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
