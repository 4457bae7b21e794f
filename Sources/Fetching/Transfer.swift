internal import CCurl
import Foundation

/// A fetch waiting for, or holding, a transfer slot.
struct TransferJob: Sendable {
    let id: UInt64
    let request: FetchRequest
    let continuation: CheckedContinuation<FetchResponse, any Error>
}

/// One running transfer: its easy handle, the bytes and headers received so far, and the
/// redirects followed. Lives on the engine's thread only.
final class Transfer {
    let job: TransferJob
    let handle: UnsafeMutableRawPointer
    var url: String
    var body: [UInt8] = []
    var headers: [String: String] = [:]
    var redirects: [Redirect] = []
    /// Set when the body passed the cap (the write callback then refuses the data).
    var exceededCap = false
    private var requestHeaders: UnsafeMutablePointer<curl_slist>?
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(job: TransferJob, handle: UnsafeMutableRawPointer) {
        self.job = job
        self.handle = handle
        url = job.request.url
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        if let requestHeaders { curl_slist_free_all(requestHeaders) }
        errorBuffer.deallocate()
    }

    /// Sets every option of the first request on a fresh (or reset) easy handle.
    func configure() {
        let request = job.request
        let limits = request.limits
        let me = Unmanaged.passUnretained(self).toOpaque()
        vigia_curl_setopt_string(handle, CURLOPT_URL, request.url)
        vigia_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https,file")
        vigia_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)  // followed here, to tell 301 from 302
        vigia_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        vigia_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        vigia_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        vigia_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, limits.connectTimeout)
        vigia_curl_setopt_long(handle, CURLOPT_TIMEOUT, limits.totalTimeout)
        vigia_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
        vigia_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, limits.stallTimeout)
        vigia_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")  // everything libcurl can decode
        vigia_curl_setopt_string(handle, CURLOPT_USERAGENT, limits.userAgent)
        vigia_curl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(limits.maxBodyBytes))
        vigia_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        vigia_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, transferWriteCallback)
        vigia_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, me)
        vigia_curl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, transferHeaderCallback)
        vigia_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, me)

        var list: UnsafeMutablePointer<curl_slist>?
        if let body = request.postBody {
            vigia_curl_setopt_long(handle, CURLOPT_POST, 1)
            vigia_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            // COPYPOSTFIELDS copies `size` bytes (an empty body still needs a valid pointer).
            var copy = body.isEmpty ? [UInt8(0)] : body
            copy.withUnsafeMutableBytes { bytes in
                if let base = bytes.baseAddress { vigia_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, base) }
            }
            list = curl_slist_append(list, "Expect:")  // no 100-continue round trip
        } else {
            list = curl_slist_append(
                list,
                "Accept: application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
                    + "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
        }
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key })
        where !name.contains(":") && !name.contains("\n") && !value.contains("\n") && !value.contains("\r") {
            list = curl_slist_append(list, "\(name): \(value)")
        }
        if let etag = request.etag, !etag.isEmpty, !etag.contains("\n") {
            list = curl_slist_append(list, "If-None-Match: \(etag)")
        }
        if let lastModified = request.lastModified, !lastModified.isEmpty, !lastModified.contains("\n") {
            list = curl_slist_append(list, "If-Modified-Since: \(lastModified)")
        }
        requestHeaders = list
        vigia_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
    }

    /// Points the handle at the next hop of a redirect; the body and headers start over.
    func follow(to target: String) {
        url = target
        body.removeAll(keepingCapacity: true)
        headers = [:]
        vigia_curl_setopt_string(handle, CURLOPT_URL, target)
    }

    func append(_ data: UnsafeRawPointer, _ length: Int) -> Int {
        guard body.count + length <= job.request.limits.maxBodyBytes else {
            exceededCap = true
            return 0
        }
        body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
        return length
    }

    /// One header line: a status line starts a new response (after a `100 Continue`, say).
    func header(_ data: UnsafeRawPointer, _ length: Int) -> Int {
        let bytes = UnsafeRawBufferPointer(start: data, count: length)
        if bytes.starts(with: "HTTP/".utf8) {
            headers = [:]
            return length
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return length }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        var start = colon + 1
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        let name = String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
        let value = String(decoding: bytes[start..<end], as: UTF8.self)
        headers[name] = value
        return length
    }

    /// The detail libcurl wrote for the last failure, if any.
    var errorDetail: String? {
        let text = String(cString: errorBuffer)
        return text.isEmpty ? nil : text
    }
}

private let transferWriteCallback: vigia_curl_data_callback = { data, size, count, userData in
    guard let data, let userData else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userData).takeUnretainedValue()
    return transfer.append(UnsafeRawPointer(data), size * count)
}

private let transferHeaderCallback: vigia_curl_data_callback = { data, size, count, userData in
    guard let data, let userData else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userData).takeUnretainedValue()
    return transfer.header(UnsafeRawPointer(data), size * count)
}
