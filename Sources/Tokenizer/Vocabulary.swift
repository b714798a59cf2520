import Foundation

/// The mergeable ranks of one encoding: token bytes by rank, and rank by token bytes.
///
/// Bytes live in one contiguous buffer and the reverse map is an open-addressing table of
/// 64-bit slots (hash tag and rank), so looking up a byte range allocates nothing. The buffers
/// are written once in `init` and only read afterwards, which is why sharing is safe.
final class Vocabulary: @unchecked Sendable {
  /// Marks "no such token" in rank lookups.
  static let noRank = UInt32.max

  /// Number of ranks (the highest rank plus one).
  let count: Int
  /// Concatenated bytes of all tokens, in rank order.
  private let bytes: UnsafeMutableBufferPointer<UInt8>
  /// `offsets[rank] ..< offsets[rank + 1]` is the token's slice of `bytes`.
  private let offsets: UnsafeMutableBufferPointer<UInt32>
  /// Slots: upper 32 bits a hash tag, lower 32 bits `rank + 1`; zero marks an empty slot.
  private let slots: UnsafeMutableBufferPointer<UInt64>
  private let slotMask: Int
  /// Rank of each single byte (every byte is a token in these encodings).
  let byteRanks: [UInt32]
  /// Rank of each two-byte token by `first << 8 | second` (``noRank`` for the other pairs):
  /// every merge starts from the piece's byte pairs, and an array read is cheaper than a probe.
  private let pairs: UnsafeMutablePointer<UInt32>

  /// Approximate memory held by the tables, in bytes.
  var memoryFootprint: Int {
    bytes.count + offsets.count * 4 + slots.count * 8 + byteRanks.count * 4 + 65_536 * 4
  }

  /// Takes ownership of `bytes` and `offsets` (`count + 1` entries) and builds the lookup table.
  init(
    bytes: UnsafeMutableBufferPointer<UInt8>, offsets: UnsafeMutableBufferPointer<UInt32>
  ) throws(TokenizerError) {
    self.bytes = bytes
    self.offsets = offsets
    count = offsets.count - 1
    var capacity = 1024
    while capacity < count * 5 / 2 { capacity <<= 1 }
    slots = .allocate(capacity: capacity)
    slots.initialize(repeating: 0)
    slotMask = capacity - 1
    var byteRanks = [UInt32](repeating: Vocabulary.noRank, count: 256)
    pairs = .allocate(capacity: 65_536)
    pairs.initialize(repeating: Vocabulary.noRank, count: 65_536)
    for rank in 0..<count {
      let start = Int(offsets[rank])
      let length = Int(offsets[rank + 1]) - start
      guard length > 0 else { continue }
      if length == 1 { byteRanks[Int(bytes[start])] = UInt32(rank) }
      if length == 2 { pairs[Int(bytes[start]) << 8 | Int(bytes[start + 1])] = UInt32(rank) }
      let hash = hashBytes(bytes.baseAddress! + start, length)
      var index = Int(truncatingIfNeeded: hash) & slotMask
      while slots[index] != 0 { index = (index + 1) & slotMask }
      slots[index] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(rank + 1)
    }
    self.byteRanks = byteRanks
    guard !byteRanks.contains(Vocabulary.noRank) else {
      throw TokenizerError.vocabularyUnavailable("not every single byte is a token")
    }
  }

  deinit {
    bytes.deallocate()
    offsets.deallocate()
    slots.deallocate()
    pairs.deallocate()
  }

  /// The rank of the two bytes at `base`, or ``noRank``.
  @inline(__always)
  func pairRank(_ base: UnsafePointer<UInt8>) -> UInt32 {
    pairs[Int(base[0]) << 8 | Int(base[1])]
  }

  /// The rank of the bytes `base[0 ..< length]`, or ``noRank``.
  @inline(__always)
  func rank(of base: UnsafePointer<UInt8>, length: Int) -> UInt32 {
    let hash = hashBytes(base, length)
    let tag = hash & 0xFFFF_FFFF_0000_0000
    var index = Int(truncatingIfNeeded: hash) & slotMask
    let table = slots.baseAddress!
    let starts = offsets.baseAddress!
    while true {
      let slot = table[index]
      if slot == 0 { return Vocabulary.noRank }
      if slot & 0xFFFF_FFFF_0000_0000 == tag {
        let rank = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
        let start = Int(starts[rank])
        if Int(starts[rank + 1]) - start == length
          && bytesEqual(bytes.baseAddress! + start, base, length)
        {
          return UInt32(truncatingIfNeeded: rank)
        }
      }
      index = (index + 1) & slotMask
    }
  }

  /// The bytes of token `rank`, or nil when the rank is out of range or unused.
  func tokenBytes(_ rank: Int) -> UnsafeBufferPointer<UInt8>? {
    guard rank >= 0, rank < count else { return nil }
    let start = Int(offsets[rank])
    let end = Int(offsets[rank + 1])
    guard end > start else { return nil }
    return UnsafeBufferPointer(rebasing: bytes[start..<end])
  }
}
