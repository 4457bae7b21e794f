internal import CLibXML2

/// libxml2's process-wide set-up, run once before any parser context is created.
///
/// libxml2 2.9 initialises its globals (the dictionary mutex, the encoding handlers) lazily and
/// not thread-safely: two threads creating their first parser at the same moment can leave the
/// dictionary mutex locked for ever, and every later parser then hangs. `xmlInitParser` must run
/// first, once; a Swift `static let` runs it exactly once whatever the threads.
enum LibXML2 {
    /// Initialises libxml2 once; cheap after the first call.
    static func initialize() {
        _ = initialized
    }

    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()
}
