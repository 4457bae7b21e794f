import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Parsing an export larger than memory-friendly sizes keeps a flat memory profile: measured on
/// a `vigia parse` process of its own, so that other tests cannot skew it.
@Suite("streaming memory", .serialized) struct StreamingMemoryTests {
    /// A Stack Exchange-style export well over the size that is read whole (64 MiB).
    private static func writeExport(to path: String, bytes target: Int) throws -> Int {
        guard let file = fopen(path, "w") else { throw CocoaError(.fileWriteUnknown) }
        defer { fclose(file) }
        var written = 0
        func write(_ text: String) {
            var copy = text
            copy.withUTF8 { written += fwrite($0.baseAddress, 1, $0.count, file) }
        }
        write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<posts>\n")
        let body = String(repeating: "&lt;p&gt;Lorem ipsum &amp;amp; dolor sit amet, caf\u{E9} &lt;b&gt;bold&lt;/b&gt;.&lt;/p&gt;", count: 8)
        var rows = 0
        var chunk = ""
        while written < target {
            chunk.removeAll(keepingCapacity: true)
            for _ in 0..<500 {
                rows += 1
                chunk += "  <row Id=\"\(rows)\" PostTypeId=\"1\" CreationDate=\"2024-05-01T10:00:00.000\" Score=\"3\" Body=\"\(body)\" Title=\"Question \(rows)\" />\n"
            }
            write(chunk)
        }
        write("</posts>\n")
        return rows
    }

    @Test func parsingAnExportTwiceTheWholeFileLimitStaysUnder100MB() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-memory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("Posts.xml").path
        let rows = try Self.writeExport(to: path, bytes: 140 << 20)

        // The child reports its own peak resident set (VmHWM): the resource usage the parent
        // reads for a spawned child also counts the parent's memory at spawn time.
        let result = try CommandRunner.run(["parse", path, "--json", "--stats"], discardOutput: true)
        #expect(result.status == 0, "\(result.stderr)")
        let peak = result.stderr.split(separator: " ").first { $0.hasPrefix("peak_memory_mb=") }
        let peakMegabytes = try #require(peak.flatMap { Int($0.dropFirst("peak_memory_mb=".count).trimmingCharacters(in: .whitespacesAndNewlines)) })
        #expect(rows > 100_000)
        #expect(peakMegabytes < 100, "vigia parse peaked at \(peakMegabytes) MB on a 140 MB export")
    }
}
