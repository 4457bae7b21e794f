import ArgumentParser

/// The `vigia` command: the root of every sub-command.
public struct VigiaCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vigia",
        abstract: "Social listening and sentiment monitor for RSS/Atom feeds and forum exports.",
        version: VigiaVersion.current,
        subcommands: [
            ParseCommand.self,
            ScoreCommand.self,
            LangCommand.self,
        ]
    )

    public init() {}
}

/// The version printed by `vigia --version`.
public enum VigiaVersion {
    public static let current = "0.1.0"
}
