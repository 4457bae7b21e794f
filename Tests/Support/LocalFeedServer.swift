import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a `LocalFeedServer` could not start or answer.
public enum LocalFeedServerError: Error, CustomStringConvertible {
    case python3NotFound
    case scriptNotFound(String)
    case certificateGenerationFailed(String)
    case startFailed(String)
    case requestFailed(String)

    public var description: String {
        switch self {
        case .python3NotFound: "LocalFeedServer: python3 is not on PATH"
        case .scriptNotFound(let path): "LocalFeedServer: feed_server.py not found at \(path)"
        case .certificateGenerationFailed(let why): "LocalFeedServer: openssl could not make a certificate: \(why)"
        case .startFailed(let why): "LocalFeedServer: the server did not start: \(why)"
        case .requestFailed(let why): "LocalFeedServer: control request failed: \(why)"
        }
    }
}

/// `Tests/Support/feed_server.py` run as a subprocess on 127.0.0.1 and an ephemeral port.
///
/// The server's endpoints are listed in the script's docstring. `stats()`, `bump(_:)`, `reset()`
/// and `request(_:_:headers:)` go through a tiny blocking plain-HTTP socket client, independent of
/// libcurl and of the project's code. A TLS server also answers plain HTTP on the same port, but
/// only for its control paths (`/_…`), so those work for `tls: true` too.
public final class LocalFeedServer: Sendable {
    public let port: Int
    public let isTLS: Bool
    /// The self-signed certificate (PEM) of a TLS server, for tests that trust it explicitly.
    public let certificatePath: String?

    public var baseURL: String { "\(isTLS ? "https" : "http")://127.0.0.1:\(port)" }

    public func url(_ path: String) -> String {
        path.hasPrefix("/") ? baseURL + path : baseURL + "/" + path
    }

    /// The server's process; its standard input stays open for the server's life, so that it
    /// exits (reading end of file) with a test process that crashed before `stop()`.
    private let script: RunningScript

    /// Whether `python3` is on PATH.
    public static var isAvailable: Bool { python3Path() != nil }

    /// The server's process id (for tests that check on the process itself).
    public var processIdentifier: Int32 { script.processIdentifier }

    public init(tls: Bool = false, root: URL? = nil) throws {
        guard let python = Self.python3Path() else { throw LocalFeedServerError.python3NotFound }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("feed_server.py").path
        guard FileManager.default.fileExists(atPath: script) else {
            throw LocalFeedServerError.scriptNotFound(script)
        }

        let work = FileManager.default.temporaryDirectory
            .appendingPathComponent("vigia-feed-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        do {
            var arguments = [script, "--port", "0", "--watch-stdin"]
            var certificate: String?
            if tls {
                let (cert, key) = try Self.makeCertificate(in: work)
                arguments += ["--tls-cert", cert, "--tls-key", key]
                certificate = cert
            }
            if let root { arguments += ["--root", root.path] }

            do {
                self.script = try ScriptProcess.start(python: python, arguments: arguments, work: work, reaperName: "feed-server-reaper")
            } catch let error as ScriptProcess.Failure {
                throw LocalFeedServerError.startFailed(error.reason)
            }
            self.port = self.script.port
            self.isTLS = tls
            self.certificatePath = certificate
        } catch {
            try? FileManager.default.removeItem(at: work)
            throw error
        }
    }

    deinit { stop() }

    /// SIGTERM, then SIGKILL if the server is still there after 2 s. Idempotent.
    public func stop() {
        script.stop()
    }

    // MARK: Control endpoints

    public struct Stats: Decodable, Sendable {
        public let counts: [String: Int]
        public let lastHeaders: [String: [String: String]]
        /// The body of the last POST per `/hook/` path.
        public let lastBodies: [String: String]?

        enum CodingKeys: String, CodingKey {
            case counts
            case lastHeaders = "last_headers"
            case lastBodies = "last_bodies"
        }
    }

    /// The body of the last POST to `path` (a `/hook/…` receiver).
    public func lastBody(_ path: String) throws -> String? {
        let response = try request("GET", "/_stats")
        return try JSONDecoder().decode(Stats.self, from: response.body).lastBodies?[path]
    }

    /// Requests per path (query strings excluded; control paths not counted) and the lowercased
    /// request headers of the last request per path.
    public func stats() throws -> (counts: [String: Int], lastHeaders: [String: [String: String]]) {
        let response = try request("GET", "/_stats")
        guard response.status == 200 else {
            throw LocalFeedServerError.requestFailed("/_stats answered \(response.status)")
        }
        let stats = try JSONDecoder().decode(Stats.self, from: response.body)
        return (stats.counts, stats.lastHeaders)
    }

