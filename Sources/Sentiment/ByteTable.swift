import TextAnalysis

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hash table from byte strings (UTF-8 keys) to `Int32` values, built once and then only read.
///
/// Keys live back to back in one byte arena and slots are open-addressed with linear probing, so
/// a lookup hashes the bytes of a token in place and allocates nothing.
struct ByteTable: Sendable {
    /// One key: all a look-up reads before the key's tail, side by side in one cache line (or
    /// two) rather than in parallel arrays that would each cost a cache miss.
    private struct Slot {
        /// `hash << 32 | UInt32(bitPattern: value)`; 0 is empty (hashes are odd).
        var tagged: UInt64 = 0
        /// The first eight bytes of the key, little-endian, zero-padded (keys of up to eight
        /// bytes, most words, are compared with it alone).
        var prefix: UInt64 = 0
        /// `keyStart << 32 | keyLength` in `arena`.
        var location: UInt64 = 0

        var hash: UInt32 { UInt32(truncatingIfNeeded: tagged >> 32) }
        var value: Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: tagged)) }
    }

    private var slots: [Slot]
    private var arena: [UInt8] = []
    private var mask: Int
    /// One bit per hash (four bits per slot, so about 12% false positives): a key whose bit is
    /// clear is absent, and the check touches a small, cache-resident array instead of a slot.
    private var filter: [UInt64]
    private var filterShift: UInt32
    private(set) var count = 0

    /// Creates an empty table sized for about `capacity` keys.
    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(), count: size)
        mask = size - 1
        (filter, filterShift) = Self.emptyFilter(slotCount: size)
    }

    private static func emptyFilter(slotCount: Int) -> ([UInt64], UInt32) {
        let bits = slotCount * 4
        return (Array(repeating: 0, count: bits / 64), UInt32(32 - bits.trailingZeroBitCount))
    }

    @inline(__always)
    private func filterBit(_ hash: UInt32) -> Int {
        Int((hash &* 0x9E37_79B1) >> filterShift)
    }

    private mutating func setFilterBit(_ hash: UInt32) {
        let bit = filterBit(hash)
        filter[bit >> 6] |= 1 << UInt64(bit & 63)
    }

    /// The hash of a key (`TokenHash`, which the tokenizer stores in every token).
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 { TokenHash.hash(key) }

    /// The value stored for `key`, or -1.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        find(key, hash: Self.hash(key))
    }

    /// The value stored for `key`, whose `ByteTable.hash` is `hash`, or -1.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int32 {
        let bit = filterBit(hash)
        let present = filter.withUnsafeBufferPointer { $0[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }
        if !present { return -1 }
        return slots.withUnsafeBufferPointer { slots in
            var index = Int(hash) & mask
            while true {
                let slot = slots[index]
                if slot.tagged == 0 { return -1 }
                if slot.hash == hash && keyMatches(slot, key) { return slot.value }
                index = (index + 1) & mask
            }
        }
    }

    /// The value stored for the `count` bytes at `key`, whose hash is `hash`, or -1. Reads
    /// eight bytes at `key` whatever `count` is: they must be readable (a tokenizer arena
    /// guarantees it for normalised forms).
    @inline(__always)
    func find(overreading key: UnsafePointer<UInt8>, count: Int, hash: UInt32) -> Int32 {
        let bit = filterBit(hash)
        let present = filter.withUnsafeBufferPointer { $0[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }
        if !present { return -1 }
        let head = UnsafeRawPointer(key).loadUnaligned(as: UInt64.self)
        let wanted = count >= 8 ? head : head & ((1 << UInt64(truncatingIfNeeded: count &* 8)) &- 1)
        return slots.withUnsafeBufferPointer { slots in
            var index = Int(hash) & mask
            while true {
                let slot = slots[index]
                if slot.tagged == 0 { return -1 }
                if slot.hash == hash && slot.prefix == wanted {
                    let location = slot.location
                    if Int(location & 0xFFFF_FFFF) == count
                        && (count <= 8 || tailMatches(Int(location >> 32), key, count))
                    {
                        return slot.value
                    }
                }
                index = (index + 1) & mask
            }
        }
    }

    /// Whether the key stored at `start` in the arena ends like the `count` bytes at `key`
    /// (the first eight already compared).
    private func tailMatches(_ start: Int, _ key: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        arena.withUnsafeBufferPointer { arena in
            guard let stored = arena.baseAddress else { return false }
            return memcmp(stored + start + 8, key + 8, count - 8) == 0
        }
    }

    /// The first eight bytes of `key`, little-endian, zero-padded.
    private static func prefix(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for offset in 0..<min(key.count, 8) { value |= UInt64(key[offset]) << UInt64(offset * 8) }
        return value
    }

    @inline(__always)
    private func keyMatches(_ slot: Slot, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let location = slot.location
        guard Int(location & 0xFFFF_FFFF) == key.count else { return false }
        if key.count == 0 { return true }
        return arena.withUnsafeBufferPointer { arena in
            guard let stored = arena.baseAddress, let wanted = key.baseAddress else { return false }
            return memcmp(stored + Int(location >> 32), wanted, key.count) == 0
        }
    }

    /// The value stored for `key`, or -1.
    func find(_ key: [UInt8]) -> Int32 {
        key.withUnsafeBufferPointer { find($0) }
    }

    /// The value stored for `key`, or -1.
    func find(_ key: String) -> Int32 {
        var copy = key
        return copy.withUTF8 { find($0) }
    }

    /// Stores `value` for `key`. When the key exists, `replace` decides whether it is overwritten.
    /// Returns the value now stored.
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, value: Int32, replace: Bool) -> Int32 {
        if (count + 1) * 2 > slots.count { grow() }
        let hash = Self.hash(key)
        var index = Int(hash) & mask
        while true {
            let slot = slots[index]
            if slot.tagged == 0 { break }
            if slot.hash == hash && keyMatches(slot, key) {
                if replace { slots[index].tagged = UInt64(hash) << 32 | UInt64(UInt32(bitPattern: value)) }
                return slots[index].value
            }
            index = (index + 1) & mask
        }
        let start = arena.count
        arena.append(contentsOf: key)
        slots[index] = Slot(
            tagged: UInt64(hash) << 32 | UInt64(UInt32(bitPattern: value)), prefix: Self.prefix(key),
            location: UInt64(start) << 32 | UInt64(key.count))
        setFilterBit(hash)
        count += 1
        return value
    }

    @discardableResult
    mutating func insert(_ key: [UInt8], value: Int32, replace: Bool) -> Int32 {
        key.withUnsafeBufferPointer { insert($0, value: value, replace: replace) }
    }

    @discardableResult
    mutating func insert(_ key: String, value: Int32, replace: Bool) -> Int32 {
        var copy = key
        return copy.withUTF8 { insert($0, value: value, replace: replace) }
    }

    /// Every key and value (for merging tables).
    func forEach(_ body: (ArraySlice<UInt8>, Int32) -> Void) {
        for slot in slots where slot.tagged != 0 {
            let start = Int(slot.location >> 32)
            body(arena[start..<start + Int(slot.location & 0xFFFF_FFFF)], slot.value)
        }
    }

    private mutating func grow() {
        let oldSlots = slots
        slots = Array(repeating: Slot(), count: oldSlots.count * 2)
        mask = slots.count - 1
        (filter, filterShift) = Self.emptyFilter(slotCount: slots.count)
        for slot in oldSlots where slot.tagged != 0 {
            var index = Int(slot.hash) & mask
            while slots[index].tagged != 0 { index = (index + 1) & mask }
            slots[index] = slot
            setFilterBit(slot.hash)
        }
    }
}

