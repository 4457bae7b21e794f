import Foundation
import Matching
import Pipeline
import Storage
import TextAnalysis

/// `vigia-bench match CORPUS.jsonl [--entries N]`: 200 brand queries (the corpus's 20 brands plus
/// 180 generated in ten shapes, see bench/match/README.md) matched against the corpus, one core.
enum MatchBenchmark {
    static func run(corpus: String, limit: Int) throws {
        let entries = try loadEntries(corpus, limit: limit)
        let bytes = entries.reduce(0) { $0 + ($1.title?.utf8.count ?? 0) + $1.text.utf8.count }
        let brands = try brandDefinitions()
        let compileStart = now()
        let matcher = try BrandMatcher(brands: brands)
        let compileSeconds = now() - compileStart
        var best = Double.infinity
        var found = 0
        for _ in 0..<3 {
            var scanner = matcher.makeScanner()
            var mentions: [BrandMention] = []
            var count = 0
            let start = threadCPUNow()
            for entry in entries {
                scanner.mentions(in: entry, into: &mentions)
                count += mentions.count
            }
            best = min(best, threadCPUNow() - start)
            found = count
        }
        print("brands=\(brands.count)")
        print("entries=\(entries.count)")
        print("mentions=\(found)")
        print("compile_seconds=\(compileSeconds)")
        print("match_seconds=\(best)")
        print("entries_per_second=\(Double(entries.count) / best)")
        print("megabytes_per_second=\(Double(bytes) / best / 1_048_576)")
    }

