#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hash table from byte strings to `Int32` values, built once and then only read: the
/// vocabulary of every brand's words. A lookup hashes a token's bytes in place and allocates
/// nothing; most tokens are not in any query, so a small bit filter answers "absent" first.
struct KeyTable: Sendable {
    /// `hash << 32 | value` per slot; 0 is empty (hashes are odd).
    private var slots: [UInt64]
    /// `keyStart << 32 | keyLength` per slot, in `arena`.
    private var locations: [UInt64]
    private var arena: [UInt8] = []
    private var mask: Int
    /// One bit per hash, eight bits per slot.
    private var filter: [UInt64]
    private var filterMask: Int
    /// One bit per (first byte, last byte, length) of the keys: most tokens are rejected by
    /// it before they are hashed.
    private var quick: [UInt64] = Array(repeating: 0, count: KeyTable.quickWords)
    private(set) var count = 0

    static let quickWords = 1024

    @inline(__always)
    static func quickBit(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        let first = Int(key[0])
        let last = Int(key[key.count - 1])
        return ((first &* 0x9E5 ^ last &* 0x3B ^ key.count &* 0x2F1) & 0xFFFF)
    }

    init() {
        slots = Array(repeating: 0, count: 16)
        locations = Array(repeating: 0, count: 16)
        mask = 15
        filter = Array(repeating: 0, count: 2)
        filterMask = 127
    }

    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        guard let base = key.baseAddress else { return UInt32(truncatingIfNeeded: hash) | 1 }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        let count = key.count
        while offset + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            offset += 8
        }
        if offset < count {
            // The last 1…7 bytes in at most three loads.
            var word: UInt64 = 0
            var shift: UInt64 = 0
            if count - offset >= 4 {
                word = UInt64(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                shift = 32
                offset += 4
            }
            if count - offset >= 2 {
                word |= UInt64(raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)) << shift
                shift += 16
                offset += 2
            }
            if offset < count {
                word |= UInt64(base[offset]) << shift
            }
            hash = (hash ^ word) &* 0x94D0_49BB_1331_11EB
            hash ^= hash >> 29
        }
        hash = (hash ^ (hash >> 32)) &* 0xBF58_476D_1CE4_E5B9
        return UInt32(truncatingIfNeeded: hash >> 32) | 1
    }

    /// The value stored for `key`, or -1.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        if count == 0 { return -1 }
        let hash = Self.hash(key)
        let bit = Int(hash &* 0x9E37_79B1) & filterMask
        let present = filter.withUnsafeBufferPointer { $0[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }
        if !present { return -1 }
        return slots.withUnsafeBufferPointer { slots in
            var index = Int(hash) & mask
            while true {
                let slot = slots[index]
                if slot == 0 { return -1 }
                if UInt32(truncatingIfNeeded: slot >> 32) == hash && keyMatches(index, key) {
                    return Int32(bitPattern: UInt32(truncatingIfNeeded: slot))
                }
                index = (index + 1) & mask
            }
        }
    }

    @inline(__always)
    private func keyMatches(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let location = locations[index]
        guard Int(location & 0xFFFF_FFFF) == key.count else { return false }
        if key.count == 0 { return true }
        return arena.withUnsafeBufferPointer { arena in
            guard let stored = arena.baseAddress, let wanted = key.baseAddress else { return false }
            return memcmp(stored + Int(location >> 32), wanted, key.count) == 0
        }
    }

    func find(_ key: [UInt8]) -> Int32 {
        key.withUnsafeBufferPointer { find($0) }
    }

    /// Stores `value` for `key` unless the key is present; returns the value now stored.
    @discardableResult
    mutating func insert(_ key: [UInt8], value: Int32) -> Int32 {
        let existing = find(key)
        if existing >= 0 { return existing }
        if (count + 1) * 2 > slots.count { grow() }
        let hash = key.withUnsafeBufferPointer { Self.hash($0) }
        var index = Int(hash) & mask
        while slots[index] != 0 { index = (index + 1) & mask }
        let start = arena.count
        arena.append(contentsOf: key)
        slots[index] = UInt64(hash) << 32 | UInt64(UInt32(bitPattern: value))
        locations[index] = UInt64(start) << 32 | UInt64(key.count)
        setFilterBit(hash)
        if !key.isEmpty {
            let bit = key.withUnsafeBufferPointer { Self.quickBit($0) }
            quick[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        count += 1
        return value
    }

    /// Stores `update(current value or nil)` for `key`.
    mutating func update(_ key: [UInt8], _ update: (Int32?) -> Int32) {
        let hash = key.withUnsafeBufferPointer { Self.hash($0) }
        var index = Int(hash) & mask
        while slots[index] != 0 {
            if UInt32(truncatingIfNeeded: slots[index] >> 32) == hash,
                key.withUnsafeBufferPointer({ keyMatches(index, $0) })
            {
                let value = update(Int32(bitPattern: UInt32(truncatingIfNeeded: slots[index])))
                slots[index] = UInt64(hash) << 32 | UInt64(UInt32(bitPattern: value))
                return
            }
            index = (index + 1) & mask
        }
        insert(key, value: update(nil))
    }

    /// The table in pinned memory, for lookups without reference counting.
    func frozen() -> FrozenKeyTable {
        FrozenKeyTable(
            slots: slots, locations: locations, arena: arena, filter: filter, quick: quick, mask: mask,
            filterMask: filterMask, count: count)
    }

    private mutating func setFilterBit(_ hash: UInt32) {
        let bit = Int(hash &* 0x9E37_79B1) & filterMask
        filter[bit >> 6] |= 1 << UInt64(bit & 63)
    }

    private mutating func grow() {
        let oldSlots = slots
        let oldLocations = locations
        slots = Array(repeating: 0, count: oldSlots.count * 2)
        locations = Array(repeating: 0, count: oldSlots.count * 2)
        mask = slots.count - 1
        filter = Array(repeating: 0, count: slots.count * 8 / 64)
        filterMask = slots.count * 8 - 1
        for old in oldSlots.indices where oldSlots[old] != 0 {
            let hash = UInt32(truncatingIfNeeded: oldSlots[old] >> 32)
            var index = Int(hash) & mask
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = oldSlots[old]
            locations[index] = oldLocations[old]
            setFilterBit(hash)
        }
    }
}

/// A copy of an array in memory that does not move, freed with its owner.
final class Pinned<Element>: @unchecked Sendable {
    // Written once in `init`, then only read: safe to share.
    let pointer: UnsafeMutablePointer<Element>
    let count: Int

    init(_ array: [Element]) {
        count = array.count
        pointer = UnsafeMutablePointer<Element>.allocate(capacity: max(array.count, 1))
        array.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { pointer.initialize(from: base, count: buffer.count) }
        }
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }
}

