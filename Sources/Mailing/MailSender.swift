import Foundation
import Synchronization

/// Sends messages through an SMTP server with libcurl.
///
/// Each ``send(_:)`` opens its own connection on a thread of its own (libcurl blocks), so the
/// caller's task only waits. Cancelling that task aborts the exchange within about a second.
public struct MailSender: Sendable {
    public let settings: SMTPSettings

    public init(settings: SMTPSettings) {
        self.settings = settings
    }

    /// Sends one message to all its recipients; throws ``MailError`` (or `CancellationError`).
    ///
    /// When any recipient is refused, nothing is sent to anyone.
    public func send(_ message: MailMessage) async throws {
        let settings = try settings.validated()
        let envelope = try message.envelope()
        try Task.checkCancellation()
        let cancellation = CancellationFlag()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let thread = Thread {
                    let transfer = SMTPTransfer(
                        settings: settings, envelope: envelope, cancellation: cancellation)
                    continuation.resume(with: transfer.perform())
                }
                thread.name = "vigia-mail"
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
    }
}

/// Set from the cancelling task, read by libcurl's progress callback on the transfer's thread.
final class CancellationFlag: Sendable {
    private let flag = Atomic(false)

    func cancel() { flag.store(true, ordering: .relaxed) }

    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
