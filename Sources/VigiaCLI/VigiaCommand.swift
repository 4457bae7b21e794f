import ArgumentParser
import Foundation

/// The `vigia` command: the root of every sub-command.
public struct VigiaCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vigia",
        abstract: "Social listening and sentiment monitor for RSS/Atom feeds and forum exports.",
        version: VigiaVersion.current,
        subcommands: [
            InitCommand.self,
            ParseCommand.self,
            ScoreCommand.self,
            LangCommand.self,
            ImportCommand.self,
            SearchCommand.self,
            ExportCommand.self,
            PruneCommand.self,
            RunCommand.self,
            FeedsCommand.self,
            DetectCommand.self,
            AlertsCommand.self,
            DigestCommand.self,
        ]
    )

    public init() {}
}

/// The version printed by `vigia --version`.
public enum VigiaVersion {
    public static let current = "0.1.0"
}

extension VigiaCommand {
    /// Parses the process arguments and runs the chosen command (the executable's entry point).
    public static func runFromCommandLine() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // The contract's exit codes: usage errors are 2 (ArgumentParser would use 64).
            if exitCode(for: error) == .validationFailure {
                Terminal.error(fullMessage(for: error))
                Terminal.flush()
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
