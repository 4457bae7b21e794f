import TextAnalysis

/// The word class of a lexicon lemma; it decides which inflected forms are generated.
public enum WordClass: String, Sendable, Hashable, CaseIterable {
    /// Adjective: gender and number, superlative (`-ísimo`, `-issimo`), diminutive, adverb.
    case adj
    /// Noun: plural and diminutive.
    case noun
    /// Verb: the regular conjugations.
    case verb
    /// Adverb: matched exactly as written.
    case adv
    /// Anything else (irregular forms, slang): matched exactly as written.
    case other
    /// Interjection or laughter (`lol`, `jaja`, `wow`, `ugh`, `uffa`): matched exactly as
    /// written, and never negated (in "I don't know lol" the negation ends before `lol`).
    case intj
}

/// One form generated from a lemma.
struct InflectedForm: Equatable {
    /// The form, lower case.
    var form: String
    /// Whether the form is an emphatic one (absolute superlative: `-ísimo`, `-issimo`).
    var emphatic: Bool = false
}

/// Generates the regular inflected forms of a lemma for Spanish, Italian and English.
///
/// The rules cover regular morphology and the common spelling changes (`rico` → `riquísimo`,
/// `cercare` → `cerchi`, `happy` → `happily`). Over-generation is harmless (a form nobody writes
/// is never looked up); irregular forms are listed in the lexicons themselves.
enum Inflector {
    /// The forms of `lemma` (the lemma itself excluded) for `wordClass` in `language`.
    static func forms(of lemma: String, as wordClass: WordClass, in language: Language) -> [InflectedForm] {
        // Multi-word or odd entries (with spaces, digits, apostrophes) get no generated forms.
        guard lemma.count >= 2, !lemma.contains(" "), !lemma.contains("'") else { return [] }
        switch (language, wordClass) {
        case (.es, .adj): return Spanish.adjective(lemma)
        case (.es, .noun): return Spanish.noun(lemma)
        case (.es, .verb): return Spanish.verb(lemma)
        case (.it, .adj): return Italian.adjective(lemma)
        case (.it, .noun): return Italian.noun(lemma)
        case (.it, .verb): return Italian.verb(lemma)
        case (.en, .adj): return English.adjective(lemma)
        case (.en, .noun): return English.noun(lemma)
        case (.en, .verb): return English.verb(lemma)
        default: return []
        }
    }
}

// MARK: - Shared helpers

extension String {
    fileprivate func dropping(_ count: Int) -> String { String(dropLast(count)) }
    fileprivate var lastCharacter: Character? { last }
}

private let plainVowels: Set<Character> = ["a", "e", "i", "o", "u"]
private let accentedVowels: [Character: Character] = [
    "á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u", "à": "a", "è": "e", "ì": "i", "ò": "o", "ù": "u",
]

private func isVowel(_ character: Character) -> Bool {
    plainVowels.contains(character) || accentedVowels[character] != nil
}

/// Removes the written accent of the last accented vowel (`cortés` → `cortes`).
private func unaccentLast(_ word: String) -> String {
    var characters = Array(word)
    for index in characters.indices.reversed() {
        if let plain = accentedVowels[characters[index]] {
            characters[index] = plain
            break
        }
    }
    return String(characters)
}

/// Removes every written accent (`rápido` → `rapido`).
private func unaccentAll(_ word: String) -> String {
    String(word.map { accentedVowels[$0] ?? $0 })
}

private func forms(_ words: [String], emphatic: Bool = false) -> [InflectedForm] {
    words.map { InflectedForm(form: $0, emphatic: emphatic) }
}

// MARK: - Spanish

private enum Spanish {
    /// The stem before `-ísimo`/`-ito`: `rico` → `riqu`, `largo` → `largu`, `feliz` → `felic`,
    /// `amable` → `amabil`, `rápido` → `rapid`.
    static func softStem(_ stem: String) -> String {
        var stem = unaccentAll(stem)
        if stem.hasSuffix("c") { stem = stem.dropping(1) + "qu" }
        else if stem.hasSuffix("g") { stem = stem.dropping(1) + "gu" }
        else if stem.hasSuffix("z") { stem = stem.dropping(1) + "c" }
        else if stem.hasSuffix("bl") { stem = stem.dropping(2) + "bil" }
        return stem
    }

    static func superlatives(_ stem: String) -> [InflectedForm] {
        let soft = softStem(stem)
        return forms(["ísimo", "ísima", "ísimos", "ísimas"].map { soft + $0 }, emphatic: true)
    }

    static func diminutives(_ stem: String) -> [InflectedForm] {
        let soft = softStem(stem)
        return forms(["ito", "ita", "itos", "itas"].map { soft + $0 })
    }

