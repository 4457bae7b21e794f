import Foundation
import Yams

/// What `vigia.yaml` says: the database, the sources, the brands, alerts and the digest.
///
/// ```yaml
/// database: vigia.db                 # SQLite file, the embedded default
/// sources:
///   - opml: feeds/demo.opml          # every feed listed in an OPML file
///   - url: https://forum.example.org/latest.json
///     format: discourse              # optional; sniffed when absent
///     interval: 15m
/// brands:
///   - name: Iberia
///     query: '"Iberia" OR #iberia OR @iberia NOT "península ibérica"'
///     languages: [es, en]            # optional
/// alerts:
///   bucket: 5m
///   sinks:
///     - {type: file, path: alerts.jsonl}
/// digest:
///   schedule: daily 08:00 Europe/Madrid
///   language: es                     # labels in es, it or en
///   email:
///     smtp: smtp://mail.example.com:587
///     username: vigia@example.com
///     password_env: VIGIA_SMTP_PASSWORD
///     from: "Vigía <vigia@example.com>"
///     to: [marketing@example.com]
///   webhooks:
///     - {type: slack, url: https://hooks.slack.com/services/…}
/// ```
/// Relative paths are relative to the configuration file.
public struct Configuration: Sendable {
    /// The file this configuration was read from.
    public var file: URL
    /// The SQLite database file (absolute).
    public var database: URL
    public var sources: [SourceConfiguration]
    public var brands: [BrandConfiguration]
    public var alerts: AlertsConfiguration
    public var digest: DigestConfiguration?
    /// The contact URL put in the fetcher's `User-Agent`.
    public var contact: String?
    /// How the daemon polls.
    public var fetch = FetchSettings()

    /// The directory relative paths are resolved against.
    public var directory: URL { file.deletingLastPathComponent() }
}

/// One source: every feed of an OPML file, or one URL (`http(s)://` or `file://`).
public enum SourceConfiguration: Sendable, Hashable {
    case opml(path: URL, interval: Duration?)
    case url(String, format: String?, interval: Duration?, name: String?)
}

/// A brand to monitor.
public struct BrandConfiguration: Sendable, Hashable {
    public var name: String
    /// The query, as written.
    public var query: String
    /// Languages the brand is monitored in; nil means every language.
    public var languages: [String]?
    /// Competitors are compared with in the digest's share of voice.
    public var competitor: Bool
    /// The time zone of the brand's digest (an IANA name); nil means the schedule's.
    public var timeZone: String?
    /// Where the brand is defined in the file, for error messages.
    public var line: Int
}

/// How the daemon polls (`fetch:` in `vigia.yaml`); every key is optional.
///
/// ```yaml
/// fetch:
///   interval: 30m        # default polling interval (a source's `interval:` wins)
///   min_interval: 5m     # never more often, whatever a source or feed says
///   max_interval: 24h    # never less often (failing feeds included)
///   concurrency: 32      # transfers at once
///   per_host: 4          # transfers at once to one host
///   connect_timeout: 10s
///   timeout: 60s         # a whole transfer
///   stall_timeout: 20s   # nothing received for this long: abandoned
///   max_body: 20MB
/// ```
public struct FetchSettings: Sendable, Hashable {
    public var interval: Duration = .seconds(30 * 60)
    public var minInterval: Duration = .seconds(5 * 60)
    public var maxInterval: Duration = .seconds(24 * 3600)
    public var concurrency = 32
    public var perHost = 4
    public var connectTimeout: Duration = .seconds(10)
    public var timeout: Duration = .seconds(60)
    public var stallTimeout: Duration = .seconds(20)
    public var maxBodyBytes = 20 << 20

    public init() {}
}

/// Alert detection and delivery settings.
public struct AlertsConfiguration: Sendable, Hashable {
    /// The width of a time-series bucket.
    public var bucket: Duration = .seconds(300)
    /// Where alerts go, as written (each sink is a small mapping of strings).
    public var sinks: [[String: String]] = []
}

