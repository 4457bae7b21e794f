import Foundation
import Testing

/// `vigia detect SERIES.csv` as PRODUCT.md defines it.
@Suite("vigia detect") struct DetectCommandTests {
    private func series(_ values: [Double], start: Int = 1_704_067_200) -> String {
        var lines = ["timestamp,value"]
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        for (i, value) in values.enumerated() {
            lines.append("\(formatter.string(from: Date(timeIntervalSince1970: Double(start + i * 300)))),\(value)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func printsTheAlertTimestampsExactlyAsGiven() throws {
        let values = (0..<600).map { $0 >= 400 && $0 < 410 ? 90.0 : 10 + Double($0 % 3) }
        let path = try CommandRunner.temporaryFile(named: "series.csv", contents: Data(series(values).utf8))
        let result = try CommandRunner.run(["detect", path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let fields = lines.first?.split(separator: "\t") ?? []
        #expect(fields.first == "2024-01-02 09:20:00")  // row 400
        #expect(fields.count == 2 && Double(fields[1]) ?? 0 >= 3)

        let piped = try CommandRunner.run(["detect", "-"], stdin: Data(series(values).utf8))
        #expect(piped.stdout == result.stdout)
    }

    @Test func unixAndISOTimestampsAreRead() throws {
        let values = (0..<600).map { $0 == 500 ? 80.0 : 5 }
        let unix = values.indices.map { "\(1_704_067_200 + $0 * 300),\(values[$0])" }
        let path = try CommandRunner.temporaryFile(named: "unix.csv", contents: Data((["timestamp,value"] + unix).joined(separator: "\n").utf8))
        let result = try CommandRunner.run(["detect", path])
        #expect(result.stdout.hasPrefix("\(1_704_067_200 + 500 * 300)\t"), "\(result.stdout)")

        let iso = series(values).replacingOccurrences(of: " ", with: "T").replacingOccurrences(of: ":00,", with: ":00Z,")
        let isoPath = try CommandRunner.temporaryFile(named: "iso.csv", contents: Data(iso.utf8))
        let isoResult = try CommandRunner.run(["detect", isoPath])
        #expect(isoResult.stdout.hasPrefix("2024-01-02T17:40:00Z\t"), "\(isoResult.stdout)")
    }

    @Test(arguments: [
        ("time,count\n2024-01-01 00:00:00,1\n", "header"),
        ("timestamp,value\n2024-01-01 00:00:00,lots\n", ":2:"),
        ("timestamp,value\nyesterday,3\n", ":2:"),
        ("timestamp,value\n2024-01-01 00:00:00\n", ":2:"),
    ])
    func badInputIsAClearError(_ text: String, _ expected: String) throws {
        let path = try CommandRunner.temporaryFile(named: "bad.csv", contents: Data(text.utf8))
        let result = try CommandRunner.run(["detect", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test func rowsOutOfOrderAreTakenInFileOrderWithAWarning() throws {
        let text = "timestamp,value\n2024-01-01 00:05:00,1\n2024-01-01 00:00:00,1\n2024-01-01 00:10:00,1\n"
        let path = try CommandRunner.temporaryFile(named: "order.csv", contents: Data(text.utf8))
        let result = try CommandRunner.run(["detect", path])
        #expect(result.status == 0)
        #expect(result.stderr.contains("file order"))
    }

    @Test func missingFileIsBadInput() throws {
        let result = try CommandRunner.run(["detect", "/nonexistent/series.csv"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/series.csv"))
    }
}
