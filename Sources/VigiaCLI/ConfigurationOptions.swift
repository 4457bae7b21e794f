import ArgumentParser
import Foundation
import Pipeline
import Storage

/// `--config FILE`, shared by every command that needs a configuration.
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "The configuration file (default: $VIGIA_CONFIG or ./vigia.yaml).")
    var path: String?

    /// Loads the configuration, turning its errors into the contract's bad-input exit.
    func load() throws -> Configuration {
        do {
            return try Configuration.load(from: path ?? Configuration.defaultPath)
        } catch let error as ConfigurationError {
            Terminal.error("vigia: error: \(error)")
            throw ExitCode(2)
        }
    }

    /// Opens the configuration's database.
    func openStore(_ configuration: Configuration) throws -> SQLiteMentionStore {
        do {
            try FileManager.default.createDirectory(
                at: configuration.database.deletingLastPathComponent(), withIntermediateDirectories: true)
            return try SQLiteMentionStore(path: configuration.database.path)
        } catch {
            Terminal.error("vigia: error: \(configuration.database.path): \(error)")
            throw ExitCode(1)
        }
    }
}

/// `7d`, `24h` (that long ago) or a date (`2024-05-01`, `2024-05-01T10:00:00Z`).
enum DateArgument {
    static func parse(_ text: String, option: String, now: Date = Date()) throws -> Date {
        if let duration = DurationText.parse(text) {
            return now.addingTimeInterval(-Double(duration.components.seconds))
        }
        if let date = FeedDateBridge.parse(text) { return date }
        throw ValidationError("\(option) '\(text)' is neither a duration (7d, 24h) nor a date (2024-05-01)")
    }
}
