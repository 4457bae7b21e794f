import TextAnalysis

/// Every brand's query compiled into one multi-pattern matcher.
///
/// All the words of all the brands meet in one vocabulary: each token of an entry is looked up
/// once (one hash probe for its folded form, one walk of the wildcard-stem trie, and a second
/// probe for its written form when some brand has `{Exact}` terms). The vocabulary words found
/// are fed to a trie of word sequences (the phrases, hashtags, handles, wildcards and single
/// words of every brand, each a "pattern") started only at words that begin some pattern. Each
/// pattern lists the brands that use it; only those brands' boolean trees are evaluated, on the
/// patterns' hits.
///
/// Build once (it is immutable and `Sendable`), then scan entries with a `MentionScanner` per
/// thread:
/// ```swift
/// let matcher = try BrandMatcher(brands: [
///     BrandDefinition(name: "Iberia", query: #""Iberia" OR #iberia OR @iberia NOT "península ibérica""#,
///                     languages: [.es, .en]),
/// ])
/// var scanner = matcher.makeScanner()
/// let mentions = scanner.mentions(in: MatchableEntry(title: "Vuelo", text: "Iberia perdió mi maleta", language: .es))
/// ```
public struct BrandMatcher: Sendable {
    /// The most matched places a `BrandMention` lists (`matchCount` still counts them all).
    public static let maximumTermsPerMention = 100

    /// The brands, in the order given.
    public let brands: [BrandDefinition]

    // Vocabulary: folded keys (words, `#tag`, `@handle`) and written keys (`{Exact}`) → symbol.
    // Values of the folded tables are `Vocabulary.symbol | Vocabulary.exactGate`: the gate says
    // that some `{Exact}` term folds to this key, so the written form must be looked up too.
    let foldedKeys: FrozenKeyTable
    let exactKeys: FrozenKeyTable
    let foldedStems: StemTrie
    let exactStems: StemTrie
    let symbolCount: Int

    // Patterns: a trie over symbol sequences. `rootNode[symbol]` starts it; deeper edges are
    // looked up in `edges` (node << 32 | symbol).
    let rootNode: Pinned<Int32>
    let edges: [UInt64: Int32]
    let nodeHasChildren: Pinned<Bool>
    /// The pattern ending at each node, or -1.
    let nodePattern: Pinned<Int32>
    let patternCount: Int
    /// Brands using pattern `p`: `patternBrands[patternBrandStart[p]..<patternBrandStart[p + 1]]`.
    let patternBrandStart: [Int32]
    let patternBrands: [Int32]

    let programs: [BrandProgram]
    /// Brands that can match an entry without any pattern hit (`site:`/`lang:` only, or an
    /// exclusion such as `lang:es -spam`): evaluated for every entry.
    let alwaysEvaluated: [Int32]

    /// Compiles `brands` into one matcher.
    /// - Throws: `BrandMatcherError` naming the brand whose query cannot be matched (a query
    ///   that only excludes, an invalid `site:` or `lang:` value, a NEAR over AND/NOT).
    public init(brands: [BrandDefinition]) throws(BrandMatcherError) {
        var builder = MatcherBuilder()
        var programs: [BrandProgram] = []
        var always: [Int32] = []
        for (index, brand) in brands.enumerated() {
            let program = try builder.compile(brand, index: Int32(index))
            if program.canMatchWithoutHits { always.append(Int32(index)) }
            programs.append(program)
        }
        self.brands = brands
        self.programs = programs
        self.alwaysEvaluated = always
        foldedKeys = builder.foldedKeys.frozen()
        exactKeys = builder.exactKeys.frozen()
        foldedStems = StemTrie(stems: builder.foldedStems.map { ($0.key, $0.value) })
        exactStems = StemTrie(stems: builder.exactStems.map { ($0.key, $0.value) })
        symbolCount = Int(builder.symbolCount)
        var rootNode = [Int32](repeating: -1, count: symbolCount)
        var edges: [UInt64: Int32] = [:]
        var nodeHasChildren: [Bool] = []
        var nodePattern: [Int32] = []
        for (patternIndex, symbols) in builder.patterns.enumerated() {
            var node: Int32 = -1
            for symbol in symbols {
                let next: Int32
                if node < 0 {
                    if rootNode[Int(symbol)] < 0 {
                        rootNode[Int(symbol)] = Int32(nodePattern.count)
                        nodePattern.append(-1)
                        nodeHasChildren.append(false)
                    }
                    next = rootNode[Int(symbol)]
                } else {
                    let key = UInt64(UInt32(node)) << 32 | UInt64(UInt32(symbol))
                    if let existing = edges[key] {
                        next = existing
                    } else {
                        next = Int32(nodePattern.count)
                        nodePattern.append(-1)
                        nodeHasChildren.append(false)
                        edges[key] = next
                        nodeHasChildren[Int(node)] = true
                    }
                }
                node = next
            }
            nodePattern[Int(node)] = Int32(patternIndex)
        }
        self.rootNode = Pinned(rootNode)
        self.edges = edges
        self.nodeHasChildren = Pinned(nodeHasChildren)
        self.nodePattern = Pinned(nodePattern)
        patternCount = builder.patterns.count
        var start: [Int32] = [0]
        var list: [Int32] = []
        for users in builder.patternUsers {
            list.append(contentsOf: users)
            start.append(Int32(list.count))
        }
        patternBrandStart = start
        patternBrands = list
    }

