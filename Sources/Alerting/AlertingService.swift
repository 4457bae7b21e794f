import Foundation
import Logging
import ServiceLifecycle

/// The daemon's alerting loop as a swift-service-lifecycle service: judge the buckets that have
/// closed, record alerts, deliver the outbox; every few seconds, until a graceful shutdown.
public struct AlertingService: Service, CustomStringConvertible {
    let monitor: SpikeMonitor
    let outbox: Outbox
    let logger: Logger
    let interval: Duration

    public init(monitor: SpikeMonitor, outbox: Outbox, logger: Logger, interval: Duration = .seconds(15)) {
        self.monitor = monitor
        self.outbox = outbox
        self.logger = logger
        self.interval = interval
    }

    public var description: String { "AlertingService" }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await pass(monitor: monitor, outbox: outbox, logger: logger)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

/// One alerting pass: judge closed buckets, then deliver what is due. Errors are logged (the next
/// pass tries again; nothing recorded is lost).
public func pass(monitor: SpikeMonitor, outbox: Outbox, logger: Logger, now: Date = Date()) async {
    do {
        for alert in try await monitor.evaluate(now: now) {
            logger.notice("alert", metadata: ["brand": "\(alert.brand)", "headline": "\(alert.headline)", "id": "\(alert.id)"])
        }
    } catch {
        logger.error("spike detection failed", metadata: ["error": "\(error)"])
    }
    do {
        let report = try await outbox.deliverDue(now: now)
        if report.retrying + report.givenUp > 0 {
            logger.warning(
                "alert deliveries failed",
                metadata: ["delivered": "\(report.delivered)", "retrying": "\(report.retrying)", "given_up": "\(report.givenUp)"])
        }
    } catch {
        logger.error("alert delivery failed", metadata: ["error": "\(error)"])
    }
}
