import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Fetching

/// The `FetchError` that `body` throws (nil, with an issue recorded, when it succeeds or throws
/// something else).
func fetchError(_ body: () async throws -> Void) async -> FetchError? {
    do {
        try await body()
        Issue.record("expected a FetchError, the fetch succeeded")
        return nil
    } catch let error as FetchError {
        return error
    } catch {
        Issue.record("expected a FetchError, got \(error)")
        return nil
    }
}

/// Limits small enough that a test that goes wrong still ends within seconds.
private let quick = FetchLimits(connectTimeout: 5, totalTimeout: 10, stallTimeout: 10)

/// Waits (at most `seconds`) until `condition` holds; false when it never did.
private func eventually(within seconds: Double = 10, _ condition: () throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try condition()
}

/// Runs blocking work (starting a server process and waiting for its port) on a thread of its own,
/// so that the tests running in parallel do not starve Swift's small cooperative pool.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// A local feed server, started off the cooperative pool, and stopped off it when released.
///
/// Stopping a server waits for Foundation to reap its process, which takes a Dispatch worker
/// thread; when every cooperative thread (two on a two-core machine) is blocked in a stop, no
/// worker is left and the stops wait forever. So stops never run on the cooperative pool.
final class ServerHandle: Sendable {
    let server: LocalFeedServer

    init(_ server: LocalFeedServer) { self.server = server }

    deinit {
        let server = self.server
        Thread { server.stop() }.start()
    }

    func url(_ path: String) -> String { server.url(path) }
    func stats() throws -> (counts: [String: Int], lastHeaders: [String: [String: String]]) { try server.stats() }
    func count(_ path: String) throws -> Int { try server.count(path) }

    /// Stops the server now (off the pool), for tests that need its port closed.
    func stop() async throws { try await offPool { [server] in server.stop() } }
}

func startServer(tls: Bool = false) async throws -> ServerHandle {
    ServerHandle(try await offPool { try LocalFeedServer(tls: tls) })
}

