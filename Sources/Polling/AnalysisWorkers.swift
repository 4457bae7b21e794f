import Foundation
import Pipeline
import Synchronization
import VigiaModel

/// A few threads that parse and analyse fetched feeds, each with its own ``EntryAnalyzer``, so
/// that CPU-heavy work never occupies Swift's cooperative pool (where the fetcher's completions
/// and the store's writes are awaited).
final class AnalysisWorkers: Sendable {
    private struct Work: Sendable {
        /// Runs with the thread's analyser, or with nil and the reason the model could not load.
        let body: @Sendable (inout EntryAnalyzer?, (any Error)?) -> Void
    }

    private struct Queue {
        var work = FIFO<Work>()
        var stopping = false
    }

    private let queue = Mutex(Queue())
    private let available = DispatchSemaphore(value: 0)
    private let threadCount: Int
    private let stopped = DispatchSemaphore(value: 0)

    /// - Parameter loadModel: builds the model (the lexicons take a moment); the first thread to
    ///   start calls it while the first transfers run, and the others wait for its result.
    init(loadModel: @escaping @Sendable () throws -> AnalysisModel, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        threadCount = max(1, threads)
        let model = ModelOnce(loadModel)
        for index in 0..<threadCount {
            let thread = Thread { [self] in
                var analyzer: EntryAnalyzer?
                var failure: (any Error)?
                switch model.value {
                case .success(let loaded): analyzer = loaded.makeAnalyzer()
                case .failure(let error): failure = error
                }
                while true {
                    available.wait()
                    let next = queue.withLock { state -> Work? in state.work.popFirst() }
                    guard let next else { break }  // woken with nothing to do: stopping
                    next.body(&analyzer, failure)
                }
                stopped.signal()
            }
            thread.name = "vigia-analysis-\(index + 1)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Runs `body` on a worker thread with that thread's analyser.
    /// - Throws: the error that kept the analysis model from loading.
    func run<T: Sendable>(_ body: @escaping @Sendable (inout EntryAnalyzer) -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let work = Work { analyzer, failure in
                if analyzer != nil {
                    continuation.resume(returning: body(&analyzer!))
                } else {
                    continuation.resume(throwing: failure ?? CancellationError())
                }
            }
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

/// The analysis model, built once by whichever thread asks first (the others wait for it).
private final class ModelOnce: Sendable {
    private let load: @Sendable () throws -> AnalysisModel
    private let result = Mutex<Result<AnalysisModel, any Error>?>(nil)

    init(_ load: @escaping @Sendable () throws -> AnalysisModel) { self.load = load }

    var value: Result<AnalysisModel, any Error> {
        result.withLock { cached in
            if let cached { return cached }
            let loaded = Result { try load() }
            cached = loaded
            return loaded
        }
    }
}
