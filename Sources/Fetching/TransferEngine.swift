internal import CCurl
import Foundation
import Synchronization

/// Drives libcurl's multi interface on a thread of its own.
///
/// Other threads only touch ``inbox`` (under its lock) and call `curl_multi_wakeup`, which libcurl
/// allows from any thread; everything else (the multi handle's transfers, the queue, the idle easy
/// handles) is confined to the engine's thread.
final class TransferEngine: @unchecked Sendable {
    private struct Inbox {
        var jobs: [TransferJob] = []
        var cancelled: [UInt64] = []
        var cancelAll = false
        var stopping = false
        var waiting = 0
        var running = 0
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    // Engine-thread state.
    private var queue: HostQueue<TransferJob>
    private var running: [UnsafeMutableRawPointer: Transfer] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []
    /// Ids cancelled before their job reached the engine.
    private var cancelledEarly: Set<UInt64> = []
    /// Ids whose job reached the engine: every id up to `seenThrough`, and those in `seenAbove`.
    /// (Ids are handed out from 1 in order but tasks submit in any order, so "the highest id seen"
    /// cannot tell a job still on its way from one already finished.)
    private var seenThrough: UInt64 = 0
    private var seenAbove: Set<UInt64> = []
    private let finished = DispatchSemaphore(value: 0)

    init(concurrency: Fetcher.Concurrency) {
        Curl.initialize()
        guard let multi = curl_multi_init() else {
            fatalError("libcurl could not create a multi handle (out of memory)")
        }
        self.multi = multi
        queue = HostQueue(maxActive: concurrency.maxTransfers, maxPerHost: concurrency.maxPerHost)
        vigia_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, concurrency.maxTransfers * 2)
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "vigia-fetcher"
        thread.start()
    }

    // MARK: Called from any thread

    func submit(_ job: TransferJob) {
        inbox.withLock { $0.jobs.append(job) }
        curl_multi_wakeup(multi)
    }

    func cancel(id: UInt64) {
        inbox.withLock { $0.cancelled.append(id) }
        curl_multi_wakeup(multi)
    }

    func cancelAll() {
        inbox.withLock { $0.cancelAll = true }
        curl_multi_wakeup(multi)
    }

    var depth: (waiting: Int, running: Int) {
        inbox.withLock { ($0.waiting + $0.jobs.count, $0.running) }
    }

    /// Abandons everything, stops the thread and frees libcurl's handles.
    func stop() {
        inbox.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
        finished.wait()
        curl_multi_cleanup(multi)
    }

    // MARK: The engine's thread

    private func run() {
        while true {
            let (jobs, cancelled, cancelAll, stopping) = inbox.withLock { box in
                defer {
                    box.jobs = []
                    box.cancelled = []
                    box.cancelAll = false
                }
                return (box.jobs, box.cancelled, box.cancelAll, box.stopping)
            }
            for job in jobs {
                markSeen(job.id)
                if cancelledEarly.remove(job.id) != nil {
                    job.continuation.resume(throwing: Self.cancelledError(job.request.url))
                } else {
                    queue.append(job, host: Self.hostKey(job.request.url))
                }
            }
            for id in cancelled { cancelOne(id) }
            if cancelAll || stopping { abandonEverything() }
            if stopping { break }

            startWaitingTransfers()
            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            collectFinishedTransfers()
            startWaitingTransfers()
            inbox.withLock {
                $0.waiting = queue.waitingCount
                $0.running = running.count
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for handle in idleHandles { curl_easy_cleanup(handle) }
        idleHandles = []
    }

    private func startWaitingTransfers() {
        while let (job, _) = queue.next() {
            guard let handle = idleHandles.popLast() ?? curl_easy_init() else {
                queue.finished(host: Self.hostKey(job.request.url))
                job.continuation.resume(throwing: FetchError(
                    kind: .network, url: job.request.url, message: "libcurl could not create a transfer (out of memory)"))
                continue
            }
            let transfer = Transfer(job: job, handle: handle)
            transfer.configure()
            running[handle] = transfer
            curl_multi_add_handle(multi, handle)
        }
    }

    private func collectFinishedTransfers() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard vigia_curl_msg_is_done(message) != 0, let handle = message.pointee.easy_handle,
                let transfer = running[handle]
            else { continue }
            let code = vigia_curl_msg_result(message)
            curl_multi_remove_handle(multi, handle)
            if code == CURLE_OK, let next = redirectTarget(transfer) {
                switch next {
                case .success(let target):
                    transfer.follow(to: target)
                    curl_multi_add_handle(multi, handle)
                    continue
                case .failure(let error):
                    complete(transfer, with: .failure(error))
                    continue
                }
            }
            complete(transfer, with: code == CURLE_OK ? response(transfer) : .failure(error(code, transfer)))
        }
    }

