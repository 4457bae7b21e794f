import Foundation
import Testing

@testable import Fetching

#if canImport(Glibc)
import Glibc
#endif

/// A fresh temporary directory.
private func makeDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-fetch-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct FileFetchTests {
    @Test func fileURLReadsTheFile() async throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("feed.xml")
        let content = Array("<rss version=\"2.0\"><channel><title>Local</title></channel></rss>\n".utf8)
        try Data(content).write(to: file)
        let response = try await Fetcher.fetchOnce("file://\(file.path)", connectTimeout: 5, totalTimeout: 10)
        #expect(response.body == content)
        #expect(response.status == 0)
    }

    @Test func missingFileIsFileNotFound() async throws {
        let url = "file:///nonexistent/vigia-\(UUID().uuidString)/feed.xml"
        let error = try #require(await fetchError { _ = try await Fetcher.fetchOnce(url, connectTimeout: 5, totalTimeout: 10) })
        #expect(error.kind == .fileNotFound)
        #expect(error.url == url)
        #expect(error.isBadInput)
    }

    @Test(arguments: ["ftp://example.com/feed.xml", "gopher://example.com/1", "http://[::1/feed"])
    func unsupportedOrMalformedURLIsBadURL(_ url: String) async throws {
        let error = try #require(await fetchError { _ = try await Fetcher.fetchOnce(url, connectTimeout: 5, totalTimeout: 10) })
        #expect(error.kind == .badURL)
        #expect(error.url == url)
        #expect(error.isBadInput)
    }

    @Test func closedPortIsAConnectionError() async throws {
        let url = "http://127.0.0.1:1/feed.xml"
        let error = try #require(await fetchError { _ = try await Fetcher.fetchOnce(url, connectTimeout: 5, totalTimeout: 10) })
        #expect(error.kind == .connection)
        #expect(error.isBadInput == false)
    }

    @Test func fileOverTheCapIsTooLarge() async throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("big.xml")
        try Data(repeating: 0x41, count: 100_000).write(to: file)
        let error = try #require(await fetchError {
            _ = try await Fetcher.fetchOnce("file://\(file.path)", maxBytes: 1000, connectTimeout: 5, totalTimeout: 10)
        })
        #expect(error.kind == .tooLarge)
    }
}

/// `python3 -m http.server` on 127.0.0.1, serving a temporary directory; stopped on deinit.
final class LocalHTTPServer {
    let directory: URL
    let port: Int
    private let process: Process

    init() throws {
        directory = try makeDirectory()
        port = try Self.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "http.server", "--bind", "127.0.0.1", String(port)]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning {
            // SIGKILL: the child may inherit a blocked SIGTERM from the test runner.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
    }

    /// Waits (at most 10 s) until the server accepts connections.
    func waitUntilReady() async throws {
        for _ in 0..<100 {
            if Self.accepts(port: port) { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServerError(message: "python3 -m http.server did not start on port \(port)")
    }

    struct ServerError: Error { var message: String }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }

    /// A port nobody listens on now (the kernel picks it).
    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ServerError(message: "socket() failed") }
        defer { close(descriptor) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ServerError(message: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw ServerError(message: "getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

@Suite(.serialized) final class HTTPFetchTests {
    let server: LocalHTTPServer

    init() throws {
        server = try LocalHTTPServer()
    }

    @Test func servedFeedComesBackWithStatusBodyAndContentType() async throws {
        let feed = Array("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Served</title></channel></rss>\n".utf8)
        try server.write("feed.xml", feed)
        try await server.waitUntilReady()
        let response = try await Fetcher.fetchOnce(server.url("feed.xml"), connectTimeout: 5, totalTimeout: 15)
        #expect(response.status == 200)
        #expect(response.body == feed)
        #expect(response.contentType?.contains("xml") == true)
        #expect(response.effectiveURL == server.url("feed.xml"))
    }

    @Test func missingPageIsHTTPStatus404() async throws {
        try await server.waitUntilReady()
        let url = server.url("no-such-feed.xml")
        let error = try #require(await fetchError { _ = try await Fetcher.fetchOnce(url, connectTimeout: 5, totalTimeout: 15) })
        #expect(error.kind == .httpStatus)
        #expect(error.status == 404)
        #expect(error.url == url)
        #expect(error.isBadInput == false)
    }

    @Test func responseOverTheCapIsTooLarge() async throws {
        try server.write("huge.xml", [UInt8](repeating: 0x20, count: 200_000))
        try await server.waitUntilReady()
        let error = try #require(await fetchError {
            _ = try await Fetcher.fetchOnce(server.url("huge.xml"), maxBytes: 10_000, connectTimeout: 5, totalTimeout: 15)
        })
        #expect(error.kind == .tooLarge)
    }
}