    /// Requests so far for one path.
    public func count(_ path: String) throws -> Int { try stats().counts[path] ?? 0 }

    /// The next version of `/version/NAME.xml`: three more items and a new ETag.
    public func bump(_ name: String) throws {
        let response = try request("POST", "/_bump/\(name)")
        guard response.status == 200 else {
            throw LocalFeedServerError.requestFailed("/_bump/\(name) answered \(response.status)")
        }
    }

    /// Clears counts, remembered headers and all `/version/` numbers.
    public func reset() throws {
        let response = try request("POST", "/_reset")
        guard response.status == 200 else {
            throw LocalFeedServerError.requestFailed("/_reset answered \(response.status)")
        }
    }

    // MARK: Plain blocking HTTP client

    public struct Response: Sendable {
        public let status: Int
        /// Lowercased names; repeated headers joined with ", ".
        public let headers: [String: String]
        public let body: Data
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// One HTTP/1.1 request with `Connection: close` over a blocking socket; the body is read to
    /// end of file (at most 64 MiB). Plain HTTP only: on a TLS server, only control paths answer.
    /// Redirects are not followed and Content-Encoding is not undone.
    public func request(
        _ method: String = "GET", _ path: String, headers: [String: String] = [:], timeout: Double = 10
    ) throws -> Response {
        try Self.request(method, path, port: port, headers: headers, timeout: timeout)
    }

    /// The same request to any port of 127.0.0.1 (e.g. the daemon's metrics server).
    public static func request(
        _ method: String = "GET", _ path: String, port: Int, headers: [String: String] = [:], timeout: Double = 10
    ) throws -> Response {
        let fd = socket(AF_INET, Self.streamSocketType, 0)
        guard fd >= 0 else { throw LocalFeedServerError.requestFailed("socket: \(Self.errnoText())") }
        defer { close(fd) }

        var limit = timeval()
        limit.tv_sec = numericCast(Int(timeout))
        limit.tv_usec = numericCast(Int((timeout - timeout.rounded(.down)) * 1e6))
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            throw LocalFeedServerError.requestFailed("connect to port \(port): \(Self.errnoText())")
        }

        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if method == "POST" || method == "PUT" { head += "Content-Length: 0\r\n" }
        head += "\r\n"
        var outgoing = Array(head.utf8)[...]
        while !outgoing.isEmpty {
            let sent = outgoing.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Self.sendFlags) }
            guard sent > 0 else { throw LocalFeedServerError.requestFailed("send: \(Self.errnoText())") }
            outgoing = outgoing.dropFirst(sent)
        }

        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while received.count < 64 << 20 {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw LocalFeedServerError.requestFailed("recv \(path): \(Self.errnoText())") }
            received += buffer[..<n]
        }
        return try Self.parseResponse(received, path: path)
    }

    // MARK: Helpers

    private static func python3Path() -> String? { ScriptProcess.python3Path() }

    private static func makeCertificate(in directory: URL) throws -> (cert: String, key: String) {
        do { return try ScriptProcess.makeCertificate(in: directory) } catch {
            throw LocalFeedServerError.certificateGenerationFailed(error.reason)
        }
    }

    private static func parseResponse(_ bytes: [UInt8], path: String) throws -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let split = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
            throw LocalFeedServerError.requestFailed("\(path): no complete response head in \(bytes.count) bytes")
        }
        let lines = String(decoding: bytes[..<split], as: UTF8.self).components(separatedBy: "\r\n")
        let statusFields = lines[0].split(separator: " ", maxSplits: 2)
        guard statusFields.count >= 2, statusFields[0].hasPrefix("HTTP/"), let status = Int(statusFields[1]) else {
            throw LocalFeedServerError.requestFailed("\(path): bad status line \"\(lines[0])\"")
        }
        var headers = [String: String]()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        var body = bytes[(split + 4)...]
        if let length = headers["content-length"].flatMap(Int.init), length < body.count {
            body = body.prefix(length)
        }
        return Response(status: status, headers: headers, body: Data(body))
    }

    private static var streamSocketType: Int32 {
        #if os(Linux)
        Int32(SOCK_STREAM.rawValue)
        #else
        SOCK_STREAM
        #endif
    }

    private static var sendFlags: Int32 {
        #if os(Linux)
        Int32(MSG_NOSIGNAL)
        #else
        0
        #endif
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
