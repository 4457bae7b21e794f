import TextAnalysis

/// Finds the brands of a `BrandMatcher` in entries, reusing its buffers from one entry to the
/// next (one scanner per thread; the matcher itself is shared).
///
/// For each entry the title and the text are tokenized once and each token is looked up once in
/// the matcher's vocabulary; only the brands whose patterns were hit (and the few that can match
/// on `site:`/`lang:` alone) are evaluated. An entry that mentions no brand allocates nothing.
///
/// A scanner is a value: give each thread or task its own (it may be moved between them).
public struct MentionScanner: Sendable {
    /// The matcher this scanner reads.
    public let matcher: BrandMatcher
    private let tokenizer = Tokenizer(splitsHashtags: true)
    /// Pointers into `matcher`'s tables (which `matcher` keeps alive).
    private let lookup: Lookup
    private var tokens = TokenizedText()
    private var keys = KeyScratch()
    private var occurrences: [Occurrence] = []
    private var hits: [Hit] = []
    private var sortedHits: [Hit] = []
    private var touched: [Int32] = []
    private var patternStamp: [UInt32]
    private var patternFirst: [Int32]
    private var patternEnd: [Int32]
    private var brandStamp: [UInt32]
    private var candidates: [Int32] = []
    private var generation: UInt32 = 0
    private var leaves: [Int64] = []
    private var evidence: [Int64] = []
    // The entry being evaluated.
    private var link: String?
    private var host: [UInt8]?
    private var hostComputed = false
    private var languageBit: UInt8 = 0

    /// Creates a scanner for `matcher` (see `BrandMatcher.makeScanner()`).
    public init(matcher: BrandMatcher) {
        self.matcher = matcher
        lookup = Lookup(matcher)
        patternStamp = Array(repeating: 0, count: matcher.patternCount)
        patternFirst = Array(repeating: 0, count: matcher.patternCount)
        patternEnd = Array(repeating: 0, count: matcher.patternCount)
        brandStamp = Array(repeating: 0, count: matcher.brands.count)
    }

    /// The brands mentioned in `entry`, in the order of `matcher.brands`.
    public mutating func mentions(in entry: MatchableEntry) -> [BrandMention] {
        var result: [BrandMention] = []
        mentions(in: entry, into: &result)
        return result
    }

    /// Replaces the content of `result` with the brands mentioned in `entry` (keeps its storage).
    public mutating func mentions(in entry: MatchableEntry, into result: inout [BrandMention]) {
        result.removeAll(keepingCapacity: true)
        generation &+= 1
        if generation == 0 {
            for index in patternStamp.indices { patternStamp[index] = 0 }
            for index in brandStamp.indices { brandStamp[index] = 0 }
            generation = 1
        }
        hits.removeAll(keepingCapacity: true)
        if matcher.patternCount > 0 {
            if let title = entry.title { scan(title, field: 0) }
            scan(entry.text, field: 1)
        }
        if hits.isEmpty && matcher.alwaysEvaluated.isEmpty { return }

        // Group the hits by pattern (a stable counting sort), then mark the brands that use a
        // hit pattern.
        candidates.removeAll(keepingCapacity: true)
        touched.removeAll(keepingCapacity: true)
        for hit in hits {
            let pattern = Int(hit.pattern)
            if patternStamp[pattern] != generation {
                patternStamp[pattern] = generation
                patternEnd[pattern] = 0
                touched.append(hit.pattern)
            }
            patternEnd[pattern] += 1
        }
        var offset: Int32 = 0
        for pattern in touched {
            let count = patternEnd[Int(pattern)]
            patternFirst[Int(pattern)] = offset
            patternEnd[Int(pattern)] = offset
            offset += count
        }
        if touched.count > 1 {
            sortedHits.removeAll(keepingCapacity: true)
            sortedHits.append(contentsOf: hits)
            for hit in hits {
                let pattern = Int(hit.pattern)
                sortedHits[Int(patternEnd[pattern])] = hit
                patternEnd[pattern] += 1
            }
            swap(&hits, &sortedHits)
        } else if let only = touched.first {
            patternEnd[Int(only)] = Int32(hits.count)
        }
        for pattern in touched {
            for user in Int(matcher.patternBrandStart[Int(pattern)])..<Int(matcher.patternBrandStart[Int(pattern) + 1]) {
                let brand = Int(matcher.patternBrands[user])
                if brandStamp[brand] != generation {
                    brandStamp[brand] = generation
                    candidates.append(Int32(brand))
                }
            }
        }
        for brand in matcher.alwaysEvaluated where brandStamp[Int(brand)] != generation {
            brandStamp[Int(brand)] = generation
            candidates.append(brand)
        }
        if candidates.isEmpty { return }
        // Brand order (insertion sort: there are few candidates).
        if candidates.count > 1 {
            for index in 1..<candidates.count {
                let brand = candidates[index]
                var position = index
                while position > 0 && candidates[position - 1] > brand {
                    candidates[position] = candidates[position - 1]
                    position -= 1
                }
                candidates[position] = brand
            }
        }

        link = entry.link
        host = nil
        hostComputed = false
        languageBit = entry.language.map(BrandProgram.languageBit) ?? 0
        for brand in candidates {
            let program = matcher.programs[Int(brand)]
            if program.languageMask != 0 {
                let bit = languageBit == 0 ? BrandProgram.languageBit(.und) : languageBit
                if program.languageMask & bit == 0 { continue }
            }
            guard evaluate(program, program.root) else { continue }
            result.append(mention(of: Int(brand), program: program))
        }
        link = nil
    }

