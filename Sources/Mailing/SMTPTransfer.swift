internal import CCurl
import Foundation

/// One SMTP exchange on one libcurl easy handle: connect, TLS, login, `MAIL FROM`, `RCPT TO`,
/// `DATA`. Blocking; lives on the thread that calls ``perform()``.
final class SMTPTransfer {
    private let settings: SMTPSettings
    private let envelope: Envelope
    private let cancellation: CancellationFlag
    /// How much of `envelope.content` libcurl has read.
    private var offset = 0
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(settings: SMTPSettings, envelope: Envelope, cancellation: CancellationFlag) {
        self.settings = settings
        self.envelope = envelope
        self.cancellation = cancellation
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        errorBuffer.deallocate()
    }

    func perform() -> Result<Void, any Error> {
        guard CurlSetup.isReady, let handle = curl_easy_init() else {
            return .failure(MailError(.protocolError, "libcurl could not be initialised (out of memory?)."))
        }
        defer { curl_easy_cleanup(handle) }

        var recipients: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(recipients) }
        for recipient in envelope.recipients {
            guard let longer = curl_slist_append(recipients, "<\(recipient)>") else {
                return .failure(
                    MailError(.protocolError, "libcurl ran out of memory building the recipient list."))
            }
            recipients = longer
        }

        let code = withExtendedLifetime(self) { () -> CURLcode in
            let setup = configure(handle, recipients: recipients)
            guard setup == CURLE_OK else { return setup }
            return curl_easy_perform(handle)
        }
        if code == CURLE_OK { return .success(()) }
        if code == CURLE_ABORTED_BY_CALLBACK && cancellation.isCancelled {
            return .failure(CancellationError())
        }

        var reply = 0
        vigia_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &reply)
        let detail = String(cString: errorBuffer)
        return .failure(SMTPFailure(
            code: code, reply: reply > 0 ? reply : nil,
            detail: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail,
            settings: settings, envelope: envelope
        ).error)
    }

    /// Sets every option; the first failing option's code, or `CURLE_OK`.
    private func configure(
        _ handle: UnsafeMutableRawPointer, recipients: UnsafeMutablePointer<curl_slist>?
    ) -> CURLcode {
        let me = Unmanaged.passUnretained(self).toOpaque()
        let useSSL = settings.security == .none ? CURLUSESSL_NONE : CURLUSESSL_ALL
        var results = [
            vigia_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer),
            vigia_curl_setopt_string(handle, CURLOPT_URL, settings.url),
            vigia_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps"),
            vigia_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            vigia_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1),
            vigia_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2),
            vigia_curl_setopt_long(handle, CURLOPT_USE_SSL, Int(useSSL.rawValue)),
            vigia_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, settings.connectTimeout),
            vigia_curl_setopt_long(handle, CURLOPT_TIMEOUT, settings.timeout),
            vigia_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(envelope.sender)>"),
            vigia_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients),
            vigia_curl_setopt_long(handle, CURLOPT_UPLOAD, 1),
            vigia_curl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(envelope.content.count)),
            vigia_curl_setopt_data_callback(handle, CURLOPT_READFUNCTION, smtpReadCallback),
            vigia_curl_setopt_pointer(handle, CURLOPT_READDATA, me),
            // The progress callback runs at least once a second: it is where cancellation lands.
            vigia_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0),
            vigia_curl_setopt_progress_callback(handle, smtpProgressCallback),
            vigia_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, me),
        ]
        if let username = settings.username {
            results.append(vigia_curl_setopt_string(handle, CURLOPT_USERNAME, username))
        }
        if let password = settings.password {
            results.append(vigia_curl_setopt_string(handle, CURLOPT_PASSWORD, password))
        }
        if let caFile = settings.caFile {
            results.append(vigia_curl_setopt_string(handle, CURLOPT_CAINFO, caFile))
        }
        return results.first { $0 != CURLE_OK } ?? CURLE_OK
    }

    /// Copies the next bytes of the message into libcurl's buffer; 0 at the end.
    fileprivate func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, envelope.content.count - offset)
        guard count > 0 else { return 0 }
        envelope.content.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            UnsafeMutableRawPointer(buffer).copyMemory(from: base + offset, byteCount: count)
        }
        offset += count
        return count
    }

    fileprivate var isCancelled: Bool { cancellation.isCancelled }
}

/// `curl_global_init`, once per process.
private enum CurlSetup {
    static let isReady: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}

private let smtpReadCallback: vigia_curl_data_callback = { buffer, size, count, userData in
    guard let buffer, let userData else { return Int(CURL_READFUNC_ABORT) }
    let transfer = Unmanaged<SMTPTransfer>.fromOpaque(userData).takeUnretainedValue()
    return transfer.read(into: buffer, capacity: size * count)
}

private let smtpProgressCallback: vigia_curl_progress_callback = { userData, _, _, _, _ in
    guard let userData else { return 0 }
    return Unmanaged<SMTPTransfer>.fromOpaque(userData).takeUnretainedValue().isCancelled ? 1 : 0
}