    /// The next hop when the response is a redirect we follow, a failure when we must not.
    private func redirectTarget(_ transfer: Transfer) -> Result<String, FetchError>? {
        var status = 0
        vigia_curl_getinfo_long(transfer.handle, CURLINFO_RESPONSE_CODE, &status)
        guard [301, 302, 303, 307, 308].contains(status), transfer.job.request.postBody == nil else { return nil }
        var pointer: UnsafeMutablePointer<CChar>?
        vigia_curl_getinfo_string(transfer.handle, CURLINFO_REDIRECT_URL, &pointer)
        guard let pointer else { return nil }  // a redirect without Location: an answer of its own
        let target = String(cString: pointer)
        let original = transfer.job.request.url
        guard transfer.redirects.count < transfer.job.request.limits.maxRedirects else {
            let hops = transfer.redirects.count
            return .failure(FetchError(
                kind: .tooManyRedirects, url: original,
                message: "more than \(hops) redirects (a redirect loop?); last one to \(target)"))
        }
        let scheme = target.prefix(while: { $0 != ":" }).lowercased()
        guard scheme == "http" || scheme == "https" else {
            return .failure(FetchError(
                kind: .badURL, url: original, message: "redirected to \(target); only http(s) redirects are followed"))
        }
        transfer.redirects.append(Redirect(status: status, from: transfer.url, to: target))
        return .success(target)
    }

    private func response(_ transfer: Transfer) -> Result<FetchResponse, FetchError> {
        let handle = transfer.handle
        var status = 0
        vigia_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var seconds = 0.0
        vigia_curl_getinfo_double(handle, CURLINFO_TOTAL_TIME, &seconds)
        let headers = ResponseHeaders(transfer.headers)
        if status >= 400 {
            return .failure(FetchError(
                kind: .httpStatus, url: transfer.job.request.url, message: Self.statusMessage(status, headers),
                status: status, headers: headers, body: Array(transfer.body.prefix(64 << 10))))
        }
        if status >= 300, status != 304 {
            return .failure(FetchError(
                kind: .httpStatus, url: transfer.job.request.url,
                message: "the server answered HTTP \(status) without a usable Location", status: status, headers: headers))
        }
        return .success(FetchResponse(
            status: status, body: transfer.body, headers: headers, effectiveURL: transfer.url,
            redirects: transfer.redirects, seconds: seconds))
    }

    private func error(_ code: CURLcode, _ transfer: Transfer) -> FetchError {
        let url = transfer.job.request.url
        let limits = transfer.job.request.limits
        let detail = transfer.errorDetail ?? String(cString: curl_easy_strerror(code))
        func failure(_ kind: FetchError.Kind, _ message: String) -> FetchError {
            FetchError(kind: kind, url: url, message: message)
        }
        switch code {
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return failure(.badURL, "\(detail); use an http://, https:// or file:// URL")
        case CURLE_FILE_COULDNT_READ_FILE:
            return failure(.fileNotFound, "the file cannot be read; check the path")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return failure(.dns, "\(detail); check the host name")
        case CURLE_COULDNT_CONNECT:
            return failure(.connection, "\(detail); the server is down or refuses connections")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_ISSUER_ERROR:
            return failure(.tls, "TLS failed: \(detail); the certificate is not trusted or the TLS set-up is broken")
        case CURLE_WRITE_ERROR where transfer.exceededCap, CURLE_FILESIZE_EXCEEDED:
            return failure(.tooLarge, "the response is over the \(limits.maxBodyBytes)-byte cap; raise fetch.max_body if it is genuine")
        case CURLE_OPERATION_TIMEDOUT:
            var connectSeconds = 0.0
            vigia_curl_getinfo_double(transfer.handle, CURLINFO_CONNECT_TIME, &connectSeconds)
            var totalSeconds = 0.0
            vigia_curl_getinfo_double(transfer.handle, CURLINFO_TOTAL_TIME, &totalSeconds)
            if connectSeconds == 0 {
                return failure(.timeout, "could not connect within \(limits.connectTimeout) s; the host is unreachable or overloaded")
            }
            if totalSeconds + 0.5 < Double(limits.totalTimeout) {
                return failure(.stalled, "the server stopped sending for \(limits.stallTimeout) s; the transfer was abandoned")
            }
            return failure(.timeout, "not finished after \(limits.totalTimeout) s; the server is too slow")
        default:
            return failure(.network, detail)
        }
    }