/// Samples a fetcher's running transfers until stopped; returns the most seen at once.
private final class DepthSampler: Sendable {
    private let highest = Atomic<Int>(0)
    private let done = Atomic<Bool>(false)
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(_ fetcher: Fetcher) {
        let task = Task { [self] in
            while !done.load(ordering: .relaxed) {
                highest.max(fetcher.queueDepth.running, ordering: .relaxed)
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
        self.task.withLock { $0 = task }
    }

    func stop() async -> Int {
        done.store(true, ordering: .relaxed)
        await task.withLock { $0 }?.value
        return highest.load(ordering: .relaxed)
    }
}

/// A fetcher against its own local feed server, stopped when the test ends.
@Suite struct MultiFetcherTests {
    let server: ServerHandle
    let fetcher: Fetcher

    init() async throws {
        server = try await startServer()
        fetcher = Fetcher(concurrency: .init(maxTransfers: 8, maxPerHost: 4))
    }

    func get(_ path: String, etag: String? = nil, lastModified: String? = nil, limits: FetchLimits = quick)
        async throws -> FetchResponse
    {
        try await fetcher.fetch(FetchRequest(url: server.url(path), etag: etag, lastModified: lastModified, limits: limits))
    }

    func failure(_ path: String, limits: FetchLimits = quick) async -> FetchError? {
        await fetchError { _ = try await get(path, limits: limits) }
    }

    // MARK: Conditional GET

    @Test func validatorsComeBackAndA304FollowsWhenTheyAreSent() async throws {
        let first = try await get("/feed.xml")
        #expect(first.status == 200)
        #expect(first.isNotModified == false)
        #expect(String(decoding: first.body, as: UTF8.self).contains("<rss"))
        #expect(first.headers.etag == "\"v1\"")
        #expect(first.headers.lastModified == "Mon, 01 Jan 2024 00:00:00 GMT")
        #expect(first.contentType?.hasPrefix("application/rss+xml") == true)
        #expect(first.effectiveURL == server.url("/feed.xml"))
        #expect(first.redirects.isEmpty)
        #expect(first.permanentURL == nil)

        let second = try await get("/feed.xml", etag: first.headers.etag, lastModified: first.headers.lastModified)
        #expect(second.status == 304)
        #expect(second.isNotModified)
        #expect(second.body.isEmpty)

        let stats = try server.stats()
        #expect(stats.counts["/feed.xml"] == 2)
        let sent = try #require(stats.lastHeaders["/feed.xml"])
        #expect(sent["if-none-match"] == "\"v1\"")
        #expect(sent["if-modified-since"] == "Mon, 01 Jan 2024 00:00:00 GMT")
    }

    @Test func firstRequestSendsNoValidators() async throws {
        _ = try await get("/feed.xml")
        let sent = try #require(try server.stats().lastHeaders["/feed.xml"])
        #expect(sent["if-none-match"] == nil)
        #expect(sent["if-modified-since"] == nil)
    }

    @Test func etagOnly() async throws {
        let first = try await get("/etag-only.xml")
        #expect(first.status == 200)
        let etag = try #require(first.headers.etag)
        #expect(etag == "\"etag-only-v1\"")
        #expect(first.headers.lastModified == nil)

        let second = try await get("/etag-only.xml", etag: etag)
        #expect(second.isNotModified)
        #expect(try server.stats().lastHeaders["/etag-only.xml"]?["if-none-match"] == etag)

        // A stale ETag gets the whole body again.
        let stale = try await get("/etag-only.xml", etag: "\"something-else\"")
        #expect(stale.status == 200)
        #expect(!stale.body.isEmpty)
    }

    @Test func lastModifiedOnly() async throws {
        let first = try await get("/lastmod-only.xml")
        #expect(first.status == 200)
        #expect(first.headers.etag == nil)
        let lastModified = try #require(first.headers.lastModified)

        let second = try await get("/lastmod-only.xml", lastModified: lastModified)
        #expect(second.isNotModified)
        let sent = try #require(try server.stats().lastHeaders["/lastmod-only.xml"])
        #expect(sent["if-modified-since"] == lastModified)
        #expect(sent["if-none-match"] == nil)
    }

    @Test func noValidatorsMeansAnotherFullResponse() async throws {
        let first = try await get("/no-validators.xml")
        #expect(first.headers.etag == nil)
        #expect(first.headers.lastModified == nil)
        let second = try await get("/no-validators.xml")
        #expect(second.status == 200)
        #expect(second.body == first.body)
    }

    // MARK: Request headers

    @Test func gzipIsAskedForAndDecoded() async throws {
        let gzipped = try await get("/gzip.xml")
        #expect(gzipped.status == 200)
        #expect(gzipped.headers["content-encoding"] == "gzip")
        let text = String(decoding: gzipped.body, as: UTF8.self)
        #expect(text.hasPrefix("<?xml"))
        #expect(text.contains("Acme feed (gzip)"))
        let acceptEncoding = try #require(try server.stats().lastHeaders["/gzip.xml"]?["accept-encoding"])
        #expect(acceptEncoding.contains("gzip"))
    }

    @Test func defaultUserAgentAndAcceptAreSent() async throws {
        _ = try await get("/feed.xml")
        let sent = try #require(try server.stats().lastHeaders["/feed.xml"])
        #expect(sent["user-agent"] == Fetcher.defaultUserAgent)
        #expect(sent["user-agent"]?.hasPrefix("Vigia/") == true)
        #expect(sent["accept"]?.contains("application/rss+xml") == true)
    }

    @Test func customUserAgentIsSent() async throws {
        var limits = quick
        limits.userAgent = Fetcher.userAgent(contact: "mailto:ops@example.org")
        _ = try await get("/feed.xml", limits: limits)
        let agent = try #require(try server.stats().lastHeaders["/feed.xml"]?["user-agent"])
        #expect(agent == limits.userAgent)
        #expect(agent.contains("+mailto:ops@example.org"))
    }

    // MARK: Redirects

    @Test(arguments: [301, 308])
    func permanentRedirectGivesThePermanentURL(_ status: Int) async throws {
        let response = try await get("/redirect/\(status)/feed.xml")
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self).contains("<rss"))
        #expect(response.effectiveURL == server.url("/feed.xml"))
        #expect(response.redirects.map(\.status) == [status])
        #expect(response.redirects.first?.from == server.url("/redirect/\(status)/feed.xml"))
        #expect(response.redirects.first?.to == server.url("/feed.xml"))
        #expect(response.permanentURL == server.url("/feed.xml"))
    }

