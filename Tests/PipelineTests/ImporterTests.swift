import FeedParsing
import Foundation
import Storage
import Testing
import VigiaModel

@testable import Pipeline

/// A folder of test files and a fresh store, removed when the test ends.
private final class ImportWorkspace {
    let url: URL
    let store: SQLiteMentionStore
    let configuration: Configuration
    let model: AnalysisModel

    static let brands = """
        brands:
          - name: Iberia
            query: '"Iberia" OR #iberia'
          - name: Vueling
            query: 'Vueling OR @vueling'
          - name: Trenitalia
            query: 'Trenitalia'
        """

    init(yaml: String = ImportWorkspace.brands) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        configuration = try Configuration.parse(yaml, file: url.appendingPathComponent("vigia.yaml"))
        model = try AnalysisModel(configuration: configuration)
        store = try SQLiteMentionStore(path: configuration.database.path)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` to `name` in the workspace and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    func importer(batchSize: Int = 2000) -> Importer {
        var importer = Importer(store: store, model: model)
        importer.batchSize = batchSize
        return importer
    }

    func importFile(_ path: String, format: FeedFormat? = nil) async throws -> ImportSummary {
        try await importer().importFile(atPath: path, options: FeedParser.Options(format: format))
    }

    /// Every stored entry, in id order.
    func entries() async throws -> [ExportedEntry] {
        var all: [ExportedEntry] = []
        for try await entry in store.exportEntries() { all.append(entry) }
        return all
    }

    func entry(titled title: String) async throws -> ExportedEntry? {
        try await entries().first { $0.title == title }
    }
}

/// JSON text of a string (quotes and escapes).
private func json(_ text: String) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: [text], options: [])) ?? Data("[\"\"]".utf8)
    let array = String(decoding: data, as: UTF8.self)
    return String(array.dropFirst().dropLast())
}

/// Spanish, Italian and English posts with an obvious polarity, each mentioning one brand.
private let posts: [(id: String, title: String, text: String, lang: String, label: SentimentPolarity, brand: String)] = [
    ("p1", "Vuelo a Lima",
     "Me encanta volar con Iberia, la tripulación fue amable y el servicio excelente de principio a fin.", "es", .pos, "Iberia"),
    ("p2", "Maleta perdida",
     "Vueling perdió mi maleta otra vez; un servicio horrible, pésimo y nadie contesta al teléfono.", "es", .neg, "Vueling"),
    ("p3", "Treno in ritardo",
     "Il treno di Trenitalia era in ritardo di tre ore, un disastro terribile e personale scortese.", "it", .neg, "Trenitalia"),
    ("p4", "Great crew",
     "I love flying with Iberia, the crew was wonderful and the seats were great and comfortable.", "en", .pos, "Iberia"),
]

private func jsonl(_ items: [(id: String, title: String, text: String, lang: String, label: SentimentPolarity, brand: String)]) -> String {
    items.enumerated().map { index, post in
        "{\"id\": \(json(post.id)), \"title\": \(json(post.title)), \"text\": \(json(post.text)), "
            + "\"link\": \"https://forum.example.org/t/\(post.id)\", \"published\": \"2024-05-0\(index + 1)T10:00:00Z\"}"
    }.joined(separator: "\n") + "\n"
}

@Suite("Importer") struct ImporterTests {
    /// Checks every stored post's language, sentiment and brand against `posts`.
    private func expectPostsStored(in workspace: ImportWorkspace) async throws {
        let stored = try await workspace.entries()
        #expect(stored.count == posts.count)
        for post in posts {
            let entry = try #require(stored.first { $0.title == post.title }, "\(post.title) not stored")
            #expect(entry.language == post.lang, "\(post.title)")
            #expect(entry.sentiment?.label == post.label, "\(post.title): \(String(describing: entry.sentiment))")
            #expect(entry.mentions.map(\.brand) == [post.brand], "\(post.title)")
            #expect(entry.mentions.first?.counted == true)
        }
    }

    @Test func jsonLinesExportIsStoredWithLanguageSentimentAndMentions() async throws {
        let workspace = try ImportWorkspace()
        let path = try workspace.write("posts.jsonl", jsonl(posts))
        let summary = try await workspace.importFile(path)
        #expect(summary.format == .jsonl)
        #expect(summary.entriesRead == 4)
        #expect(summary.stored == 4)
        #expect(summary.duplicates == 0)
        #expect(summary.alreadyPresent == 0)
        #expect(summary.mentionsPerBrand == ["Iberia": 2, "Vueling": 1, "Trenitalia": 1])
        #expect(summary.skipped.isEmpty)
        try await expectPostsStored(in: workspace)
        let sources = try await workspace.store.sources()
        #expect(sources.count == 1)
        #expect(sources.first?.kind == .import)
        #expect(sources.first?.title == "posts.jsonl")
        #expect(sources.first?.lastSuccessAt != nil)
    }

    @Test func csvExportIsStoredWithLanguageSentimentAndMentions() async throws {
        let workspace = try ImportWorkspace()
        var csv = "id,title,text,link,published\n"
        for (index, post) in posts.enumerated() {
            let quoted = "\"" + post.text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            csv += "\(post.id),\(post.title),\(quoted),https://reviews.example.com/\(post.id),2024-05-0\(index + 1)\n"
        }
        let summary = try await workspace.importFile(try workspace.write("posts.csv", csv))
        #expect(summary.format == .csv)
        #expect(summary.stored == 4)
        #expect(summary.mentionsPerBrand == ["Iberia": 2, "Vueling": 1, "Trenitalia": 1])
        try await expectPostsStored(in: workspace)
        let lima = try #require(try await workspace.entry(titled: "Vuelo a Lima"))
        #expect(lima.link == "https://reviews.example.com/p1")
        #expect(lima.published == Date(timeIntervalSince1970: 1_714_521_600))
    }

    @Test func rssFeedFileIsStoredWithLanguageSentimentAndMentions() async throws {
        let workspace = try ImportWorkspace()
        var rss = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Viajeros</title>\n"
        for (index, post) in posts.enumerated() {
            rss += """
                <item><guid>\(post.id)</guid><title>\(post.title)</title>
                <link>https://blog.example.net/\(post.id)</link>
                <pubDate>0\(index + 1) May 2024 10:00:00 GMT</pubDate>
                <description>&lt;p&gt;\(post.text)&lt;/p&gt;</description></item>

                """
        }
        rss += "</channel></rss>\n"
        let summary = try await workspace.importFile(try workspace.write("blog.xml", rss))
        #expect(summary.format == .rss)
        #expect(summary.stored == 4)
        #expect(summary.mentionsPerBrand == ["Iberia": 2, "Vueling": 1, "Trenitalia": 1])
        try await expectPostsStored(in: workspace)
        let lima = try #require(try await workspace.entry(titled: "Vuelo a Lima"))
        #expect(lima.text?.contains("<p>") == false)
    }

    @Test func stackExchangeDumpIsStoredWithLanguageSentimentAndMentions() async throws {
        let workspace = try ImportWorkspace()
        var dump = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<posts>\n"
        for (index, post) in posts.enumerated() {
            dump += "  <row Id=\"\(index + 1)\" PostTypeId=\"1\" CreationDate=\"2024-05-0\(index + 1)T10:00:00.000\" Score=\"2\" "
                + "Body=\"&lt;p&gt;\(post.text)&lt;/p&gt;\" Title=\"\(post.title)\" Tags=\"|travel|\" />\n"
        }
        dump += "</posts>\n"
        let path = try workspace.write("Posts.xml", dump)
        let summary = try await workspace.importer().importFile(
            atPath: path, options: FeedParser.Options(baseURL: "https://travel.stackexchange.com/"))
        #expect(summary.format == .stackExchange)
        #expect(summary.stored == 4)
        #expect(summary.mentionsPerBrand == ["Iberia": 2, "Vueling": 1, "Trenitalia": 1])
        try await expectPostsStored(in: workspace)
        let lima = try #require(try await workspace.entry(titled: "Vuelo a Lima"))
        #expect(lima.link == "https://travel.stackexchange.com/q/1")
        #expect(lima.categories == ["travel"])
    }

    @Test func moreThanAThousandBadRecordsAreAllCounted() async throws {
        let workspace = try ImportWorkspace()
        var file = ""
        for index in 0..<1500 { file += "{\"id\": \"bad-\(index)\", \"text\": \n" }  // broken JSON lines
        file += "{\"id\": \"good\", \"text\": \"Vuelo con Iberia sin problemas\"}\n"
        let summary = try await workspace.importFile(try workspace.write("broken.jsonl", file), format: .jsonl)
        #expect(summary.skippedCount == 1500)
        #expect(summary.skipped.count == 1000)
        #expect(summary.stored == 1)
    }

    @Test func importingTheSameFileTwiceStoresNothingNew() async throws {
        let workspace = try ImportWorkspace()
        let path = try workspace.write("posts.jsonl", jsonl(posts))
        let first = try await workspace.importFile(path)
        let second = try await workspace.importFile(path)
        #expect(first.stored == 4)
        #expect(second.entriesRead == 4)
        #expect(second.stored == 0)
        #expect(second.duplicates == 0)
        #expect(second.alreadyPresent == 4)
        #expect(second.mentionsPerBrand.values.reduce(0, +) == 0)
        #expect(try await workspace.entries().count == 4)
        #expect(try await workspace.store.sources().count == 1)
    }

    @Test func theSameTextUnderTwoLinksCountsTheBrandOnce() async throws {
        let workspace = try ImportWorkspace()
        let text = "Vueling canceló el vuelo de las ocho y nos dejó sin hotel ni cena en el aeropuerto"
        let file = """
            {"id": "a", "text": \(json(text)), "link": "https://foro.example.es/a", "published": "2024-05-01T10:00:00Z"}
            {"id": "b", "text": \(json(text)), "link": "https://otro.example.it/b", "published": "2024-05-01T11:00:00Z"}

            """
        let summary = try await workspace.importFile(try workspace.write("copies.jsonl", file))
        #expect(summary.entriesRead == 2)
        #expect(summary.stored == 1)
        #expect(summary.duplicates == 1)
        #expect(summary.mentionsPerBrand == ["Vueling": 1])
        let entries = try await workspace.entries()
        #expect(entries.count == 2)
        #expect(entries[1].duplicateOf == entries[0].id)
        #expect(entries[1].duplicateReason == .content)
        #expect(entries.flatMap(\.mentions).map(\.counted) == [true, false])
    }

    @Test func theSameLinkInTwoFilesCountsTheBrandOnce() async throws {
        let workspace = try ImportWorkspace()
        let first = try workspace.write("monday.jsonl", """
            {"text": "Trenitalia ha cancellato il mio treno", "link": "https://forum.example.it/t/42?utm_source=feed"}
            {"text": "Nessun problema oggi", "link": "https://forum.example.it/t/43"}

            """)
        let second = try workspace.write("tuesday.jsonl", """
            {"text": "Trenitalia ha cancellato il mio treno, di nuovo", "link": "https://forum.example.it/t/42"}
            {"text": "Tutto bene", "link": "https://forum.example.it/t/44"}

            """)
        let one = try await workspace.importFile(first)
        let two = try await workspace.importFile(second)
        #expect(one.stored == 2)
        #expect(one.mentionsPerBrand == ["Trenitalia": 1])
        #expect(two.stored == 1)
        #expect(two.duplicates == 1)
        #expect(two.alreadyPresent == 0)
        #expect(two.mentionsPerBrand["Trenitalia", default: 0] == 0)
        let copies = try await workspace.entries().filter { $0.mentions.contains { $0.brand == "Trenitalia" } }
        #expect(copies.count == 2)
        #expect(copies.filter { $0.mentions.allSatisfy(\.counted) }.count == 1)
        #expect(copies.last?.duplicateReason == .link)
        #expect(try await workspace.store.stats().countedMentions == 1)
    }

    @Test func badJSONLinesAreSkippedWithTheirLineNumbers() async throws {
        let workspace = try ImportWorkspace()
        let file = """
            {"id": "1", "text": "Iberia llegó puntual"}
            {"id": "2", "text": "a broken line
            {"id": "3", "text": "Vueling llegó tarde"}
            {"id": "4", "author": "ana"}
            {"id": "5", "text": "Trenitalia in orario"}

            """
        let summary = try await workspace.importFile(try workspace.write("mixed.jsonl", file))
        #expect(summary.entriesRead == 3)
        #expect(summary.stored == 3)
        #expect(summary.skipped.map(\.line) == [2, 4])
        #expect(summary.skippedCount == 2)
        #expect(summary.skipped[1].reason.contains("--map text="))
        #expect(Set(try await workspace.entries().compactMap(\.guid)) == ["1", "3", "5"])
        #expect(summary.mentionsPerBrand == ["Iberia": 1, "Vueling": 1, "Trenitalia": 1])
    }

    @Test func csvRowWithAnUnparseableDateIsSkippedWithItsLineNumber() async throws {
        let workspace = try ImportWorkspace()
        let file = """
            id,text,published
            1,"Iberia, como siempre, impecable",2024-05-01T10:00:00Z
            2,Vueling otra vez tarde,el martes pasado
            3,"Trenitalia: viaggio tranquillo",2024-05-02

            """
        let summary = try await workspace.importFile(try workspace.write("mixed.csv", file))
        #expect(summary.stored == 2)
        #expect(summary.skipped.map(\.line) == [3])
        #expect(summary.skipped.first?.reason.contains("el martes pasado") == true)
        #expect(summary.mentionsPerBrand == ["Iberia": 1, "Trenitalia": 1])
    }

    @Test func sentimentIsTargetAwarePerMention() async throws {
        let workspace = try ImportWorkspace()
        let file = """
            {"id": "both", "text": "me encanta Iberia pero odio Vueling"}
            {"id": "reverse", "text": "odio Iberia pero me encanta Vueling"}

            """
        _ = try await workspace.importFile(try workspace.write("both.jsonl", file))
        let entries = try await workspace.entries()
        let both = try #require(entries.first { $0.guid == "both" })
        let reverse = try #require(entries.first { $0.guid == "reverse" })
        func label(_ entry: ExportedEntry, _ brand: String) -> SentimentPolarity? {
            entry.mentions.first { $0.brand == brand }?.sentiment.label
        }
        #expect(both.mentions.count == 2)
        #expect(label(both, "Iberia") == .pos)
        #expect(label(both, "Vueling") == .neg)
        #expect(label(reverse, "Iberia") == .neg)
        #expect(label(reverse, "Vueling") == .pos)
        #expect(both.language == "es")
    }

    @Test func declaredLanguageWinsOverIdentification() async throws {
        let workspace = try ImportWorkspace()
        let file = """
            {"id": "1", "text": "Iberia ok", "lang": "it-IT"}
            {"id": "2", "text": "Il servizio di Trenitalia è stato ottimo e puntuale", "lang": "fr"}

            """
        _ = try await workspace.importFile(try workspace.write("declared.jsonl", file))
        let entries = try await workspace.entries()
        #expect(entries.first { $0.guid == "1" }?.language == "it")
        // A declared language Vigía does not analyse is kept as declared (and still matched).
        let french = try #require(entries.first { $0.guid == "2" })
        #expect(french.language == "fr")
        #expect(french.mentions.map(\.brand) == ["Trenitalia"])
    }

    @Test func brandLanguagesLimitWhereTheBrandIsMatched() async throws {
        let workspace = try ImportWorkspace(yaml: """
            brands:
              - name: Iberia
                languages: [es]
            """)
        let file = """
            {"id": "es", "text": "Volé con Iberia ayer y el vuelo salió a su hora sin ningún problema"}
            {"id": "en", "text": "I flew with Iberia yesterday and the flight left right on time"}

            """
        let summary = try await workspace.importFile(try workspace.write("langs.jsonl", file))
        #expect(summary.mentionsPerBrand == ["Iberia": 1])
        let entries = try await workspace.entries()
        #expect(entries.first { $0.guid == "es" }?.mentions.count == 1)
        #expect(entries.first { $0.guid == "en" }?.mentions.isEmpty == true)
    }

    @Test func emptyFileIsAClearError() async throws {
        let workspace = try ImportWorkspace()
        for contents in ["", "  \n\n  "] {
            let path = try workspace.write("empty.jsonl", contents)
            let error = await #expect(throws: FeedParsingError.self) { try await workspace.importFile(path) }
            #expect(error?.kind == .emptyDocument)
            #expect(error?.description.contains("empty.jsonl") == true)
            #expect(error?.message.contains("empty") == true)
        }
        #expect(try await workspace.entries().isEmpty)
    }

    @Test func fileThatIsNotAnExportIsAClearError() async throws {
        let workspace = try ImportWorkspace()
        let path = try workspace.write("notes.txt", "Apuntes del viaje\nIberia fue bien\n")
        let error = await #expect(throws: FeedParsingError.self) { try await workspace.importFile(path) }
        #expect(error?.kind == .unknownFormat)
        #expect(error?.description.contains("notes.txt") == true)
        #expect(error?.message.contains("--format") == true)
        #expect(try await workspace.entries().isEmpty)
    }

    @Test func missingFileIsAClearError() async throws {
        let workspace = try ImportWorkspace()
        let path = workspace.url.appendingPathComponent("nowhere.jsonl").path
        let error = await #expect(throws: FeedParsingError.self) { try await workspace.importFile(path) }
        #expect(error?.kind == .unreadable)
        #expect(error?.description.contains("nowhere.jsonl") == true)
    }

    @Test func largeFileStreamsThroughInBoundedBatches() async throws {
        let workspace = try ImportWorkspace()
        let count = 20_000
        var text = ""
        text.reserveCapacity(count * 120)
        for index in 0..<count {
            let brand = ["Iberia", "Vueling", "Trenitalia", "nadie"][index % 4]
            text += "{\"id\": \"g\(index)\", \"text\": \"mensaje \(index) sobre \(brand) número \(index * 7)\", "
                + "\"published\": \"2024-05-01T10:00:00Z\"}\n"
        }
        let path = try workspace.write("big.jsonl", text)
        let spy = BatchRecordingStore(wrapping: workspace.store)
        var importer = Importer(store: spy, model: workspace.model)
        importer.batchSize = 700
        let summary = try await importer.importFile(atPath: path, options: FeedParser.Options())
        #expect(summary.entriesRead == count)
        #expect(summary.stored == count)
        #expect(summary.skippedCount == 0)
        #expect(summary.mentionsPerBrand == ["Iberia": count / 4, "Vueling": count / 4, "Trenitalia": count / 4])
        let sizes = spy.batchSizes
        #expect(sizes.reduce(0, +) == count)
        #expect(sizes.allSatisfy { $0 <= 700 && $0 > 0 })
        #expect(sizes.count == (count + 699) / 700)
        #expect(try await workspace.store.stats().entries == count)
    }

    @Test func progressIsReportedWithIncreasingCounts() async throws {
        let workspace = try ImportWorkspace()
        let count = 5_000
        var text = ""
        for index in 0..<count {
            text += "{\"id\": \"p\(index)\", \"text\": \"Iberia vuelo \(index)\"}\n"
        }
        let path = try workspace.write("progress.jsonl", text)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber).int64Value
        let reports = ProgressLog()
        let importer = workspace.importer(batchSize: 500)
        let summary = try await importer.importFile(atPath: path, options: FeedParser.Options()) { progress in
            reports.append(progress)
        }
        #expect(summary.stored == count)
        let seen = reports.all
        #expect(seen.count >= 2, "only \(seen.count) progress reports")
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.entriesRead <= $1.entriesRead && $0.bytesRead <= $1.bytesRead })
        #expect(seen.contains { $0.entriesRead > 0 })
        #expect(seen.allSatisfy { $0.totalBytes == size && $0.bytesRead <= size })
        #expect(seen.last?.entriesRead == count)
    }
}

/// Collects progress reports from the parsing thread.
private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [ImportProgress] = []

    func append(_ progress: ImportProgress) {
        lock.lock()
        reports.append(progress)
        lock.unlock()
    }

    var all: [ImportProgress] {
        lock.lock()
        defer { lock.unlock() }
        return reports
    }
}

/// A store that records the size of every batch it is given and forwards everything.
private final class BatchRecordingStore: MentionStore, @unchecked Sendable {
    private let base: any MentionStore
    private let lock = NSLock()
    private var sizes: [Int] = []

    init(wrapping base: any MentionStore) {
        self.base = base
    }

    var batchSizes: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return sizes
    }

    func store(batch: [EntryRecord], receivedAt: Date) async throws -> BatchResult {
        lock.withLock { sizes.append(batch.count) }
        return try await base.store(batch: batch, receivedAt: receivedAt)
    }

    func registerSource(_ source: NewSource) async throws -> SourceRecord { try await base.registerSource(source) }
    func sources() async throws -> [SourceRecord] { try await base.sources() }
    func source(id: Int64) async throws -> SourceRecord? { try await base.source(id: id) }
    func source(url: String) async throws -> SourceRecord? { try await base.source(url: url) }
    func updateSource(_ source: SourceRecord) async throws { try await base.updateSource(source) }
    func sourcesDue(at date: Date) async throws -> [SourceRecord] { try await base.sourcesDue(at: date) }
    func registerSources(_ sources: [NewSource]) async throws -> [SourceRecord] { try await base.registerSources(sources) }
    func deliveries(alertIDs: [Int64]) async throws -> [Delivery] { try await base.deliveries(alertIDs: alertIDs) }
    func requeueFailedDeliveries(alertID: Int64?, at date: Date) async throws -> Int {
        try await base.requeueFailedDeliveries(alertID: alertID, at: date)
    }
    func recordPolls(_ batch: [EntryRecord], sources: [SourceRecord], files: [FolderFile], receivedAt: Date) async throws -> BatchResult {
        try await base.recordPolls(batch, sources: sources, files: files, receivedAt: receivedAt)
    }
    func folderFiles(sourceID: Int64) async throws -> [FolderFile] { try await base.folderFiles(sourceID: sourceID) }
    func storedGuidKeys(sourceID: Int64, among keys: [Int64]) async throws -> Set<Int64> {
        try await base.storedGuidKeys(sourceID: sourceID, among: keys)
    }
    func deleteSource(id: Int64) async throws { try await base.deleteSource(id: id) }
    func entries(ids: [Int64]) async throws -> [ExportedEntry] { try await base.entries(ids: ids) }
    func search(_ request: SearchRequest) async throws -> [SearchHit] { try await base.search(request) }
    func exportPage(after id: Int64, limit: Int, options: ExportOptions) async throws -> [ExportedEntry] {
        try await base.exportPage(after: id, limit: limit, options: options)
    }
    func prune(olderThan date: Date, vacuum: Bool) async throws -> PruneResult { try await base.prune(olderThan: date, vacuum: vacuum) }
    func stats() async throws -> StoreStats { try await base.stats() }
    func mentionCounts(_ request: MentionCountRequest) async throws -> [MentionCount] { try await base.mentionCounts(request) }
    func recordAlert(_ alert: NewAlert, deliverTo sinks: [String]) async throws -> AlertRecording {
        try await base.recordAlert(alert, deliverTo: sinks)
    }
    func pendingDeliveries(dueAt date: Date, limit: Int) async throws -> [Delivery] {
        try await base.pendingDeliveries(dueAt: date, limit: limit)
    }
    func markDelivered(_ deliveryID: Int64, at date: Date) async throws { try await base.markDelivered(deliveryID, at: date) }
    func markFailed(_ deliveryID: Int64, error: String, retryAt: Date?) async throws {
        try await base.markFailed(deliveryID, error: error, retryAt: retryAt)
    }
    func alerts(since date: Date?, limit: Int) async throws -> [AlertRecord] { try await base.alerts(since: date, limit: limit) }
    func languageCounts(_ request: MentionCountRequest) async throws -> [LanguageCount] { try await base.languageCounts(request) }
    func mentionEntryIDs(_ request: BrandMentionRequest) async throws -> [Int64] { try await base.mentionEntryIDs(request) }
    func mentionTexts(_ request: BrandMentionRequest) async throws -> [String] { try await base.mentionTexts(request) }
    func scheduleDigest(_ run: DigestRun, targets: [String], at date: Date) async throws -> Int {
        try await base.scheduleDigest(run, targets: targets, at: date)
    }
    func pendingDigestDeliveries(dueAt date: Date, limit: Int) async throws -> [DigestDelivery] {
        try await base.pendingDigestDeliveries(dueAt: date, limit: limit)
    }
    func digestDeliveries(limit: Int) async throws -> [DigestDelivery] { try await base.digestDeliveries(limit: limit) }
    func markDigestDelivered(_ deliveryID: Int64, at date: Date) async throws { try await base.markDigestDelivered(deliveryID, at: date) }
    func markDigestFailed(_ deliveryID: Int64, error: String, retryAt: Date?) async throws {
        try await base.markDigestFailed(deliveryID, error: error, retryAt: retryAt)
    }
}
