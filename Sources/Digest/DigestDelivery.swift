import Alerting
import Foundation
import Mailing

/// Where the digest goes: an email to the configured recipients, a chat webhook (a short
/// summary with a link), or a directory keeping every digest (HTML and Markdown, and
/// `latest.html`, e.g. for an intranet page the summaries link to).
public enum DigestTarget: Sendable {
    case email(EmailTarget)
    case webhook(AlertSink)
    case archive(directory: URL)

    /// The name deliveries are recorded under: `email`, `archive`, or the webhook's name.
    public var name: String {
        switch self {
        case .email: "email"
        case .webhook(let sink): sink.name
        case .archive: "archive"
        }
    }
}

/// Email delivery through an SMTP server.
public struct EmailTarget: Sendable {
    public var settings: SMTPSettings
    public var from: MailAddress
    public var to: [MailAddress]

    public init(settings: SMTPSettings, from: MailAddress, to: [MailAddress]) {
        self.settings = settings
        self.from = from
        self.to = to
    }
}

/// A digest rendered for delivery: the mail's subject, text and HTML parts, the Markdown copy,
/// and the chat summary (which carries the id).
public struct RenderedDigest: Sendable {
    public var subject: String
    public var text: String
    public var html: String
    public var markdown: String
    public var summary: ChatSummary
    /// `digest-2026-11-22-0800-Europe-Madrid`: the period's end in its zone, and the zone.
    public var fileStem: String

    /// - Parameters:
    ///   - id: unique per period and scope; chat receivers drop repeats by it (``ChatSummary/id``).
    ///   - link: where the whole digest can be read, for the chat summary.
    public init(_ report: DigestReport, id: String, link: String?) {
        let labels = DigestLabels.forLanguage(report.language)
        let zone = TimeZone(identifier: report.timeZone) ?? .gmt
        let day = String(DigestRendering.time(report.until.addingTimeInterval(-1), zone).prefix(10))
        let highlights = report.brands.filter { !$0.competitor }.prefix(3).map { brand in
            "\(brand.name) \(brand.period.total) (\(DigestRendering.change(brand.period.total, brand.previousPeriod.total, labels)))"
        }
        subject = "\(labels.subject) \(day)" + (highlights.isEmpty ? "" : ": " + highlights.joined(separator: ", "))
        text = DigestRendering.text(report, markdown: false)
        html = DigestRendering.html(report)
        markdown = DigestRendering.text(report, markdown: true)
        let end = DigestRendering.time(report.until, zone).replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: ":", with: "")
        fileStem = "digest-\(end)-" + report.timeZone.replacingOccurrences(of: "/", with: "-")
        let lines = report.brands.map { brand -> String in
            var line = "\(brand.name): \(brand.period.total) \(labels.mentions.lowercased()) "
                + "(\(DigestRendering.change(brand.period.total, brand.previousPeriod.total, labels)) \(labels.vsPrevious))"
            if let score = brand.period.netSentiment {
                line += ", \(labels.netSentiment) \(DigestRendering.signed(score))\(DigestRendering.netChange(brand, labels))"
            }
            if let complaint = brand.complaints.first {
                line += "; \(labels.complaintsHeading.lowercased()): \(complaint.terms.prefix(2).joined(separator: ", "))"
            }
            if !brand.alerts.isEmpty { line += "; \(labels.alertsHeading.lowercased()): \(brand.alerts.count)" }
            return line
        }
        summary = ChatSummary(id: id, title: "\(labels.title), \(day)", lines: lines, link: link, linkText: labels.readMore)
    }
}

/// What one delivery attempt came to.
public enum DigestOutcome: Sendable, Hashable {
    case delivered
    /// Worth another try (a server down, a timeout), no sooner than `after` seconds when said.
    case retry(reason: String, after: TimeInterval?)
    /// Trying again cannot help until the configuration changes (a rejected password or address).
    case giveUp(reason: String)
}

/// Sends rendered digests: email through libcurl's SMTP, chat summaries through the alert
/// deliverer's webhooks.
public struct DigestSender: Sendable {
    let deliverer: AlertDeliverer

    public init(deliverer: AlertDeliverer) {
        self.deliverer = deliverer
    }

    public func deliver(_ digest: RenderedDigest, to target: DigestTarget, now: Date = Date()) async -> DigestOutcome {
        switch target {
        case .email(let email):
            let message = MailMessage(
                from: email.from, to: email.to, subject: digest.subject, text: digest.text, html: digest.html, date: now, messageID: nil,
                isAutomatic: true)
            do {
                try await MailSender(settings: email.settings).send(message)
                return .delivered
            } catch let error as MailError {
                switch error.kind {
                case .authentication, .badAddress, .badSettings: return .giveUp(reason: error.message)
                case .rejected where (error.smtpCode ?? 0) >= 500: return .giveUp(reason: error.message)
                default: return .retry(reason: error.message, after: nil)
                }
            } catch {
                return .retry(reason: "\(error)", after: nil)
            }
        case .webhook(let sink):
            switch await deliverer.deliver(digest.summary, to: sink, now: now) {
            case .delivered: return .delivered
            case .failed(let reason, let retryAfter): return .retry(reason: reason, after: retryAfter)
            }
        case .archive(let directory):
            do {
                try Self.archive(digest, in: directory)
                return .delivered
            } catch {
                return .retry(reason: "cannot write to \(directory.path): \(error.localizedDescription)", after: nil)
            }
        }
    }

    /// Writes `STEM.html` and `STEM.md`, then replaces `latest.html` (each file atomically).
    static func archive(_ digest: RenderedDigest, in directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let html = Data(digest.html.utf8)
        try html.write(to: directory.appendingPathComponent(digest.fileStem + ".html"), options: .atomic)
        try Data(digest.markdown.utf8).write(to: directory.appendingPathComponent(digest.fileStem + ".md"), options: .atomic)
        try html.write(to: directory.appendingPathComponent("latest.html"), options: .atomic)
    }
}