    /// A scanner with its own reusable buffers (one per thread).
    public func makeScanner() -> MentionScanner {
        MentionScanner(matcher: self)
    }

    /// The mentions of every brand in `entry` (convenience: makes a scanner each call).
    public func mentions(in entry: MatchableEntry) -> [BrandMention] {
        var scanner = makeScanner()
        return scanner.mentions(in: entry)
    }

}

// MARK: - Programs

/// One brand's query as a flat array of nodes (a class: evaluating it copies no arrays).
final class BrandProgram: Sendable {
    enum Kind: UInt8, Sendable {
        /// `a` pattern, `b` 1 when only the title counts, `c` index in `termTexts`.
        case pattern
        /// `a` first child in `children`, `b` count.
        case and
        case or
        /// `a` minus `b`.
        case andNot
        /// not `a`.
        case not
        /// `a` within `c` words of `b`.
        case near
        /// `a` index in `hosts`.
        case site
        /// `a` the language's bit.
        case lang
    }

    struct Node: Sendable {
        var kind: Kind
        var a: Int32 = 0
        var b: Int32 = 0
        var c: Int32 = 0
    }

    let nodes: [Node]
    let children: [Int32]
    let root: Int32
    let termTexts: [String]
    /// `site:` values, lower case.
    let hosts: [[UInt8]]
    /// Bits of `Language` allowed (`languageBit`), or 0 for every entry.
    let languageMask: UInt8
    let canMatchWithoutHits: Bool

    init(_ draft: ProgramDraft, canMatchWithoutHits: Bool) {
        nodes = draft.nodes
        children = draft.children
        root = draft.root
        termTexts = draft.termTexts
        hosts = draft.hosts
        languageMask = draft.languageMask
        self.canMatchWithoutHits = canMatchWithoutHits
    }

    static func languageBit(_ language: Language) -> UInt8 {
        switch language {
        case .es: 1
        case .it: 2
        case .en: 4
        case .und: 8
        }
    }
}

/// A `BrandProgram` while it is compiled.
struct ProgramDraft {
    var nodes: [BrandProgram.Node] = []
    var children: [Int32] = []
    var root: Int32 = 0
    var termTexts: [String] = []
    var hosts: [[UInt8]] = []
    var languageMask: UInt8 = 0
}

/// Collects the vocabulary, the patterns and the programs while compiling.
/// How symbols are stored in the folded vocabulary.
enum Vocabulary {
    /// The symbol bits of a value (`none` when the key only gates `{Exact}` lookups).
    static let symbolMask: Int32 = 0x3FFF_FFFF
    static let none: Int32 = 0x3FFF_FFFF
    /// Set when some `{Exact}` term folds to the key.
    static let exactGate: Int32 = 1 << 30
}

/// Collects the vocabulary, the patterns and the programs while compiling.
struct MatcherBuilder {
    var foldedKeys = KeyTable()
    var exactKeys = KeyTable()
    var foldedStems: [[UInt8]: Int32] = [:]
    var exactStems: [[UInt8]: Int32] = [:]
    var symbolCount: Int32 = 0
    var patterns: [[Int32]] = []
    var patternIDs: [[Int32]: Int32] = [:]
    var patternUsers: [[Int32]] = []
    /// How rare each pattern is likely to be: the bytes of its keys (longer words and phrases
    /// are rarer), used to choose which patterns trigger a brand's evaluation.
    var patternRarity: [Double] = []

