import VigiaModel

/// Reads JSON Lines: one JSON object per line, streamed. Keys follow the column mapping; a mapped
/// key may be a dotted path into nested objects (`author=user.name`). A bad line is reported with
/// its number and skipped.
final class JSONLinesReader: FormatReader {
    private let options: FeedParser.Options
    private let emit: (FeedEntry) -> Void
    private let mapper: RecordMapper
    private var line: [UInt8] = []
    private var lineNumber = 0
    private var lineTooLong = false
    private var skipped: [SkippedRecord] = []
    private var skippedCount = 0
    private var count = 0

    init(options: FeedParser.Options, emit: @escaping (FeedEntry) -> Void) {
        self.options = options
        self.emit = emit
        mapper = RecordMapper(columns: options.columns, baseURL: options.baseURL)
    }

    private var maxLineBytes: Int { options.limits.maxFieldBytes * 4 }

    func consume(_ bytes: UnsafeRawBufferPointer) throws {
        var start = 0
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            appendToLine(UnsafeRawBufferPointer(rebasing: bytes[start..<newline]))
            finishLine()
            start = newline + 1
        }
        appendToLine(UnsafeRawBufferPointer(rebasing: bytes[start...]))
    }

    private func appendToLine(_ bytes: UnsafeRawBufferPointer) {
        guard !lineTooLong else { return }
        if line.count + bytes.count > maxLineBytes {
            lineTooLong = true
            line = []
            return
        }
        line.append(contentsOf: bytes)
    }

    private func finishLine() {
        lineNumber += 1
        defer {
            line.removeAll(keepingCapacity: line.count < 1 << 20)
            lineTooLong = false
        }
        if lineTooLong {
            skip("the line is longer than \(maxLineBytes) bytes")
            return
        }
        if line.last == 0x0D { line.removeLast() }
        guard line.contains(where: { !InputDecoder.isSpace($0) }) else { return }
        let value: JSONValue
        do {
            value = try JSONValue.parse(line)
        } catch {
            skip("invalid JSON at column \(error.column): \(error.message)")
            return
        }
        guard value.objectValue != nil else {
            skip("not a JSON object")
            return
        }
        switch mapper.entry({ key in Self.lookup(key, in: value) }) {
        case .success(let entry):
            count += 1
            emit(entry)
        case .failure(let problem):
            skip(problem.reason)
        }
    }

    private static func lookup(_ key: String, in value: JSONValue) -> String? {
        if let direct = value[key] { return direct.isNull ? nil : direct.stringValue }
        var node: JSONValue? = value
        for part in key.split(separator: ".") { node = node?[String(part)] }
        return node?.stringValue
    }

    private func skip(_ reason: String) {
        skippedCount += 1
        if skipped.count < 1000 { skipped.append(SkippedRecord(line: lineNumber, reason: reason)) }
    }

    func finish() throws -> ReaderOutcome {
        if !line.isEmpty || lineTooLong { finishLine() }
        var outcome = ReaderOutcome(format: .jsonl, skippedRecords: skipped, entryCount: count)
        outcome.skippedRecordCount = skippedCount
        if skippedCount > skipped.count {
            outcome.bozoReasons.append("\(skippedCount) records were skipped (the first \(skipped.count) are listed)")
        }
        return outcome
    }
}
