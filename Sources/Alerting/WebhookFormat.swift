import Foundation

/// The chat-room webhook formats alerts are delivered in, and the generic signed JSON.
public enum WebhookFormat: String, Sendable, Hashable, CaseIterable {
    case slack, mattermost, teams, discord, googleChat = "google-chat", generic

    /// A webhook request: the JSON body and the headers to send with it.
    public struct Request: Sendable, Hashable {
        public var body: [UInt8]
        public var headers: [String: String]
    }

    /// Discord refuses messages whose `content` is longer than this.
    public static let discordContentLimit = 2_000

    /// The request delivering `message`.
    /// - Parameters:
    ///   - secret: for `generic`, the HMAC key: the request then carries
    ///     `Vigia-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
    ///   - now: the signature's time.
    public func request(for message: AlertMessage, secret: [UInt8]? = nil, now: Date = Date()) -> Request {
        signed(body: Self.json(payload(message)), id: message.id, secret: secret, now: now)
    }

    /// The JSON request for `body`, with its delivery id and, for `generic` with a secret, its signature.
    func signed(body: [UInt8], id: String, secret: [UInt8]?, now: Date) -> Request {
        var headers = ["Content-Type": "application/json; charset=utf-8", "Vigia-Delivery": id]
        if self == .generic, let secret {
            let timestamp = String(Int(now.timeIntervalSince1970))
            let signature = SHA256.hex(SHA256.hmac(key: secret, message: Array((timestamp + ".").utf8) + body))
            headers["Vigia-Signature"] = "t=\(timestamp),v1=\(signature)"
        }
        return Request(body: body, headers: headers)
    }

    func payload(_ message: AlertMessage) -> [String: Any] {
        let mentions = message.topMentions.prefix(5)
        switch self {
        case .slack:
            var blocks: [[String: Any]] = [
                ["type": "header", "text": ["type": "plain_text", "text": Self.clip(message.headline, 150)]],
                ["type": "section", "text": ["type": "mrkdwn", "text": Self.clip(Self.slackEscape(message.details), 3000)]],
            ]
            if !mentions.isEmpty {
                let lines = mentions.map { "• " + Self.slackLink($0) + " (\(Self.slackEscape($0.source ?? "?")), \(String(format: "%.2f", $0.score)))" }
                blocks.append(["type": "section", "text": ["type": "mrkdwn", "text": Self.clip(lines.joined(separator: "\n"), 3000)]])
            }
            return ["text": message.headline, "blocks": blocks]
        case .mattermost:
            let lines = mentions.map { "- " + Self.markdownLink($0) + " (\($0.source ?? "?"), \(String(format: "%.2f", $0.score)))" }
            return [
                "text": "#### " + message.headline + "\n" + message.details
                    + (lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n")),
            ]
        case .teams:
            var body: [[String: Any]] = [
                ["type": "TextBlock", "text": message.headline, "weight": "Bolder", "wrap": true,
                 "color": message.severity == .warning ? "Warning" : "Attention"],
                ["type": "TextBlock", "text": message.details, "wrap": true, "isSubtle": true],
            ]
            for mention in mentions {
                body.append(["type": "TextBlock", "wrap": true,
                             "text": "- " + Self.markdownLink(mention) + " (\(mention.source ?? "?"))"])
            }
            let card: [String: Any] = [
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
                "version": "1.4", "body": body,
            ]
            return ["type": "message",
                    "attachments": [["contentType": "application/vnd.microsoft.card.adaptive", "content": card]]]
        case .discord:
            let content = Self.clip(message.headline, Self.discordContentLimit)
            var embed: [String: Any] = [
                "title": Self.clip(message.brand, 256), "description": Self.clip(message.details, 4096),
                "color": message.severity == .warning ? 0xF5A623 : 0xD0021B,
            ]
            if !mentions.isEmpty {
                embed["fields"] = mentions.map { mention -> [String: Any] in
                    ["name": Self.clip(mention.title, 256),
                     "value": Self.clip([mention.link, mention.source].compactMap { $0 }.joined(separator: " · ").nonEmpty ?? "-", 1024)]
                }
            }
            return ["content": content, "embeds": [embed], "allowed_mentions": ["parse": [String]()]]
        case .googleChat:
            let lines = mentions.map { mention in "• " + (mention.link.map { "<\($0)|\(mention.title)>" } ?? mention.title) }
            return ["text": "*" + message.headline + "*\n" + message.details + (lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n"))]
        case .generic:
            var object: [String: Any] = [
                "id": message.id, "brand": message.brand, "severity": message.severity.rawValue,
                "window_start": Self.iso(message.windowStart), "window_end": Self.iso(message.windowEnd),
                "observed": message.observed, "expected": message.expected, "sigma": message.sigma,
                "escalation": message.escalation, "test": message.isTest, "headline": message.headline,
                "terms": message.terms,
                "top_mentions": message.topMentions.map { mention -> [String: Any] in
                    var item: [String: Any] = ["title": mention.title, "score": mention.score]
                    if let link = mention.link { item["link"] = link }
                    if let source = mention.source { item["source"] = source }
                    return item
                },
            ]
            if let share = message.negativeShare { object["negative_share"] = share }
            return object
        }
    }

    // MARK: Helpers

    static func json(_ object: [String: Any]) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Array(data)
    }

    /// `text` cut to `limit` characters, with an ellipsis when cut.
    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// `[title](link)` with the characters that would break the link escaped.
    static func markdownLink(_ mention: AlertMessage.Mention) -> String {
        let title = mention.title.replacingOccurrences(of: "[", with: "(").replacingOccurrences(of: "]", with: ")")
        guard let link = mention.link else { return title }
        return "[\(title)](\(link.replacingOccurrences(of: ")", with: "%29")))"
    }

    /// Slack's `<link|title>`, with the title escaped.
    static func slackLink(_ mention: AlertMessage.Mention) -> String {
        let title = slackEscape(mention.title).replacingOccurrences(of: "|", with: "¦")
        guard let link = mention.link else { return title }
        return "<\(link.replacingOccurrences(of: ">", with: "%3E").replacingOccurrences(of: "|", with: "%7C"))|\(title)>"
    }

    /// Slack's three control characters as entities (so a mention cannot ping `<!channel>`).
    static func slackEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func iso(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
