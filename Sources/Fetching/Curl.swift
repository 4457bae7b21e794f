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