    // MARK: Scanning a field

    private mutating func scan(_ text: String, field: UInt8) {
        var text = text
        var tokens = TokenizedText()
        swap(&tokens, &self.tokens)
        var occurrences: [Occurrence] = []
        swap(&occurrences, &self.occurrences)
        occurrences.removeAll(keepingCapacity: true)
        do {
            let lookup = self.lookup
            text.withUTF8 { original in
                tokenizer.tokenize(original, into: &tokens)
                tokens.tokens.withUnsafeBufferPointer { tokenList in
                    tokens.normalizedBytes.withUnsafeBufferPointer { normalized in
                        Self.collect(
                            tokens: tokenList, normalized: normalized, original: original, lookup: lookup,
                            keys: &keys, occurrences: &occurrences)
                    }
                }
            }
            if !occurrences.isEmpty {
                occurrences.withUnsafeBufferPointer { list in
                    Self.matchPatterns(list, field: field, lookup: lookup, edges: matcher.edges, hits: &hits)
                }
            }
        }
        swap(&tokens, &self.tokens)
        swap(&occurrences, &self.occurrences)
    }

    /// Looks every positional token up in the vocabulary; appends the symbols found.
    private static func collect(
        tokens: UnsafeBufferPointer<Token>, normalized: UnsafeBufferPointer<UInt8>,
        original: UnsafeBufferPointer<UInt8>, lookup: Lookup, keys: inout KeyScratch,
        occurrences: inout [Occurrence]
    ) {
        var nextPosition: Int32 = 0
        var hashtagPosition: Int32 = -1
        var sink = OccurrenceSink(lookup: lookup, occurrences: [])
        swap(&sink.occurrences, &occurrences)
        defer { swap(&sink.occurrences, &occurrences) }
        for token in tokens {
            let position: Int32
            switch token.kind {
            case .word:
                if token.flags.contains(.hashtagPart) && hashtagPosition >= 0 {
                    // The first word of a hashtag shares the hashtag's position.
                    position = hashtagPosition
                    hashtagPosition = -1
                } else {
                    hashtagPosition = -1
                    let normalizedRange = token.normalizedRange
                    if !normalizedRange.isEmpty && normalized[normalizedRange.lowerBound] == 0x27 { continue }
                    position = nextPosition
                    nextPosition += 1
                }
                let range = token.range
                let start = UInt32(truncatingIfNeeded: range.lowerBound)
                let end = UInt32(truncatingIfNeeded: range.upperBound)
                let form = UnsafeBufferPointer(rebasing: normalized[token.normalizedRange])
                if token.flags.contains(.elongated) {
                    // The form with runs cut to one letter, to two, and as written.
                    keys.folded.removeAll(keepingCapacity: true)
                    MatchKeys.appendFolded(form, to: &keys.folded)
                    sink.lookupFolded(keys.folded, position, start, end)
                    keys.folded.removeAll(keepingCapacity: true)
                    MatchKeys.appendFolded(UnsafeBufferPointer(rebasing: normalized[token.alternativeRange]), to: &keys.folded)
                    sink.lookupFolded(keys.folded, position, start, end)
                    keys.folded.removeAll(keepingCapacity: true)
                    MatchKeys.appendFolded(UnsafeBufferPointer(rebasing: original[range]), to: &keys.folded)
                    sink.lookupFolded(keys.folded, position, start, end)
                } else if token.flags.contains(.nonASCII) {
                    keys.folded.removeAll(keepingCapacity: true)
                    MatchKeys.appendFolded(form, to: &keys.folded)
                    sink.lookupFolded(keys.folded, position, start, end)
                } else {
                    sink.lookupFolded(form, position, start, end)
                }
                if sink.needsExact {
                    sink.needsExact = false
                    keys.exact.removeAll(keepingCapacity: true)
                    MatchKeys.appendExact(UnsafeBufferPointer(rebasing: original[range]), to: &keys.exact)
                    sink.lookupExact(keys.exact, position, start, end)
                }
            case .number:
                hashtagPosition = -1
                position = nextPosition
                nextPosition += 1
                let range = token.range
                sink.lookupFolded(
                    UnsafeBufferPointer(rebasing: normalized[token.normalizedRange]), position,
                    UInt32(truncatingIfNeeded: range.lowerBound), UInt32(truncatingIfNeeded: range.upperBound))
                sink.needsExact = false
            case .hashtag, .mention:
                position = nextPosition
                nextPosition += 1
                hashtagPosition = token.kind == .hashtag ? position : -1
                let range = token.range
                let start = UInt32(truncatingIfNeeded: range.lowerBound)
                let end = UInt32(truncatingIfNeeded: range.upperBound)
                keys.folded.removeAll(keepingCapacity: true)
                MatchKeys.appendFolded(UnsafeBufferPointer(rebasing: normalized[token.normalizedRange]), to: &keys.folded)
                // `#name` / `@name` for tag terms, then `name` for words (a bare word matches a
                // hashtag or handle that is exactly that word).
                sink.lookupTag(keys.folded, position, start, end)
                if sink.needsExact {
                    sink.needsExact = false
                    keys.exact.removeAll(keepingCapacity: true)
                    MatchKeys.appendExact(UnsafeBufferPointer(rebasing: original[range]), to: &keys.exact)
                    sink.lookupExactTag(keys.exact, position, start, end)
                }
            default:
                continue
            }
        }
    }