/// A `KeyTable` in pinned memory. Read it through `view` while the table is alive.
final class FrozenKeyTable: Sendable {
    private let slots: Pinned<UInt64>
    private let locations: Pinned<UInt64>
    private let arena: Pinned<UInt8>
    private let filter: Pinned<UInt64>
    private let quick: Pinned<UInt64>
    let view: KeyTableView

    init(
        slots: [UInt64], locations: [UInt64], arena: [UInt8], filter: [UInt64], quick: [UInt64], mask: Int,
        filterMask: Int, count: Int
    ) {
        self.slots = Pinned(slots)
        self.locations = Pinned(locations)
        self.arena = Pinned(arena)
        self.filter = Pinned(filter)
        self.quick = Pinned(quick)
        view = KeyTableView(
            slots: self.slots.pointer, locations: self.locations.pointer, arena: self.arena.pointer,
            filter: self.filter.pointer, quick: self.quick.pointer, mask: mask, filterMask: filterMask,
            count: count)
    }
}

/// Lookups in a `FrozenKeyTable` through plain pointers (valid while the table is alive).
struct KeyTableView: @unchecked Sendable {
    let slots: UnsafeMutablePointer<UInt64>
    let locations: UnsafeMutablePointer<UInt64>
    let arena: UnsafeMutablePointer<UInt8>
    let filter: UnsafeMutablePointer<UInt64>
    let quick: UnsafeMutablePointer<UInt64>
    let mask: Int
    let filterMask: Int
    let count: Int

    /// The value stored for `key`, or -1.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard count > 0, let base = key.baseAddress, !key.isEmpty else { return -1 }
        let quickBit = KeyTable.quickBit(key)
        if quick[quickBit >> 6] & (1 << UInt64(quickBit & 63)) == 0 { return -1 }
        let hash = KeyTable.hash(key)
        let bit = Int(hash &* 0x9E37_79B1) & filterMask
        if filter[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return -1 }
        var index = Int(hash) & mask
        while true {
            let slot = slots[index]
            if slot == 0 { return -1 }
            if UInt32(truncatingIfNeeded: slot >> 32) == hash {
                let location = locations[index]
                if Int(location & 0xFFFF_FFFF) == key.count, memcmp(arena + Int(location >> 32), base, key.count) == 0 {
                    return Int32(bitPattern: UInt32(truncatingIfNeeded: slot))
                }
            }
            index = (index + 1) & mask
        }
    }
}