    static func plural(_ word: String) -> [String] {
        guard let last = word.last else { return [] }
        if plainVowels.contains(last) || last == "á" || last == "é" || last == "ó" { return [word + "s"] }
        if last == "í" || last == "ú" { return [word + "es", word + "s"] }
        if last == "z" { return [word.dropping(1) + "ces"] }
        if last == "s" || last == "x" {
            // Unstressed final syllable (crisis, lunes) keeps the form; stressed (cortés) adds -es.
            return accentedVowels.keys.contains(where: { word.contains($0) }) ? [unaccentLast(word) + "es"] : [word]
        }
        if last == "y" { return [word + "es", word + "s"] }
        return [unaccentLast(word) + "es"]
    }

    static func adjective(_ lemma: String) -> [InflectedForm] {
        var result: [InflectedForm] = []
        if lemma.hasSuffix("o") {
            let stem = lemma.dropping(1)
            result += forms([stem + "a", stem + "os", stem + "as", stem + "amente"])
            result += superlatives(stem)
            result += diminutives(stem)
        } else if lemma.hasSuffix("e") {
            let stem = lemma.dropping(1)
            result += forms([lemma + "s", lemma + "mente"])
            result += superlatives(stem)
        } else if lemma.hasSuffix("a") {
            result += forms([lemma + "s", lemma + "mente"])
        } else {
            result += forms(plural(lemma) + [lemma + "mente"])
            let comparatives: Set<String> = [
                "mejor", "peor", "mayor", "menor", "superior", "inferior", "exterior", "interior", "anterior",
                "posterior",
            ]
            if !comparatives.contains(lemma)
                && (lemma.hasSuffix("ón") || lemma.hasSuffix("or") || lemma.hasSuffix("án") || lemma.hasSuffix("ín")
                    || lemma.hasSuffix("és"))
            {
                let feminine = unaccentLast(lemma) + "a"
                result += forms([feminine, feminine + "s", feminine + "mente"])
            }
            result += superlatives(lemma)
        }
        return result
    }

    static func noun(_ lemma: String) -> [InflectedForm] {
        var result = forms(plural(lemma))
        if lemma.hasSuffix("o") || lemma.hasSuffix("a") {
            let stem = lemma.dropping(1)
            let ending = lemma.hasSuffix("o") ? "ito" : "ita"
            result += forms([softStem(stem) + ending, softStem(stem) + ending + "s"])
        }
        return result
    }

    static func verb(_ lemma: String) -> [InflectedForm] {
        var infinitive = lemma
        if infinitive.hasSuffix("arse") || infinitive.hasSuffix("erse") || infinitive.hasSuffix("irse") {
            infinitive = infinitive.dropping(2)
        }
        guard infinitive.count >= 3 else { return [] }
        let stem = infinitive.dropping(2)
        var words: [String] = []
        // Future and conditional are built on the infinitive.
        words += ["é", "ás", "á", "emos", "éis", "án", "ía", "ías", "íamos", "íais", "ían"].map { infinitive + $0 }
        if infinitive != lemma { words.append(infinitive) }
        // Stem before e (for -ar) and before a/o (for -er/-ir) with spelling changes.
        var stemBeforeE = stem
        if stem.hasSuffix("c") { stemBeforeE = stem.dropping(1) + "qu" }
        else if stem.hasSuffix("g") { stemBeforeE = stem.dropping(1) + "gu" }
        else if stem.hasSuffix("z") { stemBeforeE = stem.dropping(1) + "c" }
        var stemBeforeAO = stem
        if stem.hasSuffix("g") { stemBeforeAO = stem.dropping(1) + "j" }
        else if stem.hasSuffix("c") && !stem.hasSuffix("nc") { stemBeforeAO = stem.dropping(1) + "z" }
        else if stem.hasSuffix("gu") { stemBeforeAO = stem.dropping(2) + "g" }
        if infinitive.hasSuffix("ar") {
            words += ["as", "a", "amos", "áis", "an", "aste", "ó", "asteis", "aron", "aba", "abas", "ábamos",
                      "abais", "aban", "ara", "aras", "áramos", "aran", "ado", "ada", "ados", "adas", "ando"]
                .map { stem + $0 }
            words.append(stem + "o")
            words += ["é", "e", "es", "emos", "éis", "en"].map { stemBeforeE + $0 }
        } else {
            let isEr = infinitive.hasSuffix("er")
            let thematic = isEr ? "e" : "i"
            words += ["es", "e", "en", "í", "iste", "ió", "imos", "isteis", "ieron", "ía", "ías", "íamos", "íais",
                      "ían", "iera", "ieras", "iéramos", "ieran", "ido", "ida", "idos", "idas", "iendo"]
                .map { stem + $0 }
            words += isEr ? [stem + "emos", stem + "éis"] : [stem + "ís"]
            _ = thematic
            words += ["o", "a", "as", "amos", "áis", "an"].map { stemBeforeAO + $0 }
        }
        return forms(words)
    }
}

