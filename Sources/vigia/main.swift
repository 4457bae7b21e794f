import VigiaCLI

await VigiaCommand.runFromCommandLine()
