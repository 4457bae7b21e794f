import ArgumentParser
import Foundation
import Logging
import Synchronization
import VigiaModel

/// How logs are written: one line per event on standard error, as text or as JSON.
enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

/// A swift-log handler writing one line per event to standard error.
///
/// Text: `2024-05-01T10:00:00.123Z warning vigia: poll failed url=… kind=timeout`.
/// JSON: `{"ts":"2024-05-01T10:00:00.123Z","level":"warning","logger":"vigia","msg":"poll failed","url":"…"}`.
struct StandardErrorLogHandler: LogHandler {
    let label: String
    let format: LogFormat
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let (level, message) = (event.level, event.message)
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        if let error = event.error { fields["error"] = "\(error)" }
        let time = Self.timestamp(Date())
        var text: String
        switch format {
        case .text:
            text = "\(time) \(level) \(label): \(message)"
            for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
                let rendered = "\(value)"
                let needsQuotes = rendered.isEmpty || rendered.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" })
                text += " \(key)=" + (needsQuotes ? JSONText.quoted(rendered) : rendered)
            }
        case .json:
            text = "{\"ts\":\(JSONText.quoted(time)),\"level\":\(JSONText.quoted(level.rawValue))"
            text += ",\"logger\":\(JSONText.quoted(label)),\"msg\":\(JSONText.quoted("\(message)"))"
            for (key, value) in fields.sorted(by: { $0.key < $1.key }) where !["ts", "level", "logger", "msg"].contains(key) {
                text += ",\(JSONText.quoted(key)):\(JSONText.quoted("\(value)"))"
            }
            text += "}"
        }
        Terminal.error(text)
    }

    private static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = Date(timeIntervalSince1970: seconds.rounded(.down))
        let millis = Int((seconds - seconds.rounded(.down)) * 1000)
        let base = whole.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon))
        return base + String(format: ".%03dZ", millis)
    }
}

/// `--log-format` and `--log-level`, shared by the daemon's commands.
struct LogOptions: ParsableArguments {
    @Option(help: "Log lines on standard error as text or json.")
    var logFormat: LogFormat = .text

    @Option(help: "The least severe level logged: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    /// Sends swift-log's output to standard error (once per process).
    func bootstrap() throws -> Logger {
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw ValidationError("--log-level '\(logLevel)' is not a level; use trace, debug, info, notice, warning, error or critical")
        }
        let format = logFormat
        Once.logging.run { LoggingSystem.bootstrap { label in StandardErrorLogHandler(label: label, format: format, logLevel: level) } }
        var logger = Logger(label: "vigia")
        logger.logLevel = level
        return logger
    }
}

/// Runs a process-wide bootstrap at most once (swift-log and swift-metrics refuse a second one).
final class Once: Sendable {
    private let done = Mutex(false)

    func run(_ body: () -> Void) {
        let first = done.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        if first { body() }
    }

    static let logging = Once()
    static let metrics = Once()
}
