/// Why the store could not do what was asked: what went wrong, on which file, and what to do.
///
/// Compare ``kind`` to tell cases apart; new kinds can be added without breaking callers.
public struct StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The file is not an SQLite database.
        public static let notADatabase = Kind("notADatabase")
        /// The file is an SQLite database of some other program.
        public static let notAVigiaDatabase = Kind("notAVigiaDatabase")
        /// The database is damaged.
        public static let corrupt = Kind("corrupt")
        /// The database was written by a newer Vigía.
        public static let newerSchema = Kind("newerSchema")
        /// The file could not be opened or created (missing directory, permissions).
        public static let cannotOpen = Kind("cannotOpen")
        /// The database file does not exist and was not to be created.
        public static let missing = Kind("missing")
        /// The query uses a construct the full-text index cannot answer.
        public static let unsupportedQuery = Kind("unsupportedQuery")
        /// An argument is out of range.
        public static let invalidArgument = Kind("invalidArgument")
        /// The disk is full or the database is read-only.
        public static let cannotWrite = Kind("cannotWrite")
        /// Another SQLite error.
        public static let database = Kind("database")
    }

    public var kind: Kind
    /// The database file concerned, when there is one.
    public var path: String?
    /// What happened and what to do.
    public var message: String

    public init(_ kind: Kind, path: String? = nil, message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String {
        if let path { return "\(path): \(message)" }
        return message
    }
}