    mutating func symbol(_ key: [UInt8], exact: Bool, stem: Bool) -> Int32 {
        let next = symbolCount
        var result = next
        switch (exact, stem) {
        case (false, false):
            foldedKeys.update(key) { old in
                let value = old ?? Vocabulary.none
                if value & Vocabulary.symbolMask != Vocabulary.none {
                    result = value & Vocabulary.symbolMask
                    return value
                }
                return (value & Vocabulary.exactGate) | next
            }
        case (true, false):
            result = exactKeys.insert(key, value: next)
            foldedKeys.update(folded(key)) { old in (old ?? Vocabulary.none) | Vocabulary.exactGate }
        case (false, true):
            let value = foldedStems[key] ?? Vocabulary.none
            if value & Vocabulary.symbolMask != Vocabulary.none {
                result = value & Vocabulary.symbolMask
            } else {
                foldedStems[key] = (value & Vocabulary.exactGate) | next
            }
        case (true, true):
            if let existing = exactStems[key] {
                result = existing
            } else {
                exactStems[key] = next
            }
            let foldedStem = folded(key)
            foldedStems[foldedStem] = (foldedStems[foldedStem] ?? Vocabulary.none) | Vocabulary.exactGate
        }
        if result == next { symbolCount += 1 }
        return result
    }

    func folded(_ key: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        key.withUnsafeBufferPointer { MatchKeys.appendFolded($0, to: &output) }
        return output
    }

    /// The key of a query word: folded again (terms built by hand may not be), or kept as
    /// written for `{Exact}` terms.
    func key(_ word: String, exact: Bool, sign: UInt8? = nil) -> [UInt8] {
        var output: [UInt8] = []
        if let sign { output.append(sign) }
        var copy = word
        copy.withUTF8 { bytes in
            if exact {
                MatchKeys.appendExact(bytes, to: &output)
            } else {
                MatchKeys.appendFolded(bytes, to: &output)
            }
        }
        return output
    }

    mutating func pattern(for term: QueryTerm, brand: BrandDefinition) throws(BrandMatcherError) -> Int32 {
        let exact = term.caseSensitive
        guard !term.words.isEmpty, !term.words.contains(where: \.isEmpty) else {
            throw BrandMatcherError(brand: brand.name, message: "the term '\(term.text)' has no words to match")
        }
        var symbols: [Int32] = []
        switch term.kind {
        case .word, .phrase:
            for word in term.words { symbols.append(symbol(key(word, exact: exact), exact: exact, stem: false)) }
        case .prefix:
            symbols.append(symbol(key(term.words[0], exact: exact), exact: exact, stem: true))
        case .hashtag:
            symbols.append(symbol(key(term.words[0], exact: exact, sign: 0x23), exact: exact, stem: false))
        case .handle:
            symbols.append(symbol(key(term.words[0], exact: exact, sign: 0x40), exact: exact, stem: false))
        }
        if let existing = patternIDs[symbols] { return existing }
        let id = Int32(patterns.count)
        patterns.append(symbols)
        patternIDs[symbols] = id
        patternUsers.append([])
        var rarity = Double(term.words.reduce(0) { $0 + $1.utf8.count })
        switch term.kind {
        case .prefix: rarity -= 1
        case .hashtag, .handle: rarity += 2
        case .phrase: rarity += 4 * Double(term.words.count - 1)
        case .word: break
        }
        patternRarity.append(max(rarity, 1))
        return id
    }

    mutating func compile(_ brand: BrandDefinition, index: Int32) throws(BrandMatcherError) -> BrandProgram {
        var program = ProgramDraft()
        if let languages = brand.languages {
            for language in languages { program.languageMask |= BrandProgram.languageBit(language) }
            if languages.isEmpty {
                throw BrandMatcherError(brand: brand.name, message: "the list of languages is empty; remove it to match every language")
            }
        }
        var used: Set<Int32> = []
        program.root = try emit(brand.query, titleOnly: false, brand: brand, program: &program, used: &used, depth: 0)
        guard hasPositiveLeaf(program, program.root, negated: false) else {
            throw BrandMatcherError(brand: brand.name, message: "the query '\(brand.query)' only excludes; say what to look for, e.g. iberia -spam")
        }
        // The brand is evaluated only for entries where one of its trigger patterns matched.
        let triggers = trigger(program, program.root)?.patterns ?? Array(used)
        for pattern in Set(triggers).sorted() { patternUsers[Int(pattern)].append(index) }
        return BrandProgram(program, canMatchWithoutHits: withoutHits(program, program.root) != .no)
    }