/// A hash table from 64-bit hashes to `Int32` values: phrases are looked up by combining the
/// hashes of their tokens, so matching a phrase builds no key bytes. (Two different phrases
/// with the same 64-bit hash are astronomically unlikely; the table is built from a few thousand.)
struct HashTable64: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// The starting value of a phrase hash.
    static let seed: UInt64 = 0x51ED_270B_2716_9F35

    /// Adds a token's hash (`ByteTable.hash` of its accent-folded form) to a phrase hash.
    @inline(__always)
    static func combine(_ hash: UInt64, _ token: UInt32) -> UInt64 {
        var mixed = (hash ^ UInt64(token)) &* 0x9E37_79B9_7F4A_7C15
        mixed ^= mixed >> 29
        return mixed
    }

    /// The value stored for `hash`, or -1.
    @inline(__always)
    func find(_ hash: UInt64) -> Int32 {
        let key = hash | 1
        return keys.withUnsafeBufferPointer { keys in
            var index = Int(truncatingIfNeeded: key >> 7) & mask
            while true {
                let stored = keys[index]
                if stored == key { return values[index] }
                if stored == 0 { return -1 }
                index = (index + 1) & mask
            }
        }
    }

    /// Stores `value` for `hash` (replacing any earlier value).
    mutating func insert(_ hash: UInt64, value: Int32) {
        if (count + 1) * 2 > keys.count { grow() }
        let key = hash | 1
        var index = Int(truncatingIfNeeded: key >> 7) & mask
        while keys[index] != 0 && keys[index] != key { index = (index + 1) & mask }
        if keys[index] == 0 { count += 1 }
        keys[index] = key
        values[index] = value
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: -1, count: oldKeys.count * 2)
        mask = keys.count - 1
        count = 0
        for index in oldKeys.indices where oldKeys[index] != 0 {
            insert(oldKeys[index], value: oldValues[index])
        }
    }
}
