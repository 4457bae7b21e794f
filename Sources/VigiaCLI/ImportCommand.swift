import ArgumentParser
import FeedParsing
import Foundation
import Pipeline
import Storage
import VigiaModel

/// `vigia import FILE [--format …]`: stores a forum export through the pipeline.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Store a feed or forum export: parse, match brands, score, store.",
        discussion: "Importing the same file twice stores nothing new. A bad record is reported with its line and skipped.")

    @Argument(help: "The file to import ('-' for standard input).")
    var file: String

    @OptionGroup var parsing: ParserOptions

    @Flag(help: "No progress bar.")
    var quiet = false

    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        var options = try parsing.parserOptions()
        options.documentName = file == "-" ? "<stdin>" : file
        // Large exports stream; the in-memory cap only guards whole documents.
        options.limits.maxEntries = .max
        let configuration = try config.load()
        let model: AnalysisModel
        do {
            model = try AnalysisModel(configuration: configuration)
        } catch let error as ConfigurationError {
            Terminal.error("vigia: error: \(error)")
            throw ExitCode(2)
        }
        let store = try config.openStore(configuration)
        let bar = ProgressBar(enabled: !quiet && Terminal.stderrIsTerminal)
        let summary: ImportSummary
        do {
            summary = try await Importer(store: store, model: model).importFile(atPath: file, options: options) { progress in
                bar.update(progress)
            }
        } catch let error as FeedParsingError {
            bar.finish()
            Terminal.error("vigia: error: \(error)")
            throw ExitCode(2)
        }
        bar.finish()
        Terminal.write(Self.report(summary))
        Terminal.flush()
    }

    static func report(_ summary: ImportSummary) -> String {
        var lines = [
            "Imported \(summary.file)\(summary.format.map { " (\($0.displayName))" } ?? "") in \(String(format: "%.1f", summary.seconds)) s, \(Int(summary.rate)) entries/s",
            "  entries read:    \(summary.entriesRead)",
            "  stored:          \(summary.stored)",
            "  duplicates:      \(summary.duplicates) (copies of entries already stored: counted once)",
            "  already present: \(summary.alreadyPresent)",
        ]
        if summary.mentionsPerBrand.isEmpty {
            lines.append("  mentions:        none")
        } else {
            lines.append("  mentions per brand:")
            for (brand, count) in summary.mentionsPerBrand.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
                lines.append("    \(brand.padding(toLength: max(brand.count, 24), withPad: " ", startingAt: 0)) \(count)")
            }
        }
        if summary.skippedCount > 0 {
            lines.append("  skipped records: \(summary.skippedCount)")
            for record in summary.skipped.prefix(20) { lines.append("    \(record)") }
            if summary.skippedCount > 20 { lines.append("    … and \(summary.skippedCount - 20) more") }
        }
        if !summary.bozoReasons.isEmpty {
            lines.append("  repaired:        " + summary.bozoReasons.joined(separator: "; "))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A one-line progress bar on standard error (items/s and ETA).
struct ProgressBar: Sendable {
    private let line: StatusLine

    init(enabled: Bool) {
        line = StatusLine(enabled: enabled)
    }

    func update(_ progress: ImportProgress) {
        line.draw {
            var text = ""
            if let total = progress.totalBytes, total > 0 {
                let fraction = min(1, Double(progress.bytesRead) / Double(total))
                let filled = Int(fraction * 24)
                text += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 24 - filled) + "] "
                text += String(format: "%3.0f%% ", fraction * 100)
            }
            text += "\(progress.entriesRead) entries, \(Int(progress.rate))/s"
            if let remaining = progress.remaining {
                text += String(format: ", ETA %d:%02d", Int(remaining) / 60, Int(remaining) % 60)
            }
            return text
        }
    }

    func finish() { line.finish() }
}