/// The digest: when the daemon sends it, in which language, and to whom (`digest:`).
public struct DigestConfiguration: Sendable, Hashable {
    /// `daily 08:00 Europe/Madrid` or `weekly monday 09:00 Europe/Rome`, as written.
    public var schedule: String
    /// The line of `schedule:`, for error messages.
    public var scheduleLine: Int
    /// The labels' language: `es`, `it` or `en` (the default).
    public var language: String = "en"
    /// Where the full digest can be read (chat summaries link to it).
    public var link: String?
    /// The directory the daemon writes each digest to (HTML and Markdown), absolute.
    public var archive: URL?
    /// Email delivery, when configured.
    public var email: DigestEmailConfiguration?
    /// Chat webhooks (the same kinds as `alerts.sinks`), each a small mapping of strings.
    public var webhooks: [[String: String]] = []
}

/// Email delivery of the digest (`digest.email:`); addresses and the server are checked by the
/// mail sender when the digest is set up.
public struct DigestEmailConfiguration: Sendable, Hashable {
    /// `smtp://host:587` (STARTTLS) or `smtps://host:465` (TLS).
    public var smtp: String
    /// `starttls`, `tls` or `none`; nil means what the URL implies.
    public var security: String?
    public var username: String?
    /// The environment variable holding the password (never the password itself).
    public var passwordVariable: String?
    /// A CA bundle to trust besides the system's.
    public var caFile: String?
    public var from: String
    public var to: [String]
    /// The line of `email:`, for error messages.
    public var line: Int
}

/// Why a configuration could not be read: the file, the line and column, the key, and what is
/// expected.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var key: String?
    public var message: String

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        if let key { return "\(location): \(key): \(message)" }
        return "\(location): \(message)"
    }
}

extension Configuration {
    /// The file `vigia` reads when none is given: `$VIGIA_CONFIG`, or `./vigia.yaml`.
    public static var defaultPath: String {
        ProcessInfo.processInfo.environment["VIGIA_CONFIG"] ?? "vigia.yaml"
    }

    /// Reads and checks a configuration file.
    /// - Throws: ``ConfigurationError`` naming the line, the key and what is expected.
    public static func load(from path: String) throws -> Configuration {
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigurationError(
                file: path, message: "cannot read the file; create one with `vigia init` or pass --config FILE")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(file: path, message: "the file is not UTF-8 text")
        }
        return try parse(text, file: url)
    }

    /// Parses configuration text; `file` anchors relative paths and names the file in errors.
    public static func parse(_ text: String, file: URL) throws -> Configuration {
        let reader = ConfigurationReader(file: file.path)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw reader.syntaxError(error)
        }
        guard let root else {
            throw ConfigurationError(file: file.path, line: 1, message: "the file is empty; it needs at least `brands:`")
        }
        return try reader.configuration(from: root, file: file.standardizedFileURL)
    }
}

/// Walks the YAML node tree, keeping marks for error messages.
struct ConfigurationReader {
    let file: String

    func error(_ node: Node?, key: String?, _ message: String) -> ConfigurationError {
        ConfigurationError(file: file, line: node?.mark?.line, column: node?.mark?.column, key: key, message: message)
    }

