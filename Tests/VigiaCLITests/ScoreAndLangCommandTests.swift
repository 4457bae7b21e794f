import Foundation
import Testing

/// `vigia score` and `vigia lang` as PRODUCT.md defines them: one line out per line in, in order.
@Suite("vigia score and vigia lang") struct ScoreAndLangCommandTests {
    private let texts = [
        "me encanta este producto, llegó rapidísimo",
        "",
        "this is the worst service I have ever had!!!",
        "non mi piace per niente, consegna in ritardo",
        ":)",
        "   ",
        "#mal_servicio @airline http://example.org",
    ]

    private func lines(_ output: String) -> [Substring] {
        output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    }

    @Test func scoreWritesOneLabelAndScorePerInputLine() throws {
        let input = Data((texts.joined(separator: "\n") + "\n").utf8)
        let result = try CommandRunner.run(["score"], stdin: input)
        #expect(result.status == 0)
        let output = lines(result.stdout)
        #expect(output.count == texts.count)
        for line in output {
            let fields = line.split(separator: "\t")
            #expect(fields.count == 2, "\(line)")
            #expect(["pos", "neg", "neu"].contains(String(fields[0])))
            let score = try #require(Double(fields[1]))
            #expect((-1.0...1.0).contains(score))
        }
        #expect(output[0].hasPrefix("pos"))
        #expect(output[1] == "neu\t0.0000")
        #expect(output[2].hasPrefix("neg"))
        #expect(output[3].hasPrefix("neg"))
        #expect(output[4].hasPrefix("pos"))
        #expect(result.stderr.contains("loop_seconds="))
    }

    @Test func scoreKeepsLineCountWithoutFinalNewlineAndWithCRLF() throws {
        let result = try CommandRunner.run(["score"], stdin: Data("great\r\nawful\r\nfine".utf8))
        #expect(lines(result.stdout + "\n").count == 3 || lines(result.stdout).count == 3)
        #expect(result.stdout.split(separator: "\n").count == 3)
    }

    @Test func scoreAcceptsTextArguments() throws {
        let result = try CommandRunner.run(["score", "me encanta", "lo odio"])
        #expect(result.status == 0)
        let output = lines(result.stdout)
        #expect(output.count == 2)
        #expect(output[0].hasPrefix("pos"))
        #expect(output[1].hasPrefix("neg"))
    }

    @Test func scoreJSONCarriesLabelScoreAndLanguage() throws {
        let result = try CommandRunner.run(["score", "--format", "json", "questo ristorante è fantastico"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["label"] as? String == "pos")
        #expect(object?["lang"] as? String == "it")
    }

    @Test func scoreExplainNamesTheWords() throws {
        let result = try CommandRunner.run(["score", "--explain", "no es muy bueno"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("bueno"))
    }

    @Test func scoreRejectsAnUnknownLanguage() throws {
        let result = try CommandRunner.run(["score", "--lang", "fr", "bonjour"])
        #expect(result.status == 2)
    }

    @Test func langWritesOneCodePerInputLine() throws {
        let input = Data((texts.joined(separator: "\n") + "\n").utf8)
        let result = try CommandRunner.run(["lang"], stdin: input)
        #expect(result.status == 0)
        let output = lines(result.stdout)
        // Hashtags give their words ("mal servicio" is Spanish); handles and URLs give none.
        #expect(output == ["es", "und", "en", "it", "und", "und", "es"])
    }

    @Test func hugeAndBrokenLinesStillGiveOneLineEach() throws {
        var input = Data(String(repeating: "terrible ", count: 120_000).utf8)
        input.append(0x0A)
        input.append(contentsOf: [0xFF, 0xFE, 0x80, 0x0A])
        input.append(contentsOf: Array("ok\n".utf8))
        for command in ["score", "lang"] {
            let result = try CommandRunner.run([command], stdin: input)
            #expect(result.status == 0)
            #expect(lines(result.stdout).count == 3, "\(command)")
        }
    }
}
