import ArgumentParser
import Foundation
import Sentiment
import TextAnalysis

/// `vigia score [TEXT…] [--lang auto|es|it|en] [--explain] [--format tsv|json]`.
///
/// With no TEXT it reads standard input, one text per line, and writes exactly one line per
/// input line, in order: `LABEL<TAB>SCORE`. Input is streamed (memory stays bounded by the
/// longest line) and output is flushed whenever input is not immediately available, so it also
/// works interactively. The time of the scoring loop is printed on standard error as
/// `loop_seconds=<float>`.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score the sentiment of texts (pos, neg, neu and a score in [-1, 1]).",
        discussion: """
            With no TEXT, reads one text per line from standard input and writes one line per \
            text: LABEL<TAB>SCORE. HTML character references (&amp;, &lt;3, &#39;) are decoded \
            before scoring. Lexicons are found next to the executable, in the source \
            checkout, or in $VIGIA_LEXICONS.
            """)

    /// The language choice on the command line.
    enum LanguageChoice: String, ExpressibleByArgument, CaseIterable {
        case auto, es, it, en, und

        var language: Language? {
            switch self {
            case .auto: nil
            case .es: .es
            case .it: .it
            case .en: .en
            case .und: .und
            }
        }
    }

    /// The output format.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case tsv, json
    }

    @Argument(help: "Texts to score (default: one text per line from standard input).")
    var texts: [String] = []

    @Option(help: "Language of the texts: auto (identify each text), es, it, en, or und (all lexicons).")
    var lang: LanguageChoice = .auto

    @Flag(help: "Explain each score: the words that moved it and the rules that changed them.")
    var explain = false

    @Option(help: "Output format: tsv (LABEL<TAB>SCORE) or json (one object per line).")
    var format: Format = .tsv

    func run() throws {
        if lang == .auto {
            // Load the language profiles on another thread while the lexicons load here; the
            // first use of `LanguageIdentifier.shared` below waits for it.
            Thread.detachNewThread { _ = LanguageIdentifier.shared }
        }
        let analyzer: SentimentAnalyzer
        do {
            var rules = SentimentRules()
            if let overrides = ProcessInfo.processInfo.environment["VIGIA_SENTIMENT_RULES"] {
                rules = rules.overridden(by: overrides)
            }
            analyzer = try SentimentAnalyzer(rules: rules)
        } catch {
            FileHandle.standardError.write(Data("vigia score: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let issues = analyzer.lexiconIssues
        if let first = issues.first {
            FileHandle.standardError.write(Data(
                "vigia score: warning: skipped \(issues.count) malformed lexicon line(s) in \(analyzer.lexiconDirectory.path), first: \(first)\n".utf8))
        }
        var scorer = analyzer.makeScorer()
        // Plain values for the loop (property-wrapper getters are slow in a hot loop).
        let settings = Settings(language: lang.language, explain: explain, format: format)
        // Load everything the loop may need before timing it.
        if lang == .auto || lang == .und { analyzer.preload(.und) }
        if lang == .auto, let error = LanguageIdentifier.shared.loadError {
            // Loaded here, before the timed loop; without profiles every text is `und`.
            FileHandle.standardError.write(Data("vigia score: warning: language identification unavailable (\(error)); scoring with every lexicon\n".utf8))
        }
        var output = OutputBuffer()
        let start = monotonicSeconds()
        if !texts.isEmpty {
            for text in texts {
                var copy = text
                copy.withUTF8 { writeResult(for: $0, settings: settings, scorer: &scorer, into: &output) }
            }
            output.flush()
        } else {
            var reader = LineReader(fileDescriptor: 0)
            while let more = reader.nextChunk({ line in writeResult(for: line, settings: settings, scorer: &scorer, into: &output) }) {
                if !more { break }
                output.flush()
            }
            output.flush()
        }
        let elapsed = monotonicSeconds() - start
        FileHandle.standardError.write(Data("loop_seconds=\(String(format: "%.6f", elapsed))\n".utf8))
        if output.failed { throw ExitCode(1) }
    }

    /// The options the loop needs, read once.
    private struct Settings {
        var language: Language?
        var explain: Bool
        var format: Format
    }

    /// Scores one text, its HTML character references decoded first (`&lt;3` is `<3`, see
    /// `HTMLCharacterReferences`); with --explain, offsets refer to the decoded text.
    private func writeResult(
        for line: UnsafeBufferPointer<UInt8>, settings: Settings, scorer: inout SentimentScorer,
        into output: inout OutputBuffer
    ) {
        if HTMLCharacterReferences.decode(line, into: &output.decoded) {
            var decoded: [UInt8] = []
            swap(&decoded, &output.decoded)
            decoded.withUnsafeBufferPointer { text in
                writeResult(for: line, scored: text, settings: settings, scorer: &scorer, into: &output)
            }
            swap(&decoded, &output.decoded)
        } else {
            writeResult(for: line, scored: line, settings: settings, scorer: &scorer, into: &output)
        }
    }

    private func writeResult(
        for line: UnsafeBufferPointer<UInt8>, scored text: UnsafeBufferPointer<UInt8>, settings: Settings,
        scorer: inout SentimentScorer, into output: inout OutputBuffer
    ) {
        let result = scorer.score(utf8: text, language: settings.language, explain: settings.explain)
        switch settings.format {
        case .tsv:
            output.append(result.label)
            output.append(0x09)
            output.appendScore(result.compound)
            output.append(0x0A)
            if settings.explain { writeExplanation(result, into: &output) }
        case .json:
            writeJSON(result, text: line, decoded: text.baseAddress == line.baseAddress ? nil : text, into: &output)
        }
    }

    private func writeExplanation(_ result: SentimentScore, into output: inout OutputBuffer) {
        output.append("  language: \(result.language)  sum: \(String(format: "%.3f", result.sum))\n")
        if result.contributions.isEmpty { output.append("  no sentiment words\n") }
        for contribution in result.contributions {
            var line = "  \(contribution.text)"
            if contribution.term != contribution.text.lowercased() { line += " [\(contribution.term)]" }
            line += String(format: "  %+.2f", contribution.base)
            if contribution.value != contribution.base { line += String(format: " → %+.2f", contribution.value) }
            if !contribution.rules.isEmpty { line += "  (" + contribution.rules.joined(separator: "; ") + ")" }
            output.append(line + "\n")
        }
        for note in result.notes { output.append("  \(note)\n") }
    }

    /// One JSON object: `text` is the input as given; `decoded_text`, present only when HTML
    /// character references were decoded, is the text scored (the one offsets refer to).
    private func writeJSON(
        _ result: SentimentScore, text: UnsafeBufferPointer<UInt8>, decoded: UnsafeBufferPointer<UInt8>?,
        into output: inout OutputBuffer
    ) {
        var object: [String: Any] = [
            "text": String(decoding: text, as: UTF8.self),
            "label": result.label.rawValue,
            "score": (result.compound * 10_000).rounded() / 10_000,
            "lang": result.language.rawValue,
        ]
        if let decoded { object["decoded_text"] = String(decoding: decoded, as: UTF8.self) }
        if explain {
            object["sum"] = (result.sum * 1_000).rounded() / 1_000
            object["contributions"] = result.contributions.map { contribution -> [String: Any] in
                [
                    "text": contribution.text, "term": contribution.term,
                    "start": contribution.range.lowerBound, "end": contribution.range.upperBound,
                    "base": (contribution.base * 1_000).rounded() / 1_000, "value": (contribution.value * 1_000).rounded() / 1_000,
                    "rules": contribution.rules,
                ]
            }
            object["notes"] = result.notes
        }
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) {
            output.append(bytes: data)
        } else {
            output.append("{\"label\":\"\(result.label.rawValue)\"}")
        }
        output.append(0x0A)
    }
}

/// Seconds on the monotonic clock.
private func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Reads a file descriptor in large chunks and hands out complete lines (without `\n` or a
/// trailing `\r`), keeping a partial line for the next chunk.
struct LineReader {
    let fileDescriptor: Int32
    private var buffer: [UInt8] = []
    private var pending = 0
    private var finished = false

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        buffer = [UInt8](repeating: 0, count: 1 << 16)
    }

    /// Reads one chunk and calls `body` for every complete line in it. Returns true while more
    /// input may follow, false after the last line, nil on a read error.
    mutating func nextChunk(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool? {
        if finished { return false }
        if pending == buffer.count {
            buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
        }
        let capacity = buffer.count - pending
        let readCount = buffer.withUnsafeMutableBytes { raw -> Int in
            guard let base = raw.baseAddress else { return -1 }
            while true {
                let result = read(fileDescriptor, base + pending, capacity)
                if result < 0 && errno == EINTR { continue }
                return result
            }
        }
        if readCount < 0 { return nil }
        if readCount == 0 {
            finished = true
            if pending > 0 {
                buffer.withUnsafeBufferPointer { all in
                    body(Self.trimmed(UnsafeBufferPointer(rebasing: all[0..<pending])))
                }
                pending = 0
            }
            return false
        }
        let end = pending + readCount
        var lineStart = 0
        buffer.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            // Line ends found with memchr (vectorised) rather than byte by byte.
            var index = pending
            while index < end, let found = memchr(base + index, 0x0A, end - index) {
                let newline = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
                body(Self.trimmed(UnsafeBufferPointer(rebasing: all[lineStart..<newline])))
                lineStart = newline + 1
                index = lineStart
            }
        }
        // Keep the partial line at the front.
        let remaining = end - lineStart
        if lineStart > 0 && remaining > 0 {
            buffer.withUnsafeMutableBufferPointer { all in
                guard let base = all.baseAddress else { return }
                (base).update(from: base + lineStart, count: remaining)
            }
        }
        pending = remaining
        return true
    }

    private static func trimmed(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        if let last = line.last, last == 0x0D { return UnsafeBufferPointer(rebasing: line.dropLast()) }
        return line
    }
}

/// Bytes waiting to be written to standard output.
struct OutputBuffer {
    private var bytes: [UInt8] = []
    /// Scratch space for a text with its HTML character references decoded (kept here so the
    /// loop reuses it).
    var decoded: [UInt8] = []
    /// A write failed (e.g. the reader went away).
    private(set) var failed = false

    init() { bytes.reserveCapacity(1 << 17) }

    mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends a label's name (`pos`, `neg`, `neu`) without going through its `String`.
    mutating func append(_ label: SentimentLabel) {
        let name: (UInt8, UInt8, UInt8) =
            switch label {
            case .pos: (0x70, 0x6F, 0x73)
            case .neg: (0x6E, 0x65, 0x67)
            case .neu: (0x6E, 0x65, 0x75)
            }
        bytes.append(name.0)
        bytes.append(name.1)
        bytes.append(name.2)
    }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func append(bytes data: Data) {
        bytes.append(contentsOf: data)
        if bytes.count >= 1 << 16 { flush() }
    }

    /// Appends `value` with four decimals (`-0.4767`, `0.0000`).
    mutating func appendScore(_ value: Double) {
        var scaled = Int((abs(value) * 10_000).rounded())
        if value < 0 && scaled != 0 { bytes.append(0x2D) }
        let integer = scaled / 10_000
        scaled %= 10_000
        bytes.append(0x30 + UInt8(integer % 10))
        bytes.append(0x2E)
        bytes.append(0x30 + UInt8(scaled / 1_000))
        bytes.append(0x30 + UInt8(scaled / 100 % 10))
        bytes.append(0x30 + UInt8(scaled / 10 % 10))
        bytes.append(0x30 + UInt8(scaled % 10))
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty, !failed else {
            bytes.removeAll(keepingCapacity: true)
            return
        }
        bytes.withUnsafeBytes { raw in
            guard var pointer = raw.baseAddress else { return }
            var left = raw.count
            while left > 0 {
                let written = write(1, pointer, left)
                if written < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    return
                }
                left -= written
                pointer += written
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
