import FoundationEssentials

/// An alert to record once and deliver at least once.
public struct NewAlert: Sendable, Hashable {
    /// Identifies the alert across restarts (e.g. brand, detector and bucket start): recording the
    /// same key twice records it once.
    public var key: String
    public var brand: String
    /// The detector that fired (`negative-spike`…).
    public var kind: String
    public var bucketStart: Date
    public var bucketEnd: Date?
    /// The observed value (e.g. negative mentions in the bucket).
    public var value: Double
    /// What was expected.
    public var baseline: Double?
    /// The detector's score.
    public var score: Double?
    /// Why it fired, for people.
    public var message: String
    /// Anything else the sinks need, as JSON text.
    public var details: String?
    public var createdAt: Date

    public init(
        key: String, brand: String, kind: String, bucketStart: Date, bucketEnd: Date? = nil, value: Double,
        baseline: Double? = nil, score: Double? = nil, message: String, details: String? = nil, createdAt: Date
    ) {
        self.key = key
        self.brand = brand
        self.kind = kind
        self.bucketStart = bucketStart
        self.bucketEnd = bucketEnd
        self.value = value
        self.baseline = baseline
        self.score = score
        self.message = message
        self.details = details
        self.createdAt = createdAt
    }
}

/// A recorded alert.
public struct AlertRecord: Sendable, Hashable {
    public var id: Int64
    public var alert: NewAlert

    public init(id: Int64, alert: NewAlert) {
        self.id = id
        self.alert = alert
    }
}

/// What recording an alert did.
public enum AlertRecording: Sendable, Hashable {
    /// Recorded now, with one pending delivery per sink.
    case recorded(alertID: Int64, deliveries: Int)
    /// An alert with the same key was recorded before: nothing written.
    case alreadyRecorded(alertID: Int64)
}

/// Where a delivery stands.
public enum DeliveryStatus: String, Sendable, Hashable, Codable {
    case pending, delivered, failed
}

/// One delivery of an alert to one sink, from the outbox.
public struct Delivery: Sendable, Hashable {
    public var id: Int64
    public var alert: AlertRecord
    /// The sink's name in the configuration.
    public var sink: String
    public var status: DeliveryStatus
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var deliveredAt: Date?

    public init(
        id: Int64, alert: AlertRecord, sink: String, status: DeliveryStatus, attempts: Int, nextAttemptAt: Date,
        lastError: String?, deliveredAt: Date?
    ) {
        self.id = id
        self.alert = alert
        self.sink = sink
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.deliveredAt = deliveredAt
    }
}
