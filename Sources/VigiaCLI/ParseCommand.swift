import ArgumentParser
import FeedParsing

/// `vigia parse FILE [--json]`.
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse a feed or forum export and print its entries.")

    @Argument(help: "The file to parse ('-' for standard input).")
    var file: String

    @Flag(help: "Print one JSON object (the stable machine-readable form).")
    var json = false

    func run() async throws {
        _ = FeedParser()
    }
}
