import FoundationEssentials
import VigiaModel

/// Reads whole-document JSON formats: JSON Feed 1.0/1.1, Reddit listings and Discourse JSON.
final class JSONDocumentReader: FormatReader {
    private let format: FeedFormat
    private let options: FeedParser.Options
    private let emit: (FeedEntry) -> Void
    private var bytes: [UInt8] = []
    let html = HTMLTextExtractor()

    init(format: FeedFormat, options: FeedParser.Options, emit: @escaping (FeedEntry) -> Void) {
        self.format = format
        self.options = options
        self.emit = emit
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        guard bytes.count + chunk.count <= options.limits.maxDocumentBytes else {
            throw FeedParsingError(
                .tooLarge, document: options.documentName,
                message: "the JSON document is over the \(options.limits.maxDocumentBytes)-byte cap; export it as JSON Lines to stream it")
        }
        bytes.append(contentsOf: chunk)
    }

    func finish() throws -> ReaderOutcome {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw FeedParsingError(
                .notWellFormed, document: options.documentName, line: error.line,
                message: "invalid JSON at column \(error.column): \(error.message)")
        }
        bytes = []
        var outcome = ReaderOutcome(format: format)
        var entries: [FeedEntry] = []
        switch format {
        case .jsonFeed:
            readJSONFeed(value, into: &outcome, entries: &entries)
        case .reddit:
            readReddit(value, entries: &entries)
        case .discourse:
            readDiscourse(value, into: &outcome, entries: &entries)
        default:
            break
        }
        if entries.isEmpty, outcome.feed.title == nil {
            throw FeedParsingError(
                .unknownFormat, document: options.documentName, line: 1,
                message: "valid JSON, but not a \(format.displayName) document (no items found); pass --format to choose another reader")
        }
        for entry in entries { emit(entry) }
        outcome.entryCount = entries.count
        return outcome
    }

    // MARK: - Helpers shared by the JSON formats

    func string(_ value: JSONValue?) -> String? {
        guard let text = value?.stringValue else { return nil }
        let trimmed = TextCleanup.plainText(text)
        return trimmed.isEmpty ? nil : trimmed
    }

    func htmlText(_ value: JSONValue?) -> String? {
        guard let text = value?.stringValue else { return nil }
        let result = TextCleanup.plainText(html.text(ofHTML: text))
        return result.isEmpty ? nil : result
    }

    func date(_ value: JSONValue?) -> Date? {
        switch value {
        case .number(let seconds)?: return Self.epochDate(seconds)
        case .string(let text)?: return FeedDate.parse(text) ?? Double(text).flatMap(Self.epochDate)
        default: return nil
        }
    }

    /// Seconds (or milliseconds, when implausibly large) since 1970.
    static func epochDate(_ value: Double) -> Date? {
        guard value.isFinite, value > 0 else { return nil }
        let seconds = value > 100_000_000_000 ? value / 1000 : value
        return Date(timeIntervalSince1970: seconds)
    }

    func absolute(_ link: String?) -> String? {
        guard let link, !link.isEmpty else { return nil }
        return URLResolver.resolve(link, against: options.baseURL)
    }

    // MARK: - JSON Feed

    private func readJSONFeed(_ value: JSONValue, into outcome: inout ReaderOutcome, entries: inout [FeedEntry]) {
        outcome.version = value["version"]?.stringValue.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        outcome.feed.title = string(value["title"])
        outcome.feed.link = absolute(value["home_page_url"]?.stringValue)
        outcome.feed.language = string(value["language"])
        outcome.feed.subtitle = string(value["description"])
        let feedAuthor = authorName(value)
        for item in value["items"]?.arrayValue ?? [] {
            guard item.objectValue != nil else {
                outcome.skippedRecords.append(SkippedRecord(line: 1, reason: "an item is not a JSON object"))
                continue
            }
            var entry = FeedEntry()
            entry.id = string(item["id"])
            entry.title = string(item["title"])
            entry.link = absolute(item["url"]?.stringValue ?? item["external_url"]?.stringValue)
            entry.published = date(item["date_published"]) ?? date(item["date_modified"])
            entry.updated = date(item["date_modified"])
            entry.author = authorName(item) ?? feedAuthor
            entry.summaryText = string(item["summary"])
            entry.contentText = htmlText(item["content_html"]) ?? string(item["content_text"])
            if entry.summaryText == nil { entry.summaryText = entry.contentText }
            entry.categories = (item["tags"]?.arrayValue ?? []).compactMap { string($0) }
            entry.language = string(item["language"]) ?? outcome.feed.language
            for attachment in item["attachments"]?.arrayValue ?? [] {
                guard let url = absolute(attachment["url"]?.stringValue) else { continue }
                entry.enclosures.append(Enclosure(url: url, type: string(attachment["mime_type"]),
                                                  length: attachment["size_in_bytes"]?.intValue.map(Int64.init)))
            }
            entries.append(entry)
        }
    }

    private func authorName(_ object: JSONValue) -> String? {
        if let authors = object["authors"]?.arrayValue {
            let names = authors.compactMap { string($0["name"]) }
            if !names.isEmpty { return names.joined(separator: ", ") }
        }
        return string(object["author"]?["name"])
    }

    // MARK: - Reddit

    /// A listing (`{"kind": "Listing"}`), or the array of two listings a post's comments page
    /// returns; comments are read recursively through their `replies`.
    private func readReddit(_ value: JSONValue, entries: inout [FeedEntry]) {
        var postTitles: [String: String] = [:]
        func visit(_ node: JSONValue) {
            if let array = node.arrayValue {
                array.forEach(visit)
                return
            }
            guard let kind = node["kind"]?.stringValue else { return }
            let data = node["data"] ?? .null
            switch kind {
            case "Listing":
                for child in data["children"]?.arrayValue ?? [] { visit(child) }
            case "t3":
                let entry = redditPost(data)
                if let name = data["name"]?.stringValue, let title = entry.title { postTitles[name] = title }
                entries.append(entry)
            case "t1":
                var entry = redditComment(data)
                if let parent = data["link_id"]?.stringValue, let title = postTitles[parent] { entry.title = "Re: \(title)" }
                entries.append(entry)
                if let replies = data["replies"], replies.objectValue != nil { visit(replies) }
            default:
                break
            }
        }
        visit(value)
    }

    private func redditLink(_ data: JSONValue) -> String? {
        if let permalink = data["permalink"]?.stringValue, !permalink.isEmpty {
            return URLResolver.resolve(permalink, against: options.baseURL ?? "https://www.reddit.com/")
        }
        return absolute(data["url"]?.stringValue)
    }

    private func redditPost(_ data: JSONValue) -> FeedEntry {
        var entry = FeedEntry()
        entry.id = data["name"]?.stringValue ?? data["id"]?.stringValue.map { "t3_\($0)" }
        entry.title = string(data["title"])
        entry.link = redditLink(data)
        entry.published = date(data["created_utc"]) ?? date(data["created"])
        if let edited = data["edited"], case .number = edited { entry.updated = date(edited) }
        entry.author = string(data["author"])
        entry.contentText = string(data["selftext"]) ?? htmlText(data["selftext_html"])
        if entry.contentText == nil, let url = data["url"]?.stringValue, !url.contains("reddit.com") {
            entry.summaryText = url
        }
        entry.categories = [string(data["subreddit"]), string(data["link_flair_text"])].compactMap { $0 }
        entry.engagement = data["score"]?.intValue ?? data["ups"]?.intValue
        return entry
    }

    private func redditComment(_ data: JSONValue) -> FeedEntry {
        var entry = FeedEntry()
        entry.id = data["name"]?.stringValue ?? data["id"]?.stringValue.map { "t1_\($0)" }
        entry.link = redditLink(data)
        entry.published = date(data["created_utc"]) ?? date(data["created"])
        entry.author = string(data["author"])
        entry.contentText = string(data["body"]) ?? htmlText(data["body_html"])
        entry.categories = [string(data["subreddit"])].compactMap { $0 }
        entry.engagement = data["score"]?.intValue ?? data["ups"]?.intValue
        return entry
    }

    // MARK: - Discourse

    /// `latest.json`/`top.json` topic lists, `posts.json` latest posts, and `/t/ID.json` post
    /// streams.
    private func readDiscourse(_ value: JSONValue, into outcome: inout ReaderOutcome, entries: inout [FeedEntry]) {
        var usernames: [Int: String] = [:]
        for user in value["users"]?.arrayValue ?? [] {
            if let id = user["id"]?.intValue, let name = string(user["username"]) { usernames[id] = name }
        }
        if let topics = value["topic_list"]?["topics"]?.arrayValue {
            for topic in topics {
                var entry = FeedEntry()
                let id = topic["id"]?.intValue
                entry.id = id.map { "topic-\($0)" }
                entry.title = string(topic["fancy_title"]).map { HTMLEntities.decode(Substring($0)) } ?? string(topic["title"])
                if let id {
                    let slug = topic["slug"]?.stringValue ?? "topic"
                    entry.link = absolute("/t/\(slug)/\(id)")
                }
                entry.published = date(topic["created_at"])
                entry.updated = date(topic["bumped_at"]) ?? date(topic["last_posted_at"])
                entry.summaryText = htmlText(topic["excerpt"])
                let originalPoster = topic["posters"]?.arrayValue?.first(where: {
                    ($0["description"]?.stringValue ?? "").contains("Original Poster")
                }) ?? topic["posters"]?.arrayValue?.first
                entry.author = originalPoster?["user_id"]?.intValue.flatMap { usernames[$0] } ?? string(topic["last_poster_username"])
                entry.categories = discourseTags(topic["tags"])
                entry.engagement = topic["like_count"]?.intValue
                entries.append(entry)
            }
            return
        }
        let topicTitle = string(value["title"])
        let topicSlug = value["slug"]?.stringValue
        outcome.feed.title = topicTitle
        let posts = value["latest_posts"]?.arrayValue ?? value["post_stream"]?["posts"]?.arrayValue ?? []
        let topicTags = discourseTags(value["tags"])
        for post in posts {
            var entry = FeedEntry()
            entry.id = post["id"]?.intValue.map { "post-\($0)" }
            entry.title = string(post["topic_title"]) ?? topicTitle
            if let url = post["post_url"]?.stringValue {
                entry.link = absolute(url)
            } else if let topicID = post["topic_id"]?.intValue {
                let slug = post["topic_slug"]?.stringValue ?? topicSlug ?? "topic"
                let number = post["post_number"]?.intValue ?? 1
                entry.link = absolute("/t/\(slug)/\(topicID)/\(number)")
            }
            entry.published = date(post["created_at"])
            entry.updated = date(post["updated_at"])
            entry.author = string(post["username"]) ?? string(post["name"])
            entry.contentText = htmlText(post["cooked"]) ?? string(post["raw"])
            entry.categories = topicTags
            entry.engagement = post["like_count"]?.intValue
                ?? post["actions_summary"]?.arrayValue?.first(where: { $0["id"]?.intValue == 2 })?["count"]?.intValue
            entries.append(entry)
        }
    }

    private func discourseTags(_ value: JSONValue?) -> [String] {
        (value?.arrayValue ?? []).compactMap { tag in string(tag) ?? string(tag["name"]) }
    }
}