    func syntaxError(_ error: YamlError) -> ConfigurationError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return ConfigurationError(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, _):
            return ConfigurationError(file: file, message: "a key is given twice: \(duplicates.joined(separator: ", "))")
        default:
            return ConfigurationError(file: file, message: "YAML syntax: \(error)")
        }
    }

    private static let topLevelKeys = ["database", "sources", "brands", "alerts", "digest", "contact", "fetch"]

    func configuration(from root: Node, file: URL) throws -> Configuration {
        let top = try mapping(root, key: "(top level)")
        try rejectUnknownKeys(top, allowed: Self.topLevelKeys, context: nil)
        let directory = file.deletingLastPathComponent()
        let databasePath = try top["database"].map { try string($0, key: "database") } ?? "vigia.db"
        var configuration = Configuration(
            file: file, database: resolve(databasePath, against: directory), sources: [], brands: [],
            alerts: AlertsConfiguration(), digest: nil, contact: nil)
        if let sources = top["sources"], !Self.isNull(sources) {
            for (index, node) in try sequence(sources, key: "sources").enumerated() {
                configuration.sources.append(try source(node, key: "sources[\(index)]", directory: directory))
            }
        }
        guard let brands = top["brands"] else {
            throw error(root, key: "brands", "missing; list the brands to monitor, e.g.\n  brands:\n    - name: Acme\n      query: '\"Acme\" OR #acme'")
        }
        var names = Set<String>()
        for (index, node) in try sequence(brands, key: "brands").enumerated() {
            let brand = try self.brand(node, key: "brands[\(index)]")
            guard names.insert(brand.name.lowercased()).inserted else {
                throw error(node, key: "brands[\(index)].name", "'\(brand.name)' is defined twice; brand names must be unique")
            }
            configuration.brands.append(brand)
        }
        if let alerts = top["alerts"] { configuration.alerts = try self.alerts(alerts) }
        if let digest = top["digest"] { configuration.digest = try self.digest(digest, directory: directory) }
        if let contact = top["contact"] { configuration.contact = try string(contact, key: "contact") }
        if let fetch = top["fetch"] { configuration.fetch = try self.fetch(fetch) }
        return configuration
    }

    /// `key:` with nothing after it.
    static func isNull(_ node: Node) -> Bool {
        if case .scalar(let scalar) = node { return scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" }
        return false
    }

    private func fetch(_ node: Node) throws -> FetchSettings {
        let map = try mapping(node, key: "fetch")
        try rejectUnknownKeys(
            map,
            allowed: ["interval", "min_interval", "max_interval", "concurrency", "per_host", "connect_timeout", "timeout",
                      "stall_timeout", "max_body"],
            context: "fetch")
        var settings = FetchSettings()
        func seconds(_ name: String, _ path: WritableKeyPath<FetchSettings, Duration>) throws {
            guard let value = map[name] else { return }
            let duration = try duration(value, key: "fetch.\(name)")
            guard duration >= .seconds(1) else { throw error(value, key: "fetch.\(name)", "must be at least 1s") }
            settings[keyPath: path] = duration
        }
        func count(_ name: String, _ path: WritableKeyPath<FetchSettings, Int>, range: ClosedRange<Int>) throws {
            guard let value = map[name] else { return }
            guard let number = Int(try string(value, key: "fetch.\(name)")), range.contains(number) else {
                throw error(value, key: "fetch.\(name)", "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            settings[keyPath: path] = number
        }
        try seconds("interval", \.interval)
        try seconds("min_interval", \.minInterval)
        try seconds("max_interval", \.maxInterval)
        try seconds("connect_timeout", \.connectTimeout)
        try seconds("timeout", \.timeout)
        try seconds("stall_timeout", \.stallTimeout)
        try count("concurrency", \.concurrency, range: 1...1024)
        try count("per_host", \.perHost, range: 1...256)
        if let value = map["max_body"] {
            guard let bytes = ByteSize.parse(try string(value, key: "fetch.max_body")), bytes >= 1024 else {
                throw error(value, key: "fetch.max_body", "expected a size of at least 1KB, e.g. 20MB, 512KB or 1GB")
            }
            settings.maxBodyBytes = bytes
        }
        if settings.minInterval > settings.maxInterval {
            throw error(node, key: "fetch.min_interval", "is longer than fetch.max_interval")
        }
        return settings
    }

    private func source(_ node: Node, key: String, directory: URL) throws -> SourceConfiguration {
        let map = try mapping(node, key: key)
        try rejectUnknownKeys(map, allowed: ["opml", "url", "format", "interval", "name"], context: key)
        let interval = try map["interval"].map { try duration($0, key: "\(key).interval") }
        if let opml = map["opml"] {
            guard map["url"] == nil else { throw error(node, key: key, "give either `opml:` or `url:`, not both") }
            return .opml(path: resolve(try string(opml, key: "\(key).opml"), against: directory), interval: interval)
        }
        guard let urlNode = map["url"] else {
            throw error(node, key: key, "a source needs `opml: FILE` or `url: URL`")
        }
        let url = try string(urlNode, key: "\(key).url")
        let lower = url.lowercased()
        let resolved: String
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("file://") {
            resolved = url
        } else if !url.contains("://") {
            // A bare path: a file next to the configuration.
            resolved = resolve(url, against: directory).absoluteString
        } else {
            throw error(urlNode, key: "\(key).url", "'\(url)' is not an http(s):// or file:// URL")
        }
        let format = try map["format"].map { try string($0, key: "\(key).format") }
        let known = ["rss", "rdf", "atom", "jsonfeed", "opml", "stackexchange", "discourse", "reddit", "csv", "jsonl"]
        if let format, !known.contains(format.lowercased()) {
            throw error(map["format"], key: "\(key).format", "'\(format)' is not a format; use one of \(known.joined(separator: ", "))")
        }
        let name = try map["name"].map { try string($0, key: "\(key).name") }
        return .url(resolved, format: format?.lowercased(), interval: interval, name: name)
    }

    private func brand(_ node: Node, key: String) throws -> BrandConfiguration {
        let map = try mapping(node, key: key)
        try rejectUnknownKeys(map, allowed: ["name", "query", "languages", "competitor", "time_zone"], context: key)
        guard let nameNode = map["name"] else { throw error(node, key: "\(key).name", "missing; every brand needs a name") }
        let name = try string(nameNode, key: "\(key).name")
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw error(nameNode, key: "\(key).name", "is empty")
        }
        let query = try map["query"].map { try string($0, key: "\(key).query") } ?? "\"\(name)\""
        var languages: [String]?
        if let list = map["languages"] {
            languages = try sequence(list, key: "\(key).languages").map { item in
                let code = try string(item, key: "\(key).languages").lowercased()
                guard ["es", "it", "en"].contains(code) else {
                    throw error(item, key: "\(key).languages", "'\(code)' is not a language Vigía scores; use es, it or en")
                }
                return code
            }
        }
        let competitor = try map["competitor"].map { try bool($0, key: "\(key).competitor") } ?? false
        let timeZone = try map["time_zone"].map { try self.timeZone($0, key: "\(key).time_zone") }
        return BrandConfiguration(
            name: name, query: query, languages: languages, competitor: competitor, timeZone: timeZone, line: node.mark?.line ?? 0)
    }

    private func alerts(_ node: Node) throws -> AlertsConfiguration {
        let map = try mapping(node, key: "alerts")
        var alerts = AlertsConfiguration()
        if let bucket = map["bucket"] { alerts.bucket = try duration(bucket, key: "alerts.bucket") }
        if let sinks = map["sinks"] {
            for (index, (sink, fields)) in try stringMappings(sinks, key: "alerts.sinks").enumerated() {
                guard fields["type"] != nil else {
                    throw error(sink, key: "alerts.sinks[\(index)].type", "missing; e.g. `type: file` or `type: slack`")
                }
                alerts.sinks.append(fields)
            }
        }
        return alerts
    }

    private func digest(_ node: Node, directory: URL) throws -> DigestConfiguration {
        let map = try mapping(node, key: "digest")
        try rejectUnknownKeys(map, allowed: ["schedule", "language", "link", "archive", "email", "webhooks"], context: "digest")
        guard let schedule = map["schedule"] else {
            throw error(node, key: "digest.schedule", "missing; e.g. `schedule: daily 08:00 Europe/Madrid`")
        }
        var digest = DigestConfiguration(schedule: try string(schedule, key: "digest.schedule"), scheduleLine: schedule.mark?.line ?? 0)
        if let language = map["language"] {
            let code = try string(language, key: "digest.language").lowercased()
            guard ["es", "it", "en"].contains(code) else {
                throw error(language, key: "digest.language", "'\(code)' has no digest labels; use es, it or en")
            }
            digest.language = code
        }
        if let link = map["link"] {
            let text = try string(link, key: "digest.link")
            guard text.lowercased().hasPrefix("https://") || text.lowercased().hasPrefix("http://") else {
                throw error(link, key: "digest.link", "expected the http(s) address where the digest can be read")
            }
            digest.link = text
        }
        if let archive = map["archive"] {
            digest.archive = resolve(try string(archive, key: "digest.archive"), against: directory)
        }
        if let email = map["email"] { digest.email = try self.email(email) }
        if let webhooks = map["webhooks"] {
            for (index, (hook, fields)) in try stringMappings(webhooks, key: "digest.webhooks").enumerated() {
                guard fields["type"] != nil, fields["url"] != nil else {
                    throw error(hook, key: "digest.webhooks[\(index)]", "needs `type:` (slack, mattermost, teams, discord, google-chat, generic) and `url:`")
                }
                digest.webhooks.append(fields)
            }
        }
        return digest
    }

    /// A list of small `key: value` mappings (sinks, webhooks), each with its node for errors.
    private func stringMappings(_ node: Node, key: String) throws -> [(node: Node, fields: [String: String])] {
        try sequence(node, key: key).enumerated().map { index, item in
            var fields: [String: String] = [:]
            for (keyNode, value) in try mapping(item, key: "\(key)[\(index)]") {
                let name = try string(keyNode, key: "\(key)[\(index)]")
                fields[name] = try string(value, key: "\(key)[\(index)].\(name)")
            }
            return (item, fields)
        }
    }

    private func email(_ node: Node) throws -> DigestEmailConfiguration {
        let map = try mapping(node, key: "digest.email")
        if map["password"] != nil {
            throw error(node, key: "digest.email.password", "passwords do not belong in the file; put it in an environment variable and name it with `password_env:`")
        }
        try rejectUnknownKeys(
            map, allowed: ["smtp", "security", "username", "password_env", "ca_file", "from", "to"], context: "digest.email")
        func required(_ name: String, _ example: String) throws -> String {
            guard let value = map[name] else { throw error(node, key: "digest.email.\(name)", "missing; e.g. `\(name): \(example)`") }
            return try string(value, key: "digest.email.\(name)")
        }
        let smtp = try required("smtp", "smtp://mail.example.com:587")
        let from = try required("from", "\"Vigía <vigia@example.com>\"")
        guard let toNode = map["to"] else { throw error(node, key: "digest.email.to", "missing; the recipients, e.g. `to: [marketing@example.com]`") }
        let to: [String] = if toNode.sequence != nil {
            try sequence(toNode, key: "digest.email.to").map { try string($0, key: "digest.email.to") }
        } else {
            [try string(toNode, key: "digest.email.to")]
        }
        guard !to.isEmpty else { throw error(toNode, key: "digest.email.to", "is empty; list at least one recipient") }
        let security = try map["security"].map { node -> String in
            let value = try string(node, key: "digest.email.security").lowercased()
            guard ["starttls", "tls", "none"].contains(value) else {
                throw error(node, key: "digest.email.security", "'\(value)' is not a security mode; use starttls, tls or none")
            }
            return value
        }
        return DigestEmailConfiguration(
            smtp: smtp, security: security, username: try map["username"].map { try string($0, key: "digest.email.username") },
            passwordVariable: try map["password_env"].map { try string($0, key: "digest.email.password_env") },
            caFile: try map["ca_file"].map { resolve(try string($0, key: "digest.email.ca_file"), against: URL(fileURLWithPath: file).deletingLastPathComponent()).path },
            from: from, to: to, line: node.mark?.line ?? 0)
    }

    private func timeZone(_ node: Node, key: String) throws -> String {
        let name = try string(node, key: key)
        guard TimeZone(identifier: name) != nil else {
            throw error(node, key: key, "'\(name)' is not a time zone; use an IANA name such as Europe/Madrid or America/Mexico_City")
        }
        return name
    }

    // MARK: - Node helpers

    func mapping(_ node: Node, key: String) throws -> Node.Mapping {
        guard let mapping = node.mapping else { throw error(node, key: key, "expected a mapping of `key: value` lines") }
        return mapping
    }

    func sequence(_ node: Node, key: String) throws -> [Node] {
        guard let sequence = node.sequence else { throw error(node, key: key, "expected a list (lines starting with `- `)") }
        return Array(sequence)
    }

    func string(_ node: Node, key: String) throws -> String {
        guard let scalar = node.scalar else { throw error(node, key: key, "expected a single value") }
        return scalar.string
    }

    func bool(_ node: Node, key: String) throws -> Bool {
        switch try string(node, key: key).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(node, key: key, "expected true or false")
        }
    }

    func duration(_ node: Node, key: String) throws -> Duration {
        let text = try string(node, key: key)
        guard let value = DurationText.parse(text) else {
            throw error(node, key: key, "'\(text)' is not a duration; use e.g. 30s, 15m, 2h, 7d")
        }
        return value
    }

    func rejectUnknownKeys(_ mapping: Node.Mapping, allowed: [String], context: String?) throws {
        for (keyNode, _) in mapping {
            let name = try string(keyNode, key: context ?? "(top level)")
            guard !allowed.contains(name) else { continue }
            let suggestion = allowed.min(by: { Self.distance($0, name) < Self.distance($1, name) })
            var message = "unknown key '\(name)'"
            if let suggestion, Self.distance(suggestion, name) <= 2 { message += "; did you mean '\(suggestion)'?" }
            message += " (keys here: \(allowed.joined(separator: ", ")))"
            throw error(keyNode, key: context.map { "\($0).\(name)" } ?? name, message)
        }
    }

    func resolve(_ path: String, against directory: URL) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
        return directory.appendingPathComponent(expanded).standardizedFileURL
    }

    /// Edit distance, for "did you mean".
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

