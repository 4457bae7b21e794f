import Synchronization

/// Fetches feeds concurrently through one libcurl multi handle driven by a dedicated thread.
///
/// Any number of tasks may call ``fetch(_:)`` at once: requests wait in a fair per-host queue and
/// at most ``Concurrency/maxTransfers`` run at a time, at most ``Concurrency/maxPerHost`` per host.
/// Connections, TLS sessions and DNS answers are reused across transfers.
///
/// Every transfer sends conditional headers when the request has validators, accepts every
/// compression libcurl supports, verifies TLS, follows at most `maxRedirects` redirects (itself,
/// so that permanent and temporary ones can be told apart), aborts bodies over the size cap, and
/// gives up on slow or stalled servers. Proxies come from the environment (`http_proxy`,
/// `https_proxy`, `no_proxy`), as for the `curl` command.
public final class Fetcher: Sendable {
    /// How many transfers run at once.
    public struct Concurrency: Sendable, Hashable {
        public var maxTransfers: Int
        public var maxPerHost: Int

        public init(maxTransfers: Int = 32, maxPerHost: Int = 6) {
            self.maxTransfers = max(1, maxTransfers)
            self.maxPerHost = max(1, maxPerHost)
        }
    }

    /// The `User-Agent` sent when the configuration names no contact.
    public static let defaultUserAgent = userAgent(contact: nil)

    /// `Vigia/VERSION (+CONTACT)`: who is polling and where to complain.
    public static func userAgent(contact: String?) -> String {
        "Vigia/0.1 (self-hosted social listening; +\(contact ?? "https://github.com/vigia-monitor/vigia"))"
    }

    private let engine: TransferEngine
    private let nextID = Atomic<UInt64>(1)

    public init(concurrency: Concurrency = Concurrency()) {
        engine = TransferEngine(concurrency: concurrency)
    }

    deinit {
        engine.stop()
    }

    /// Fetches one URL.
    /// - Returns: the response for a 2xx or a 304.
    /// - Throws: ``FetchError`` (an HTTP status of 400 or more is `httpStatus`, with the headers);
    ///   a cancelled task's transfer is abandoned and throws `cancelled`.
    public func fetch(_ request: FetchRequest) async throws -> FetchResponse {
        let id = nextID.add(1, ordering: .relaxed).oldValue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                engine.submit(TransferJob(id: id, request: request, continuation: continuation))
            }
        } onCancel: {
            engine.cancel(id: id)
        }
    }

    /// Transfers waiting for a slot and running now.
    public var queueDepth: (waiting: Int, running: Int) { engine.depth }

    /// Abandons every waiting and running transfer (each throws `cancelled`); the fetcher stays usable.
    public func cancelAll() {
        engine.cancelAll()
    }

    /// `scheme://host:port` of `url`: the unit of the per-host limit (`file` for local files).
    public static func hostKey(of url: String) -> String {
        TransferEngine.hostKey(url)
    }

    /// Fetches `url` once with a fetcher of its own: for commands that fetch one document.
    public static func fetchOnce(
        _ url: String, maxBytes: Int = 64 << 20, connectTimeout: Int = 10, totalTimeout: Int = 60,
        userAgent: String = defaultUserAgent
    ) async throws -> FetchResponse {
        let fetcher = Fetcher(concurrency: Concurrency(maxTransfers: 1, maxPerHost: 1))
        let limits = FetchLimits(
            maxBodyBytes: maxBytes, connectTimeout: connectTimeout, totalTimeout: totalTimeout,
            stallTimeout: min(totalTimeout, 20), userAgent: userAgent)
        return try await fetcher.fetch(FetchRequest(url: url, limits: limits))
    }
}
