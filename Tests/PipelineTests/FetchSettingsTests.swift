import Foundation
import Testing
@testable import Pipeline

@Suite("vigia.yaml fetch:") struct FetchSettingsTests {
    private let file = URL(fileURLWithPath: "/srv/vigia/vigia.yaml")

    private func parse(_ fetch: String) throws -> Configuration {
        try Configuration.parse("brands:\n  - name: Acme\nfetch:\n\(fetch)\n", file: file)
    }

    private func failure(_ fetch: String) -> ConfigurationError? {
        do {
            _ = try parse(fetch)
            return nil
        } catch {
            return error as? ConfigurationError
        }
    }

    @Test func defaultsWhenAbsent() throws {
        let configuration = try Configuration.parse("brands:\n  - name: Acme\n", file: file)
        #expect(configuration.fetch == FetchSettings())
        #expect(configuration.fetch.interval == .seconds(1800))
        #expect(configuration.fetch.perHost == 4)
        #expect(configuration.sources.isEmpty)
    }

    @Test func readsEveryKey() throws {
        let settings = try parse("""
              interval: 15m
              min_interval: 2m
              max_interval: 12h
              concurrency: 64
              per_host: 8
              connect_timeout: 5s
              timeout: 30s
              stall_timeout: 10s
              max_body: 5MB
            """).fetch
        #expect(settings.interval == .seconds(900))
        #expect(settings.minInterval == .seconds(120))
        #expect(settings.maxInterval == .seconds(43_200))
        #expect(settings.concurrency == 64)
        #expect(settings.perHost == 8)
        #expect(settings.connectTimeout == .seconds(5))
        #expect(settings.timeout == .seconds(30))
        #expect(settings.stallTimeout == .seconds(10))
        #expect(settings.maxBodyBytes == 5 << 20)
    }

    @Test(arguments: [
        ("  concurrency: 0", "fetch.concurrency"),
        ("  concurrency: lots", "fetch.concurrency"),
        ("  per_host: 100000", "fetch.per_host"),
        ("  timeout: soon", "fetch.timeout"),
        ("  max_body: huge", "fetch.max_body"),
        ("  max_body: 10", "fetch.max_body"),
        ("  min_interval: 2h\n  max_interval: 1h", "fetch.min_interval"),
        ("  retries: 3", "retries"),
    ])
    func badValuesNameTheKey(_ fetch: String, _ key: String) throws {
        let error = try #require(failure(fetch))
        #expect("\(error)".contains(key), "\(error)")
        #expect(error.line != nil)
    }

    @Test func emptySourcesIsAnEmptyList() throws {
        let configuration = try Configuration.parse("sources:\nbrands:\n  - name: Acme\n", file: file)
        #expect(configuration.sources.isEmpty)
    }

    @Test(arguments: [("512", 512), ("64KB", 64 << 10), ("20MB", 20 << 20), ("1.5MB", 3 << 19), ("1GB", 1 << 30), ("2k", 2048)])
    func byteSizes(_ text: String, _ bytes: Int) {
        #expect(ByteSize.parse(text) == bytes)
    }

    @Test(arguments: ["", "MB", "-1MB", "12XB", "1e40GB"])
    func badByteSizes(_ text: String) {
        #expect(ByteSize.parse(text) == nil)
    }
}
