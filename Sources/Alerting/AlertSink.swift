import Fetching
import Foundation

/// Where alerts go, as `vigia.yaml` lists them under `alerts.sinks`:
///
/// ```yaml
/// sinks:
///   - {type: file, path: alerts.jsonl}
///   - {type: slack, url: "https://hooks.slack.com/services/…"}
///   - {type: generic, url: "https://example.org/hook", secret_env: VIGIA_HOOK_SECRET}
/// ```
/// Types: `file`, `slack`, `mattermost`, `teams`, `discord`, `google-chat`, `generic`.
public struct AlertSink: Sendable, Hashable {
    public enum Destination: Sendable, Hashable {
        case file(path: String)
        case webhook(format: WebhookFormat, url: String, secretVariable: String?)
    }

    /// The sink's name in deliveries and reports: `name:` when given, else its type and index.
    public var name: String
    public var destination: Destination

    /// Why a sink's settings cannot be used.
    public struct SettingsError: Error, Sendable, CustomStringConvertible {
        public var sink: String
        public var message: String
        public var description: String { "alerts.sinks: \(sink): \(message)" }
    }

    /// A sink from its configuration fields; relative file paths are relative to `directory`.
    public init(fields: [String: String], index: Int, directory: URL) throws {
        let type = (fields["type"] ?? "").lowercased()
        name = fields["name"] ?? "\(type)#\(index + 1)"
        if type == "file" {
            guard let path = fields["path"], !path.isEmpty else {
                throw SettingsError(sink: name, message: "a file sink needs `path:` (e.g. alerts.jsonl)")
            }
            destination = .file(path: path.hasPrefix("/") ? path : directory.appendingPathComponent(path).path)
            return
        }
        guard let format = WebhookFormat(rawValue: type) else {
            let known = ["file"] + WebhookFormat.allCases.map(\.rawValue)
            throw SettingsError(sink: name, message: "'\(type)' is not a sink type; use one of \(known.joined(separator: ", "))")
        }
        guard let url = fields["url"], url.lowercased().hasPrefix("https://") || url.lowercased().hasPrefix("http://") else {
            throw SettingsError(sink: name, message: "a \(type) sink needs `url:` with the webhook's http(s) address")
        }
        destination = .webhook(format: format, url: url, secretVariable: fields["secret_env"])
    }
}

/// What one delivery attempt did.
public enum DeliveryOutcome: Sendable, Hashable {
    /// Written (file) or accepted with a 2xx (webhook).
    case delivered(status: Int)
    /// Failed; try again, no sooner than `after` seconds when the receiver said so.
    case failed(reason: String, retryAfter: TimeInterval?)
}

/// Delivers alert messages to sinks: files are appended and flushed, webhooks posted through the
/// fetcher (TLS verified, timeouts, no redirects). Only a 2xx counts as delivered.
public struct AlertDeliverer: Sendable {
    let fetcher: Fetcher
    let limits: FetchLimits
    let environment: [String: String]

    public init(fetcher: Fetcher, limits: FetchLimits = FetchLimits(maxBodyBytes: 1 << 20, connectTimeout: 10, totalTimeout: 20, stallTimeout: 15),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.fetcher = fetcher
        self.limits = limits
        self.environment = environment
    }

    public func deliver(_ message: AlertMessage, to sink: AlertSink, now: Date = Date()) async -> DeliveryOutcome {
        switch sink.destination {
        case .file(let path):
            do {
                try AlertFile.append(message, to: path)
                return .delivered(status: 0)
            } catch {
                return .failed(reason: "\(error)", retryAfter: nil)
            }
        case .webhook(let format, let url, let secretVariable):
            return await post(to: url, secretVariable: secretVariable, now: now) { format.request(for: message, secret: $0, now: now) }
        }
    }

    /// Posts a chat summary to a webhook sink (a file sink gets nothing: it holds alerts only).
    public func deliver(_ summary: ChatSummary, to sink: AlertSink, now: Date = Date()) async -> DeliveryOutcome {
        guard case .webhook(let format, let url, let secretVariable) = sink.destination else {
            return .failed(reason: "\(sink.name) is a file sink; summaries go to webhooks only", retryAfter: nil)
        }
        return await post(to: url, secretVariable: secretVariable, now: now) { format.request(for: summary, secret: $0, now: now) }
    }

    /// Posts the request made with the signing secret (read from `secretVariable`); only 2xx counts.
    private func post(
        to url: String, secretVariable: String?, now: Date = Date(), request makeRequest: ([UInt8]?) -> WebhookFormat.Request
    ) async -> DeliveryOutcome {
        var secret: [UInt8]?
        if let secretVariable {
            guard let value = environment[secretVariable], !value.isEmpty else {
                return .failed(reason: "the signing secret is missing: set the environment variable \(secretVariable)", retryAfter: nil)
            }
            secret = Array(value.utf8)
        }
        let request = makeRequest(secret)
        do {
            let response = try await fetcher.fetch(FetchRequest(url: url, limits: limits, postBody: request.body, headers: request.headers))
            if (200..<300).contains(response.status) { return .delivered(status: response.status) }
            return .failed(reason: "the receiver answered HTTP \(response.status); only 2xx counts as delivered", retryAfter: nil)
        } catch let error as FetchError {
            let retryAfter = error.status == 429 || error.status == 503 ? Self.retryAfter(error, now: now) : nil
            return .failed(reason: error.message, retryAfter: retryAfter)
        } catch {
            return .failed(reason: "\(error)", retryAfter: nil)
        }
    }

    static func retryAfter(_ error: FetchError, now: Date) -> TimeInterval? {
        if let seconds = RetryAfter.seconds(error.headers?.retryAfter, now: now) {
            return min(seconds, 86_400)
        }
        if let body = error.body, let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let seconds = object["retry_after"] as? Double, seconds >= 0
        {
            return min(seconds, 86_400)
        }
        return nil
    }
}
