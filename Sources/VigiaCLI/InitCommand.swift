import ArgumentParser
import Foundation
import Matching
import Pipeline

/// `vigia init`: writes a starter `vigia.yaml` and an OPML list of feeds in `feeds/`.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter vigia.yaml and feeds/feeds.opml.",
        discussion: """
            Each --brand becomes a brand whose query finds its name, hashtag and handle
            ("Acme Bank" OR #acmebank OR @acmebank); edit the queries afterwards. Existing files
            are kept unless --force is given.
            """)

    @Option(name: .customLong("directory"), help: "Where to write the files (default: the current directory).")
    var directory = "."

    @Option(name: .customLong("brand"), help: "A brand to monitor (repeat for several).")
    var brands: [String] = []

    @Flag(help: "Overwrite existing files.")
    var force = false

    func validate() throws {
        for brand in brands where brand.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--brand needs a name, e.g. --brand \"Acme Bank\"")
        }
        let unique = Set(brands.map { $0.lowercased() })
        guard unique.count == brands.count else {
            throw ValidationError("a --brand is given twice; brand names must be unique")
        }
    }

    func run() throws {
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        let configurationFile = root.appendingPathComponent("vigia.yaml")
        let feedsFile = root.appendingPathComponent("feeds/feeds.opml")
        if !force {
            for file in [configurationFile, feedsFile] where FileManager.default.fileExists(atPath: file.path) {
                Terminal.error("vigia: error: \(file.path) exists; keep it, or pass --force to overwrite it")
                throw ExitCode(2)
            }
        }
        let names = brands.isEmpty ? ["Acme"] : brands.map { $0.trimmingCharacters(in: .whitespaces) }
        do {
            try FileManager.default.createDirectory(
                at: feedsFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(StarterFiles.configuration(brands: names).utf8).write(to: configurationFile, options: .atomic)
            try Data(StarterFiles.feedList.utf8).write(to: feedsFile, options: .atomic)
        } catch {
            Terminal.error("vigia: error: cannot write the starter files in \(root.path): \(error.localizedDescription)")
            throw ExitCode(1)
        }
        // What was written must load: the same check every command makes.
        do {
            let written = try Configuration.load(from: configurationFile.path)
            for brand in written.brands {
                _ = try BrandDefinition(name: brand.name, query: brand.query, languages: nil)
            }
        } catch {
            Terminal.error("vigia: error: the starter configuration does not load: \(error)")
            throw ExitCode(1)
        }
        print("wrote \(configurationFile.path)")
        print("wrote \(feedsFile.path)")
        print("next: edit the brands' queries, add feeds to feeds/feeds.opml, then `vigia import FILE` or `vigia search QUERY`")
    }
}

/// The files `vigia init` writes.
enum StarterFiles {
    /// A `vigia.yaml` monitoring `brands`, with the optional sections commented out.
    static func configuration(brands: [String]) -> String {
        var text = """
            # Vigía configuration, written by `vigia init`. Relative paths are relative to this file.
            database: vigia.db                 # the SQLite file mentions are stored in

            sources:
              - opml: feeds/feeds.opml         # every feed listed in this OPML file
              # - url: https://forum.example.org/latest.json
              #   format: discourse            # optional; sniffed from the content when absent
              #   interval: 15m

            # Queries: words, "exact phrases", AND, OR, NOT / -word, (parentheses), refund*,
            # NEAR/3, #hashtag, @handle, title:, site:, lang:, {CaseSensitive}.
            brands:

            """
        for name in brands {
            text += "  - name: \(yamlQuoted(name))\n"
            text += "    query: \(yamlQuoted(query(for: name)))\n"
            text += "    # languages: [es, it, en]        # optional; every language when absent\n"
            text += "    # time_zone: Europe/Madrid       # optional; the digest's clock for this brand\n"
        }
        text += """

            # alerts:
            #   bucket: 5m
            #   sinks:
            #     - {type: file, path: alerts.jsonl}
            # digest:                          # `vigia digest --send` now, or the daemon on schedule
            #   schedule: daily 08:00 Europe/Madrid
            #   language: es                   # labels in es, it or en
            #   email:
            #     smtp: smtp://mail.example.com:587
            #     username: vigia@example.com
            #     password_env: VIGIA_SMTP_PASSWORD
            #     from: "Vigía <vigia@example.com>"
            #     to: [marketing@example.com]
            #   webhooks:
            #     - {type: slack, url: "https://hooks.slack.com/services/…"}

            """
        return text
    }

    /// `"Acme Bank" OR #acmebank OR @acmebank` (just the phrase when the name has no letters
    /// or digits to make a tag of).
    static func query(for name: String) -> String {
        let phrase = "\"" + name.replacingOccurrences(of: "\"", with: "") + "\""
        let tag = String(name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
        return tag.isEmpty ? phrase : "\(phrase) OR #\(tag) OR @\(tag)"
    }

    /// A YAML single-quoted scalar.
    static func yamlQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// An OPML list with no feeds yet and an example in a comment.
    static let feedList = """
        <?xml version="1.0" encoding="UTF-8"?>
        <opml version="2.0">
          <head>
            <title>Vigía feeds</title>
          </head>
          <body>
            <!-- One outline per feed, e.g.
            <outline type="rss" text="Example forum" xmlUrl="https://forum.example.org/feed.xml"/>
            -->
          </body>
        </opml>

        """
}