    /// Runs the pattern trie from every symbol that starts a pattern.
    private static func matchPatterns(
        _ list: UnsafeBufferPointer<Occurrence>, field: UInt8, lookup: Lookup, edges: [UInt64: Int32],
        hits: inout [Hit]
    ) {
        for index in list.indices {
            let occurrence = list[index]
            let node = lookup.rootNode[Int(occurrence.symbol)]
            if node < 0 { continue }
            let pattern = lookup.nodePattern[Int(node)]
            if pattern >= 0 {
                hits.append(
                    Hit(pattern: pattern, field: field, first: occurrence.position, last: occurrence.position,
                        start: occurrence.start, end: occurrence.end))
            }
            if lookup.nodeHasChildren[Int(node)] {
                extend(list, node: node, from: index, first: occurrence.position, position: occurrence.position,
                       start: occurrence.start, field: field, lookup: lookup, edges: edges, hits: &hits)
            }
        }
    }

    /// Follows the pattern trie from `node` into the words at `position + 1`.
    private static func extend(
        _ list: UnsafeBufferPointer<Occurrence>, node: Int32, from index: Int, first: Int32, position: Int32,
        start: UInt32, field: UInt8, lookup: Lookup, edges: [UInt64: Int32], hits: inout [Hit]
    ) {
        var next = index + 1
        while next < list.count && list[next].position <= position { next += 1 }
        while next < list.count && list[next].position == position + 1 {
            let occurrence = list[next]
            let key = UInt64(UInt32(node)) << 32 | UInt64(UInt32(occurrence.symbol))
            if let child = edges[key] {
                let pattern = lookup.nodePattern[Int(child)]
                if pattern >= 0 {
                    hits.append(
                        Hit(pattern: pattern, field: field, first: first, last: occurrence.position,
                            start: start, end: occurrence.end))
                }
                if lookup.nodeHasChildren[Int(child)] {
                    extend(list, node: child, from: next, first: first, position: occurrence.position,
                           start: start, field: field, lookup: lookup, edges: edges, hits: &hits)
                }
            }
            next += 1
        }
    }

    // MARK: Evaluating a brand

    private func hitRange(_ pattern: Int32) -> Range<Int> {
        let index = Int(pattern)
        guard patternStamp[index] == generation else { return 0..<0 }
        return Int(patternFirst[index])..<Int(patternEnd[index])
    }

