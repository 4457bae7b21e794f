internal import CCurl

/// A failed libcurl SMTP exchange turned into a ``MailError`` that says what to do.
struct SMTPFailure {
    let code: CURLcode
    /// The server's last reply code (`CURLINFO_RESPONSE_CODE`), if it said anything.
    let reply: Int?
    /// libcurl's error buffer, e.g. `RCPT failed: 550`.
    let detail: String
    let settings: SMTPSettings
    let envelope: Envelope

    var error: MailError {
        let server = settings.url
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return fail(
                .connection, "could not find the mail server \(settings.host)",
                "check the server name in the SMTP url and the network")
        case CURLE_COULDNT_CONNECT:
            return fail(
                .connection, "could not connect to \(server)",
                "check the host and port in the SMTP url and that the server is running and reachable")
        case CURLE_OPERATION_TIMEDOUT:
            return fail(
                .timeout, "no complete answer from \(server) in time",
                "check that the server is up, and note that a server on port 465 needs security: tls")
        case CURLE_USE_SSL_FAILED:
            return MailError(
                .tls,
                "the server did not offer STARTTLS; use security: tls for port 465 "
                    + "or security: none only for a trusted local relay.",
                smtpCode: reply)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_INVALIDCERTSTATUS,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return fail(
                .tls, "the server's TLS certificate could not be verified",
                "check that the url names the host the certificate is for, and if the server uses "
                    + "a private or company CA, set caFile to that CA's PEM file")
        case CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CRL_BADFILE:
            return fail(
                .badSettings, "the CA file could not be used", "caFile must be a PEM file of CA certificates")
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED:
            return fail(
                .tls, "the TLS handshake with \(server) failed",
                "use security: tls for implicit TLS (usually port 465) and starttls for port 587")
        case CURLE_LOGIN_DENIED:
            return fail(
                .authentication, "the server refused the username and password",
                "check them, and note that some providers need an app password "
                    + "or an account setting that allows SMTP logins")
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return fail(.badSettings, "libcurl cannot use the SMTP url \(server)", "check the url")
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_WEIRD_SERVER_REPLY, CURLE_UPLOAD_FAILED,
            CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_QUOTE_ERROR:
            return exchangeFailure
        default:
            return fail(
                .protocolError, "sending through \(server) failed (libcurl error \(code.rawValue))",
                "check the SMTP settings, and try again later")
        }
    }

    /// A failure once the exchange had started: the server's refusal if it gave one, else a
    /// broken connection or an answer libcurl did not expect.
    private var exchangeFailure: MailError {
        if let reply, [530, 534, 535, 538].contains(reply) {
            return fail(
                .authentication, "the server requires a login it did not get",
                "set username and password, and use TLS (starttls or tls), "
                    + "which most servers require before a login")
        }
        if let reply, reply >= 400 {
            let advice =
                reply < 500
                ? "the refusal is temporary, so try again later"
                : "check the sender \(envelope.sender), the recipients (\(recipientList)) "
                    + "and that the account may send as the sender"
            return fail(.rejected, "the server refused the mail with SMTP \(reply)", advice)
        }
        if code == CURLE_WEIRD_SERVER_REPLY {
            return fail(
                .protocolError, "\(settings.url) answered something unexpected",
                "check that the url points to an SMTP server")
        }
        return fail(
            .connection, "the connection to \(settings.url) broke during the exchange",
            "try again later, and check the port and security setting if it keeps happening")
    }

    private var recipientList: String {
        let shown = envelope.recipients.prefix(5).joined(separator: ", ")
        return envelope.recipients.count > 5 ? shown + " and \(envelope.recipients.count - 5) more" : shown
    }

    /// "what (libcurl's detail); advice."
    private func fail(_ kind: MailError.Kind, _ what: String, _ advice: String) -> MailError {
        MailError(kind, "\(what) (\(detail)); \(advice).", smtpCode: reply)
    }
}