    /// Titles, texts, links and languages of a JSON Lines corpus, decoded before timing.
    static func loadEntries(_ path: String, limit: Int) throws -> [MatchableEntry] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
        var entries: [MatchableEntry] = []
        for line in data.split(separator: 0x0A) {
            guard entries.count < limit,
                  let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
            entries.append(MatchableEntry(
                title: object["title"] as? String, text: object["text"] as? String ?? "", link: object["link"] as? String,
                language: (object["lang"] as? String).flatMap(Language.init(rawValue:))))
        }
        return entries
    }

    /// The corpus's 20 brands and 180 generated ones (18 of each of ten shapes).
    static func brandDefinitions() throws -> [BrandDefinition] {
        let corpusBrands: [(String, String)] = [
            ("Vuelalto", #""Vuelalto" OR #vuelalto OR @vuelalto"#), ("Pastaria", #""Pastaria" OR #pastaria OR @pastaria"#),
            ("Zapply", #""Zapply" OR #zapply OR @zapplyapp"#), ("Banco Solar", #""Banco Solar" OR #bancosolar NOT "energía solar""#),
            ("TeleNova", #""TeleNova" OR #telenova"#), ("Ferrovia Rapida", #""Ferrovia Rapida" OR #ferroviarapida"#),
            ("Moda Viva", #""Moda Viva" OR #modaviva"#), ("Cartwheel", #""Cartwheel" AND (order* OR delivery OR app OR refund*)"#),
            ("Nimbus Bank", #""Nimbus Bank" OR @nimbusbank"#), ("Correo Listo", #""Correo Listo" OR #correolisto"#),
            ("Gelateria Polo", #""Gelateria Polo""#), ("StreamBox", #""StreamBox" OR #streambox NOT "stream box office""#),
            ("Seguros Faro", #""Seguros Faro" OR @segurosfaro"#), ("Energia Blu", #""Energia Blu" OR #energiablu"#),
            ("QuickCab", #""QuickCab" OR #quickcab"#), ("Hotel Marea", #""Hotel Marea" OR #hotelmarea"#),
            ("Libreria Sole", #""Libreria Sole""#), ("Pixelphone", #""Pixelphone" OR @pixelphone"#),
            ("Supermercado Luz", #""Supermercado Luz" OR #superluz"#), ("Autostrade Verdi", #""Autostrade Verdi""#),
        ]
        var definitions = try corpusBrands.map { try BrandDefinition(name: $0.0, query: $0.1) }
        let words = ["precio", "pedido", "envío", "tienda", "ordine", "spedizione", "prezzo", "negozio", "order",
                     "delivery", "price", "shop", "train", "treno", "tren", "hotel", "coffee", "caffè", "café", "music"]
        var generator = SystemRandomNumberGenerator.Seeded(seed: 42)
        let syllables = ["ka", "lo", "mi", "ve", "tor", "zan", "qui", "bre", "nu", "fas", "dol", "rek"]
        func name() -> String {
            (0..<3).map { _ in syllables[Int(generator.next() % UInt64(syllables.count))] }.joined().capitalized
        }
        func word() -> String { words[Int(generator.next() % UInt64(words.count))] }
        for shape in 0..<10 {
            for index in 0..<18 {
                let n = name(), n2 = name(), w1 = word(), w2 = word()
                let query: String
                var languages: Set<Language>?
                switch shape {
                case 0: query = "\"\(n)\" OR #\(n.lowercased()) OR @\(n.lowercased())"
                case 1: query = "\"\(n) \(w1)\" OR \(n)"
                case 2: query = "\(n) AND (\(w1) OR \(w2))"
                case 3: query = "\(n)* OR \(String(w1.prefix(4)))* \(n)"
                case 4: query = "\(n) NEAR/3 (\(w1) OR \(w2))"
                case 5: query = "(\(n) OR \(n2)) NOT (\(w1) OR spam)"
                case 6: query = "title:(\(n) OR \(w1)) AND \(n)"
                case 7:
                    query = "site:forum.example.org AND (\(n) OR \"\(w1) \(w2)\")"
                    languages = [.es, .en]
                case 8: query = "{\(n)name} OR {\"\(n)name App\"}"
                default: query = "(\(w1) NEAR/2 \(w2)) AND lang:it \(n)"
                }
                definitions.append(try BrandDefinition(name: "Generated \(shape)-\(index) \(n)", query: query, languages: languages))
            }
        }
        return definitions
    }
}

/// `vigia-bench search CONFIG QUERIES.tsv [--runs N]`: latency of `MentionStore.search` for each
/// query line (`label<TAB>query<TAB>options`), in process, on an imported database.
enum SearchBenchmark {
    static func run(configuration path: String, queries: String, runs: Int) async throws {
        let configuration = try Configuration.load(from: path)
        let store = try SQLiteMentionStore(path: configuration.database.path)
        guard let text = try? String(contentsOfFile: queries, encoding: .utf8) else { throw CocoaError(.fileReadNoSuchFile) }
        var all: [Double] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 2 else { continue }
            var request = SearchRequest(limit: 20)
            if !fields[1].isEmpty { request.query = try BrandQuery(parsing: fields[1]) }
            for option in fields.dropFirst(2).joined(separator: " ").split(separator: " ") {
                let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                switch parts[0] {
                case "brand": request.brand = parts[1]
                case "sentiment": request.sentiment = SentimentPolarity(rawValue: parts[1])
                case "lang": request.languages = [parts[1]]
                case "since": request.since = ISO8601DateFormatter().date(from: parts[1] + "T00:00:00Z")
                case "sort": request.order = SearchOrder(rawValue: parts[1]) ?? .relevance
                default: break
                }
            }
            var times: [Double] = []
            var count = 0
            for _ in 0..<runs {
                let start = now()
                count = try await store.search(request).count
                times.append(now() - start)
            }
            times.sort()
            all += times
            print(String(format: "query\t%@\t%.2f\t%.2f\t%d", fields[0], times[times.count / 2] * 1000, times.last.map { $0 * 1000 } ?? 0, count))
        }
        all.sort()
        let p50 = all[all.count / 2], p95 = all[min(all.count - 1, Int(Double(all.count) * 0.95))]
        print(String(format: "p50_ms=%.2f", p50 * 1000))
        print(String(format: "p95_ms=%.2f", p95 * 1000))
    }
}

/// Thread CPU time.
func threadCPUNow() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

extension SystemRandomNumberGenerator {
    /// A small deterministic generator (splitmix64) for reproducible benchmarks.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
