import Fetching
import Foundation
import Storage
import VigiaModel

/// A `file://` source that is a folder: exports dropped into it are read once each.
///
/// Each poll reads the files that are new or have another size or modification time than when
/// they were read (the store keeps what it read, in the same transaction as the entries). A file
/// modified in the last few seconds may still be being written and is left for the next poll.
/// Hidden files and partial downloads (`.part`, `.tmp`, `.crdownload`, `~`) are skipped. Entries
/// of a file dropped again are recognised as already stored.
struct FolderSource {
    let folder: URL
    /// Files younger than this are left for the next poll.
    static let settleSeconds: TimeInterval = 5

    /// The folder a `file://` URL names, or nil for anything else.
    init?(url: String) {
        guard url.lowercased().hasPrefix("file://"), let parsed = URL(string: url), parsed.isFileURL else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parsed.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        folder = parsed
    }

    /// The files to read now (oldest first), as they are now.
    func filesToRead(sourceID: Int64, alreadyRead: [FolderFile], now: Date) throws -> [FolderFile] {
        let read = Dictionary(alreadyRead.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        var files: [FolderFile] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !Self.isSkipped(name) {
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)
            guard attributes?[.type] as? FileAttributeType == .typeRegular,
                let modified = attributes?[.modificationDate] as? Date,
                let size = (attributes?[.size] as? NSNumber)?.int64Value,
                modified <= now.addingTimeInterval(-Self.settleSeconds)
            else { continue }
            let file = FolderFile(sourceID: sourceID, name: name, size: size, modified: Int64(modified.timeIntervalSince1970))
            if read[name] != file { files.append(file) }
        }
        return files.sorted { ($0.modified, $0.name) < ($1.modified, $1.name) }
    }

    static func isSkipped(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".part") || name.hasSuffix(".tmp")
            || name.hasSuffix(".crdownload")
    }
}

extension Poller {
    /// Reads the files dropped into a folder source since they were last read.
    func pollFolder(_ source: SourceRecord, _ folder: FolderSource) async -> PollOutcome {
        let files: [FolderFile]
        do {
            files = try folder.filesToRead(sourceID: source.id, alreadyRead: try await store.folderFiles(sourceID: source.id), now: Date())
        } catch {
            return .failed(PollFailure(kind: "file_not_found", message: "cannot list the folder: \(error.localizedDescription)"))
        }
        let facts = ResponseFacts(FetchResponse(status: 0, body: [], effectiveURL: source.effectiveURL))
        guard !files.isEmpty else { return .notModified(facts) }

        var fetched = FetchedFeed(
            response: facts, bodyHash: source.contentHash ?? 0, feed: FeedInfo(title: folder.folder.lastPathComponent),
            format: source.format ?? .rss, entriesRead: 0, records: [], publishedDates: [])
        var problems: [String] = []
        for file in files {
            guard !isStopping else { return .cancelled }
            let url = folder.folder.appendingPathComponent(file.name).absoluteString
            let response: FetchResponse
            do {
                response = try await fetcher.fetch(FetchRequest(url: url, limits: limits))
            } catch let error as FetchError where error.kind == .tooLarge {
                problems.append("\(file.name): over fetch.max_body; load it with `vigia import` instead")
                fetched.files.append(file)  // read as far as it goes: not again until it changes
                continue
            } catch {
                if case .cancelled = outcome(of: error) { return .cancelled }
                problems.append("\(file.name): \(error)")  // not marked read: tried again next poll
                continue
            }
            fetched.files.append(file)
            switch await parseAndAnalyse(response, source: source) {
            case .success(let document):
                fetched.format = document.parsed.format
                fetched.entriesRead += document.parsed.entries.count
                fetched.records += document.records
                fetched.publishedDates += document.parsed.entries.compactMap { $0.published ?? $0.updated }
            case .failure(let failure):
                problems.append("\(file.name): \(failure.message)")
            }
        }
        if !problems.isEmpty {
            logger.warning("files of a folder source were skipped", metadata: ["folder": "\(folder.folder.path)", "problems": "\(problems)"])
        }
        if problems.count == files.count {
            // Nothing could be read: the feed fails (and is flagged if it keeps failing).
            return .failed(PollFailure(kind: "parse", message: problems.prefix(3).joined(separator: "; ")))
        }
        return .fetched(fetched)
    }
}
