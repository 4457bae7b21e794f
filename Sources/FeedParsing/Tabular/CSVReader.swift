import VigiaModel

/// Reads CSV (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes), streamed. The
/// delimiter (comma, semicolon or tab) is taken from the header line; columns are matched by
/// name, case-insensitively, through the column mapping. A bad record is reported with the line
/// it starts on and skipped.
final class CSVReader: FormatReader {
    private let options: FeedParser.Options
    private let emit: (FeedEntry) -> Void
    private let mapper: RecordMapper
    private var delimiter: UInt8?
    private var header: [String]?
    private var columnIndex: [String: Int] = [:]

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var line = 1
    private var recordLine = 1
    private var recordTooLong = false
    private var recordBytes = 0
    private var strayQuote = false
    private var skipped: [SkippedRecord] = []
    private var skippedCount = 0
    private var count = 0
    private var headBuffer: [UInt8] = []

    init(options: FeedParser.Options, emit: @escaping (FeedEntry) -> Void) {
        self.options = options
        self.emit = emit
        mapper = RecordMapper(columns: options.columns, baseURL: options.baseURL)
    }

    func consume(_ bytes: UnsafeRawBufferPointer) throws {
        if delimiter == nil {
            headBuffer.append(contentsOf: bytes)
            guard headBuffer.contains(0x0A) || headBuffer.count > 65_536 else { return }
            delimiter = Self.detectDelimiter(headBuffer)
            let buffered = headBuffer
            headBuffer = []
            buffered.withUnsafeBytes { scan($0) }
            return
        }
        scan(bytes)
    }

    func finish() throws -> ReaderOutcome {
        if delimiter == nil {
            delimiter = Self.detectDelimiter(headBuffer)
            let buffered = headBuffer
            headBuffer = []
            buffered.withUnsafeBytes { scan($0) }
        }
        if state == .quoted {
            skip(line: recordLine, "a quoted field is never closed")
        } else if state != .fieldStart || !field.isEmpty || !fields.isEmpty {
            endRecord()
        }
        guard header != nil else {
            throw FeedParsingError(.emptyDocument, document: options.documentName, line: 1, message: "the CSV file has no header line")
        }
        var outcome = ReaderOutcome(format: .csv, skippedRecords: skipped, entryCount: count)
        outcome.skippedRecordCount = skippedCount
        if skippedCount > skipped.count {
            outcome.bozoReasons.append("\(skippedCount) records were skipped (the first \(skipped.count) are listed)")
        }
        return outcome
    }

    private static func detectDelimiter(_ bytes: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var inQuotes = false
        for byte in bytes {
            if byte == 0x0A && !inQuotes { break }
            if byte == 0x22 { inQuotes.toggle() }
            if !inQuotes, counts[byte] != nil { counts[byte, default: 0] += 1 }
        }
        return counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key != 0x2C) })?.key ?? 0x2C
    }

    private func scan(_ bytes: UnsafeRawBufferPointer) {
        guard let delimiter else { return }
        let maxRecord = options.limits.maxFieldBytes * 4
        for byte in bytes {
            recordBytes += 1
            if recordBytes > maxRecord && !recordTooLong {
                recordTooLong = true
                field = []
            }
            switch state {
            case .fieldStart:
                if byte == 0x22 {
                    state = .quoted
                } else if byte == delimiter {
                    endField()
                } else if byte == 0x0A {
                    line += 1
                    endRecord()
                } else if byte == 0x0D {
                    continue
                } else {
                    append(byte)
                    state = .unquoted
                }
            case .unquoted:
                if byte == delimiter {
                    endField()
                    state = .fieldStart
                } else if byte == 0x0A {
                    line += 1
                    endRecord()
                } else if byte == 0x0D {
                    continue
                } else {
                    if byte == 0x22 { strayQuote = true }
                    append(byte)
                }
            case .quoted:
                if byte == 0x22 {
                    state = .quoteInQuoted
                } else {
                    if byte == 0x0A { line += 1 }
                    append(byte)
                }
            case .quoteInQuoted:
                if byte == 0x22 {
                    append(0x22)
                    state = .quoted
                } else if byte == delimiter {
                    endField()
                    state = .fieldStart
                } else if byte == 0x0A {
                    line += 1
                    endRecord()
                } else if byte == 0x0D {
                    continue
                } else {
                    // Text after a closing quote: keep it, but the record is malformed.
                    strayQuote = true
                    append(byte)
                    state = .unquoted
                }
            }
        }
    }

    @inline(__always)
    private func append(_ byte: UInt8) {
        if !recordTooLong { field.append(byte) }
    }

    private func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
    }

    private func endRecord() {
        endField()
        state = .fieldStart
        defer {
            fields.removeAll(keepingCapacity: true)
            recordLine = line
            recordTooLong = false
            recordBytes = 0
            strayQuote = false
        }
        if fields.count == 1 && fields[0].isEmpty { return }
        guard let header else {
            let names = fields.map { $0.trimmingCharacters(in: " \u{FEFF}").lowercased() }
            self.header = names
            for (index, name) in names.enumerated() where columnIndex[name] == nil { columnIndex[name] = index }
            return
        }
        if recordTooLong {
            skip(line: recordLine, "the record is longer than \(options.limits.maxFieldBytes * 4) bytes")
            return
        }
        if fields.count > header.count {
            skip(line: recordLine, "\(fields.count) fields where the header has \(header.count) (an unquoted delimiter or quote?)")
            return
        }
        let record = fields
        let result = mapper.entry { name in
            guard let index = self.columnIndex[name.lowercased()], index < record.count else { return nil }
            return record[index]
        }
        switch result {
        case .success(let entry):
            count += 1
            emit(entry)
        case .failure(let problem):
            skip(line: recordLine, problem.reason)
        }
    }

    private func skip(line: Int, _ reason: String) {
        skippedCount += 1
        if skipped.count < 1000 { skipped.append(SkippedRecord(line: line, reason: reason)) }
    }
}
