import FeedParsing
import Foundation
import VigiaModel

// Benchmark drivers for the scripts in bench/. Each prints `key=value` lines.
//
//   vigia-bench parse --min-bytes N [--cores C] FILE...
//                                               parse the files from memory, repeated until N
//                                               bytes were parsed, on one core and then on C
//                                               cores (default: all; 0 skips); prints bytes,
//                                               items, seconds
//   vigia-bench stream FILE                     stream one file in constant memory; prints items
//   vigia-bench match CORPUS.jsonl [--entries N]  200 brand queries over the corpus (one core)
//   vigia-bench search CONFIG QUERIES.tsv [--runs N]  search latency per query, p50 and p95

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else {
    FileHandle.standardError.write("usage: vigia-bench parse --min-bytes N FILE... | stream FILE\n".data(using: .utf8)!)
    exit(2)
}

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// CPU time of this process (immune to other jobs on a shared machine).
func cpuNow() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

switch command {
case "parse":
    var minBytes = 50 << 20
    var coresOption: Int?
    var files: [String] = []
    var index = 1
    while index < arguments.count {
        if arguments[index] == "--cores", index + 1 < arguments.count {
            coresOption = Int(arguments[index + 1])
            index += 2
        } else if arguments[index] == "--min-bytes", index + 1 < arguments.count {
            minBytes = Int(arguments[index + 1]) ?? minBytes
            index += 2
        } else {
            files.append(arguments[index])
            index += 1
        }
    }
    let documents: [(String, [UInt8])] = files.compactMap { path in
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return (path, [UInt8](data))
    }
    let roundBytes = documents.reduce(0) { $0 + $1.1.count }
    guard roundBytes > 0 else { exit(2) }
    let rounds = max(1, (minBytes + roundBytes - 1) / roundBytes)
    var items = 0
    var failures = 0
    let start = now()
    let cpuStart = cpuNow()
    for _ in 0..<rounds {
        for (path, bytes) in documents {
            let parser = FeedParser(options: .init(documentName: path))
            do {
                items += try parser.parse(bytes).entries.count
            } catch {
                failures += 1
            }
        }
    }
    let seconds = now() - start
    let cpuSeconds = cpuNow() - cpuStart
    // The same work with one document parser per core, documents shared out round-robin (how the
    // daemon parses many feeds at once).
    let cores = coresOption ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
    let parallelStart = now()
    if cores > 0 { DispatchQueue.concurrentPerform(iterations: cores) { worker in
        for round in 0..<rounds {
            for (index, (path, bytes)) in documents.enumerated() where (index + round) % cores == worker {
                _ = try? FeedParser(options: .init(documentName: path)).parse(bytes)
            }
        }
    } }
    let parallelSeconds = now() - parallelStart
    print("documents=\(documents.count * rounds)")
    print("cpu_seconds=\(cpuSeconds)")
    print("cores=\(cores)")
    print("parallel_seconds=\(parallelSeconds)")
    print("bytes=\(roundBytes * rounds)")
    print("items=\(items)")
    print("failures=\(failures)")
    print("seconds=\(seconds)")
case "stream":
    guard arguments.count >= 2 else { exit(2) }
    var items = 0
    let start = now()
    let parsed = try FeedParser().streamFile(atPath: arguments[1]) { _ in items += 1 }
    print("format=\(parsed.format.rawValue)")
    print("items=\(items)")
    print("seconds=\(now() - start)")
case "match":
    guard arguments.count >= 2 else { exit(2) }
    let limit = arguments.count >= 4 && arguments[2] == "--entries" ? Int(arguments[3]) ?? 200_000 : 200_000
    try MatchBenchmark.run(corpus: arguments[1], limit: limit)
case "search":
    guard arguments.count >= 3 else { exit(2) }
    let runs = arguments.count >= 5 && arguments[3] == "--runs" ? Int(arguments[4]) ?? 5 : 5
    try await SearchBenchmark.run(configuration: arguments[1], queries: arguments[2], runs: runs)
default:
    exit(2)
}
