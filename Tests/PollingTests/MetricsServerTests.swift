import Fetching
import Foundation
import Prometheus
import Testing

@testable import Polling

/// Runs a metrics server on 127.0.0.1 and an ephemeral port for `body`, then stops it.
private func withMetricsServer(
    registry: PrometheusCollectorRegistry, health: @escaping @Sendable () async -> String? = { nil },
    _ body: (Int) async throws -> Void
) async throws {
    let server = try MetricsServer(address: "127.0.0.1:0", registry: registry, health: health)
    let running = Task { try await server.run() }
    defer { running.cancel() }
    // `port()` waits at most 5 s for the server to listen; a machine busy with the other tests in
    // parallel can take longer to schedule it, so ask again before giving up.
    var port: Int?
    for attempt in 1...3 where port == nil {
        do { port = try await server.port() } catch where attempt < 3 {}
    }
    guard let port else { return }
    try await body(port)
    running.cancel()
    _ = await running.result
}

private func get(_ port: Int, _ path: String) async throws -> FetchResponse {
    try await Fetcher.fetchOnce("http://127.0.0.1:\(port)\(path)", maxBytes: 1 << 20, connectTimeout: 5, totalTimeout: 10)
}

@Suite struct MetricsServerTests {
    @Test func servesMetricsAndHealth() async throws {
        let registry = PrometheusCollectorRegistry()
        let counter = registry.makeCounter(name: "vigia_test_events_total")
        counter.increment()
        counter.increment(by: Int64(2))
        try await withMetricsServer(registry: registry) { port in
            #expect(port > 0)
            let metrics = try await get(port, "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.contentType?.hasPrefix("text/plain") == true)
            let text = String(decoding: metrics.body, as: UTF8.self)
            #expect(text.contains("vigia_test_events_total 3"))

            // Metrics are read at each request.
            counter.increment()
            let later = String(decoding: try await get(port, "/metrics").body, as: UTF8.self)
            #expect(later.contains("vigia_test_events_total 4"))

            let health = try await get(port, "/healthz")
            #expect(health.status == 200)
            #expect(String(decoding: health.body, as: UTF8.self) == "ok\n")
        }
    }

    @Test func unhealthyIs503WithTheProblem() async throws {
        try await withMetricsServer(registry: PrometheusCollectorRegistry(), health: { "the database is locked" }) { port in
            do {
                _ = try await get(port, "/healthz")
                Issue.record("expected HTTP 503")
            } catch let error as FetchError {
                #expect(error.kind == .httpStatus)
                #expect(error.status == 503)
            }
        }
    }

    @Test func otherPathsAreNotFound() async throws {
        try await withMetricsServer(registry: PrometheusCollectorRegistry()) { port in
            do {
                _ = try await get(port, "/nothing-here")
                Issue.record("expected HTTP 404")
            } catch let error as FetchError {
                #expect(error.status == 404)
            }
        }
    }

    @Test(arguments: ["127.0.0.1", "nonsense", "127.0.0.1:99999", "300.1.1.1:80", "[::1", "[zz]:80"])
    func badAddressesAreRejected(_ address: String) {
        #expect(throws: MetricsServer.AddressError.self) {
            _ = try MetricsServer(address: address, registry: PrometheusCollectorRegistry())
        }
    }

    @Test(arguments: ["localhost:0", ":0", "127.0.0.1:0", "[::1]:0"])
    func goodAddressesAreAccepted(_ address: String) throws {
        let server = try MetricsServer(address: address, registry: PrometheusCollectorRegistry())
        #expect(server.address == address)
    }
}
