/// A 64-bit hash that is the same in every process and on every machine (Swift's `Hasher` is
/// seeded per process, so it cannot key rows in a database).
///
/// FNV-1a over the bytes, then the MurmurHash3 finaliser so that similar inputs spread over all 64
/// bits. Keys built from it (`guid_key`, `link_key`, `fingerprint`) are compared as integers: the
/// chance that two different values collide among a million rows is about 3 × 10⁻⁸.
struct StableHash {
    private(set) var state: UInt64 = 0xcbf2_9ce4_8422_2325

    init() {}

    /// Adds one byte.
    @inline(__always)
    mutating func add(_ byte: UInt8) {
        state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    /// Adds every byte of `bytes`.
    mutating func add<S: Sequence>(contentsOf bytes: S) where S.Element == UInt8 {
        for byte in bytes { add(byte) }
    }

    /// Adds the UTF-8 of `string`.
    mutating func add(_ string: String) {
        var copy = string
        copy.withUTF8 { buffer in
            for byte in buffer { add(byte) }
        }
    }

    /// The finished hash as a signed integer, the way SQLite stores it.
    var value: Int64 {
        var h = state
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return Int64(bitPattern: h)
    }

    /// The hash of one string.
    static func of(_ string: String) -> Int64 {
        var hash = StableHash()
        hash.add(string)
        return hash.value
    }
}
