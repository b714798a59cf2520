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
  /// Each token's last merge, by the pair of tokens it joins (see `mergeRank`); empty until
  /// the end of `init`, and when the vocabulary does not allow it.
  private var merges = UnsafeMutableBufferPointer<UInt64>(start: nil, count: 0)
  private var mergeShift: UInt64 = 64

  /// Whether merges can be looked up by token pair (`mergeRank`).
  var hasMergeTable: Bool { merges.count > 0 }

  /// Approximate memory held by the tables, in bytes.
  var memoryFootprint: Int {
    bytes.count + offsets.count * 4 + slots.count * 8 + byteRanks.count * 4 + 65_536 * 4
      + merges.count * 8
  }

  /// Takes ownership of `bytes` and `offsets` (`count + 1` entries) and builds the lookup table.
  /// - Parameter mergeTable: Builds the table of merges by token pair (`mergeRank`); without
  ///   it merges are looked up by bytes.
  init(
    bytes: UnsafeMutableBufferPointer<UInt8>, offsets: UnsafeMutableBufferPointer<UInt32>,
    mergeTable: Bool = true
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
    if mergeTable { buildMergeTable() }
  }

  deinit {
    bytes.deallocate()
    offsets.deallocate()
    slots.deallocate()
    pairs.deallocate()
    merges.deallocate()
  }

  /// The table of `mergeRank`: every token's *canonical* last merge, the one that byte-pair
  /// merging of the token's own bytes ends with.
  ///
  /// Why that is every merge the encoder can make: when parts A and B of a piece merge into T,
  /// the parts inside T's bytes only ever merged with one another (a merge across its edge
  /// would have left no part spelling exactly T), each at the moment it was the piece's
  /// lowest-ranked pair (the leftmost on ties), so also the lowest among T's own pairs: they
  /// are the merges of T's bytes alone, in the same order, and the last of them joins A and
  /// B. A pair that is not its token's canonical split is therefore never the lowest pair, and
  /// giving it no rank changes neither which pair merges nor when merging stops.
  ///
  /// Built in rank order with the table itself: in these vocabularies every token's merges
  /// pass only through tokens of lower rank (a merged token was learnt after its parts), so
  /// merging T's bytes with the tokens below T ends with exactly its two canonical parts. A
  /// token for which that does not hold leaves the vocabulary to look merges up by bytes;
  /// `VocabularyTests` checks the table against merging by bytes, token by token.
  ///
  /// The lookup is one probe of 64-bit slots that hold the whole key: on CJK text, where a
  /// piece is a sentence of three-byte characters, a merge by bytes cost a hash of the bytes
  /// and three dependent cache misses (slot, offset, bytes).
  private func buildMergeTable() {
    var capacity = 1024
    while capacity < count * 5 / 2 { capacity <<= 1 }
    let table = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: capacity)
    table.initialize(repeating: 0)
    merges = table
    mergeShift = UInt64(64 - capacity.trailingZeroBitCount)
    var encoder = BytePairEncoder()
    for rank in 0..<count {
      let start = Int(offsets[rank])
      let length = Int(offsets[rank + 1]) - start
      guard length >= 2 else { continue }
      var parts = FirstParts()
      if length == 2 {
        parts.append(byteRanks[Int(bytes[start])])
        parts.append(byteRanks[Int(bytes[start + 1])])
      } else {
        encoder.mergeByScan(
          UnsafePointer(bytes.baseAddress! + start), length: length, vocabulary: self,
          into: &parts)
      }
      guard parts.count == 2, parts.first < rank, parts.second < rank, rank < 1 << 20 - 1
      else {
        merges = UnsafeMutableBufferPointer(start: nil, count: 0)
        table.deallocate()
        return
      }
      let key = UInt64(parts.first) << 20 | UInt64(parts.second)
      var index = Self.mergeSlot(key, shift: mergeShift)
      while table[index] != 0 { index = (index + 1) & (capacity - 1) }
      table[index] = key << 20 | UInt64(rank + 1)
    }
  }

  @inline(__always)
  private static func mergeSlot(_ key: UInt64, shift: UInt64) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
  }

  /// The rank of tokens `left` and `right` joined, if that is the joined token's canonical last
  /// merge (`buildMergeTable`), else ``noRank``. Only with `hasMergeTable`.
  @inline(__always)
  func mergeRank(_ left: UInt32, _ right: UInt32) -> UInt32 {
    let key = UInt64(left) << 20 | UInt64(right)
    let table = merges.baseAddress!
    let mask = merges.count - 1
    var index = Self.mergeSlot(key, shift: mergeShift)
    while true {
      let slot = table[index]
      if slot == 0 { return Vocabulary.noRank }
      if slot >> 20 == key { return UInt32(truncatingIfNeeded: slot & 0xF_FFFF) - 1 }
      index = (index + 1) & mask
    }
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

/// The parts a token's bytes merged into, the first two of them.
private struct FirstParts: TokenSink {
  var count = 0
  var first = Vocabulary.noRank
  var second = Vocabulary.noRank

  mutating func append(_ rank: UInt32) {
    if count == 0 { first = rank } else if count == 1 { second = rank }
    count += 1
  }
}