    mutating func emit(
        _ query: BrandQuery, titleOnly: Bool, brand: BrandDefinition, program: inout ProgramDraft,
        used: inout Set<Int32>, depth: Int
    ) throws(BrandMatcherError) -> Int32 {
        if depth > 256 {
            throw BrandMatcherError(brand: brand.name, message: "the query is nested too deeply")
        }
        func add(_ node: BrandProgram.Node, _ program: inout ProgramDraft) -> Int32 {
            program.nodes.append(node)
            return Int32(program.nodes.count - 1)
        }
        switch query {
        case .term(let term):
            let pattern = try pattern(for: term, brand: brand)
            used.insert(pattern)
            program.termTexts.append(term.queryText)
            return add(.init(kind: .pattern, a: pattern, b: titleOnly ? 1 : 0, c: Int32(program.termTexts.count - 1)), &program)
        case .and(let items), .or(let items):
            guard !items.isEmpty else {
                throw BrandMatcherError(brand: brand.name, message: "an empty AND/OR group")
            }
            var childIDs: [Int32] = []
            for item in items {
                childIDs.append(try emit(item, titleOnly: titleOnly, brand: brand, program: &program, used: &used, depth: depth + 1))
            }
            let start = Int32(program.children.count)
            program.children.append(contentsOf: childIDs)
            let kind: BrandProgram.Kind
            if case .and = query { kind = .and } else { kind = .or }
            return add(.init(kind: kind, a: start, b: Int32(childIDs.count)), &program)
        case .andNot(let left, let right):
            let l = try emit(left, titleOnly: titleOnly, brand: brand, program: &program, used: &used, depth: depth + 1)
            let r = try emit(right, titleOnly: titleOnly, brand: brand, program: &program, used: &used, depth: depth + 1)
            return add(.init(kind: .andNot, a: l, b: r), &program)
        case .not(let inner):
            let i = try emit(inner, titleOnly: titleOnly, brand: brand, program: &program, used: &used, depth: depth + 1)
            return add(.init(kind: .not, a: i), &program)
        case .near(let left, let right, let distance):
            guard distance >= 1 else {
                throw BrandMatcherError(brand: brand.name, message: "NEAR/\(distance): the distance must be at least 1")
            }
            guard isSpan(left), isSpan(right) else {
                throw BrandMatcherError(brand: brand.name, message: "NEAR/\(distance) joins words, phrases or OR groups of them, not AND, NOT, site: or lang:")
            }
            let l = try emit(left, titleOnly: titleOnly, brand: brand, program: &program, used: &used, depth: depth + 1)
            let r = try emit(right, titleOnly: titleOnly, brand: brand, program: &program, used: &used, depth: depth + 1)
            return add(.init(kind: .near, a: l, b: r, c: Int32(min(distance, Int(Int32.max)))), &program)
        case .field(.title, let inner):
            return try emit(inner, titleOnly: true, brand: brand, program: &program, used: &used, depth: depth + 1)
        case .field(let field, let inner):
            return try emitValues(inner, field: field, brand: brand, program: &program, depth: depth + 1)
        }
    }

    /// `site:` and `lang:` hold values combined with AND, OR and NOT.
    func emitValues(
        _ query: BrandQuery, field: QueryField, brand: BrandDefinition, program: inout ProgramDraft, depth: Int
    ) throws(BrandMatcherError) -> Int32 {
        if depth > 256 {
            throw BrandMatcherError(brand: brand.name, message: "the query is nested too deeply")
        }
        func add(_ node: BrandProgram.Node, _ program: inout ProgramDraft) -> Int32 {
            program.nodes.append(node)
            return Int32(program.nodes.count - 1)
        }
        switch query {
        case .term(let term):
            let value = (term.words.first ?? term.text).lowercased()
            if field == .lang {
                guard let language = Language(rawValue: value) else {
                    throw BrandMatcherError(brand: brand.name, message: "unknown language '\(value)' for lang: (use es, it, en or und)")
                }
                return add(.init(kind: .lang, a: Int32(BrandProgram.languageBit(language))), &program)
            }
            guard !value.isEmpty else {
                throw BrandMatcherError(brand: brand.name, message: "site: needs a host name such as example.org")
            }
            program.hosts.append(Array(value.utf8))
            return add(.init(kind: .site, a: Int32(program.hosts.count - 1)), &program)
        case .and(let items), .or(let items):
            guard !items.isEmpty else {
                throw BrandMatcherError(brand: brand.name, message: "an empty AND/OR group")
            }
            var childIDs: [Int32] = []
            for item in items {
                childIDs.append(try emitValues(item, field: field, brand: brand, program: &program, depth: depth + 1))
            }
            let start = Int32(program.children.count)
            program.children.append(contentsOf: childIDs)
            let kind: BrandProgram.Kind
            if case .and = query { kind = .and } else { kind = .or }
            return add(.init(kind: kind, a: start, b: Int32(childIDs.count)), &program)
        case .andNot(let left, let right):
            let l = try emitValues(left, field: field, brand: brand, program: &program, depth: depth + 1)
            let r = try emitValues(right, field: field, brand: brand, program: &program, depth: depth + 1)
            return add(.init(kind: .andNot, a: l, b: r), &program)
        case .not(let inner):
            let i = try emitValues(inner, field: field, brand: brand, program: &program, depth: depth + 1)
            return add(.init(kind: .not, a: i), &program)
        case .near, .field:
            throw BrandMatcherError(brand: brand.name, message: "\(field.rawValue): holds \(field == .site ? "host names" : "language codes") only")
        }
    }

