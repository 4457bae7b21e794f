import Foundation
import Pipeline
import Synchronization
import VigiaModel

/// A few threads that parse and analyse fetched feeds, each with its own ``EntryAnalyzer``, so
/// that CPU-heavy work never occupies Swift's cooperative pool (where the fetcher's completions
/// and the store's writes are awaited).
final class AnalysisWorkers: Sendable {
    private struct Work: Sendable {
        let body: @Sendable (inout EntryAnalyzer) -> Void
    }

    private struct Queue {
        var work = FIFO<Work>()
        var stopping = false
    }

    private let queue = Mutex(Queue())
    private let available = DispatchSemaphore(value: 0)
    private let threadCount: Int
    private let stopped = DispatchSemaphore(value: 0)

    init(model: AnalysisModel, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        threadCount = max(1, threads)
        for index in 0..<threadCount {
            let thread = Thread { [self] in
                var analyzer = model.makeAnalyzer()
                while true {
                    available.wait()
                    let next = queue.withLock { state -> Work? in state.work.popFirst() }
                    guard let next else { break }  // woken with nothing to do: stopping
                    next.body(&analyzer)
                }
                stopped.signal()
            }
            thread.name = "vigia-analysis-\(index + 1)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Runs `body` on a worker thread with that thread's analyser.
    func run<T: Sendable>(_ body: @escaping @Sendable (inout EntryAnalyzer) -> T) async -> T {
        await withCheckedContinuation { continuation in
            let work = Work { analyzer in continuation.resume(returning: body(&analyzer)) }
            queue.withLock { $0.work.append(work) }
            available.signal()
        }
    }

    /// Stops the threads once the queued work is done.
    func stop() {
        let alreadyStopping = queue.withLock { state -> Bool in
            defer { state.stopping = true }
            return state.stopping
        }
        guard !alreadyStopping else { return }
        for _ in 0..<threadCount { available.signal() }
        for _ in 0..<threadCount { stopped.wait() }
    }
}
