import Foundation

/// Elapsed time and peak memory of this process, for `--stats`.
enum ProcessStats {
    /// The process's peak resident set in kilobytes (`VmHWM`), or nil where /proc is missing.
    static var peakResidentKilobytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst("VmHWM:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }

    /// `seconds=… peak_memory_mb=…`.
    static func summary(since start: Date) -> String {
        let seconds = Date().timeIntervalSince(start)
        let memory = peakResidentKilobytes.map { String($0 / 1024) } ?? "unknown"
        return "seconds=\(String(format: "%.3f", seconds)) peak_memory_mb=\(memory)"
    }
}
