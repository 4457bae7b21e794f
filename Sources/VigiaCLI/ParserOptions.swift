import ArgumentParser
import FeedParsing
import VigiaModel

/// `--format`, `--map` and `--base-url`, shared by the commands that read a feed or export.
struct ParserOptions: ParsableArguments {
    @Option(help: "Force a format: \(FeedFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: String?

    @Option(help: "Rename CSV/JSON Lines fields, e.g. text=body,published=created_at.")
    var map: String?

    @Option(name: .customLong("base-url"), help: "The document's URL (or the site an export comes from), to make relative links absolute.")
    var baseURL: String?

    /// Parser options with these settings.
    /// - Throws: `ValidationError` for an unknown format or a bad mapping.
    func parserOptions() throws -> FeedParser.Options {
        var options = FeedParser.Options(baseURL: baseURL)
        if let format {
            guard let forced = FeedFormat(rawValue: format.lowercased()) else {
                throw ValidationError("unknown format '\(format)'; formats are \(FeedFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            options.format = forced
        }
        if let map {
            do { options.columns = try ColumnMapping(parsing: map) } catch let error as FeedParsingError {
                throw ValidationError(error.message)
            }
        }
        return options
    }
}
