import Foundation
import Testing
@testable import Alerting
import Fetching
import Storage
import TestSupport

@Suite struct SHA256Tests {
    private func hex(_ text: String) -> String { SHA256.hex(SHA256.hash(Array(text.utf8))) }

    @Test func knownDigests() {
        // FIPS 180-4 examples and the empty message.
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000)))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func hmacMatchesRFC4231() {
        // Test cases 1 and 2 of RFC 4231, and a key longer than a block (test case 6).
        let one = SHA256.hmac(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(SHA256.hex(one) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        let two = SHA256.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(SHA256.hex(two) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let six = SHA256.hmac(
            key: [UInt8](repeating: 0xaa, count: 131),
            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(SHA256.hex(six) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }
}

@Suite struct WebhookFormatTests {
    private let message = AlertMessage(
        id: "alert-42-slack", brand: "Acme", severity: .high,
        windowStart: Date(timeIntervalSince1970: 1_714_557_600), windowEnd: Date(timeIntervalSince1970: 1_714_558_500),
        observed: 42, expected: 6.2, sigma: 5.14, negativeShare: 0.61,
        topMentions: [
            .init(title: "Acme lost my <b>parcel</b> | again", link: "https://forum.example/t/1", source: "Forum", score: -0.82),
            .init(title: "Refund still missing", source: "Survey", score: -0.6),
        ],
        terms: ["refund", "parcel"])

    private func object(_ format: WebhookFormat) throws -> [String: Any] {
        let body = format.request(for: message).body
        return try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
    }

    @Test func headlineSaysWhy() {
        #expect(message.headline == "Negative spike for Acme: 42 negative mentions in 15 min (expected 6.2, 5.1σ)")
        #expect(message.details.contains("61% of mentions negative"))
        #expect(message.details.contains("refund, parcel"))
    }

    @Test func slackHasAFallbackTextAndEscapedBlocks() throws {
        let slack = try object(.slack)
        #expect(slack["text"] as? String == message.headline)
        let blocks = try #require(slack["blocks"] as? [[String: Any]])
        let text = blocks.compactMap { ($0["text"] as? [String: Any])?["text"] as? String }.joined(separator: "\n")
        #expect(text.contains("<https://forum.example/t/1|Acme lost my &lt;b&gt;parcel&lt;/b&gt; ¦ again>"))
        #expect(!text.contains("<b>"))
    }

    @Test func teamsIsAnAdaptiveCard() throws {
        let teams = try object(.teams)
        #expect(teams["type"] as? String == "message")
        let attachment = try #require((teams["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        let card = try #require(attachment["content"] as? [String: Any])
        #expect(card["type"] as? String == "AdaptiveCard")
        #expect((card["body"] as? [[String: Any]])?.first?["text"] as? String == message.headline)
    }

    @Test func discordContentStaysUnderItsLimit() throws {
        var long = message
        long.brand = String(repeating: "A", count: 5000)
        let body = WebhookFormat.discord.request(for: long).body
        let discord = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let content = try #require(discord["content"] as? String)
        #expect(content.count <= WebhookFormat.discordContentLimit)
        #expect((discord["embeds"] as? [[String: Any]])?.count == 1)
        #expect((discord["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
    }

    @Test func mattermostAndGoogleChatAreText() throws {
        #expect((try object(.mattermost)["text"] as? String)?.hasPrefix("#### Negative spike for Acme") == true)
        #expect((try object(.googleChat)["text"] as? String)?.contains("<https://forum.example/t/1|") == true)
    }

    @Test func genericIsSignedOverTimestampAndBody() throws {
        let secret = Array("s3cret".utf8)
        let now = Date(timeIntervalSince1970: 1_714_560_000)
        let request = WebhookFormat.generic.request(for: message, secret: secret, now: now)
        #expect(request.headers["Vigia-Delivery"] == "alert-42-slack")
        let signature = try #require(request.headers["Vigia-Signature"])
        let expected = SHA256.hex(SHA256.hmac(key: secret, message: Array("1714560000.".utf8) + request.body))
        #expect(signature == "t=1714560000,v1=\(expected)")
        let generic = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(generic["observed"] as? Int == 42)
        #expect(generic["window_start"] as? String == "2024-05-01T10:00:00Z")
        #expect((generic["top_mentions"] as? [[String: Any]])?.count == 2)
        #expect(WebhookFormat.generic.request(for: message).headers["Vigia-Signature"] == nil)
    }
}

@Suite struct AlertFileTests {
    @Test func appendsOneLinePerAlert() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var message = AlertMessage(
            id: "a1", brand: "Acme", severity: .warning, windowStart: Date(timeIntervalSince1970: 0),
            windowEnd: Date(timeIntervalSince1970: 300), observed: 5, expected: 1, sigma: 4)
        try AlertFile.append(message, to: path)
        message.id = "a2"
        try AlertFile.append(message, to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
    }

    @Test func unwritablePathIsAClearError() {
        #expect(throws: AlertFile.WriteError.self) {
            try AlertFile.append(
                AlertMessage(id: "x", brand: "Acme", severity: .warning, windowStart: Date(), windowEnd: Date(), observed: 1, expected: 0, sigma: 3),
                to: "/nonexistent/folder/alerts.jsonl")
        }
    }
}

/// Deliveries to a real local receiver that can fail on purpose.
@Suite struct AlertDelivererTests {
    let server: LocalFeedServer
    let deliverer = AlertDeliverer(
        fetcher: Fetcher(concurrency: .init(maxTransfers: 4, maxPerHost: 4)),
        limits: FetchLimits(maxBodyBytes: 1 << 20, connectTimeout: 5, totalTimeout: 3, stallTimeout: 2),
        environment: ["HOOK_SECRET": "s3cret"])
    let message = AlertMessage(
        id: "alert-7-generic", brand: "Acme", severity: .high, windowStart: Date(timeIntervalSince1970: 1_714_557_600),
        windowEnd: Date(timeIntervalSince1970: 1_714_558_500), observed: 42, expected: 6, sigma: 5.1)

    init() throws { server = try LocalFeedServer() }

    private func sink(_ type: String, _ path: String, secret: Bool = false) throws -> AlertSink {
        var fields = ["type": type, "url": server.url(path)]
        if secret { fields["secret_env"] = "HOOK_SECRET" }
        return try AlertSink(fields: fields, index: 0, directory: URL(fileURLWithPath: "/tmp"))
    }

    @Test func acceptedIsDeliveredAndTheBodyArrives() async throws {
        let outcome = await deliverer.deliver(message, to: try sink("generic", "/hook/ok", secret: true))
        #expect(outcome == .delivered(status: 204))
        let body = try #require(try server.lastBody("/hook/ok"))
        #expect(body.contains("\"brand\":\"Acme\""))
        let headers = try #require(try server.stats().lastHeaders["/hook/ok"])
        #expect(headers["vigia-delivery"] == "alert-7-generic")
        let signature = try #require(headers["vigia-signature"])
        let timestamp = try #require(signature.split(separator: ",").first?.dropFirst(2))
        let expected = SHA256.hex(SHA256.hmac(key: Array("s3cret".utf8), message: Array("\(timestamp).".utf8) + Array(body.utf8)))
        #expect(signature.hasSuffix("v1=\(expected)"), "the receiver can check the signature over what it got")
    }

    @Test(arguments: ["/hook/status/500", "/hook/status/404", "/hook/status/301", "/hook/close"])
    func anythingButA2xxIsAFailure(_ path: String) async throws {
        let outcome = await deliverer.deliver(message, to: try sink("slack", path))
        guard case .failed(let reason, let retryAfter) = outcome else {
            Issue.record("\(path) counted as delivered")
            return
        }
        #expect(!reason.isEmpty)
        #expect(retryAfter == nil)
    }

    @Test func rateLimitsSayWhenToRetry() async throws {
        let slack = await deliverer.deliver(message, to: try sink("slack", "/hook/retry-after/30"))
        #expect(slack == .failed(reason: slackReason(slack), retryAfter: 30))
        let discord = await deliverer.deliver(message, to: try sink("discord", "/hook/discord-retry/1.5"))
        if case .failed(_, let after) = discord { #expect(after == 1.5) } else { Issue.record("a 429 was delivered") }
    }

    @Test func aHangingReceiverTimesOut() async throws {
        let outcome = await deliverer.deliver(message, to: try sink("teams", "/hook/hang"))
        if case .failed(let reason, _) = outcome { #expect(reason.contains("s")) } else { Issue.record("a hang was delivered") }
    }

    @Test func aMissingSecretIsExplained() async throws {
        let silent = AlertDeliverer(fetcher: Fetcher(), environment: [:])
        let outcome = await silent.deliver(message, to: try sink("generic", "/hook/ok", secret: true))
        if case .failed(let reason, _) = outcome { #expect(reason.contains("HOOK_SECRET")) } else { Issue.record("sent unsigned") }
        #expect(try server.count("/hook/ok") == 0)
    }

    @Test func badSinkSettingsNameTheSink() {
        #expect(throws: AlertSink.SettingsError.self) { try AlertSink(fields: ["type": "pager"], index: 2, directory: URL(fileURLWithPath: "/")) }
        #expect(throws: AlertSink.SettingsError.self) { try AlertSink(fields: ["type": "slack"], index: 0, directory: URL(fileURLWithPath: "/")) }
        #expect(throws: AlertSink.SettingsError.self) { try AlertSink(fields: ["type": "file"], index: 0, directory: URL(fileURLWithPath: "/")) }
    }

    private func slackReason(_ outcome: DeliveryOutcome) -> String {
        if case .failed(let reason, _) = outcome { return reason }
        return ""
    }
}

/// The outbox against a real store and receiver: delivered, retried, given up, replayed.
@Suite struct OutboxTests {
    let server: LocalFeedServer
    let store: SQLiteMentionStore
    let folder: URL

    init() throws {
        server = try LocalFeedServer()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigia-outbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteMentionStore(path: folder.appendingPathComponent("vigia.db").path)
    }

    private func sinks() throws -> [AlertSink] {
        try [
            AlertSink(fields: ["type": "generic", "url": server.url("/hook/ok"), "name": "ok"], index: 0, directory: folder),
            AlertSink(fields: ["type": "slack", "url": server.url("/hook/status/500"), "name": "broken"], index: 1, directory: folder),
            AlertSink(fields: ["type": "discord", "url": server.url("/hook/retry-after/600"), "name": "limited"], index: 2, directory: folder),
            AlertSink(fields: ["type": "file", "path": "alerts.jsonl", "name": "file"], index: 3, directory: folder),
        ]
    }

    private func record(key: String) async throws -> Int64 {
        let message = AlertMessage(
            id: key, brand: "Acme", severity: .high, windowStart: Date(timeIntervalSince1970: 1_714_557_600),
            windowEnd: Date(timeIntervalSince1970: 1_714_558_500), observed: 42, expected: 6, sigma: 5.1)
        let details = String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
        let recording = try await store.recordAlert(
            NewAlert(key: key, brand: "Acme", kind: "negative-spike", bucketStart: message.windowStart, value: 42,
                     baseline: 6, score: 5.1, message: message.headline, details: details, createdAt: Date()),
            deliverTo: try sinks().map(\.name))
        guard case .recorded(let id, let deliveries) = recording else { throw CancellationError() }
        #expect(deliveries == 4)
        return id
    }

    @Test func deliversRetriesGivesUpAndReplays() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try await record(key: "acme-spike-1")
        var policy = Outbox.Policy()
        policy.maxAttempts = 2
        policy.firstRetry = 0.001
        let outbox = Outbox(
            store: store, sinks: try sinks(),
            deliverer: AlertDeliverer(fetcher: Fetcher(), limits: FetchLimits(connectTimeout: 5, totalTimeout: 5, stallTimeout: 3)),
            policy: policy)

        let first = try await outbox.deliverDue()
        #expect(first.delivered == 2)  // the generic hook and the file
        #expect(first.retrying == 2)
        var states = Dictionary(uniqueKeysWithValues: try await store.deliveries(alertIDs: [id]).map { ($0.sink, $0) })
        #expect(states["ok"]?.status == .delivered)
        #expect(states["limited"].map { $0.nextAttemptAt.timeIntervalSinceNow > 500 } == true, "Retry-After: 600 honoured")
        #expect(try server.lastBody("/hook/ok")?.contains("\"id\":\"acme-spike-1/ok\"") == true)

        // Recording the same alert again queues nothing: an alert is recorded once.
        let again = try await store.recordAlert(
            NewAlert(key: "acme-spike-1", brand: "Acme", kind: "negative-spike", bucketStart: Date(), value: 1, message: "x", createdAt: Date()),
            deliverTo: ["ok"])
        #expect(again == .alreadyRecorded(alertID: id))

        // The broken sink fails again and is given up (a dead letter); the rate-limited one waits.
        try await Task.sleep(for: .milliseconds(20))
        let second = try await outbox.deliverDue()
        #expect(second.givenUp == 1)
        states = Dictionary(uniqueKeysWithValues: try await store.deliveries(alertIDs: [id]).map { ($0.sink, $0) })
        #expect(states["broken"]?.status == .failed)
        #expect(states["broken"]?.lastError?.contains("gave up after 2 attempts") == true)
        #expect(states["limited"]?.status == .pending)
        #expect(try server.count("/hook/ok") == 1, "a delivered alert is not sent twice")

        #expect(try await store.requeueFailedDeliveries(alertID: id, at: Date()) == 1)
        states = Dictionary(uniqueKeysWithValues: try await store.deliveries(alertIDs: [id]).map { ($0.sink, $0) })
        #expect(states["broken"]?.status == .pending)
        #expect(states["broken"]?.attempts == 0)
    }

    @Test func aSinkRemovedFromTheConfigurationIsGivenUpWithAReason() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try await record(key: "acme-spike-2")
        let outbox = Outbox(store: store, sinks: [], deliverer: AlertDeliverer(fetcher: Fetcher()))
        let report = try await outbox.deliverDue()
        #expect(report.givenUp == 4)
        let reasons = try await store.deliveries(alertIDs: [id]).compactMap(\.lastError)
        #expect(reasons.allSatisfy { $0.contains("no longer in vigia.yaml") })
    }
}
