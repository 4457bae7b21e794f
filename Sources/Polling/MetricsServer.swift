import FlyingFox
import Foundation
import Prometheus
import ServiceLifecycle

/// Serves `/metrics` (Prometheus text format) and `/healthz` on a local address, as a
/// swift-service-lifecycle service (`vigia run --metrics 127.0.0.1:9464`).
public final class MetricsServer: Service, Sendable {
    /// Why the address could not be used.
    public struct AddressError: Error, Sendable, CustomStringConvertible {
        public var address: String
        public var description: String {
            "'\(address)' is not an address to listen on; use HOST:PORT, e.g. 127.0.0.1:9464 or [::1]:9464"
        }
    }

    private let server: HTTPServer
    private let registry: PrometheusCollectorRegistry
    private let health: @Sendable () async -> String?
    /// `host:port` as given.
    public let address: String

    /// - Parameters:
    ///   - address: `127.0.0.1:9464`, `[::1]:9464` (port 0 picks a free port).
    ///   - registry: where the metrics are collected.
    ///   - health: what `/healthz` reports: nil when healthy, else the problem (answered with 503).
    public init(
        address: String, registry: PrometheusCollectorRegistry,
        health: @escaping @Sendable () async -> String? = { nil }
    ) throws {
        self.address = address
        self.registry = registry
        self.health = health
        server = try Self.makeServer(address)
    }

    /// The port listened on, once listening.
    public func port() async throws -> Int {
        try await server.waitUntilListening()
        switch await server.listeningAddress {
        case .ip4(_, let port), .ip6(_, let port): return Int(port)
        default: throw AddressError(address: address)
        }
    }

    public func run() async throws {
        let (server, registry, health) = (self.server, self.registry, self.health)
        await server.appendRoute("GET /metrics") { _ in
            HTTPResponse(
                statusCode: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: Data(registry.emitToBuffer()))
        }
        await server.appendRoute("GET /healthz") { _ in
            if let problem = await health() {
                return HTTPResponse(statusCode: .serviceUnavailable, body: Data("unhealthy: \(problem)\n".utf8))
            }
            return HTTPResponse(statusCode: .ok, body: Data("ok\n".utf8))
        }
        try await withGracefulShutdownHandler {
            do {
                try await server.run()
            } catch {
                // Stopping the server ends `run()` with an error; only other errors are failures.
                guard !Task.isShuttingDownGracefully else { return }
                throw error
            }
        } onGracefulShutdown: {
            Task { await server.stop(timeout: 1) }
        }
    }

    private static func makeServer(_ address: String) throws -> HTTPServer {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            throw AddressError(address: address)
        }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
            guard let socket = try? sockaddr_in6.inet6(ip6: host, port: port) else { throw AddressError(address: address) }
            return HTTPServer(address: socket, timeout: 10, logger: .disabled)
        }
        if host.isEmpty || host == "localhost" { host = "127.0.0.1" }
        guard let socket = try? sockaddr_in.inet(ip4: host, port: port) else { throw AddressError(address: address) }
        return HTTPServer(address: socket, timeout: 10, logger: .disabled)
    }
}
extension MetricsServer: CustomStringConvertible {
    public var description: String { "MetricsServer(\(address))" }
}
