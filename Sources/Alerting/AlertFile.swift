import Foundation

/// The `file` sink: one alert per line of JSON Lines, appended in a single write and flushed to
/// the disk (`synchronize`, an fsync) before the delivery counts as done.
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
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw WriteError(path: path, message: "cannot create the file; check the sink's path and its folder")
            }
        }
        do {
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
            try handle.synchronize()
        } catch {
            throw WriteError(path: path, message: "cannot append (\(error.localizedDescription)); check the sink's path")
        }
    }
}
