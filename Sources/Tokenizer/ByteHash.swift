/// A fast, non-cryptographic hash of a short byte range, for the vocabulary's hash table.
///
/// Tokens are mostly under 16 bytes, so this reads 8 bytes at a time and mixes with a
/// multiply-xorshift; it only has to spread keys, not resist attackers (inputs are bounded).
@inline(__always)
func hashBytes(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
  let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
  var hash = UInt64(truncatingIfNeeded: count) &* multiplier
  var offset = 0
  let raw = UnsafeRawPointer(base)
  while offset + 8 <= count {
    let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    hash = (hash ^ word) &* multiplier
    hash ^= hash >> 32
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
    hash = (hash ^ word) &* multiplier
    hash ^= hash >> 32
  }
  hash = (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9
  return hash ^ (hash >> 32)
}
