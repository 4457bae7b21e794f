/// The 32-bit hash Vigía keys token forms by: the tokenizer stores it in every token
/// (`Token.normalizedHash`) and the sentiment lexicons use it for their tables, so a word is
/// hashed once, while it is tokenized, and looked up with that hash.
///
/// Eight bytes at a time, mixed with multiply-xorshift; the last bytes (fewer than eight) form
/// one little-endian word. The result is always odd (0 never occurs).
public enum TokenHash {
    /// The hash of `key`.
    @inline(__always)
    public static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        // (An empty buffer without storage hashes to the odd seed, as it always has.)
        guard let base = key.baseAddress else { return UInt32(truncatingIfNeeded: start(0)) | 1 }
        let count = key.count
        let raw = UnsafeRawPointer(base)
        var hash = start(count)
        var offset = 0
        while offset + 8 <= count {
            hash = block(hash, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
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
            hash = tail(hash, word)
        }
        return finish(hash)
    }

    /// The hash of the `count` bytes at `base`, reading whole eight-byte words: up to seven
    /// bytes past the end are read (and ignored), so they must be readable memory.
    @inline(__always)
    static func hash(overreading base: UnsafePointer<UInt8>, count: Int) -> UInt32 {
        let raw = UnsafeRawPointer(base)
        var hash = start(count)
        var offset = 0
        while offset + 8 <= count {
            hash = block(hash, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        let left = count - offset
        if left > 0 {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            hash = tail(hash, word & (~UInt64(0) >> UInt64(64 - 8 * left)))
        }
        return finish(hash)
    }

    @inline(__always)
    static func start(_ count: Int) -> UInt64 { 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count) }

    @inline(__always)
    static func block(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        var mixed = (hash ^ UInt64(littleEndian: word)) &* 0xBF58_476D_1CE4_E5B9
        mixed ^= mixed >> 31
        return mixed
    }

    @inline(__always)
    static func tail(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        var mixed = (hash ^ word) &* 0x94D0_49BB_1331_11EB
        mixed ^= mixed >> 29
        return mixed
    }

    @inline(__always)
    static func finish(_ value: UInt64) -> UInt32 {
        let hash = (value ^ (value >> 32)) &* 0xBF58_476D_1CE4_E5B9
        return UInt32(truncatingIfNeeded: hash >> 32) | 1
    }
}
