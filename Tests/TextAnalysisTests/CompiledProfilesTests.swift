import Foundation
import Testing

@testable import TextAnalysis

/// The compiled profiles (`langid.bin`) stand for the text profiles they are compiled from.
@Suite("Compiled language profiles")
struct CompiledProfilesTests {
    /// Every listed word's hash and scores, and the spelling table, of a model.
    private func contents(_ model: LanguageIDModel) -> (words: [UInt64: [Int16]], spelling: [[Int16]]) {
        var words: [UInt64: [Int16]] = [:]
        for slot in model.wordSlots where slot.hash != 0 {
            words[slot.hash] = (0..<8).map { slot.scores[$0] }
        }
        let spelling = model.spellingScores.map { scores in (0..<8).map { scores[$0] } }
        return (words, spelling)
    }

    /// A copy of the shipped profiles in a new temporary directory.
    private func copyOfProfiles() throws -> URL {
        let source = try #require(LanguageIdentifier.bundledProfilesDirectory)
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vigia-profiles-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: directory)
        return directory
    }

    @Test("the shipped compiled profiles are current and hold the tables of the text profiles")
    func shippedCompiledProfilesMatchText() throws {
        let directory = try #require(LanguageIdentifier.bundledProfilesDirectory)
        let fromText = try LanguageIDModel(profilesDirectory: directory, useCompiled: false)
        // Compiled from these very text files (else run scripts/build-language-profiles.py
        // --compile-only).
        let compiled = LanguageIDModel.compiledTables(
            directory.appendingPathComponent(LanguageIDModel.compiledFileName), digest: fromText.sourceDigest)
        #expect(compiled != nil)
        compiled?.deallocate()
        let fromCompiled = try LanguageIDModel(profilesDirectory: directory)
        #expect(fromCompiled.unknownWordScores == fromText.unknownWordScores)
        let (textWords, textSpelling) = contents(fromText)
        let (compiledWords, compiledSpelling) = contents(fromCompiled)
        #expect(compiledWords.count == textWords.count)
        #expect(compiledWords == textWords)
        #expect(compiledSpelling == textSpelling)
    }

    @Test("compiled profiles that no longer match the text profiles are not used")
    func staleCompiledProfilesIgnored() throws {
        let directory = try copyOfProfiles()
        defer { try? FileManager.default.removeItem(at: directory) }
        let words = directory.appendingPathComponent("it.words.txt")
        var text = try String(contentsOf: words, encoding: .utf8)
        text += "zzzqqq\t1000000\n"
        try text.write(to: words, atomically: true, encoding: .utf8)
        let digest = LanguageIDModel.sourceDigest(of: try LanguageIDModel.readProfiles(directory))
        let compiled = LanguageIDModel.compiledTables(
            directory.appendingPathComponent(LanguageIDModel.compiledFileName), digest: digest)
        #expect(compiled == nil)
        compiled?.deallocate()
        // The new word is known: the tables come from the text.
        let identifier = try LanguageIdentifier(profilesDirectory: directory)
        #expect(identifier.scores("zzzqqq").knownWordCount == 1)
    }

    @Test("a damaged compiled file is not used, and compiling writes one that is")
    func damagedCompiledProfiles() throws {
        let directory = try copyOfProfiles()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent(LanguageIDModel.compiledFileName)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count - 5).write(to: url)
        let digest = LanguageIDModel.sourceDigest(of: try LanguageIDModel.readProfiles(directory))
        let damaged = LanguageIDModel.compiledTables(url, digest: digest)
        #expect(damaged == nil)
        damaged?.deallocate()
        let identifier = try LanguageIdentifier(profilesDirectory: directory)
        #expect(identifier.identify("Grazie mille per l'aiuto, gentilissimi") == .it)

        try LanguageIdentifier.compileProfiles(in: directory)
        #expect(try Data(contentsOf: url) == bytes)
        let rewritten = LanguageIDModel.compiledTables(url, digest: digest)
        #expect(rewritten != nil)
        rewritten?.deallocate()
    }
}
