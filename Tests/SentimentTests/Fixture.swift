import Foundation

@testable import Sentiment

/// A tiny lexicon written for these tests (so rule tests do not move when the real lexicons
/// grow), created once in a temporary directory.
enum Fixture {
    static let files: [String: String] = [
        "emoji.tsv": """
            # symbol<TAB>valence
            😍\t3
            😡\t-3
            😂\t1.5
            ❤️\t3
            :)\t2
            :(\t-2
            <3\t3
            """,
        "es/words.tsv": """
            # term<TAB>valence<TAB>class
            bueno\t2\tadj
            malo\t-2\tadj
            pésimo\t-3.5\tadj
            encantar\t3\tverb
            odiar\t-3\tverb
            odio\t-3\tother
            mal\t-2\tother
            puta\t-2.5\tadj
            retraso\t-2\tnoun
            bien\t1.5\tadv
            gustar\t2\tverb
            gracias\t1.8\tother
            """,
        "es/phrases.tsv": """
            # phrase<TAB>valence
            de puta madre\t3
            no está mal\t1.5
            5 estrellas\t2.5
            100% recomendable\t3
            """,
        "es/boosters.tsv": """
            # term<TAB>factor
            muy\t0.3
            tan\t0.3\tdegree
            un poco\t-0.3
            bien\t0.3
            mucho\t0.25\tboth
            """,
        "es/negators.txt": """
            # one per line
            no
            nunca\tnever
            sin\tabsence
            poco\tnext
            """,
        "es/discourse.txt": "bueno\n",
        "es/requests.txt": "alguien sabe\trequest\npor favor\tplea\ngracias\tcourtesy\n",
        "en/requests.txt": "can you\trequest\nwhat's a good\trequest\nthanks\tcourtesy\n",
        "es/contrast.tsv": """
            # term<TAB>before<TAB>after
            pero\t0.5\t1.5
            aunque\t1.5\t0.5
            """,
        "it/words.tsv": """
            bello\t2.5\tadj
            male\t-2\tother
            deludere\t-2.5\tverb
            piacere\t2\tverb
            qualità\t0.5\tnoun
            pessimo\t-3.5\tadj
            """,
        "it/phrases.tsv": """
            non c'è male\t1.5
            niente male\t1.5
            così così\t-0.5
            qualità pessima\t-3.5
            10 e lode\t3
            mai più\t-2
            """,
        "it/negators.txt": "non\nmai\nniente\n",
        "it/contrast.tsv": "ma\t0.5\t1.5\n",
        "it/boosters.tsv": "molto\t0.3\tboth\ncosì\t0.2\ntantissimo\t0.5\tboth\n",
        "en/words.tsv": """
            good\t2\tadj
            bad\t-2\tadj
            love\t3\tverb
            hate\t-3\tverb
            like\t1.8\tverb
            happy\t2.5\tadj
            no\t-0.7\tother
            lol\t1.4\tintj
            thanks\t1.7\tother
            """,
        "en/phrases.tsv": "not bad\t1.5\ncan't wait\t2.5\n",
        "en/boosters.tsv": "very\t0.3\nkind of\t-0.3\naf\t0.4\tafter\na lot\t0.3\tafter\na lot of\t0\n",
        "en/negators.txt": "not\nnever\nn't\nno\n",
        "en/contrast.tsv": "but\t0.5\t1.5\nalthough\t1.5\t0.5\nstill\t0.8\t1.2\n",
    ]

    /// The directory holding the fixture lexicon.
    static let directory: URL = {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vigia-sentiment-fixture-\(ProcessInfo.processInfo.processIdentifier)")
        for (path, content) in files {
            let url = directory.appendingPathComponent(path)
            try? FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? Data(content.utf8).write(to: url)
        }
        return directory
    }()

    /// An analyser over the fixture lexicon.
    static let analyzer: SentimentAnalyzer = {
        do {
            return try SentimentAnalyzer(lexiconDirectory: directory)
        } catch {
            fatalError("fixture lexicon: \(error)")
        }
    }()
}