/// The stems of wildcard terms (`refund*`) as a byte trie: walking a token's key once finds
/// every stem it starts with. Built once; read through `view` while the trie is alive.
final class StemTrie: Sendable {
    private let rootChildren: Pinned<Int32>
    private let edgeStart: Pinned<Int32>
    private let edgeBytes: Pinned<UInt8>
    private let edgeTargets: Pinned<Int32>
    private let nodeValue: Pinned<Int32>
    private let pairs: Pinned<UInt64>
    let view: StemTrieView

    /// Builds the trie of `stems` (key bytes → value ≥ 0).
    init(stems: [([UInt8], Int32)]) {
        // Build with dictionaries, then lay the edges out flat.
        var children: [[UInt8: Int32]] = [[:]]
        var values: [Int32] = [-1]
        var shortest = Int.max
        for (stem, value) in stems where !stem.isEmpty {
            var node: Int32 = 0
            for byte in stem {
                if let child = children[Int(node)][byte] {
                    node = child
                } else {
                    let child = Int32(children.count)
                    children.append([:])
                    values.append(-1)
                    children[Int(node)][byte] = child
                    node = child
                }
            }
            values[Int(node)] = value
            shortest = min(shortest, stem.count)
        }
        // One bit per first two bytes of a stem (stems have at least two letters, so at least
        // two bytes): most words are rejected before the walk.
        var pairBits = [UInt64](repeating: 0, count: 1024)
        for (stem, _) in stems where stem.count >= 2 {
            let pair = Int(stem[0]) << 8 | Int(stem[1])
            pairBits[pair >> 6] |= 1 << UInt64(pair & 63)
        }
        var root = [Int32](repeating: -1, count: 256)
        var starts: [Int32] = [0]
        var bytes: [UInt8] = []
        var targets: [Int32] = []
        for (node, map) in children.enumerated() {
            for (byte, child) in map.sorted(by: { $0.key < $1.key }) {
                if node == 0 { root[Int(byte)] = child }
                bytes.append(byte)
                targets.append(child)
            }
            starts.append(Int32(bytes.count))
        }
        rootChildren = Pinned(root)
        edgeStart = Pinned(starts)
        edgeBytes = Pinned(bytes)
        edgeTargets = Pinned(targets)
        nodeValue = Pinned(values)
        pairs = Pinned(pairBits)
        view = StemTrieView(
            rootChildren: rootChildren.pointer, edgeStart: edgeStart.pointer, edgeBytes: edgeBytes.pointer,
            edgeTargets: edgeTargets.pointer, nodeValue: nodeValue.pointer, pairs: pairs.pointer,
            shortest: shortest)
    }

    var isEmpty: Bool { view.isEmpty }
}

/// Walks a `StemTrie` through plain pointers (valid while the trie is alive).
struct StemTrieView: @unchecked Sendable {
    let rootChildren: UnsafeMutablePointer<Int32>
    let edgeStart: UnsafeMutablePointer<Int32>
    let edgeBytes: UnsafeMutablePointer<UInt8>
    let edgeTargets: UnsafeMutablePointer<Int32>
    let nodeValue: UnsafeMutablePointer<Int32>
    /// Bit `first << 8 | second` is set when some stem starts with those two bytes (used when
    /// every stem has two bytes or more).
    let pairs: UnsafeMutablePointer<UInt64>
    /// The shortest stem, in bytes (`Int.max` when there is none).
    let shortest: Int

    var isEmpty: Bool { shortest == Int.max }

    /// Calls `body` with the value of every stem that `key` starts with, shortest first.
    @inline(__always)
    func forEachStem(of key: UnsafeBufferPointer<UInt8>, _ body: (Int32) -> Void) {
        guard key.count >= shortest else { return }
        if shortest >= 2 {
            let pair = Int(key[0]) << 8 | Int(key[1])
            if pairs[pair >> 6] & (1 << UInt64(pair & 63)) == 0 { return }
        }
        var node = rootChildren[Int(key[0])]
        if node < 0 { return }
        var index = 1
        while true {
            let value = nodeValue[Int(node)]
            if value >= 0 { body(value) }
            if index >= key.count { return }
            let byte = key[index]
            var edge = Int(edgeStart[Int(node)])
            let end = Int(edgeStart[Int(node) + 1])
            var next: Int32 = -1
            while edge < end {
                if edgeBytes[edge] == byte {
                    next = edgeTargets[edge]
                    break
                }
                edge += 1
            }
            if next < 0 { return }
            node = next
            index += 1
        }
    }
}
