/// A hash table from byte strings (UTF-8 keys) to `Int32` values, built once and then only read.
///
/// Keys live back to back in one byte arena and slots are open-addressed with linear probing, so
/// a lookup hashes the bytes of a token in place and allocates nothing.
struct ByteTable: Sendable {
    private struct Slot: Sendable {
        var hash: UInt32 = 0
        var keyStart: UInt32 = 0
        var keyLength: UInt32 = 0
        var value: Int32 = -1
    }

    private var slots: [Slot]
    private var arena: [UInt8] = []
    private var mask: Int
    private(set) var count = 0

    /// Creates an empty table sized for about `capacity` keys.
    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(), count: size)
        mask = size - 1
    }

    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return UInt32(truncatingIfNeeded: hash ^ (hash >> 29)) | 1
    }

    /// The value stored for `key`, or -1.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = Self.hash(key)
        return slots.withUnsafeBufferPointer { slots in
            arena.withUnsafeBufferPointer { arena in
                var index = Int(hash) & mask
                while true {
                    let slot = slots[index]
                    if slot.hash == 0 { return -1 }
                    if slot.hash == hash && Int(slot.keyLength) == key.count {
                        let start = Int(slot.keyStart)
                        var equal = true
                        var offset = 0
                        while offset < key.count {
                            if arena[start + offset] != key[offset] {
                                equal = false
                                break
                            }
                            offset += 1
                        }
                        if equal { return slot.value }
                    }
                    index = (index + 1) & mask
                }
            }
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
            if slot.hash == 0 { break }
            if slot.hash == hash && Int(slot.keyLength) == key.count
                && arena[Int(slot.keyStart)..<Int(slot.keyStart) + key.count].elementsEqual(key)
            {
                if replace { slots[index].value = value }
                return slots[index].value
            }
            index = (index + 1) & mask
        }
        let start = arena.count
        arena.append(contentsOf: key)
        slots[index] = Slot(hash: hash, keyStart: UInt32(start), keyLength: UInt32(key.count), value: value)
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
        for slot in slots where slot.hash != 0 {
            body(arena[Int(slot.keyStart)..<Int(slot.keyStart + slot.keyLength)], slot.value)
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.hash != 0 {
            var index = Int(slot.hash) & mask
            while slots[index].hash != 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }
}