// MARK: - Italian

private enum Italian {
    /// The stem before endings starting with `i`/`e`: `ricc` → `ricch`, `lung` → `lungh`.
    static func hardStem(_ stem: String) -> String {
        if stem.hasSuffix("c") || stem.hasSuffix("g") { return stem + "h" }
        return stem
    }

    static func adjective(_ lemma: String) -> [InflectedForm] {
        var result: [InflectedForm] = []
        if lemma.hasSuffix("o") {
            var stem = lemma.dropping(1)
            var words = [stem + "a", hardStem(stem) + "e", stem + "amente"]
            if stem.hasSuffix("i") {
                words.append(stem)
                stem = stem.dropping(1)
                words.append(stem + "i")
            } else if stem.hasSuffix("c") || stem.hasSuffix("g") {
                words += [stem + "i", hardStem(stem) + "i"]
            } else {
                words.append(stem + "i")
            }
            result += forms(words)
            var superlativeStems = [stem]
            if stem.hasSuffix("c") || stem.hasSuffix("g") { superlativeStems.append(hardStem(stem)) }
            for base in superlativeStems {
                result += forms(["issimo", "issima", "issimi", "issime"].map { base + $0 }, emphatic: true)
            }
            result += forms(["ino", "ina", "ini", "ine", "etto", "etta"].map { hardStemIfNeeded(stem) + $0 })
        } else if lemma.hasSuffix("e") {
            let stem = lemma.dropping(1)
            var words = [stem + "i"]
            if stem.hasSuffix("l") || stem.hasSuffix("r") { words.append(stem + "mente") } else { words.append(lemma + "mente") }
            result += forms(words)
            result += forms(["issimo", "issima", "issimi", "issime"].map { stem + $0 }, emphatic: true)
        } else if lemma.hasSuffix("a") {
            let stem = lemma.dropping(1)
            result += forms([hardStem(stem) + "i", hardStem(stem) + "e", lemma + "mente"])
        }
        return result
    }

    static func hardStemIfNeeded(_ stem: String) -> String { hardStem(stem) }

    static func noun(_ lemma: String) -> [InflectedForm] {
        guard let last = lemma.last else { return [] }
        let stem = lemma.dropping(1)
        var words: [String] = []
        switch last {
        case "o":
            if stem.hasSuffix("i") {
                words.append(stem)
            } else if stem.hasSuffix("c") || stem.hasSuffix("g") {
                words += [hardStem(stem) + "i", stem + "i"]
            } else {
                words.append(stem + "i")
            }
            words += [stem + "ino", stem + "ini", stem + "etto"]
        case "a":
            if stem.hasSuffix("ci") || stem.hasSuffix("gi") {
                words += [stem.dropping(1) + "e", stem + "e"]
            } else {
                words += [hardStem(stem) + "e", hardStem(stem) + "i"]
            }
            words += [stem + "ina", stem + "ine"]
        case "e":
            words.append(stem + "i")
        default:
            break
        }
        return forms(words)
    }

    static func verb(_ lemma: String) -> [InflectedForm] {
        var infinitive = lemma
        if infinitive.hasSuffix("arsi") || infinitive.hasSuffix("ersi") || infinitive.hasSuffix("irsi") {
            infinitive = infinitive.dropping(2) + "e"
        }
        guard infinitive.count >= 4 else { return [] }
        let stem = infinitive.dropping(3)
        var words: [String] = []
        if infinitive != lemma { words.append(infinitive) }
        words.append(infinitive.dropping(1))  // truncated infinitive, used before clitics (amarti)
        if infinitive.hasSuffix("are") {
            // Before i/e: cercare → cerchi, mangiare → mangi.
            var before = stem
            if stem.hasSuffix("c") || stem.hasSuffix("g") { before = stem + "h" }
            else if stem.hasSuffix("ci") || stem.hasSuffix("gi") || stem.hasSuffix("i") { before = stem.dropping(1) }
            words += ["o", "a", "ano", "ate", "avo", "avi", "ava", "avamo", "avate", "avano", "ai", "asti", "ò",
                      "ammo", "aste", "arono", "assi", "asse", "assimo", "assero", "ato", "ata", "ati", "ate",
                      "ando"].map { stem + $0 }
            words += ["i", "iamo", "iate", "ino", "erò", "erai", "erà", "eremo", "erete", "eranno", "erei",
                      "eresti", "erebbe", "eremmo", "ereste", "erebbero"].map { before + $0 }
        } else if infinitive.hasSuffix("ere") {
            words += ["o", "i", "e", "iamo", "ete", "ono", "evo", "evi", "eva", "evamo", "evate", "evano", "ei",
                      "é", "ette", "emmo", "este", "erono", "ettero", "erò", "erai", "erà", "eremo", "erete",
                      "eranno", "erei", "eresti", "erebbe", "eremmo", "ereste", "erebbero", "a", "ano", "iate",
                      "essi", "esse", "essero", "uto", "uta", "uti", "ute", "endo"].map { stem + $0 }
        } else if infinitive.hasSuffix("ire") {
            words += ["o", "i", "e", "iamo", "ite", "ono", "isco", "isci", "isce", "iscono", "isca", "iscano",
                      "ivo", "ivi", "iva", "ivamo", "ivate", "ivano", "ii", "ì", "immo", "iste", "irono", "irò",
                      "irai", "irà", "iremo", "irete", "iranno", "irei", "iresti", "irebbe", "iremmo", "ireste",
                      "irebbero", "a", "ano", "iate", "issi", "isse", "issero", "ito", "ita", "iti", "ite", "endo"]
                .map { stem + $0 }
        }
        return forms(words)
    }
}

