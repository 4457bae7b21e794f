import FoundationEssentials
import VigiaModel

/// Turns one CSV or JSON Lines record into an entry, through the column mapping.
struct RecordMapper {
    let columns: ColumnMapping
    let baseURL: String?
    let html = HTMLTextExtractor()

    /// The entry for a record whose fields `value(for:)` looks up, or the reason it is skipped.
    func entry(_ value: (String) -> String?) -> Result<FeedEntry, RecordProblem> {
        func field(_ field: ColumnMapping.Field) -> String? {
            guard let raw = value(columns.column(for: field)) else { return nil }
            let trimmed = raw.trimmingCharacters(in: " \t\r\n")
            return trimmed.isEmpty ? nil : trimmed
        }
        var entry = FeedEntry()
        entry.id = field(.id)
        entry.title = field(.title).map(TextCleanup.plainText)
        if var text = field(.text) {
            let isHTML = text.withUTF8 { bytes in
                ByteText.contains(bytes, "<p>") || ByteText.contains(bytes, "<br") || SyndicationHandler.looksLikeHTML(bytes)
            }
            entry.contentText = isHTML ? TextCleanup.plainText(html.text(ofHTML: text)) : TextCleanup.plainText(text)
        }
        guard entry.title != nil || entry.contentText != nil else {
            return .failure(RecordProblem(
                reason: "no '\(columns.column(for: .text))' or '\(columns.column(for: .title))' value; map the text column with --map text=COLUMN"))
        }
        entry.link = field(.link).map { URLResolver.resolve($0, against: baseURL) }
        entry.author = field(.author)
        if let published = field(.published) {
            guard let date = FeedDate.parse(published) ?? Double(published).flatMap(JSONDocumentReader.epochDate) else {
                return .failure(RecordProblem(reason: "'\(published)' in '\(columns.column(for: .published))' is not a date (use ISO 8601 or RFC 822)"))
            }
            entry.published = date
        }
        entry.source = field(.source)
        entry.language = field(.lang)
        // Engagement only ranks mentions: a value that is not a number loses the ranking, not the record.
        entry.engagement = field(.engagement).flatMap { text in
            Int(text) ?? Double(text).flatMap { $0.isFinite && abs($0) < 1e15 ? Int($0.rounded(.down)) : nil }
        }
        return .success(entry)
    }
}

/// Why a record was skipped.
struct RecordProblem: Error {
    var reason: String
}
