import CoreMetrics
import Foundation

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
struct PollMetrics: Sendable {
    func poll(_ result: String, seconds: Double?) {
        Counter(label: "vigia_polls_total", dimensions: [("result", result)]).increment()
        if let seconds {
            Timer(label: "vigia_fetch_duration_seconds", preferredDisplayUnit: .seconds)
                .recordNanoseconds(Int64(seconds * 1e9))
        }
    }

    func error(kind: String) {
        Counter(label: "vigia_fetch_errors_total", dimensions: [("kind", kind)]).increment()
    }

    func entriesStored(_ count: Int) {
        guard count > 0 else { return }
        Counter(label: "vigia_entries_stored_total").increment(by: count)
    }

    func mentionStored(brand: String, label: String) {
        Counter(label: "vigia_mentions_stored_total", dimensions: [("brand", brand), ("sentiment", label)]).increment()
    }

    func queueDepth(_ depth: Int) {
        Gauge(label: "vigia_fetch_queue_depth").record(depth)
    }

    func feeds(active: Int, failing: Int) {
        Gauge(label: "vigia_feeds", dimensions: [("state", "active")]).record(active)
        Gauge(label: "vigia_feeds", dimensions: [("state", "failing")]).record(failing)
    }

    func cycleFinished(at date: Date) {
        Counter(label: "vigia_cycles_total").increment()
        Gauge(label: "vigia_last_cycle_timestamp_seconds").record(date.timeIntervalSince1970)
    }
}
