import Foundation

/// A short message for a chat room that is not an alert: a title, a few lines and an optional
/// link (the digest's summary, for example).
public struct ChatSummary: Sendable, Hashable {
    /// Unique per message; receivers drop repeats by it (`Vigia-Delivery`).
    public var id: String
    public var title: String
    public var lines: [String]
    public var link: String?
    /// The link's text.
    public var linkText: String

    public init(id: String, title: String, lines: [String], link: String?, linkText: String) {
        self.id = id
        self.title = title
        self.lines = lines
        self.link = link
        self.linkText = linkText
    }
}

extension WebhookFormat {
    /// The request posting `summary` in this chat's format (`generic`: a JSON object, signed like
    /// alerts when a secret is given).
    public func request(for summary: ChatSummary, secret: [UInt8]? = nil, now: Date = Date()) -> Request {
        signed(body: Self.json(payload(summary)), id: summary.id, secret: secret, now: now)
    }

    func payload(_ summary: ChatSummary) -> [String: Any] {
        let link = summary.link.flatMap { $0.lowercased().hasPrefix("http") ? $0 : nil }
        switch self {
        case .slack:
            var text = summary.lines.map(Self.slackEscape).joined(separator: "\n")
            if let link { text += "\n<\(link.replacingOccurrences(of: ">", with: "%3E").replacingOccurrences(of: "|", with: "%7C"))|\(Self.slackEscape(summary.linkText))>" }
            return ["text": summary.title, "blocks": [
                ["type": "header", "text": ["type": "plain_text", "text": Self.clip(summary.title, 150)]],
                ["type": "section", "text": ["type": "mrkdwn", "text": Self.clip(text, 3000)]],
            ]]
        case .mattermost:
            return ["text": "#### " + summary.title + "\n" + summary.lines.joined(separator: "\n")
                + (link.map { "\n[\(summary.linkText)](\($0.replacingOccurrences(of: ")", with: "%29")))" } ?? "")]
        case .teams:
            var body: [[String: Any]] = [["type": "TextBlock", "text": summary.title, "weight": "Bolder", "wrap": true]]
            body += summary.lines.map { ["type": "TextBlock", "text": $0, "wrap": true] }
            var card: [String: Any] = [
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4", "body": body,
            ]
            if let link { card["actions"] = [["type": "Action.OpenUrl", "title": summary.linkText, "url": link]] }
            return ["type": "message", "attachments": [["contentType": "application/vnd.microsoft.card.adaptive", "content": card]]]
        case .discord:
            var embed: [String: Any] = ["title": Self.clip(summary.title, 256), "description": Self.clip(summary.lines.joined(separator: "\n"), 4096)]
            if let link { embed["url"] = link }
            return ["content": Self.clip(summary.title, Self.discordContentLimit), "embeds": [embed], "allowed_mentions": ["parse": [String]()]]
        case .googleChat:
            return ["text": "*" + summary.title + "*\n" + summary.lines.joined(separator: "\n") + (link.map { "\n<\($0)|\(summary.linkText)>" } ?? "")]
        case .generic:
            var object: [String: Any] = ["id": summary.id, "kind": "summary", "title": summary.title, "lines": summary.lines]
            if let link { object["link"] = link }
            return object
        }
    }
}