// MARK: - English

private enum English {
    static func isConsonant(_ character: Character) -> Bool { !isVowel(character) }

    /// Short consonant–vowel–consonant words double their last letter: `sad` → `sadder`.
    static func doublesFinalConsonant(_ word: String) -> Bool {
        let characters = Array(word)
        guard characters.count >= 3, characters.count <= 4 else { return false }
        let last = characters[characters.count - 1]
        let middle = characters[characters.count - 2]
        let before = characters[characters.count - 3]
        if "wxy".contains(last) { return false }
        return isConsonant(last) && isVowel(middle) && isConsonant(before)
    }

    static func sForm(_ word: String) -> String {
        if word.hasSuffix("s") || word.hasSuffix("x") || word.hasSuffix("z") || word.hasSuffix("ch")
            || word.hasSuffix("sh") || word.hasSuffix("o")
        {
            return word + "es"
        }
        if word.hasSuffix("y"), let previous = word.dropLast().last, isConsonant(previous) {
            return word.dropping(1) + "ies"
        }
        return word + "s"
    }

    static func adjective(_ lemma: String) -> [InflectedForm] {
        var words: [String] = []
        // Adverb.
        if lemma.hasSuffix("y"), let previous = lemma.dropLast().last, isConsonant(previous) {
            words.append(lemma.dropping(1) + "ily")
        } else if lemma.hasSuffix("le") {
            words.append(lemma.dropping(1) + "y")
        } else if lemma.hasSuffix("ic") {
            words.append(lemma + "ally")
        } else if lemma.hasSuffix("ll") {
            words.append(lemma + "y")
        } else if lemma.hasSuffix("ue") {
            words.append(lemma.dropping(1) + "ly")
        } else {
            words.append(lemma + "ly")
        }
        // Comparative and superlative.
        if lemma.count <= 7 {
            if lemma.hasSuffix("e") {
                words += [lemma + "r", lemma + "st"]
            } else if lemma.hasSuffix("y"), let previous = lemma.dropLast().last, isConsonant(previous) {
                words += [lemma.dropping(1) + "ier", lemma.dropping(1) + "iest"]
            } else if doublesFinalConsonant(lemma), let last = lemma.last {
                words += [lemma + String(last) + "er", lemma + String(last) + "est"]
            } else {
                words += [lemma + "er", lemma + "est"]
            }
        }
        return forms(words)
    }

    static func noun(_ lemma: String) -> [InflectedForm] {
        forms([sForm(lemma)])
    }

    static func verb(_ lemma: String) -> [InflectedForm] {
        var words = [sForm(lemma)]
        if lemma.hasSuffix("e") {
            words.append(lemma + "d")
        } else if lemma.hasSuffix("y"), let previous = lemma.dropLast().last, isConsonant(previous) {
            words.append(lemma.dropping(1) + "ied")
        } else if doublesFinalConsonant(lemma), let last = lemma.last {
            words.append(lemma + String(last) + "ed")
        } else {
            words.append(lemma + "ed")
        }
        if lemma.hasSuffix("ie") {
            words.append(lemma.dropping(2) + "ying")
        } else if lemma.hasSuffix("e") && !lemma.hasSuffix("ee") && !lemma.hasSuffix("ye") && !lemma.hasSuffix("oe") {
            words.append(lemma.dropping(1) + "ing")
        } else if doublesFinalConsonant(lemma), let last = lemma.last {
            words.append(lemma + String(last) + "ing")
        } else {
            words.append(lemma + "ing")
        }
        return forms(words)
    }
}
