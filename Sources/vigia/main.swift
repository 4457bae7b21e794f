import ArgumentParser
import VigiaCLI

/// Runs the command line through the asynchronous entry point. (Written as a function: in
/// top-level code `VigiaCommand.main()` resolves to the synchronous entry point, which refuses an
/// asynchronous root command on Linux.)
func runVigia() async {
    await VigiaCommand.main()
}

await runVigia()
