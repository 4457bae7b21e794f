internal import CCurl
import Foundation

/// Process-wide libcurl set-up.
public enum Curl {
    /// Initialises libcurl once; every transfer calls it, so callers need not.
    public static func initialize() {
        _ = initialization
    }

    private static let initialization: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    /// The libcurl version string, e.g. `libcurl/7.88.1 OpenSSL/3.0.15 zlib/1.2.13`.
    public static var version: String {
        String(cString: curl_version())
    }
}

/// Why a transfer failed.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure; new kinds may be added.
    public enum Kind: String, Sendable {
        case badURL, network, timeout, httpStatus, tooLarge, tooManyRedirects, fileNotFound
    }

    public var kind: Kind
    public var url: String
    public var message: String
    /// The HTTP status, for `httpStatus`.
    public var status: Int?

    public var description: String { "\(url): \(message)" }

    /// Whether the request itself was wrong (a bad URL or a missing file) rather than the network.
    public var isBadInput: Bool { kind == .badURL || kind == .fileNotFound }
}

/// The result of a transfer.
public struct FetchResponse: Sendable {
    /// The HTTP status (0 for `file://`).
    public var status: Int
    public var body: [UInt8]
    public var contentType: String?
    /// The URL after redirects.
    public var effectiveURL: String
}

/// One-shot transfers through libcurl's easy interface, run on their own thread so that async
/// callers never block the cooperative pool.
public enum Fetcher {
    /// The `User-Agent` Vigía sends.
    public static let userAgent = "Vigia/0.1 (self-hosted social listening; +https://github.com/vigia-monitor/vigia)"

    /// Fetches `url` (http, https or file) once: redirects followed (at most 5), compressed
    /// transfers accepted, TLS verified, the body capped at `maxBytes`.
    public static func fetchOnce(
        _ url: String, maxBytes: Int = 64 << 20, connectTimeout: Int = 10, totalTimeout: Int = 60
    ) async throws -> FetchResponse {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result {
                    try perform(url, maxBytes: maxBytes, connectTimeout: connectTimeout, totalTimeout: totalTimeout)
                })
            }
            thread.name = "vigia-fetch"
            thread.start()
        }
    }

    private final class Sink: FetcherSinkAccess {
        var body: [UInt8] = []
        let maxBytes: Int
        var exceeded = false
        init(maxBytes: Int) { self.maxBytes = maxBytes }

        func append(_ data: UnsafeMutablePointer<CChar>, _ length: Int) -> Int {
            guard body.count + length <= maxBytes else {
                exceeded = true
                return 0
            }
            data.withMemoryRebound(to: UInt8.self, capacity: length) {
                body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
            }
            return length
        }
    }

    private static func perform(_ url: String, maxBytes: Int, connectTimeout: Int, totalTimeout: Int) throws -> FetchResponse {
        Curl.initialize()
        guard let handle = curl_easy_init() else {
            throw FetchError(kind: .network, url: url, message: "libcurl could not create a transfer")
        }
        defer { curl_easy_cleanup(handle) }
        let sink = Sink(maxBytes: maxBytes)
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        vigia_curl_setopt_string(handle, CURLOPT_URL, url)
        vigia_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https,file")
        vigia_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        vigia_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
        vigia_curl_setopt_long(handle, CURLOPT_MAXREDIRS, 5)
        vigia_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        vigia_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, connectTimeout)
        vigia_curl_setopt_long(handle, CURLOPT_TIMEOUT, totalTimeout)
        vigia_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        vigia_curl_setopt_string(handle, CURLOPT_USERAGENT, userAgent)
        vigia_curl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxBytes))
        vigia_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, fetchWriteCallback)
        vigia_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPointer)
        let code = curl_easy_perform(handle)
        if code != CURLE_OK {
            let reason = String(cString: curl_easy_strerror(code))
            switch code {
            case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
                throw FetchError(kind: .badURL, url: url, message: "\(reason); use an http://, https:// or file:// URL")
            case CURLE_FILE_COULDNT_READ_FILE:
                throw FetchError(kind: .fileNotFound, url: url, message: "the file cannot be read; check the path")
            case CURLE_OPERATION_TIMEDOUT:
                throw FetchError(kind: .timeout, url: url, message: "timed out after \(totalTimeout) s; the server is too slow or unreachable")
            case CURLE_TOO_MANY_REDIRECTS:
                throw FetchError(kind: .tooManyRedirects, url: url, message: "more than 5 redirects (a redirect loop?)")
            case CURLE_WRITE_ERROR where sink.exceeded, CURLE_FILESIZE_EXCEEDED:
                throw FetchError(kind: .tooLarge, url: url, message: "the response is over the \(maxBytes)-byte cap")
            default:
                throw FetchError(kind: .network, url: url, message: reason)
            }
        }
        var status = 0
        vigia_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var contentTypePointer: UnsafeMutablePointer<CChar>?
        vigia_curl_getinfo_string(handle, CURLINFO_CONTENT_TYPE, &contentTypePointer)
        var effectivePointer: UnsafeMutablePointer<CChar>?
        vigia_curl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effectivePointer)
        let effective = effectivePointer.map { String(cString: $0) } ?? url
        if status >= 400 {
            throw FetchError(kind: .httpStatus, url: url, message: "the server answered HTTP \(status)", status: status)
        }
        return FetchResponse(
            status: status, body: sink.body, contentType: contentTypePointer.map { String(cString: $0) },
            effectiveURL: effective)
    }
}

private let fetchWriteCallback: vigia_curl_data_callback = { data, size, count, userData in
    guard let data, let userData else { return 0 }
    let sink = Unmanaged<AnyObject>.fromOpaque(userData).takeUnretainedValue()
    let length = size * count
    return fetchAppend(sink, data, length)
}

private func fetchAppend(_ object: AnyObject, _ data: UnsafeMutablePointer<CChar>, _ length: Int) -> Int {
    guard let sink = object as? FetcherSinkAccess else { return 0 }
    return sink.append(data, length)
}

/// Lets the C callback reach the private sink type.
protocol FetcherSinkAccess: AnyObject {
    func append(_ data: UnsafeMutablePointer<CChar>, _ length: Int) -> Int
}