    func isSpan(_ query: BrandQuery) -> Bool {
        switch query {
        case .term: true
        case .or(let items): items.allSatisfy(isSpan)
        case .near(let left, let right, _): isSpan(left) && isSpan(right)
        case .field(.title, let inner): isSpan(inner)
        case .field, .and, .andNot, .not: false
        }
    }

    func hasPositiveLeaf(_ program: ProgramDraft, _ index: Int32, negated: Bool) -> Bool {
        let node = program.nodes[Int(index)]
        switch node.kind {
        case .pattern, .site, .lang: return !negated
        case .and, .or:
            return (0..<Int(node.b)).contains {
                hasPositiveLeaf(program, program.children[Int(node.a) + $0], negated: negated)
            }
        case .andNot:
            return hasPositiveLeaf(program, node.a, negated: negated)
                || hasPositiveLeaf(program, node.b, negated: !negated)
        case .not:
            return hasPositiveLeaf(program, node.a, negated: !negated)
        case .near:
            return !negated
        }
    }

    /// A set of patterns one of which must match for the query to match, chosen to be hit
    /// rarely (an AND needs only its rarest operand's triggers; an OR needs all of its
    /// operands'); nil when there is none (a query that can match on `site:`, `lang:` or `-x`).
    func trigger(_ program: ProgramDraft, _ index: Int32) -> (cost: Double, patterns: [Int32])? {
        let node = program.nodes[Int(index)]
        switch node.kind {
        case .pattern:
            return (1 / patternRarity[Int(node.a)], [node.a])
        case .and:
            var best: (cost: Double, patterns: [Int32])?
            for offset in 0..<Int(node.b) {
                if let candidate = trigger(program, program.children[Int(node.a) + offset]),
                    candidate.cost < (best?.cost ?? .infinity)
                {
                    best = candidate
                }
            }
            return best
        case .or:
            var cost = 0.0
            var patterns: [Int32] = []
            for offset in 0..<Int(node.b) {
                guard let child = trigger(program, program.children[Int(node.a) + offset]) else { return nil }
                cost += child.cost
                patterns += child.patterns
            }
            return (cost, patterns)
        case .near:
            let left = trigger(program, node.a)
            let right = trigger(program, node.b)
            guard let left else { return right }
            guard let right else { return left }
            return left.cost <= right.cost ? left : right
        case .andNot:
            return trigger(program, node.a)
        case .not, .site, .lang:
            return nil
        }
    }

    enum Truth { case no, yes, unknown }

    /// The query's value when no pattern matches and `site:`/`lang:` are unknown (Kleene logic):
    /// `.no` means some pattern must match first.
    func withoutHits(_ program: ProgramDraft, _ index: Int32) -> Truth {
        let node = program.nodes[Int(index)]
        switch node.kind {
        case .pattern, .near: return .no
        case .site, .lang: return .unknown
        case .and:
            var result = Truth.yes
            for offset in 0..<Int(node.b) {
                switch withoutHits(program, program.children[Int(node.a) + offset]) {
                case .no: return .no
                case .unknown: result = .unknown
                case .yes: break
                }
            }
            return result
        case .or:
            var result = Truth.no
            for offset in 0..<Int(node.b) {
                switch withoutHits(program, program.children[Int(node.a) + offset]) {
                case .yes: return .yes
                case .unknown: result = .unknown
                case .no: break
                }
            }
            return result
        case .not:
            switch withoutHits(program, node.a) {
            case .no: return .yes
            case .yes: return .no
            case .unknown: return .unknown
            }
        case .andNot:
            let left = withoutHits(program, node.a)
            if left == .no { return .no }
            let right = withoutHits(program, node.b)
            if right == .yes { return .no }
            if left == .yes && right == .no { return .yes }
            return .unknown
        }
    }
}
