/// A language Vigía analyses, or `und` when a text is in none of them or says too little.
///
/// The raw values are the ISO 639-1 codes printed by `vigia lang` (`und` is the ISO 639-2
/// code for "undetermined").
public enum Language: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Spanish.
    case es
    /// Italian.
    case it
    /// English.
    case en
    /// Undetermined: another language, or too little text to tell.
    case und

    /// The languages Vigía analyses (every case but `und`).
    public static let analysed: [Language] = [.es, .it, .en]

    public var description: String { rawValue }
}
