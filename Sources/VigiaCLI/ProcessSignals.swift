import Foundation

/// Signal set-up for the daemon.
enum ProcessSignals {
    /// Unblocks SIGTERM and SIGINT for this thread and the threads it starts: a parent (a test
    /// runner, some supervisors) may hand down a mask that blocks them, and the daemon must still
    /// stop cleanly when asked to.
    static func unblockTermination() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}