    @Test(arguments: [302, 307, 303])
    func temporaryRedirectKeepsTheURL(_ status: Int) async throws {
        let response = try await get("/redirect/\(status)/feed.xml")
        #expect(response.status == 200)
        #expect(response.effectiveURL == server.url("/feed.xml"))
        #expect(response.redirects.map(\.status) == [status])
        #expect(response.permanentURL == nil)
    }

    @Test func aTemporaryHopAnywhereInTheChainKeepsTheURL() async throws {
        let temporaryFirst = try await get("/redirect/302/redirect/301/feed.xml")
        #expect(temporaryFirst.redirects.map(\.status) == [302, 301])
        #expect(temporaryFirst.effectiveURL == server.url("/feed.xml"))
        #expect(temporaryFirst.permanentURL == nil)

        let temporaryLast = try await get("/redirect/301/redirect/307/feed.xml")
        #expect(temporaryLast.redirects.map(\.status) == [301, 307])
        #expect(temporaryLast.permanentURL == nil)

        let allPermanent = try await get("/redirect/301/redirect/308/feed.xml")
        #expect(allPermanent.redirects.map(\.status) == [301, 308])
        #expect(allPermanent.permanentURL == server.url("/feed.xml"))
    }

    @Test func validatorsAreSentAfterARedirectToo() async throws {
        let response = try await get("/redirect/302/feed.xml", etag: "\"v1\"")
        #expect(response.isNotModified)
        #expect(try server.stats().lastHeaders["/feed.xml"]?["if-none-match"] == "\"v1\"")
    }

    @Test(arguments: [0, 1, 3])
    func redirectLoopIsTooManyRedirects(maxRedirects: Int) async throws {
        var limits = quick
        limits.maxRedirects = maxRedirects
        let error = try #require(await failure("/loop", limits: limits))
        #expect(error.kind == .tooManyRedirects)
        #expect(error.url == server.url("/loop"))
        #expect(try server.count("/loop") <= maxRedirects + 1)
        #expect(try server.count("/loop") >= 1)
    }

    @Test func twoPageLoopIsTooManyRedirects() async throws {
        let error = try #require(await failure("/loop-a"))
        #expect(error.kind == .tooManyRedirects)
        let counts = try server.stats().counts
        #expect((counts["/loop-a"] ?? 0) + (counts["/loop-b"] ?? 0) <= quick.maxRedirects + 1)
    }

    // MARK: HTTP errors

    @Test(arguments: [404, 410, 500, 401, 403])
    func errorStatusIsHTTPStatus(_ status: Int) async throws {
        let error = try #require(await failure("/status/\(status)"))
        #expect(error.kind == .httpStatus)
        #expect(error.status == status)
        #expect(error.url == server.url("/status/\(status)"))
        #expect(error.headers != nil)
        #expect(error.isBadInput == false)
    }

    @Test func tooManyRequestsCarriesRetryAfter() async throws {
        let error = try #require(await failure("/retry-after/120"))
        #expect(error.kind == .httpStatus)
        #expect(error.status == 429)
        #expect(error.headers?.retryAfter == "120")
        #expect(error.message.contains("120"))
    }

    @Test func unavailableCarriesRetryAfter() async throws {
        let error = try #require(await failure("/unavailable/30"))
        #expect(error.kind == .httpStatus)
        #expect(error.status == 503)
        #expect(error.headers?.retryAfter == "30")
    }

