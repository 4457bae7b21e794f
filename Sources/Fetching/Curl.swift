internal import CCurl

/// Process-wide libcurl set-up; call once at start-up before any transfer.
public enum Curl {
    /// The libcurl version string, e.g. `libcurl/7.88.1 OpenSSL/3.0.15 zlib/1.2.13`.
    public static var version: String {
        String(cString: curl_version())
    }
}
