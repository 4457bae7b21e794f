import FoundationEssentials

/// Base64 content (Atom `mode="base64"` or a binary media type).
enum Base64 {
    /// The UTF-8 text `encoded` decodes to, or nil when it is not base64 text.
    static func decodeToString(_ encoded: String) -> String? {
        let compact = encoded.filter { !$0.isWhitespace }
        guard !compact.isEmpty, let data = Data(base64Encoded: compact) else { return nil }
        let bytes = [UInt8](data)
        let valid = bytes.withUnsafeBytes { UTF8Check.firstInvalidOffset($0) == nil }
        return valid ? String(decoding: bytes, as: UTF8.self) : nil
    }
}
