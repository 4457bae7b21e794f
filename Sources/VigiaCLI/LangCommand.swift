import ArgumentParser
import Foundation
import TextAnalysis

/// `vigia lang [TEXT…] [--format text|json]`: the language of each text (es, it, en or und).
struct LangCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lang",
        abstract: "Identify the language of texts: es, it, en, or und for anything else.",
        discussion: """
            With no TEXT, reads one text per line from standard input and writes one line per \
            input line, in order, as the input arrives. HTML character references (&amp;, \
            &#39;) are decoded first. Prints loop_seconds=<seconds> on \
            standard error at the end.
            """)

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        /// One code per line: es, it, en or und (the stable machine-readable form).
        case text
        /// One JSON object per line, with each modelled language's score.
        case json
    }

    @Argument(help: "Texts to identify; each gives one output line. Without any, read standard input.")
    var texts: [String] = []

    @Option(help: "Output format: text (one code per line) or json (with per-language scores).")
    var format: Format = .text

    @Option(help: .hidden)
    var compileProfiles: String?

    func run() throws {
        if let directory = compileProfiles {
            // Maintenance: scripts/build-language-profiles.py compiles the profiles it writes.
            do {
                let url = try LanguageIdentifier.compileProfiles(in: URL(fileURLWithPath: directory))
                FileHandle.standardError.write(Data("vigia lang: wrote \(url.path)\n".utf8))
                return
            } catch {
                FileHandle.standardError.write(Data("vigia lang: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        let identifier = LanguageIdentifier.shared
        if let error = identifier.loadError {
            FileHandle.standardError.write(Data("vigia lang: \(error)\n".utf8))
            throw ExitCode(1)
        }
        var output = LangOutputBuffer()
        // A plain value for the loop (the property wrapper's getter is slow in a hot loop).
        let format = self.format
        let start = DispatchTime.now().uptimeNanoseconds
        if texts.isEmpty {
            var reader = LangInputReader(fileDescriptor: 0)
            // Flush after every read so that lines come out as their input arrives.
            while try reader.nextChunk({ Self.writeResult(for: $0, format: format, identifier: identifier, to: &output) }) != nil {
                try output.flush()
            }
        } else {
            for text in texts {
                var text = text
                text.withUTF8 { Self.writeResult(for: $0, format: format, identifier: identifier, to: &output) }
            }
        }
        try output.flush()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        FileHandle.standardError.write(Data("loop_seconds=\(seconds)\n".utf8))
    }

    /// Identifies one text, its HTML character references decoded first (see
    /// `HTMLCharacterReferences`).
    private static func writeResult(
        for line: UnsafeBufferPointer<UInt8>, format: Format, identifier: LanguageIdentifier,
        to output: inout LangOutputBuffer
    ) {
        if HTMLCharacterReferences.decode(line, into: &output.decoded) {
            var decoded: [UInt8] = []
            swap(&decoded, &output.decoded)
            decoded.withUnsafeBufferPointer { writeDecodedResult(for: $0, format: format, identifier: identifier, to: &output) }
            swap(&decoded, &output.decoded)
        } else {
            writeDecodedResult(for: line, format: format, identifier: identifier, to: &output)
        }
    }

    private static func writeDecodedResult(
        for line: UnsafeBufferPointer<UInt8>, format: Format, identifier: LanguageIdentifier,
        to output: inout LangOutputBuffer
    ) {
        switch format {
        case .text:
            switch identifier.identify(utf8: line) {
            case .es: output.append(bytes: "es\n")
            case .it: output.append(bytes: "it\n")
            case .en: output.append(bytes: "en\n")
            case .und: output.append(bytes: "und\n")
            }
        case .json:
            let scores = identifier.scores(String(decoding: line, as: UTF8.self))
            var json = "{\"lang\":\"\(scores.language.rawValue)\",\"words\":\(scores.wordCount),"
            json += "\"known_words\":\(scores.knownWordCount),\"scores\":{"
            for (index, score) in scores.scores.enumerated() {
                if index > 0 { json += "," }
                json += "\"\(score.code)\":{\"log_likelihood\":\(Self.rounded(score.logLikelihood)),"
                json += "\"probability\":\(Self.rounded(score.probability))}"
            }
            json += "}}\n"
            output.append(json)
        }
    }

    private static func rounded(_ value: Double) -> String {
        String(format: "%.4f", value)
    }
}

/// Reads a file descriptor in large chunks and hands out its lines (without the line break
/// or a trailing carriage return) as byte buffers, without building a `String` per line.
private struct LangInputReader {
    private let fileDescriptor: Int32
    private var buffer: [UInt8] = []
    private var finished = false

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    /// Reads what is available, calls `body` for every complete line, and returns the number of
    /// lines handled; `nil` once the input is exhausted. A last line without a line break is
    /// handled at the end of input.
    mutating func nextChunk(_ body: (UnsafeBufferPointer<UInt8>) -> Void) throws -> Int? {
        if finished { return nil }
        let chunkSize = 1 << 16
        let oldCount = buffer.count
        buffer.reserveCapacity(oldCount + chunkSize)
        var readCount = 0
        buffer.append(contentsOf: repeatElement(0, count: chunkSize))
        repeat {
            readCount = buffer.withUnsafeMutableBytes { raw in
                read(fileDescriptor, raw.baseAddress! + oldCount, chunkSize)
            }
        } while readCount < 0 && errno == EINTR
        guard readCount >= 0 else {
            throw ValidationError("cannot read standard input: \(String(cString: strerror(errno)))")
        }
        buffer.removeLast(chunkSize - readCount)
        var lines = 0
        var consumed = 0
        buffer.withUnsafeBufferPointer { bytes in
            var lineStart = 0
            var index = oldCount
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "\n") {
                    body(Self.line(bytes, from: lineStart, to: index))
                    lines += 1
                    lineStart = index + 1
                }
                index += 1
            }
            consumed = lineStart
            if readCount == 0 && lineStart < bytes.count {
                body(Self.line(bytes, from: lineStart, to: bytes.count))
                lines += 1
                consumed = bytes.count
            }
        }
        buffer.removeFirst(consumed)
        if readCount == 0 { finished = true }
        return lines
    }

    private static func line(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int)
        -> UnsafeBufferPointer<UInt8>
    {
        var end = end
        if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }
}

/// Collects output bytes and writes them to standard output in large blocks.
private struct LangOutputBuffer {
    private var bytes: [UInt8] = []
    /// Scratch space for a text with its HTML character references decoded.
    var decoded: [UInt8] = []

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func append(bytes text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Writes everything collected so far.
    mutating func flush() throws {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                write(1, raw.baseAddress! + written, raw.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw ExitCode(1)
            }
            written += result
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