    @Test func retryAfterAsAnHTTPDateIsPassedOnAsSent() async throws {
        let error = try #require(await failure("/retry-after-date"))
        #expect(error.status == 429)
        let value = try #require(error.headers?.retryAfter)
        #expect(value.hasSuffix(" GMT"))
    }

    @Test func cacheControlMaxAgeIsRead() async throws {
        let response = try await get("/cache/7200.xml")
        #expect(response.headers.maxAge == 7200)
    }

    // MARK: Timeouts, stalls and caps

    @Test func slowResponseWithinTheTimeoutSucceeds() async throws {
        let response = try await get("/slow/0.5.xml")
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self).contains("Acme feed (slow)"))
    }

    @Test func slowResponseBeyondTheTotalTimeoutIsTimeout() async throws {
        let limits = FetchLimits(connectTimeout: 5, totalTimeout: 1, stallTimeout: 10)
        let error = try #require(await failure("/slow/4.xml", limits: limits))
        #expect(error.kind == .timeout)
    }

    /// The server sends headers and a few bytes, then nothing: abandoned as `stalled`, well before
    /// the total timeout. (libcurl averages the speed over about five seconds, so the few bytes
    /// sent before the stall keep it "fast" for a while: this takes about `stallTimeout` + 6 s.)
    @Test func stalledTransferIsStalled() async throws {
        let limits = FetchLimits(connectTimeout: 5, totalTimeout: 20, stallTimeout: 1)
        let error = try #require(await failure("/stall", limits: limits))
        #expect([.stalled, .timeout].contains(error.kind))
        #expect(error.kind == .stalled)
    }

    @Test func endlessBodyOverTheCapIsTooLarge() async throws {
        let limits = FetchLimits(maxBodyBytes: 1 << 20, connectTimeout: 5, totalTimeout: 10, stallTimeout: 5)
        let error = try #require(await failure("/endless", limits: limits))
        #expect(error.kind == .tooLarge)
    }

    @Test func declaredLengthOverTheCapIsTooLarge() async throws {
        let limits = FetchLimits(maxBodyBytes: 100_000, connectTimeout: 5, totalTimeout: 10, stallTimeout: 5)
        let error = try #require(await failure("/big/2000000", limits: limits))
        #expect(error.kind == .tooLarge)
    }

    @Test func bodyExactlyAtTheCapIsAccepted() async throws {
        let limits = FetchLimits(maxBodyBytes: 100_000, connectTimeout: 5, totalTimeout: 10, stallTimeout: 5)
        let response = try await get("/big/100000", limits: limits)
        #expect(response.body.count == 100_000)
    }

    // MARK: Concurrency

    static let concurrentFetches = 120

    /// (The test server answers a kept-alive connection in about 40 ms, Nagle's algorithm against
    /// delayed ACKs, so with two transfers at a time this takes a couple of seconds.)
    @Test func manyConcurrentFetchesAllSucceedWithinTheLimits() async throws {
        let fetcher = Fetcher(concurrency: .init(maxTransfers: 8, maxPerHost: 2))
        let url = server.url("/items/5.xml")
        let sampler = DepthSampler(fetcher)
        let bodies = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<Self.concurrentFetches {
                group.addTask { try await fetcher.fetch(FetchRequest(url: url, limits: quick)).body.count }
            }
            var sizes: [Int] = []
            for try await size in group { sizes.append(size) }
            return sizes
        }
        let maxRunning = await sampler.stop()
        #expect(bodies.count == Self.concurrentFetches)
        #expect(Set(bodies).count == 1)
        #expect(bodies.allSatisfy { $0 > 0 })
        #expect(try server.count("/items/5.xml") == Self.concurrentFetches)
        #expect(maxRunning <= 2)
        #expect(fetcher.queueDepth.waiting == 0)
    }

    @Test func globalLimitHoldsAcrossHosts() async throws {
        let other = try await startServer()
        let fetcher = Fetcher(concurrency: .init(maxTransfers: 3, maxPerHost: 2))
        let sampler = DepthSampler(fetcher)
        let urls = (0..<30).map { $0.isMultiple(of: 2) ? server.url("/slow/0.05.xml") : other.url("/slow/0.05.xml") }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for url in urls { group.addTask { try await fetcher.fetch(FetchRequest(url: url, limits: quick)).status } }
            var statuses: [Int] = []
            for try await status in group { statuses.append(status) }
            return statuses
        }
        let maxRunning = await sampler.stop()
        #expect(statuses == Array(repeating: 200, count: 30))
        #expect(maxRunning <= 3)
        #expect(try server.count("/slow/0.05.xml") == 15)
        #expect(try other.count("/slow/0.05.xml") == 15)
    }

    // MARK: Cancellation

    /// Limits under which a cancellation that does not work ends as `stalled` within seconds,
    /// instead of hanging.
    static let stallLimits = FetchLimits(connectTimeout: 5, totalTimeout: 8, stallTimeout: 8)

    @Test func cancelledTaskThrowsCancelled() async throws {
        let fetcher = self.fetcher
        let url = server.url("/stall")
        let task = Task { try await fetcher.fetch(FetchRequest(url: url, limits: Self.stallLimits)) }
        #expect(try await eventually { try server.count("/stall") == 1 })
        task.cancel()
        let error = try #require(await fetchError { _ = try await task.value })
        #expect(error.kind == .cancelled)
        // The fetcher is still usable.
        #expect(try await get("/feed.xml").status == 200)
    }

    @Test func taskCancelledBeforeItsTransferStartsThrowsCancelled() async throws {
        let fetcher = Fetcher(concurrency: .init(maxTransfers: 1, maxPerHost: 1))
        let url = server.url("/stall")
        let running = Task { try await fetcher.fetch(FetchRequest(url: url, limits: Self.stallLimits)) }
        #expect(try await eventually { try server.count("/stall") == 1 })
        let feedURL = server.url("/feed.xml")
        let waiting = Task { try await fetcher.fetch(FetchRequest(url: feedURL, limits: Self.stallLimits)) }
        #expect(try await eventually { fetcher.queueDepth.waiting == 1 })
        waiting.cancel()
        let error = try #require(await fetchError { _ = try await waiting.value })
        #expect(error.kind == .cancelled)
        #expect(try server.count("/feed.xml") == 0)
        running.cancel()
        #expect(await fetchError { _ = try await running.value }?.kind == .cancelled)
    }

    @Test func alreadyCancelledTaskThrowsCancelled() async throws {
        let fetcher = self.fetcher
        let url = server.url("/stall")
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await fetcher.fetch(FetchRequest(url: url, limits: Self.stallLimits))
        }
        let error = try #require(await fetchError { _ = try await task.value })
        #expect(error.kind == .cancelled)
    }

    /// Tasks reach the engine in any order: a fetch cancelled before it was submitted must still
    /// be cancelled when a fetch with a later id already reached the engine.
    @Test func cancellationThatOvertakesItsFetchStillCancelsIt() async throws {
        let engine = TransferEngine(concurrency: .init(maxTransfers: 4, maxPerHost: 4))
        defer { engine.stop() }
        let request = FetchRequest(url: server.url("/stall"), limits: Self.stallLimits)
        let later = Task {
            try await withCheckedThrowingContinuation { engine.submit(TransferJob(id: 2, request: request, continuation: $0)) }
        }
        #expect(try await eventually { try server.count("/stall") == 1 })
        // Fetch 1's task is cancelled before the fetch is submitted; let the engine see that alone.
        engine.cancel(id: 1)
        try await Task.sleep(for: .milliseconds(200))
        let error = try #require(await fetchError {
            _ = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<FetchResponse, any Error>) in
                engine.submit(TransferJob(id: 1, request: request, continuation: continuation))
            }
        })
        #expect(error.kind == .cancelled)
        #expect(try server.count("/stall") == 1)
        engine.cancel(id: 2)
        #expect(await fetchError { _ = try await later.value }?.kind == .cancelled)
    }

    @Test func cancelAllAbandonsRunningAndWaitingTransfers() async throws {
        let fetcher = Fetcher(concurrency: .init(maxTransfers: 1, maxPerHost: 1))
        let url = server.url("/stall")
        let tasks = (0..<3).map { _ in
            Task { try await fetcher.fetch(FetchRequest(url: url, limits: Self.stallLimits)) }
        }
        #expect(try await eventually { try server.count("/stall") == 1 && fetcher.queueDepth.waiting == 2 })
        fetcher.cancelAll()
        for task in tasks {
            let error = try #require(await fetchError { _ = try await task.value })
            #expect(error.kind == .cancelled)
        }
        #expect(try server.count("/stall") == 1)
        // The fetcher stays usable after cancelAll.
        let response = try await fetcher.fetch(FetchRequest(url: server.url("/feed.xml"), limits: quick))
        #expect(response.status == 200)
        #expect(try await eventually { fetcher.queueDepth == (0, 0) })
    }

    // MARK: Files

    @Test func fileURLsShareTheFetcher() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-multifetch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("feed.xml")
        try Data("<rss version=\"2.0\"><channel><title>File</title></channel></rss>".utf8).write(to: file)
        async let fromFile = fetcher.fetch(FetchRequest(url: file.absoluteString, limits: quick))
        async let fromServer = get("/feed.xml")
        let (local, remote) = try await (fromFile, fromServer)
        #expect(local.status == 0)
        #expect(String(decoding: local.body, as: UTF8.self).contains("<title>File</title>"))
        #expect(remote.status == 200)
    }
}

