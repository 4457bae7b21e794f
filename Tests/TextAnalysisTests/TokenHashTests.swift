import Testing

@testable import TextAnalysis

@Suite struct TokenHashTests {
    @Test func readingWholeWordsGivesTheSameHash() {
        // Every length, with junk after the key that the whole-word reads must ignore.
        var bytes = [UInt8](repeating: 0xAB, count: 64)
        for index in 0..<40 { bytes[index] = UInt8(0x61 + index % 26) }
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for start in 0..<3 {
                for count in 0...40 {
                    let key = UnsafeBufferPointer(rebasing: buffer[start..<start + count])
                    #expect(TokenHash.hash(overreading: base + start, count: count) == TokenHash.hash(key))
                }
            }
        }
    }

    @Test func hashesAreOddAndTellKeysApart() {
        var seen = Set<UInt32>()
        for word in ["a", "b", "ab", "ba", "good", "goods", "buenísimo", "abcdefgh", "abcdefghi", "abcdefgi"] {
            var copy = word
            let hash = copy.withUTF8 { TokenHash.hash($0) }
            #expect(hash & 1 == 1)
            #expect(seen.insert(hash).inserted, "\(word)")
        }
    }

    @Test func everyTokenCarriesTheHashOfItsNormalisedForm() {
        let text = Tokenizer().tokenize(
            "Me ENCANTA el café!!! #MalServicio @iberia http://x.co :-) 😍 sooooo goooood dell'assistenza 10,5%")
        #expect(text.tokens.count > 10)
        text.normalizedBytes.withUnsafeBufferPointer { bytes in
            for token in text.tokens {
                let expected = TokenHash.hash(UnsafeBufferPointer(rebasing: bytes[token.normalizedRange]))
                #expect(token.normalizedHash == expected, "\(text.normalized(token))")
            }
        }
    }

    @Test func anArenaHoldsWhatTheArraysHold() {
        let tokenizer = Tokenizer()
        let arena = TokenArena()
        for text in ["", "hola", "Me ENCANTA el café!!! #MalServicio", String(repeating: "bueno ", count: 2000)] {
            var copy = text
            copy.withUTF8 { tokenizer.tokenize($0, into: arena) }
            let arrays = tokenizer.tokenize(text)
            #expect(Array(arena.tokenBuffer) == arrays.tokens)
            #expect(Array(arena.byteBuffer) == arrays.normalizedBytes)
        }
    }
}
