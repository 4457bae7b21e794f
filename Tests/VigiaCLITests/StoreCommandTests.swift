import Foundation
import Testing

/// A folder with a `vigia.yaml` (its database inside the folder) where exports are written and
/// imported through the real binary.
private final class StoreWorkspace {
    let url: URL
    var config: String { url.appendingPathComponent("vigia.yaml").path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-store-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try write("vigia.yaml", """
            database: data/vigia.db
            brands:
              - name: Iberia
                query: '"Iberia" OR #iberia'
              - name: Vueling
              - name: Trenitalia

            """)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    /// Runs `vigia ARGUMENTS --config vigia.yaml`.
    func run(_ arguments: [String]) throws -> CommandRunner.Result {
        try CommandRunner.run(arguments + ["--config", config])
    }

    /// Imports `name` and fails the test unless the import succeeds.
    @discardableResult
    func importFile(_ name: String) throws -> CommandRunner.Result {
        let result = try run(["import", url.appendingPathComponent(name).path, "--quiet"])
        #expect(result.status == 0, "import \(name): \(result.stderr)")
        return result
    }
}

private func iso(daysAgo days: Double, from now: Date = Date()) -> String {
    let formatter = ISO8601DateFormatter()
    return formatter.string(from: now.addingTimeInterval(-days * 86_400))
}

private func day(daysAgo days: Double) -> String {
    String(iso(daysAgo: days).prefix(10))
}

private func jsonString(_ text: String) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
    return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
}

/// Five posts (Spanish, Italian, English; dated 2 to 400 days ago), a broken line (6) and a
/// record without text (7).
private func corpus() -> String {
    let posts: [(id: String, title: String, text: String, days: Double)] = [
        ("r1", "Vuelo a Lima", "Me encanta volar con Iberia, la tripulación fue amable y el servicio excelente.", 2),
        ("r2", "Maleta perdida", "Vueling perdió mi maleta otra vez; un servicio horrible, pésimo y nadie contesta.", 3),
        ("r3", "Treno in ritardo", "Il treno di Trenitalia era in ritardo di tre ore, un disastro terribile.", 20),
        ("r4", "Great crew, \"really\"", "I love flying with Iberia, the crew was wonderful and the seats were great.", 40),
        ("r5", "Viaje antiguo", "Iberia me llevó a Roma hace mucho tiempo y todo salió bien.", 400),
    ]
    var lines = posts.map { post in
        "{\"id\": \"\(post.id)\", \"title\": \(jsonString(post.title)), \"text\": \(jsonString(post.text)), "
            + "\"link\": \"https://foro.example.es/t/\(post.id)\", \"published\": \"\(iso(daysAgo: post.days))\"}"
    }
    lines.append("{\"id\": \"r6\", \"text\": \"cut short")
    lines.append("{\"id\": \"r7\", \"author\": \"ana\"}")
    return lines.joined(separator: "\n") + "\n"
}

private func jsonObjects(_ output: String) throws -> [[String: Any]] {
    try output.split(separator: "\n").map { line in
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not an object: \(line)")
    }
}

/// Splits CSV text into records of fields (RFC 4180: quotes, doubled quotes, newlines in quotes).
private func csvRecords(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var iterator = Array(text).makeIterator()
    var pending: Character?
    while let character = pending ?? iterator.next() {
        pending = nil
        if quoted {
            if character == "\"" {
                if let next = iterator.next() {
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    quoted = false
                }
            } else {
                field.append(character)
            }
            continue
        }
        switch character {
        case "\"": quoted = true
        case ",": record.append(field); field = ""
        case "\n":
            record.append(field); field = ""
            records.append(record); record = []
        default: field.append(character)
        }
    }
    if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
    return records
}

@Suite("vigia import, search, export and prune") struct StoreCommandTests {
    /// A workspace with the corpus imported.
    private func imported() throws -> StoreWorkspace {
        let workspace = try StoreWorkspace()
        try workspace.write("posts.jsonl", corpus())
        try workspace.importFile("posts.jsonl")
        return workspace
    }

    private func ids(_ result: CommandRunner.Result) throws -> [String] {
        try jsonObjects(result.stdout).compactMap { $0["link"] as? String }.map { String($0.split(separator: "/").last ?? "") }
    }

