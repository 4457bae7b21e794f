import Alerting
import ArgumentParser
import Digest
import Fetching
import Foundation
import Logging
import Mailing
import Pipeline
import Storage

/// `vigia digest`: the digest of a period, per brand; printed, written or sent.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "The digest of a period: volume and sentiment with their change, share of voice, complaints, top mentions, alerts, feed health.",
        discussion: """
            --format json is stable (see README: "The digest's JSON"). --send delivers the digest now to \
            digest.email and digest.webhooks in vigia.yaml (the daemon sends it on digest.schedule by itself).
            """)

    @Option(help: "The period: 24h, 7d or a date.")
    var since = "24h"

    @Option(help: "Only this brand (repeatable).")
    var brand: [String] = []

    @Option(help: "md, text, html or json.")
    var format: Format = .md

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    @Flag(help: "Send it to the recipients of vigia.yaml (digest.email, digest.webhooks).")
    var send = false

    @Option(help: "Labels in es, it or en (default: digest.language, else en).")
    var language: String?

    @Flag(help: "List the daemon's latest digest deliveries (period, target, state, attempts, last error) instead.")
    var history = false

    @OptionGroup var config: ConfigurationOptions

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case md, text, json, html
    }

    func run() async throws {
        let configuration = try config.load()
        let store = try config.openStore(configuration)
        if history {
            Terminal.write(Self.history(try await store.digestDeliveries(limit: 50)))
            Terminal.flush()
            return
        }
        let now = Date()
        let start = try DateArgument.parse(since, option: "--since", now: now)
        var brands = configuration.brands
        if !brand.isEmpty {
            let wanted = Set(brand.map { $0.lowercased() })
            brands = brands.filter { wanted.contains($0.name.lowercased()) }
            guard !brands.isEmpty else {
                throw ValidationError("--brand: no configured brand is called \(brand.joined(separator: ", ")); `vigia.yaml` lists \(configuration.brands.map(\.name).joined(separator: ", "))")
            }
        }
        let code = (language ?? configuration.digest?.language ?? "en").lowercased()
        guard ["es", "it", "en"].contains(code) else { throw ValidationError("--language: use es, it or en") }
        let schedule = try config.digestSchedule(configuration)
        let zone = schedule?.timeZone ?? TimeZone.current
        let report = try await DigestBuilder(store: store).build(
            brands: brands.map { .init(name: $0.name, competitor: $0.competitor) }, voiceAmong: configuration.brands.map(\.name),
            since: start, until: now, timeZone: zone,
            language: code, now: now)
        let text = switch format {
        case .json: try DigestRendering.json(report) + "\n"
        case .md: DigestRendering.text(report, markdown: true)
        case .text: DigestRendering.text(report, markdown: false)
        case .html: DigestRendering.html(report)
        }
        if let out {
            do {
                try Self.write(text, to: out)
            } catch {
                Terminal.error("vigia: error: \(out): cannot write (\(error.localizedDescription))")
                throw ExitCode(1)
            }
        } else if !send {
            Terminal.write(text)
            Terminal.flush()
        }
        if send { try await deliver(report, configuration: configuration, now: now) }
    }

    /// Writes a regular file atomically (a reader never sees half a digest); anything else that
    /// exists (`/dev/stdout`, a pipe, a device) is written in place, never replaced by a file.
    static func write(_ text: String, to path: String) throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let attributes = exists ? try? FileManager.default.attributesOfItem(atPath: path) : nil
        if exists, !isDirectory.boolValue, (attributes?[.type] as? FileAttributeType) != .typeRegular {
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
            defer { try? handle.close() }
            try handle.write(contentsOf: Data(text.utf8))
        } else {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        }
    }

    /// The deliveries as a table, newest period first.
    static func history(_ deliveries: [DigestDelivery]) -> String {
        guard !deliveries.isEmpty else { return "No digest has been scheduled yet (the daemon sends one at each slot of digest.schedule).\n" }
        let formatter = ISO8601DateFormatter()
        var lines = ["period end            scope              target          state      attempts  last error"]
        for delivery in deliveries {
            lines.append(
                formatter.string(from: delivery.run.periodEnd).padding(toLength: 22, withPad: " ", startingAt: 0)
                    + delivery.run.scope.padding(toLength: 19, withPad: " ", startingAt: 0)
                    + delivery.target.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + delivery.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                    + String(delivery.attempts).padding(toLength: 10, withPad: " ", startingAt: 0)
                    + (delivery.lastError ?? ""))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Sends the digest to every target now and says how each went; exits 1 when one failed.
    private func deliver(_ report: DigestReport, configuration: Configuration, now: Date) async throws {
        let targets = try config.digestTargets(configuration)
        guard !targets.isEmpty else {
            Terminal.error("vigia: error: --send: vigia.yaml names no recipients; add `digest.email` (smtp, from, to), `digest.webhooks` or `digest.archive`")
            throw ExitCode(2)
        }
        let stamp = ISO8601DateFormatter().string(from: now)
        let digest = RenderedDigest(report, id: "digest/manual/\(stamp)", link: configuration.digest?.link)
        let sender = DigestSender(deliverer: AlertDeliverer(fetcher: Fetcher()))
        var failed = 0
        for target in targets {
            switch await sender.deliver(digest, to: target, now: now) {
            case .delivered:
                switch target {
                case .email(let email): Terminal.write("\(target.name): sent to \(email.to.map(\.address).joined(separator: ", "))\n")
                case .archive(let directory): Terminal.write("\(target.name): written to \(directory.appendingPathComponent(digest.fileStem).path).html\n")
                case .webhook: Terminal.write("\(target.name): sent\n")
                }
            case .retry(let reason, _), .giveUp(let reason):
                failed += 1
                Terminal.write("\(target.name): FAILED: \(reason)\n")
            }
        }
        Terminal.flush()
        if failed > 0 { throw ExitCode(1) }
    }
}

extension ConfigurationOptions {
    /// The digest's schedule, when `digest:` is configured; a bad one exits 2 naming the line.
    func digestSchedule(_ configuration: Configuration) throws -> DigestSchedule? {
        guard let digest = configuration.digest else { return nil }
        do {
            return try DigestSchedule(parsing: digest.schedule)
        } catch {
            Terminal.error("vigia: error: \(configuration.file.path):\(digest.scheduleLine): digest.schedule: \(error)")
            throw ExitCode(2)
        }
    }

    /// The digest's targets: email (password read from its environment variable now) and webhooks.
    func digestTargets(_ configuration: Configuration, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [DigestTarget] {
        guard let digest = configuration.digest else { return [] }
        var targets: [DigestTarget] = []
        if let email = digest.email {
            func fail(_ message: String) -> ExitCode {
                Terminal.error("vigia: error: \(configuration.file.path):\(email.line): digest.email: \(message)")
                return ExitCode(2)
            }
            var password: String?
            if let variable = email.passwordVariable {
                guard let value = environment[variable], !value.isEmpty else {
                    throw fail("the password is missing: set the environment variable \(variable) (named by password_env)")
                }
                password = value
            }
            do {
                let settings = try SMTPSettings(
                    url: email.smtp, security: email.security.flatMap(SMTPSettings.Security.init(rawValue:)) ?? .starttls, username: email.username,
                    password: password, caFile: email.caFile)
                targets.append(.email(EmailTarget(
                    settings: settings, from: try MailAddress(parsing: email.from), to: try email.to.map { try MailAddress(parsing: $0) })))
            } catch {
                throw fail("\(error)")
            }
        }
        if let archive = digest.archive { targets.append(.archive(directory: archive)) }
        for (index, fields) in digest.webhooks.enumerated() {
            do {
                targets.append(.webhook(try AlertSink(fields: fields, index: index, directory: configuration.directory)))
            } catch let error as AlertSink.SettingsError {
                Terminal.error("vigia: error: \(configuration.file.path): digest.webhooks: \(error.sink): \(error.message)")
                throw ExitCode(2)
            }
        }
        return targets
    }

    /// What the daemon sends and when, or nil without `digest:`.
    func digestPlan(_ configuration: Configuration) throws -> DigestPlan? {
        guard let digest = configuration.digest, let schedule = try digestSchedule(configuration) else { return nil }
        let brands = configuration.brands.map { brand in
            (spec: DigestBuilder.BrandSpec(name: brand.name, competitor: brand.competitor), timeZone: brand.timeZone.flatMap(TimeZone.init(identifier:)))
        }
        return DigestPlan(
            schedule: schedule, scopes: DigestPlan.scopes(brands, default: schedule.timeZone), language: digest.language,
            link: digest.link, targets: try digestTargets(configuration))
    }
}
