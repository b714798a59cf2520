/// The whole-piece look-ups of one text's short pieces, remembered for the rest of that text.
///
/// Looking a piece up in the vocabulary is three dependent reads in tables of 5–10 MiB (the
/// hash slot, the token's offset, the token's bytes), most of them cache misses, and they were
/// the larger part of counting prose and code once pre-tokenisation was fast. Text repeats its
/// words, so a small direct-mapped table of the pieces of 3 to 8 bytes already looked up
/// answers most of them from the processor's cache. Entries are keyed by the piece's exact
/// bytes and length, and hold the vocabulary's own answer (a rank, or ``Vocabulary/noRank``
/// when the piece is not one token), so the tokens cannot change.
struct PieceCache: ~Copyable {
  static let shortest = 3
  static let longest = 8

  /// The piece's bytes packed in a word: with its length, they name the piece exactly.
  private let keys: UnsafeMutablePointer<UInt64>
  /// `length << 32 | rank`; 0 (length 0) marks an empty entry.
  private let entries: UnsafeMutablePointer<UInt64>
  private let mask: Int

  /// Texts shorter than this (bytes) go without: they repeat too few pieces to pay for the
  /// table (the benchmark's 3 KB prompt measured 2–4 % slower with one).
  static let shortestText = 8_192

  private let enabled: Bool

  /// A table for a text of `textBytes` bytes: one entry per 16 bytes of text, from 64 to 4,096
  /// entries (64 KiB), so that a short prompt does not pay for clearing a large one.
  init(textBytes: Int) {
    enabled = textBytes >= Self.shortestText
    var capacity = enabled ? 64 : 1
    while enabled && capacity < 4_096 && capacity * 16 < textBytes { capacity *= 2 }
    keys = .allocate(capacity: capacity)
    keys.initialize(repeating: 0, count: capacity)
    entries = .allocate(capacity: capacity)
    entries.initialize(repeating: 0, count: capacity)
    mask = capacity - 1
  }

  deinit {
    keys.deallocate()
    entries.deallocate()
  }

  /// Whether a piece of `length` bytes goes through the cache.
  @inline(__always)
  func covers(_ length: Int) -> Bool {
    enabled && length >= Self.shortest && length <= Self.longest
  }

  /// The bytes of a piece of 3 to 8 bytes in one word. For 4 to 7 bytes the two loads overlap:
  /// the first gives bytes 0–3 and the second the last four, so with the length they still
  /// determine every byte.
  @inline(__always)
  static func key(_ piece: UnsafePointer<UInt8>, length: Int) -> UInt64 {
    let raw = UnsafeRawPointer(piece)
    if length == 8 { return raw.loadUnaligned(as: UInt64.self) }
    if length >= 4 {
      return UInt64(raw.loadUnaligned(as: UInt32.self))
        | UInt64(raw.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self)) << 32
    }
    return UInt64(piece[0]) | UInt64(piece[1]) << 8 | UInt64(piece[2]) << 16
  }

  @inline(__always)
  private func index(_ key: UInt64, _ length: Int) -> Int {
    let hash = (key ^ UInt64(truncatingIfNeeded: length)) &* 0x9E37_79B9_7F4A_7C15
    return Int(truncatingIfNeeded: hash >> 40) & mask
  }

  /// The remembered answer for the piece, or nil when it has not been looked up (or was
  /// displaced by another piece since).
  @inline(__always)
  func rank(_ key: UInt64, length: Int) -> UInt32? {
    let index = index(key, length)
    let entry = entries[index]
    guard keys[index] == key && entry >> 32 == UInt64(truncatingIfNeeded: length) else {
      return nil
    }
    return UInt32(truncatingIfNeeded: entry)
  }

  @inline(__always)
  func remember(_ key: UInt64, length: Int, rank: UInt32) {
    let index = index(key, length)
    keys[index] = key
    entries[index] = UInt64(truncatingIfNeeded: length) << 32 | UInt64(rank)
  }
}