private extension Node.Mapping {
    subscript(key: String) -> Node? {
        first { $0.key.scalar?.string == key }?.value
    }
}

/// Durations as users write them: `30s`, `15m`, `2h`, `7d`, `2w`, `1h30m`.
public enum DurationText {
    /// The duration `text` denotes, or nil.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !trimmed.isEmpty else { return nil }
        var total: Int64 = 0
        var number: Int64?
        for character in trimmed {
            if let digit = character.wholeNumberValue, character.isASCII {
                number = (number ?? 0) * 10 + Int64(digit)
                guard let value = number, value < 1_000_000_000 else { return nil }
                continue
            }
            guard let value = number else { return nil }
            let unit: Int64
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            case "w": unit = 604_800
            default: return nil
            }
            total += value * unit
            number = nil
        }
        guard number == nil, total > 0 else { return nil }
        return .seconds(total)
    }

    /// `15m`, `2h`, `7d` for a duration.
    public static func format(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        for (unit, name) in [(Int64(604_800), "w"), (86_400, "d"), (3600, "h"), (60, "m")] where seconds >= unit && seconds % unit == 0 {
            return "\(seconds / unit)\(name)"
        }
        return "\(seconds)s"
    }
}

/// Sizes as written in the configuration: `512`, `64KB`, `20MB`, `1GB` (powers of 1024).
public enum ByteSize {
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Int)] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10), ("B", 1)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            guard let number = Double(trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), number >= 0,
                number * Double(factor) < Double(Int.max / 2)
            else { return nil }
            return Int(number * Double(factor))
        }
        return Int(trimmed)
    }
}