    private mutating func evaluate(_ program: BrandProgram, _ index: Int32) -> Bool {
        let node = program.nodes[Int(index)]
        switch node.kind {
        case .pattern:
            let range = hitRange(node.a)
            if range.isEmpty { return false }
            return node.b == 0 || hits[range.lowerBound].field == 0
        case .and:
            for offset in 0..<Int(node.b) where !evaluate(program, program.children[Int(node.a) + offset]) {
                return false
            }
            return true
        case .or:
            for offset in 0..<Int(node.b) where evaluate(program, program.children[Int(node.a) + offset]) {
                return true
            }
            return false
        case .andNot:
            return evaluate(program, node.a) && !evaluate(program, node.b)
        case .not:
            return !evaluate(program, node.a)
        case .near:
            let mark = leaves.count
            var spans: [Span] = []
            collectSpans(program, index, into: &spans)
            leaves.removeSubrange(mark...)
            return !spans.isEmpty
        case .site:
            return hostMatches(program.hosts[Int(node.a)])
        case .lang:
            return languageBit & UInt8(truncatingIfNeeded: node.a) != 0
        }
    }

    /// The places where a NEAR operand matches (terms, OR groups, nested NEARs), with the hits
    /// that make each one in `leaves` (hit index << 32 | term text index).
    private mutating func collectSpans(_ program: BrandProgram, _ index: Int32, into spans: inout [Span]) {
        let node = program.nodes[Int(index)]
        switch node.kind {
        case .pattern:
            for hitIndex in hitRange(node.a) {
                let hit = hits[hitIndex]
                if node.b != 0 && hit.field != 0 { break }
                spans.append(Span(field: hit.field, first: hit.first, last: hit.last, leafStart: Int32(leaves.count), leafCount: 1))
                leaves.append(Int64(hitIndex) << 32 | Int64(node.c))
            }
        case .or:
            for offset in 0..<Int(node.b) {
                collectSpans(program, program.children[Int(node.a) + offset], into: &spans)
            }
        case .near:
            var left: [Span] = []
            var right: [Span] = []
            collectSpans(program, node.a, into: &left)
            if left.isEmpty { return }
            collectSpans(program, node.b, into: &right)
            if right.isEmpty { return }
            right.sort { ($0.field, $0.first) < ($1.field, $1.first) }
            var longest: Int32 = 0
            for span in right { longest = max(longest, span.last - span.first) }
            let distance = node.c
            for a in left {
                // Right spans starting from `distance` words (plus the longest span) before `a`.
                let lowest = (a.field, a.first &- distance &- 1 &- longest)
                var low = 0
                var high = right.count
                while low < high {
                    let middle = (low + high) / 2
                    if (right[middle].field, right[middle].first) < lowest { low = middle + 1 } else { high = middle }
                }
                var position = low
                while position < right.count {
                    let b = right[position]
                    position += 1
                    if b.field != a.field || b.first > a.last &+ distance &+ 1 { break }
                    let gap: Int32
                    if b.first > a.last {
                        gap = b.first - a.last - 1
                    } else if b.last < a.first {
                        gap = a.first - b.last - 1
                    } else {
                        continue  // the same words: two places are needed
                    }
                    if gap > distance { continue }
                    let leafStart = Int32(leaves.count)
                    for leaf in Int(a.leafStart)..<Int(a.leafStart + a.leafCount) { leaves.append(leaves[leaf]) }
                    for leaf in Int(b.leafStart)..<Int(b.leafStart + b.leafCount) { leaves.append(leaves[leaf]) }
                    spans.append(Span(field: a.field, first: min(a.first, b.first), last: max(a.last, b.last),
                                      leafStart: leafStart, leafCount: a.leafCount + b.leafCount))
                    if spans.count >= Self.maximumSpans { return }
                }
            }
        default:
            break  // not a span query (rejected when compiling)
        }
    }

    /// The most places one NEAR collects (enough to decide and to show; bounds hostile texts).
    static let maximumSpans = 4_096