    private func search(_ workspace: StoreWorkspace, _ arguments: [String]) throws -> [String] {
        let result = try workspace.run(["search"] + arguments + ["--format", "json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try ids(result)
    }

    // MARK: import

    @Test func importPrintsTheSummaryAndASecondImportStoresNothingNew() throws {
        let workspace = try StoreWorkspace()
        let path = try workspace.write("posts.jsonl", corpus())
        let first = try workspace.run(["import", path, "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let out = first.stdout
        #expect(out.contains("Imported \(path) (JSON Lines)"))
        #expect(out.contains("entries read:    5\n"))
        #expect(out.contains("stored:          5\n"))
        #expect(out.contains("duplicates:      0 "))
        #expect(out.contains("already present: 0\n"))
        #expect(out.contains("mentions per brand:"))
        let brandLines = out.split(separator: "\n").filter { $0.hasPrefix("    ") && !$0.contains("line ") }
            .map { $0.split(separator: " ").map(String.init) }
        #expect(brandLines == [["Iberia", "3"], ["Trenitalia", "1"], ["Vueling", "1"]])
        #expect(out.contains("skipped records: 2\n"))
        #expect(out.contains("    line 6: "))
        #expect(out.contains("    line 7: "))
        #expect(FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("data/vigia.db").path))

        let second = try workspace.run(["import", path, "--quiet"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("entries read:    5\n"))
        #expect(second.stdout.contains("stored:          0\n"))
        #expect(second.stdout.contains("already present: 5\n"))
        #expect(second.stdout.contains("mentions:        none"))
    }

    @Test func importCountsACopyUnderAnotherLinkOnce() throws {
        let workspace = try StoreWorkspace()
        let text = "Vueling canceló el vuelo de las ocho y nos dejó sin hotel ni cena en el aeropuerto"
        try workspace.write("copies.jsonl", """
            {"id": "a", "text": \(jsonString(text)), "link": "https://uno.example.es/a"}
            {"id": "b", "text": \(jsonString(text)), "link": "https://dos.example.es/b"}

            """)
        let result = try workspace.importFile("copies.jsonl")
        #expect(result.stdout.contains("stored:          1\n"))
        #expect(result.stdout.contains("duplicates:      1 "))
        #expect(result.stdout.split(separator: "\n").contains { $0.split(separator: " ") == ["Vueling", "1"] })
    }

    @Test func importOfAnEmptyOrUnreadableFileExitsTwoWithTheReason() throws {
        let workspace = try StoreWorkspace()
        let empty = try workspace.write("empty.jsonl", "")
        let result = try workspace.run(["import", empty, "--quiet"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("empty.jsonl"))
        #expect(result.stderr.contains("empty"))
        let notes = try workspace.write("notes.txt", "Apuntes del viaje\nsin nada más\n")
        let unknown = try workspace.run(["import", notes, "--quiet"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--format"))
        let missing = try workspace.run(["import", workspace.url.appendingPathComponent("nowhere.jsonl").path, "--quiet"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nowhere.jsonl"))
    }

    @Test func importWithAForcedFormatAndAColumnMapping() throws {
        let workspace = try StoreWorkspace()
        try workspace.write("renamed.data", "{\"key\": \"k1\", \"body\": \"Trenitalia puntuale\"}\n{\"key\": \"k2\", \"body\": \"Vueling ok\"}\n")
        let result = try workspace.run([
            "import", workspace.url.appendingPathComponent("renamed.data").path, "--format", "jsonl", "--map", "text=body,id=key", "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("stored:          2\n"))
        let bad = try workspace.run(["import", workspace.url.appendingPathComponent("renamed.data").path, "--format", "yaml"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("unknown format 'yaml'"))
    }

    // MARK: search output

    @Test func searchJSONWritesOneObjectPerLineWithHighlightedSnippets() throws {
        let workspace = try imported()
        let result = try workspace.run(["search", "Iberia", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let objects = try jsonObjects(result.stdout)
        #expect(objects.count == 3)
        #expect(Set(try ids(result)) == ["r1", "r4", "r5"])
        for object in objects {
            #expect((object["brands"] as? [String]) == ["Iberia"])
            #expect((object["snippet"] as? String)?.contains("**Iberia**") == true, "\(object)")
            #expect(object["source"] as? String == "posts.jsonl")
            #expect(object["id"] is NSNumber)
            #expect(object["rank"] is NSNumber)
        }
        let lima = try #require(objects.first { $0["title"] as? String == "Vuelo a Lima" })
        #expect(lima["lang"] as? String == "es")
        #expect(lima["sentiment"] as? String == "pos")
        #expect((lima["score"] as? Double).map { $0 > 0 } == true)
    }

    @Test func searchCSVHasAHeaderAndQuotesFields() throws {
        let workspace = try imported()
        let result = try workspace.run(["search", "crew", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "id,date,published,source,lang,sentiment,score,brands,title,link,snippet")
        #expect(result.stdout.contains(",\"Great crew, \"\"really\"\"\",https://foro.example.es/t/r4,"))
        let records = csvRecords(result.stdout)
        #expect(records.count == 2)
        let row = try #require(records.last)
        #expect(row.count == 11)
        #expect(row[4] == "en")
        #expect(row[5] == "pos")
        #expect(row[7] == "Iberia")
        #expect(row[8] == "Great crew, \"really\"")
        #expect(row[10].contains("crew"))
        #expect(!row[10].contains("**"))
    }

    @Test func searchTableShowsTitleBrandsHighlightAndCount() throws {
        let workspace = try imported()
        let result = try workspace.run(["search", "maleta"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].contains("neg"))
        #expect(lines[0].contains("es"))
        #expect(lines[0].contains("Maleta perdida  [Vueling]"))
        #expect(lines[0].hasPrefix(day(daysAgo: 3)) || lines[0].hasPrefix(day(daysAgo: 2.9)))
        #expect(lines[1].hasPrefix("    ") && lines[1].lowercased().contains("[maleta]"))
        #expect(lines[2].contains("https://foro.example.es/t/r2  (posts.jsonl)"))
        #expect(lines[3].hasPrefix("1 result in "))
        #expect(!result.stdout.contains("\u{1B}["))
        let none = try workspace.run(["search", "aeropuerto"])
        #expect(none.status == 0)
        #expect(none.stdout.hasPrefix("0 results in "))
    }

    // MARK: search filters

    @Test func searchFiltersByBrandLanguageAndSentiment() throws {
        let workspace = try imported()
        #expect(try search(workspace, ["", "--brand", "Vueling"]) == ["r2"])
        #expect(try search(workspace, ["", "--brand", "vueling"]) == ["r2"])
        #expect(try search(workspace, ["", "--lang", "it"]) == ["r3"])
        #expect(Set(try search(workspace, ["", "--lang", "it", "--lang", "en"])) == ["r3", "r4"])
        #expect(Set(try search(workspace, ["", "--sentiment", "neg"])) == ["r2", "r3"])
        #expect(Set(try search(workspace, ["", "--brand", "Iberia", "--sentiment", "pos"])).isSuperset(of: ["r1", "r4"]))
        #expect(try search(workspace, ["", "--brand", "Iberia", "--sentiment", "neg"]).isEmpty)
        #expect(try search(workspace, ["Iberia", "--lang", "en"]) == ["r4"])
    }

    @Test func searchFiltersByDate() throws {
        let workspace = try imported()
        #expect(Set(try search(workspace, ["", "--since", "7d"])) == ["r1", "r2"])
        #expect(Set(try search(workspace, ["", "--since", day(daysAgo: 30)])) == ["r1", "r2", "r3"])
        #expect(Set(try search(workspace, ["", "--until", "7d"])) == ["r3", "r4", "r5"])
        #expect(Set(try search(workspace, ["", "--since", "30d", "--until", "7d"])) == ["r3"])
        #expect(Set(try search(workspace, ["Iberia", "--until", day(daysAgo: 100)])) == ["r5"])
        let bad = try workspace.run(["search", "", "--since", "last tuesday"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--since"))
    }

    @Test func searchFiltersBySource() throws {
        let workspace = try imported()
        try workspace.write("other.jsonl", """
            {"id": "o1", "text": "Iberia en otro foro", "link": "https://otro.example.it/t/o1"}
            {"id": "o2", "text": "Nada que ver", "link": "https://otro.example.it/t/o2"}

            """)
        try workspace.importFile("other.jsonl")
        #expect(Set(try search(workspace, ["Iberia"])) == ["r1", "r4", "r5", "o1"])
        #expect(try search(workspace, ["Iberia", "--source", "other.jsonl"]) == ["o1"])
        #expect(Set(try search(workspace, ["", "--source", "OTHER.JSONL"])) == ["o1", "o2"])
        let url = URL(fileURLWithPath: workspace.url.appendingPathComponent("other.jsonl").path).standardizedFileURL.absoluteString
        #expect(Set(try search(workspace, ["", "--source", url])) == ["o1", "o2"])
        // Sources are numbered as registered: posts.jsonl is 1, other.jsonl 2.
        #expect(Set(try search(workspace, ["", "--source", "2"])) == ["o1", "o2"])
        #expect(try search(workspace, ["", "--source", "1"]).count == 5)
        #expect(try search(workspace, ["", "--source", "no-such-source"]).isEmpty)
    }

    @Test func searchLimitAndSortByDate() throws {
        let workspace = try imported()
        #expect(try search(workspace, ["", "--sort", "date"]) == ["r1", "r2", "r3", "r4", "r5"])
        #expect(try search(workspace, ["", "--sort", "date", "--limit", "2"]) == ["r1", "r2"])
        #expect(try search(workspace, ["Iberia", "--sort", "date", "--limit", "1"]) == ["r1"])
        #expect(try search(workspace, ["Iberia OR Vueling", "--limit", "10"]).count == 4)
        #expect(try search(workspace, ["Iberia NOT Lima"]).sorted() == ["r4", "r5"])
        #expect(try search(workspace, ["\"servicio excelente\""]) == ["r1"])
    }

    // MARK: search errors

    @Test func badQueryExitsTwoWithThePosition() throws {
        let workspace = try imported()
        let result = try workspace.run(["search", "Iberia AND (Vueling"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("bad query"))
        #expect(result.stderr.contains("at position "))
        #expect(result.stderr.contains("Iberia AND (Vueling"))
        #expect(result.stderr.contains("^"))
        let unclosed = try workspace.run(["search", "\"unclosed phrase"])
        #expect(unclosed.status == 2)
        #expect(unclosed.stderr.contains("at position "))
    }

    @Test func missingConfigurationExitsTwoNamingTheFile() throws {
        let workspace = try StoreWorkspace()
        let missing = workspace.url.appendingPathComponent("absent/vigia-missing.yaml").path
        for arguments in [["search", "Iberia"], ["export"], ["prune", "--older-than", "180d"], ["import", "-"]] {
            let result = try CommandRunner.run(arguments + ["--config", missing])
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(missing), "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("vigia init"))
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("absent").path))
    }

    @Test func badConfigurationExitsTwoWithTheLine() throws {
        let workspace = try StoreWorkspace()
        try workspace.write("vigia.yaml", "brands:\n  - name: Iberia\n    query: 'Iberia AND'\n")
        try workspace.write("posts.jsonl", corpus())
        let result = try workspace.run(["import", workspace.url.appendingPathComponent("posts.jsonl").path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("vigia.yaml:2"))
        #expect(result.stderr.contains("brands: Iberia: query"))
    }

    @Test func usageErrorsExitTwo() throws {
        let workspace = try imported()
        let cases: [[String]] = [
            ["search"],
            ["search", "Iberia", "--format", "xml"],
            ["search", "Iberia", "--sort", "popularity"],
            ["search", "Iberia", "--sentiment", "happy"],
            ["search", "Iberia", "--limit", "many"],
            ["import"],
            ["export", "--format", "xml"],
            ["prune"],
            ["prune", "--older-than", "soon"],
            ["search", "Iberia", "--no-such-option"],
        ]
        for arguments in cases {
            let result = try workspace.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
            #expect(!result.stderr.isEmpty, "\(arguments)")
        }
        // Nothing was pruned by the failed prunes.
        #expect(try search(workspace, [""]).count == 5)
    }

    // MARK: export and prune

    @Test func exportJSONLinesHasEveryEntryWithMentionsAndScores() throws {
        let workspace = try imported()
        let result = try workspace.run(["export", "--format", "jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("exported 5 entries"))
        let objects = try jsonObjects(result.stdout)
        #expect(objects.count == 5)
        #expect(objects.compactMap { $0["guid"] as? String } == ["r1", "r2", "r3", "r4", "r5"])
        let r2 = objects[1]
        #expect(r2["lang"] as? String == "es")
        #expect(r2["sentiment"] as? String == "neg")
        #expect(r2["text"] as? String == "Vueling perdió mi maleta otra vez; un servicio horrible, pésimo y nadie contesta.")
        let mentions = try #require(r2["mentions"] as? [[String: Any]])
        #expect(mentions.count == 1)
        #expect(mentions.first?["brand"] as? String == "Vueling")
        #expect(mentions.first?["sentiment"] as? String == "neg")
        #expect((mentions.first?["score"] as? Double).map { $0 < 0 } == true)
        #expect(mentions.first?["counted"] as? Bool == true)
        // The brand's default query is its name as a phrase; terms are the query terms that matched.
        #expect(mentions.first?["terms"] as? [String] == ["\"Vueling\""])
        let mentionCount = objects.map { ($0["mentions"] as? [Any])?.count ?? -1 }
        #expect(mentionCount == [1, 1, 1, 1, 1])
        #expect(objects.allSatisfy { $0["score"] is NSNumber && $0["duplicate_of"] is NSNull })
    }

    @Test func exportCSVHasAHeaderAndOneRowPerEntry() throws {
        let workspace = try imported()
        let result = try workspace.run(["export", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let records = csvRecords(result.stdout)
        #expect(records.first == [
            "id", "date", "published", "source", "guid", "title", "link", "author", "lang", "sentiment", "score",
            "duplicate_of", "mentions", "text",
        ])
        #expect(records.count == 6)
        #expect(records.dropFirst().allSatisfy { $0.count == 14 })
        let crew = try #require(records.first { $0.count > 5 && $0[4] == "r4" })
        #expect(crew[5] == "Great crew, \"really\"")
        #expect(crew[8] == "en")
        #expect(crew[12].hasPrefix("Iberia:pos:"))
        #expect(crew[13].hasPrefix("I love flying with Iberia"))
        let since = try workspace.run(["export", "--format", "csv", "--since", "7d"])
        #expect(csvRecords(since.stdout).count == 3)
        #expect(since.stderr.contains("exported 2 entries"))
    }

    @Test func exportedJSONLinesImportsBackWithTheSameCounts() throws {
        let workspace = try imported()
        let export = try workspace.run(["export", "--format", "jsonl"])
        #expect(export.status == 0)
        let copy = try StoreWorkspace()
        try copy.write("export.jsonl", export.stdout)
        let result = try copy.importFile("export.jsonl")
        #expect(result.stdout.contains("entries read:    5\n"))
        #expect(result.stdout.contains("stored:          5\n"))
        #expect(!result.stdout.contains("skipped records"))
        let original = try jsonObjects(export.stdout)
        let again = try jsonObjects(try copy.run(["export"]).stdout)
        #expect(again.count == original.count)
        func summary(_ objects: [[String: Any]]) -> [String] {
            objects.map { object in
                let brands = (object["mentions"] as? [[String: Any]] ?? []).compactMap { $0["brand"] as? String }
                return [object["title"] as? String ?? "", object["published"] as? String ?? "", object["lang"] as? String ?? "",
                        object["sentiment"] as? String ?? "", brands.joined(separator: ";")].joined(separator: "|")
            }.sorted()
        }
        #expect(summary(again) == summary(original))
    }

    @Test func pruneRemovesOldEntriesAndReportsHowMany() throws {
        let workspace = try imported()
        let result = try workspace.run(["prune", "--older-than", "180d"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("pruned 1 entries and 1 mentions older than "))
        #expect(try search(workspace, ["", "--sort", "date"]) == ["r1", "r2", "r3", "r4"])
        #expect(try search(workspace, ["Iberia"]).sorted() == ["r1", "r4"])
        let again = try workspace.run(["prune", "--older-than", "180d"])
        #expect(again.stdout.hasPrefix("pruned 0 entries and 0 mentions"))
        let byDate = try workspace.run(["prune", "--older-than", day(daysAgo: 10), "--vacuum"])
        #expect(byDate.status == 0, "\(byDate.stderr)")
        #expect(byDate.stdout.hasPrefix("pruned 2 entries and 2 mentions"))
        #expect(try search(workspace, [""]).sorted() == ["r1", "r2"])
        let export = try workspace.run(["export"])
        #expect(export.stderr.contains("exported 2 entries"))
    }
}
