import Foundation

/// The `file` sink: one alert per line of JSON Lines, appended in a single write and flushed to
/// the disk before the delivery counts as done.
public enum AlertFile {
    /// Why an alert could not be appended.
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    /// Appends `message` (the generic webhook JSON, on one line) to `path`, creating the file.
    public static func append(_ message: AlertMessage, to path: String) throws {
        var line = WebhookFormat.generic.request(for: message).body
        line.append(0x0A)
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw WriteError(path: path, message: "cannot open for appending (\(String(cString: strerror(errno)))); check the sink's path")
        }
        defer { close(descriptor) }
        // O_APPEND makes the single write atomic with respect to other appenders of the file.
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count else {
            throw WriteError(path: path, message: "short write (\(String(cString: strerror(errno))))")
        }
        guard fsync(descriptor) == 0 else {
            throw WriteError(path: path, message: "fsync failed (\(String(cString: strerror(errno))))")
        }
    }
}