    /// Appends the hits that make a matching brand match (terms under NOT are left out).
    private mutating func collectEvidence(_ program: BrandProgram, _ index: Int32) {
        let node = program.nodes[Int(index)]
        switch node.kind {
        case .pattern:
            for hitIndex in hitRange(node.a) {
                if node.b != 0 && hits[hitIndex].field != 0 { break }
                evidence.append(Int64(hitIndex) << 32 | Int64(node.c))
            }
        case .and:
            for offset in 0..<Int(node.b) { collectEvidence(program, program.children[Int(node.a) + offset]) }
        case .or:
            for offset in 0..<Int(node.b) {
                let child = program.children[Int(node.a) + offset]
                if evaluate(program, child) { collectEvidence(program, child) }
            }
        case .andNot:
            collectEvidence(program, node.a)
        case .near:
            let mark = leaves.count
            var spans: [Span] = []
            collectSpans(program, index, into: &spans)
            for span in spans {
                for leaf in Int(span.leafStart)..<Int(span.leafStart + span.leafCount) { evidence.append(leaves[leaf]) }
            }
            leaves.removeSubrange(mark...)
        case .not, .site, .lang:
            break
        }
    }

    private mutating func mention(of brand: Int, program: BrandProgram) -> BrandMention {
        evidence.removeAll(keepingCapacity: true)
        collectEvidence(program, program.root)
        let hits = self.hits
        evidence.sort { left, right in
            let a = hits[Int(left >> 32)]
            let b = hits[Int(right >> 32)]
            return (a.field, a.start, a.end, left) < (b.field, b.start, b.end, right)
        }
        var terms: [MatchedTerm] = []
        var count = 0
        var previous: Hit?
        for item in evidence {
            let hit = hits[Int(item >> 32)]
            if let previous, previous.field == hit.field, previous.start == hit.start, previous.end == hit.end { continue }
            previous = hit
            count += 1
            if terms.count < BrandMatcher.maximumTermsPerMention {
                terms.append(MatchedTerm(
                    term: program.termTexts[Int(item & 0xFFFF_FFFF)], field: hit.field == 0 ? .title : .text,
                    range: Int(hit.start)..<Int(hit.end)))
            }
        }
        return BrandMention(brand: matcher.brands[brand].name, brandIndex: brand, terms: terms, matchCount: count)
    }

    private mutating func hostMatches(_ value: [UInt8]) -> Bool {
        if !hostComputed {
            hostComputed = true
            host = link.flatMap(Self.host(of:))
        }
        guard let host, host.count >= value.count else { return false }
        let offset = host.count - value.count
        if offset > 0 && host[offset - 1] != 0x2E { return false }
        var index = 0
        while index < value.count {
            if host[offset + index] != value[index] { return false }
            index += 1
        }
        return true
    }

    /// The host of an absolute link, lower case, without user, port or trailing dot.
    static func host(of link: String) -> [UInt8]? {
        let bytes = Array(link.utf8)
        var index = 0
        // scheme://
        while index < bytes.count && bytes[index] != 0x3A && bytes[index] != 0x2F { index += 1 }
        guard index + 2 < bytes.count, bytes[index] == 0x3A, bytes[index + 1] == 0x2F, bytes[index + 2] == 0x2F
        else { return nil }
        var start = index + 3
        var end = start
        while end < bytes.count && bytes[end] != 0x2F && bytes[end] != 0x3F && bytes[end] != 0x23 { end += 1 }
        // user:password@
        if let at = bytes[start..<end].lastIndex(of: 0x40) { start = at + 1 }
        var hostEnd = end
        if start < end && bytes[start] == 0x5B {
            // [IPv6]
            if let close = bytes[start..<end].firstIndex(of: 0x5D) { hostEnd = close + 1 }
        } else if let colon = bytes[start..<end].firstIndex(of: 0x3A) {
            hostEnd = colon
        }
        while hostEnd > start && bytes[hostEnd - 1] == 0x2E { hostEnd -= 1 }
        guard hostEnd > start else { return nil }
        return bytes[start..<hostEnd].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }
}

// MARK: - Scratch types

/// A vocabulary symbol found at a word position.
struct Occurrence {
    var position: Int32
    var symbol: Int32
    var start: UInt32
    var end: UInt32
}

/// A pattern matched from word `first` to word `last` of a field (0 title, 1 text).
struct Hit {
    var pattern: Int32
    var field: UInt8
    var first: Int32
    var last: Int32
    var start: UInt32
    var end: UInt32
}

/// A place where a NEAR operand matches.
struct Span {
    var field: UInt8
    var first: Int32
    var last: Int32
    var leafStart: Int32
    var leafCount: Int32
}

struct KeyScratch {
    var folded: [UInt8] = []
    var exact: [UInt8] = []
}

