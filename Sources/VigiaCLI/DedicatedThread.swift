import Foundation

/// Runs blocking work (file reading, parsing a large export) on a thread of its own, so that it
/// never occupies the cooperative pool and all its allocations come from one thread.
enum DedicatedThread {
    static func run<Result: Sendable>(
        name: String, _ work: @escaping @Sendable () throws -> Result
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result { try work() })
            }
            thread.name = name
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
