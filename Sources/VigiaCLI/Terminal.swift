import Foundation

// The C streams are process globals; every write goes through these two handles.
nonisolated(unsafe) private let standardOutput = fdopen(1, "w")
nonisolated(unsafe) private let standardError = fdopen(2, "w")

/// Buffered writes to standard output and standard error.
enum Terminal {
    /// Writes `text` to standard output (buffered by the C library).
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            _ = fwrite(buffer.baseAddress, 1, buffer.count, standardOutput)
        }
    }

    /// Writes a line to standard output.
    static func line(_ text: String) { write(text + "\n") }

    /// Writes a message line to standard error.
    static func error(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { buffer in
            _ = fwrite(buffer.baseAddress, 1, buffer.count, standardError)
            fflush(standardError)
        }
    }

    /// Writes to standard error without a newline (progress lines).
    static func errorRaw(_ text: String) {
        var copy = text
        copy.withUTF8 { buffer in
            _ = fwrite(buffer.baseAddress, 1, buffer.count, standardError)
            fflush(standardError)
        }
    }

    static func flush() { fflush(standardOutput) }

    /// Whether standard error is a terminal (progress bars only then).
    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// Whether standard output is a terminal (colours and progress lines only then).
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }
}


/// One line of progress on standard error, redrawn in place at most ten times a second, and only
/// when standard error is a terminal (the caller decides with `enabled`).
final class StatusLine: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var width = 0

    init(enabled: Bool) { self.enabled = enabled }

    /// Draws `text()` unless the last drawing is less than a tenth of a second old (`force` draws
    /// anyway, e.g. the final state).
    func draw(force: Bool = false, _ text: () -> String) {
        guard enabled else { return }
        lock.withLock {
            let now = Date()
            guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            let line = text()
            width = max(width, line.count)
            Terminal.errorRaw("\r" + line + "   ")
        }
    }

    /// Clears the line, if anything was drawn.
    func finish() {
        guard enabled else { return }
        lock.withLock {
            if width > 0 { Terminal.errorRaw("\r" + String(repeating: " ", count: width + 3) + "\r") }
        }
    }
}
