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
    private(set) var count = 0

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
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                word |= UInt64(base[offset]) << shift
                shift += 8
                offset += 1
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
        count += 1
        return value
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

/// The stems of wildcard terms (`refund*`) as a byte trie: walking a token's key once finds
/// every stem it starts with.
struct StemTrie: Sendable {
    /// For the root, the child per first byte (-1 none).
    private var rootChildren: [Int32] = Array(repeating: -1, count: 256)
    /// Children of node `n` are `edgeBytes/edgeTargets[edgeStart[n]..<edgeStart[n + 1]]`.
    private var edgeStart: [Int32] = [0, 0]
    private var edgeBytes: [UInt8] = []
    private var edgeTargets: [Int32] = []
    /// The value of the stem ending at each node, or -1.
    private var nodeValue: [Int32] = [-1]
    /// The shortest stem, in bytes (keys shorter than it are skipped).
    private var shortest = Int.max

    var isEmpty: Bool { shortest == Int.max }

    /// Builds the trie of `stems` (key bytes → value).
    init(stems: [([UInt8], Int32)] = []) {
        // Build with dictionaries, then lay the edges out flat.
        var children: [[UInt8: Int32]] = [[:]]
        var values: [Int32] = [-1]
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
        nodeValue = values
        edgeStart = [0]
        for (node, map) in children.enumerated() {
            for (byte, child) in map.sorted(by: { $0.key < $1.key }) {
                if node == 0 { rootChildren[Int(byte)] = child }
                edgeBytes.append(byte)
                edgeTargets.append(child)
            }
            edgeStart.append(Int32(edgeBytes.count))
        }
    }

    /// Calls `body` with the value of every stem that `key` starts with, shortest first.
    @inline(__always)
    func forEachStem(of key: UnsafeBufferPointer<UInt8>, _ body: (Int32) -> Void) {
        guard key.count >= shortest else { return }
        var node = rootChildren[Int(key[0])]
        if node < 0 { return }
        var index = 1
        while true {
            let value = nodeValue[Int(node)]
            if value >= 0 { body(value) }
            if index >= key.count { return }
            let byte = key[index]
            let start = Int(edgeStart[Int(node)])
            let end = Int(edgeStart[Int(node) + 1])
            var next: Int32 = -1
            var edge = start
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