    private func complete(_ transfer: Transfer, with result: Result<FetchResponse, FetchError>) {
        running[transfer.handle] = nil
        queue.finished(host: Self.hostKey(transfer.job.request.url))
        recycle(transfer.handle)
        transfer.job.continuation.resume(with: result.mapError { $0 as any Error })
    }

    private func recycle(_ handle: UnsafeMutableRawPointer) {
        curl_easy_reset(handle)
        idleHandles.append(handle)
    }

    private func cancelOne(_ id: UInt64) {
        if let job = queue.removeWaiting(where: { $0.id == id }).first {
            job.continuation.resume(throwing: Self.cancelledError(job.request.url))
        } else if let transfer = running.values.first(where: { $0.job.id == id }) {
            curl_multi_remove_handle(multi, transfer.handle)
            complete(transfer, with: .failure(Self.cancelledError(transfer.job.request.url)))
        } else if !(id <= seenThrough || seenAbove.contains(id)) {
            cancelledEarly.insert(id)
        }
    }

    private func markSeen(_ id: UInt64) {
        guard id > seenThrough else { return }
        seenAbove.insert(id)
        while seenAbove.remove(seenThrough + 1) != nil { seenThrough += 1 }
    }

    private func abandonEverything() {
        for job in queue.removeAllWaiting() {
            job.continuation.resume(throwing: Self.cancelledError(job.request.url))
        }
        for transfer in Array(running.values) {
            curl_multi_remove_handle(multi, transfer.handle)
            complete(transfer, with: .failure(Self.cancelledError(transfer.job.request.url)))
        }
    }

    // MARK: Helpers

    private static func cancelledError(_ url: String) -> FetchError {
        FetchError(kind: .cancelled, url: url, message: "the transfer was cancelled")
    }

    private static func statusMessage(_ status: Int, _ headers: ResponseHeaders) -> String {
        switch status {
        case 404: return "the server answered HTTP 404 Not Found; check the URL"
        case 410: return "the server answered HTTP 410 Gone; the feed was removed, drop it from the list"
        case 401, 403: return "the server answered HTTP \(status); the feed needs credentials or blocks this client"
        case 429, 503:
            let after = headers.retryAfter.map { " and asked to retry after \($0)" } ?? ""
            return "the server answered HTTP \(status)\(after); polling backs off"
        default: return "the server answered HTTP \(status)"
        }
    }

    /// `scheme://host:port`, the unit of the per-host limit (`file` for local files).
    static func hostKey(_ url: String) -> String {
        var url = url
        return url.withUTF8 { bytes -> String in
            // The scheme ends at "://"; the authority runs to the first "/", "?" or "#".
            var index = 0
            while index + 2 < bytes.count, !(bytes[index] == 0x3A && bytes[index + 1] == 0x2F && bytes[index + 2] == 0x2F) {
                index += 1
            }
            guard index + 2 < bytes.count else { return String(decoding: bytes, as: UTF8.self) }
            let scheme = String(decoding: bytes[..<index], as: UTF8.self).lowercased()
            if scheme == "file" { return "file" }
            var start = index + 3
            var end = start
            while end < bytes.count, bytes[end] != 0x2F, bytes[end] != 0x3F, bytes[end] != 0x23 {
                if bytes[end] == 0x40 { start = end + 1 }  // user:password@ is not part of the host
                end += 1
            }
            return scheme + "://" + String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
        }
    }
}