/// The matcher's tables as plain pointers, for the per-token loop (valid while the matcher is
/// alive; the scanner keeps it). The memory is never written after the matcher is built.
struct Lookup: @unchecked Sendable {
    let folded: KeyTableView
    let exact: KeyTableView
    let foldedStems: StemTrieView
    let exactStems: StemTrieView
    let rootNode: UnsafeMutablePointer<Int32>
    let nodePattern: UnsafeMutablePointer<Int32>
    let nodeHasChildren: UnsafeMutablePointer<Bool>

    init(_ matcher: BrandMatcher) {
        folded = matcher.foldedKeys.view
        exact = matcher.exactKeys.view
        foldedStems = matcher.foldedStems.view
        exactStems = matcher.exactStems.view
        rootNode = matcher.rootNode.pointer
        nodePattern = matcher.nodePattern.pointer
        nodeHasChildren = matcher.nodeHasChildren.pointer
    }
}

/// Looks keys up and appends the symbols found, once per position.
private struct OccurrenceSink {
    let lookup: Lookup
    var occurrences: [Occurrence]
    /// Set when a folded key gates `{Exact}` terms: the written form must be looked up too.
    var needsExact = false

    @inline(__always)
    mutating func add(_ symbol: Int32, _ position: Int32, _ start: UInt32, _ end: UInt32) {
        var index = occurrences.count - 1
        while index >= 0 && occurrences[index].position == position {
            if occurrences[index].symbol == symbol { return }
            index -= 1
        }
        occurrences.append(Occurrence(position: position, symbol: symbol, start: start, end: end))
    }

    /// Adds the symbol of a folded-vocabulary value and notes its `{Exact}` gate.
    @inline(__always)
    mutating func addFolded(_ value: Int32, _ position: Int32, _ start: UInt32, _ end: UInt32) {
        if value & Vocabulary.exactGate != 0 { needsExact = true }
        let symbol = value & Vocabulary.symbolMask
        if symbol != Vocabulary.none { add(symbol, position, start, end) }
    }

    @inline(__always)
    mutating func lookupFolded(_ key: UnsafeBufferPointer<UInt8>, _ position: Int32, _ start: UInt32, _ end: UInt32) {
        if key.isEmpty { return }
        let value = lookup.folded.find(key)
        if value >= 0 { addFolded(value, position, start, end) }
        if !lookup.foldedStems.isEmpty {
            lookup.foldedStems.forEachStem(of: key) { addFolded($0, position, start, end) }
        }
    }

    @inline(__always)
    mutating func lookupFolded(_ key: [UInt8], _ position: Int32, _ start: UInt32, _ end: UInt32) {
        key.withUnsafeBufferPointer { lookupFolded($0, position, start, end) }
    }

    mutating func lookupExact(_ key: UnsafeBufferPointer<UInt8>, _ position: Int32, _ start: UInt32, _ end: UInt32) {
        if key.isEmpty { return }
        let symbol = lookup.exact.find(key)
        if symbol >= 0 { add(symbol, position, start, end) }
        if !lookup.exactStems.isEmpty {
            lookup.exactStems.forEachStem(of: key) { add($0, position, start, end) }
        }
    }

    mutating func lookupExact(_ key: [UInt8], _ position: Int32, _ start: UInt32, _ end: UInt32) {
        key.withUnsafeBufferPointer { lookupExact($0, position, start, end) }
    }

    /// `key` is the folded `#name` or `@name`: looks up the tag, then the name as a word.
    mutating func lookupTag(_ key: [UInt8], _ position: Int32, _ start: UInt32, _ end: UInt32) {
        key.withUnsafeBufferPointer { key in
            guard key.count > 1 else { return }
            let value = lookup.folded.find(key)
            if value >= 0 { addFolded(value, position, start, end) }
            lookupFolded(UnsafeBufferPointer(rebasing: key[1...]), position, start + 1, end)
        }
    }

    /// `key` is the written `#Name` or `@Name`.
    mutating func lookupExactTag(_ key: [UInt8], _ position: Int32, _ start: UInt32, _ end: UInt32) {
        key.withUnsafeBufferPointer { key in
            guard key.count > 1 else { return }
            let symbol = lookup.exact.find(key)
            if symbol >= 0 { add(symbol, position, start, end) }
            lookupExact(UnsafeBufferPointer(rebasing: key[1...]), position, start + 1, end)
        }
    }
}
