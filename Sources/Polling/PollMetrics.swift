import CoreMetrics
import Foundation
import Synchronization

/// The daemon's metrics, through swift-metrics (no-ops unless a backend is bootstrapped, as
/// `vigia run --metrics` does with Prometheus).
///
/// | metric | labels |
/// | --- | --- |
/// | `vigia_polls_total` | `result`: `fetched`, `not_modified`, `unchanged`, `failed` |
/// | `vigia_fetch_errors_total` | `kind`: `timeout`, `http_status`, `dns`, `parse`… |
/// | `vigia_fetch_duration_seconds` | (histogram of completed transfers) |
/// | `vigia_entries_stored_total` | |
/// | `vigia_mentions_stored_total` | `brand`, `sentiment` |
/// | `vigia_fetch_queue_depth` | (transfers waiting or running) |
/// | `vigia_feeds` | `state`: `active`, `failing` |
/// | `vigia_cycles_total`, `vigia_last_cycle_timestamp_seconds` | |
final class PollMetrics: Sendable {
    // Metric objects are made once and kept: making one per event is a factory lookup each time.
    private let polls: [String: Counter]
    private let duration = Timer(label: "vigia_fetch_duration_seconds", preferredDisplayUnit: .seconds)
    private let entries = Counter(label: "vigia_entries_stored_total")
    private let depth = Gauge(label: "vigia_fetch_queue_depth")
    private let active = Gauge(label: "vigia_feeds", dimensions: [("state", "active")])
    private let failing = Gauge(label: "vigia_feeds", dimensions: [("state", "failing")])
    private let cycles = Counter(label: "vigia_cycles_total")
    private let lastCycle = Gauge(label: "vigia_last_cycle_timestamp_seconds")
    private let labelled = Mutex<[String: Counter]>([:])

    init() {
        polls = Dictionary(uniqueKeysWithValues: ["fetched", "not_modified", "unchanged", "failed"].map {
            ($0, Counter(label: "vigia_polls_total", dimensions: [("result", $0)]))
        })
    }

    func poll(_ result: String, seconds: Double?) {
        polls[result]?.increment()
        if let seconds { duration.recordNanoseconds(Int64(seconds * 1e9)) }
    }

    func error(kind: String) {
        counter("vigia_fetch_errors_total", [("kind", kind)]).increment()
    }

    func entriesStored(_ count: Int) {
        if count > 0 { entries.increment(by: count) }
    }

    func mentionStored(brand: String, label: String) {
        counter("vigia_mentions_stored_total", [("brand", brand), ("sentiment", label)]).increment()
    }

    func queueDepth(_ value: Int) {
        depth.record(value)
    }

    func feeds(active activeCount: Int, failing failingCount: Int) {
        active.record(activeCount)
        failing.record(failingCount)
    }

    func cycleFinished(at date: Date) {
        cycles.increment()
        lastCycle.record(date.timeIntervalSince1970)
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = label + dimensions.map { "\u{1}\($0.0)=\($0.1)" }.joined()
        return labelled.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions)
            counters[key] = counter
            return counter
        }
    }
}
