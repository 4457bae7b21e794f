import VigiaCLI

await VigiaCommand.main()