/// Failures to connect, each with a server of its own (or none).
@Suite struct FetchConnectionTests {
    let fetcher = Fetcher(concurrency: .init(maxTransfers: 2, maxPerHost: 2))

    @Test func selfSignedCertificateIsTLS() async throws {
        let tlsServer = try await startServer(tls: true)
        let error = try #require(await fetchError {
            _ = try await fetcher.fetch(FetchRequest(url: tlsServer.url("/feed.xml"), limits: quick))
        })
        #expect(error.kind == .tls)
        #expect(error.url.hasPrefix("https://127.0.0.1:"))
    }

    @Test func closedPortIsConnection() async throws {
        let url = "http://127.0.0.1:1/feed.xml"  // nothing listens on port 1
        let error = try #require(await fetchError { _ = try await fetcher.fetch(FetchRequest(url: url, limits: quick)) })
        #expect(error.kind == .connection)
        #expect(error.isBadInput == false)
    }
}

/// The pure parts, without a server.
@Suite struct FetchHelperTests {
    @Test func hostKeyIsSchemeHostAndPort() {
        #expect(TransferEngine.hostKey("http://127.0.0.1:8080/a/b?c") == "http://127.0.0.1:8080")
        #expect(TransferEngine.hostKey("https://User@Example.ORG/feed") == "https://example.org")
        #expect(TransferEngine.hostKey("HTTP://example.org") == "http://example.org")
        #expect(TransferEngine.hostKey("file:///tmp/a.xml") == "file")
        #expect(TransferEngine.hostKey("no-scheme") == "no-scheme")
    }

    @Test func maxAgeParsing() {
        #expect(ResponseHeaders(["cache-control": "public, max-age=600"]).maxAge == 600)
        #expect(ResponseHeaders(["cache-control": "max-age=\"60\""]).maxAge == 60)
        #expect(ResponseHeaders(["cache-control": "no-cache"]).maxAge == 0)
        #expect(ResponseHeaders(["cache-control": "no-store, max-age=600"]).maxAge == 0)
        #expect(ResponseHeaders(["cache-control": "private"]).maxAge == nil)
        #expect(ResponseHeaders().maxAge == nil)
        #expect(ResponseHeaders(["retry-after": "5"])["Retry-After"] == "5")
    }
}
