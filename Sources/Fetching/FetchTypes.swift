/// One GET of a feed: where, the validators of the last response, and the limits.
public struct FetchRequest: Sendable, Hashable {
    /// An `http://`, `https://` or `file://` URL.
    public var url: String
    /// The `ETag` of the last successful response, sent as `If-None-Match`.
    public var etag: String?
    /// The `Last-Modified` of the last successful response, sent as `If-Modified-Since`.
    public var lastModified: String?
    public var limits: FetchLimits
    /// A body to POST (webhooks); nil for a GET. A POST never follows redirects.
    public var postBody: [UInt8]?
    /// Extra request headers (`Content-Type`, signatures…).
    public var headers: [String: String]

    public init(
        url: String, etag: String? = nil, lastModified: String? = nil, limits: FetchLimits = FetchLimits(),
        postBody: [UInt8]? = nil, headers: [String: String] = [:]
    ) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.limits = limits
        self.postBody = postBody
        self.headers = headers
    }
}

/// Per-transfer limits. Every transfer has them; there is no unbounded fetch.
public struct FetchLimits: Sendable, Hashable {
    /// The largest body accepted (after decompression); a larger one aborts the transfer.
    public var maxBodyBytes: Int = 20 << 20
    /// Seconds to connect (DNS, TCP and TLS).
    public var connectTimeout: Int = 10
    /// Seconds for the whole transfer, redirects included.
    public var totalTimeout: Int = 60
    /// A transfer that receives nothing for this many seconds is abandoned as stalled.
    public var stallTimeout: Int = 20
    /// Redirects followed before giving up.
    public var maxRedirects: Int = 5
    /// The `User-Agent` header.
    public var userAgent: String = Fetcher.defaultUserAgent

    public init(
        maxBodyBytes: Int = 20 << 20, connectTimeout: Int = 10, totalTimeout: Int = 60, stallTimeout: Int = 20,
        maxRedirects: Int = 5, userAgent: String = Fetcher.defaultUserAgent
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.stallTimeout = stallTimeout
        self.maxRedirects = maxRedirects
        self.userAgent = userAgent
    }
}

/// One redirect that was followed.
public struct Redirect: Sendable, Hashable {
    /// 301, 302, 303, 307 or 308.
    public var status: Int
    public var from: String
    public var to: String

    /// 301 and 308 say the resource moved for good: the stored URL should change.
    public var isPermanent: Bool { status == 301 || status == 308 }
}

/// The response headers a poller acts on (names lower-cased; the last value of a repeated header).
public struct ResponseHeaders: Sendable, Hashable {
    public var fields: [String: String]

    public init(_ fields: [String: String] = [:]) { self.fields = fields }

    public subscript(name: String) -> String? { fields[name.lowercased()] }

    public var etag: String? { self["etag"] }
    public var lastModified: String? { self["last-modified"] }
    public var contentType: String? { self["content-type"] }
    /// `Retry-After` as sent: seconds or an HTTP date.
    public var retryAfter: String? { self["retry-after"] }
    public var cacheControl: String? { self["cache-control"] }

    /// `max-age` of `Cache-Control`, in seconds, when given (`no-cache`/`no-store` read as 0).
    public var maxAge: Int? {
        guard let value = cacheControl?.lowercased() else { return nil }
        for directive in value.split(separator: ",") {
            let part = directive.trimmingCharacters(in: " \t")
            if part == "no-cache" || part == "no-store" { return 0 }
            if part.hasPrefix("max-age=") {
                return Int(part.dropFirst("max-age=".count).trimmingCharacters(in: "\" "))
            }
        }
        return nil
    }
}

/// What a completed fetch returned: a 2xx body or a 304 (an HTTP status of 400 or more is a
/// ``FetchError`` of kind `httpStatus`).
public struct FetchResponse: Sendable {
    /// The HTTP status; 0 for `file://`.
    public var status: Int
    /// The body, decompressed; empty for a 304.
    public var body: [UInt8]
    public var headers: ResponseHeaders
    /// The URL after redirects.
    public var effectiveURL: String
    /// Redirects followed, in order.
    public var redirects: [Redirect]
    /// Seconds the transfer took, redirects included.
    public var seconds: Double

    public init(
        status: Int, body: [UInt8], headers: ResponseHeaders = ResponseHeaders(), effectiveURL: String,
        redirects: [Redirect] = [], seconds: Double = 0
    ) {
        self.status = status
        self.body = body
        self.headers = headers
        self.effectiveURL = effectiveURL
        self.redirects = redirects
        self.seconds = seconds
    }

    /// 304: the validators matched and the feed is unchanged.
    public var isNotModified: Bool { status == 304 }
    /// `Content-Type` of the response.
    public var contentType: String? { headers.contentType }

    /// The URL to keep using when every redirect was permanent (301/308), nil otherwise: a
    /// temporary redirect anywhere in the chain keeps the stored URL.
    public var permanentURL: String? {
        guard !redirects.isEmpty, redirects.allSatisfy(\.isPermanent) else { return nil }
        return effectiveURL
    }
}

/// Why a transfer failed, with what to do about it.
public struct FetchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure; the daemon's metrics count errors by kind.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case badURL = "bad_url"
        case fileNotFound = "file_not_found"
        case dns
        case connection
        case tls
        case timeout
        case stalled
        case httpStatus = "http_status"
        case tooLarge = "too_large"
        case tooManyRedirects = "too_many_redirects"
        case network
        case cancelled
    }

    public var kind: Kind
    public var url: String
    public var message: String
    /// The HTTP status, for `httpStatus`.
    public var status: Int?
    /// The response headers, for `httpStatus` (`Retry-After` lives here).
    public var headers: ResponseHeaders?
    /// The start of the response body (at most 64 KB), for `httpStatus`: some services explain
    /// themselves there (Discord's `retry_after`).
    public var body: [UInt8]?

    public init(
        kind: Kind, url: String, message: String, status: Int? = nil, headers: ResponseHeaders? = nil, body: [UInt8]? = nil
    ) {
        self.kind = kind
        self.url = url
        self.message = message
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var description: String { "\(url): \(message)" }

    /// Whether the request itself was wrong (a bad URL or a missing file) rather than the network.
    public var isBadInput: Bool { kind == .badURL || kind == .fileNotFound }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let scalars = Set(set.unicodeScalars)
        let view = unicodeScalars
        guard let start = view.firstIndex(where: { !scalars.contains($0) }),
            let end = view.lastIndex(where: { !scalars.contains($0) })
        else { return "" }
        return String(String.UnicodeScalarView(view[start...end]))
    }
}
