import FoundationEssentials

/// Why a document could not be read. Every error names the document and, where known, the line,
/// and says what to do.
public struct FeedParsingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; new kinds may be added.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        fileprivate let code: Code
        fileprivate enum Code: String, Sendable, Hashable {
            case notWellFormed, unknownFormat, unsupportedEncoding, tooLarge, emptyDocument, badRecord
            case unreadable
        }
        /// The XML could not be parsed, even in recovery mode.
        public static let notWellFormed = Kind(code: .notWellFormed)
        /// The content is not a format Vigía reads.
        public static let unknownFormat = Kind(code: .unknownFormat)
        /// The bytes are in an encoding that cannot be decoded.
        public static let unsupportedEncoding = Kind(code: .unsupportedEncoding)
        /// The document or one of its parts is over the configured size cap.
        public static let tooLarge = Kind(code: .tooLarge)
        /// The document has no content.
        public static let emptyDocument = Kind(code: .emptyDocument)
        /// A record of an export could not be read (the rest is kept).
        public static let badRecord = Kind(code: .badRecord)
        /// The file could not be read.
        public static let unreadable = Kind(code: .unreadable)

        public var description: String { code.rawValue }
    }

    public var kind: Kind
    /// The document: a file path, a URL, or `<memory>`.
    public var document: String
    /// The 1-based line at fault, when known.
    public var line: Int?
    /// What went wrong and what to do, for people.
    public var message: String

    public init(_ kind: Kind, document: String, line: Int? = nil, message: String) {
        self.kind = kind
        self.document = document
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(document):\(line): \(message)" }
        return "\(document): \(message)"
    }
}
