import Foundation
import Testing

@testable import Storage

@Suite struct OpeningTests {
    @Test func freshDatabaseIsCreatedAtTheCurrentSchemaVersion() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteMentionStore(path: directory.path("new.db"))
        #expect(try await store.schemaVersion() == Schema.version)
        #expect(try await store.valueForTesting("SELECT count(*) FROM sqlite_master WHERE name IN ('source', 'entry', 'mention', 'alert', 'outbox', 'entry_fts')") == 6)
        #expect(try await store.valueForTesting("PRAGMA foreign_keys") == 1)
        #expect(try await store.valueForTesting("PRAGMA application_id") == Int64(Schema.applicationID))
        #expect(FileManager.default.fileExists(atPath: directory.path("new.db-wal")))
    }

    @Test func existingDatabaseOpensAgainWithItsData() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("vigia.db")
        do {
            let store = try SQLiteMentionStore(path: path)
            let feed = try await store.registerSource(NewSource(kind: .feed, url: "https://example.org/feed"))
            _ = try await store.store(batch: [record(source: feed.id, id: "1", title: "Hola", text: "mundo")])
        }
        let reopened = try SQLiteMentionStore(path: path)
        #expect(try await reopened.schemaVersion() == Schema.version)
        #expect(try await reopened.stats().entries == 1)
        #expect(try await reopened.valueForTesting("SELECT count(*) FROM grdb_migrations") == Int64(Schema.knownMigrations.count))
    }

    @Test func aFileThatIsNotADatabaseIsNamedInTheError() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("notes.db")
        try String(repeating: "these are my notes, not a database\n", count: 200).write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: StorageError.self) { try SQLiteMentionStore(path: path) }
        #expect(error?.kind == .notADatabase)
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("not an SQLite database") == true)
    }

    @Test func aDamagedDatabaseIsReportedAsCorrupt() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("damaged.db")
        do {
            let store = try SQLiteMentionStore(path: path)
            let feed = try await store.registerSource(NewSource(kind: .feed, url: "https://example.org/feed"))
            let batch = (0..<500).map { record(source: feed.id, id: "\($0)", title: "Entry \($0)", text: "some words for entry \($0)") }
            _ = try await store.store(batch: batch)
        }
        // Overwrite everything after the first page with garbage.
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: Int(size) - 4096))
        try handle.close()

        let error = await #expect(throws: StorageError.self) {
            let store = try SQLiteMentionStore(path: path)
            _ = try await store.stats()
            _ = try await store.search(SearchRequest(query: word("entry")))
        }
        #expect(error?.kind == .corrupt || error?.kind == .notADatabase)
        #expect(error?.path == path)
    }

    @Test func aDatabaseFromANewerVigiaIsRefused() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("future.db")
        do {
            let store = try SQLiteMentionStore(path: path)
            try await store.executeForTesting("PRAGMA user_version = \(Schema.version + 1)")
        }
        let error = #expect(throws: StorageError.self) { try SQLiteMentionStore(path: path) }
        #expect(error?.kind == .newerSchema)
        #expect(error?.description.contains("newer Vigía") == true)
    }

    @Test func anUnknownMigrationMeansANewerVigia() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("future.db")
        do {
            let store = try SQLiteMentionStore(path: path)
            try await store.executeForTesting("INSERT INTO grdb_migrations (identifier) VALUES ('v99')")
        }
        let error = #expect(throws: StorageError.self) { try SQLiteMentionStore(path: path) }
        #expect(error?.kind == .newerSchema)
    }

    @Test func anotherProgramsDatabaseIsRefused() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("other.db")
        do {
            let store = try SQLiteMentionStore(path: path)
            try await store.executeForTesting("PRAGMA application_id = 12345")
        }
        let error = #expect(throws: StorageError.self) { try SQLiteMentionStore(path: path) }
        #expect(error?.kind == .notAVigiaDatabase)
    }

    @Test func aMissingFileIsAnErrorWhenNotToBeCreated() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("absent.db")
        let error = #expect(throws: StorageError.self) {
            try SQLiteMentionStore(path: path, options: .init(createIfMissing: false))
        }
        #expect(error?.kind == .missing)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aMissingDirectoryCannotBeOpened() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("no/such/dir/vigia.db")
        let error = #expect(throws: StorageError.self) { try SQLiteMentionStore(path: path) }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.description.contains(path) == true)
    }

    @Test func anEmptyFileBecomesANewDatabase() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("empty.db")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let store = try SQLiteMentionStore(path: path)
        #expect(try await store.schemaVersion() == Schema.version)
    }
}
