import Foundation
import Testing
import VigiaModel

@testable import FeedParsing

/// `streamFile`'s progress moves with the entries handed over, also for files read whole.
@Suite struct StreamProgressTests {
    @Test func aFileReadWholeReportsProgressAsItsEntriesAreHandedOver() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("progress-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var text = ""
        for index in 0..<1000 { text += "{\"id\": \"\(index)\", \"text\": \"entrada número \(index)\"}\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let size = Int64(text.utf8.count)

        var reports: [Int64] = []
        var entriesAtReport: [Int] = []
        var entries = 0
        let parsed = try FeedParser().streamFile(atPath: path, onProgress: { bytes in
            reports.append(bytes)
            entriesAtReport.append(entries)
        }) { _ in entries += 1 }

        #expect(parsed.format == .jsonl)
        #expect(entries == 1000)
        #expect(reports.first == 0)
        #expect(reports.last == size)
        #expect(reports == reports.sorted(), "progress went backwards: \(reports)")
        // Reports in between, while entries are handed over (not all at the start).
        let between = zip(reports, entriesAtReport).filter { $0.0 > 0 && $0.0 < size }
        #expect(between.count >= 3)
        #expect(between.allSatisfy { $0.1 > 0 && $0.1 < 1000 })
    }
}
