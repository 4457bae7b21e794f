import ArgumentParser
import Detection
import Foundation

/// `vigia detect SERIES.csv`: the daemon's streaming spike detector on any `timestamp,value` series.
struct DetectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Run the streaming spike detector on a timestamp,value series.",
        discussion: """
            Reads a CSV file with the header `timestamp,value` (timestamps as `2024-05-01 10:00:00`, \
            ISO 8601, or Unix seconds; rows in time order, taken in file order when not; '-' reads standard input) and prints one \
            line per alert: the timestamp exactly as in the input, a tab, and how unusual the value \
            was in standard deviations. Each decision uses only the rows before it.
            """)

    @Argument(help: "The series (CSV with the header timestamp,value; '-' for standard input).")
    var file: String

    func run() async throws {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else if let contents = FileManager.default.contents(atPath: file) {
            data = contents
        } else {
            Terminal.error("vigia: error: \(file): cannot read the file; check the path")
            throw ExitCode(2)
        }
        var detector = SpikeDetector()
        var lineNumber = 0
        var previous: Double?
        var warnedOrder = false
        let text = String(decoding: data, as: UTF8.self)
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            if lineNumber == 1 {
                let header = fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                guard header.count >= 2, header[0] == "timestamp", header[1] == "value" else {
                    Terminal.error("vigia: error: \(file):1: the header must be `timestamp,value`")
                    throw ExitCode(2)
                }
                continue
            }
            guard fields.count >= 2 else {
                Terminal.error("vigia: error: \(file):\(lineNumber): expected `timestamp,value`")
                throw ExitCode(2)
            }
            let stamp = String(fields[0]).trimmingCharacters(in: .whitespaces)
            guard let time = SeriesTime.seconds(stamp) else {
                Terminal.error("vigia: error: \(file):\(lineNumber): '\(stamp)' is not a timestamp; use 2024-05-01 10:00:00, ISO 8601 or Unix seconds")
                throw ExitCode(2)
            }
            let valueText = fields[1].trimmingCharacters(in: .whitespaces)
            guard let value = Double(valueText), value.isFinite else {
                Terminal.error("vigia: error: \(file):\(lineNumber): '\(valueText)' is not a number")
                throw ExitCode(2)
            }
            if let previous, time <= previous, !warnedOrder {
                // Real exports repeat or step back (clock changes, merges): rows are taken in file order.
                Terminal.error("vigia: warning: \(file):\(lineNumber): \(stamp) is not after the row before; rows are taken in file order")
                warnedOrder = true
            }
            previous = max(previous ?? time, time)
            if let alert = detector.observe(time: time, value: value) {
                Terminal.line("\(stamp)\t\(String(format: "%.2f", alert.score))")
            }
        }
        Terminal.flush()
    }
}

/// Timestamps of series files, as seconds since 1970 (UTC).
enum SeriesTime {
    static func seconds(_ text: String) -> Double? {
        if let number = Double(text), !text.contains("-") { return number }
        // YYYY-MM-DD[ T]HH:MM[:SS[.fff]][Z|±HH:MM]
        let bytes = Array(text.utf8)
        func number(_ from: Int, _ length: Int) -> Int? {
            guard from + length <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[from..<(from + length)] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == 0x2D, bytes[7] == 0x2D, let year = number(0, 4), let month = number(5, 2),
            let day = number(8, 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var hour = 0, minute = 0, second = 0.0
        var index = 10
        if bytes.count > 10 {
            guard bytes[10] == 0x20 || bytes[10] == 0x54, let h = number(11, 2), bytes.count > 13, bytes[13] == 0x3A,
                let m = number(14, 2), h < 24, m < 60
            else { return nil }
            hour = h
            minute = m
            index = 16
            if bytes.count > 16, bytes[16] == 0x3A, let s = number(17, 2) {
                second = Double(s)
                index = 19
                if bytes.count > 19, bytes[19] == 0x2E {
                    var end = 20
                    while end < bytes.count, bytes[end] >= 0x30, bytes[end] <= 0x39 { end += 1 }
                    second += Double("0." + String(decoding: bytes[20..<end], as: UTF8.self)) ?? 0
                    index = end
                }
            }
        }
        var offset = 0
        if index < bytes.count {
            if bytes[index] == 0x5A, index + 1 == bytes.count {
                offset = 0
            } else if bytes[index] == 0x2B || bytes[index] == 0x2D, let h = number(index + 1, 2) {
                let m = bytes.count > index + 3 && bytes[index + 3] == 0x3A ? number(index + 4, 2) ?? 0 : number(index + 3, 2) ?? 0
                offset = (h * 3600 + m * 60) * (bytes[index] == 0x2D ? -1 : 1)
            } else {
                return nil
            }
        }
        // Days from the civil date (proleptic Gregorian), after Howard Hinnant's algorithm.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86_400 + hour * 3600 + minute * 60 - offset) + second
    }
}
