/// Receives the ranks produced by the encoder; lets `count` skip building an array.
protocol TokenSink {
  mutating func append(_ rank: UInt32)
  /// Told of every merge: parts `left` and `right` became `token`.
  mutating func merged(_ left: UInt32, _ right: UInt32, into token: UInt32)
}

extension TokenSink {
  @inline(__always) mutating func merged(_ left: UInt32, _ right: UInt32, into token: UInt32) {}
}

/// Collects token ids.
struct TokenArraySink: TokenSink {
  var tokens: [Int] = []
  @inline(__always) mutating func append(_ rank: UInt32) { tokens.append(Int(rank)) }
}

/// Counts tokens.
struct TokenCountSink: TokenSink {
  var count = 0
  @inline(__always) mutating func append(_ rank: UInt32) { count += 1 }
}

/// Byte-pair merging of one piece, with tiktoken's rule: repeatedly merge the adjacent pair
/// whose concatenation has the lowest rank (the leftmost on ties), until no pair is a token.
///
/// Parts are kept as start offsets into the piece with the rank of each part joined to its
/// right neighbour, in scratch buffers reused across pieces, so a merge allocates nothing.
struct BytePairEncoder: ~Copyable {
  private var starts: UnsafeMutablePointer<Int>
  private var ranks: UnsafeMutablePointer<UInt32>
  /// The token each part is, kept through the merges: the part's bytes need no look-up at the
  /// end (half of the successful look-ups on CJK text, each a few cache misses).
  private var tokens: UnsafeMutablePointer<UInt32>
  /// The heap merger's links to each part's left neighbour, and its heap.
  private var previous: UnsafeMutablePointer<Int>
  private var heap: UnsafeMutablePointer<UInt64>
  private var capacity: Int

  init() {
    capacity = 64
    starts = .allocate(capacity: capacity + 1)
    ranks = .allocate(capacity: capacity + 1)
    tokens = .allocate(capacity: capacity + 1)
    previous = .allocate(capacity: capacity + 1)
    heap = .allocate(capacity: 3 * (capacity + 1))
  }

  deinit {
    starts.deallocate()
    ranks.deallocate()
    tokens.deallocate()
    previous.deallocate()
    heap.deallocate()
  }

  private mutating func reserve(_ count: Int) {
    guard count > capacity else { return }
    starts.deallocate()
    ranks.deallocate()
    tokens.deallocate()
    previous.deallocate()
    heap.deallocate()
    capacity = max(count, capacity * 2)
    starts = .allocate(capacity: capacity + 1)
    ranks = .allocate(capacity: capacity + 1)
    tokens = .allocate(capacity: capacity + 1)
    previous = .allocate(capacity: capacity + 1)
    heap = .allocate(capacity: 3 * (capacity + 1))
  }

  /// Appends the tokens of `piece[0 ..< length]` to `sink`.
  @inline(__always)
  mutating func encode<Sink: TokenSink>(
    _ piece: UnsafePointer<UInt8>, length: Int, vocabulary: Vocabulary, into sink: inout Sink
  ) {
    if length == 1 {
      sink.append(vocabulary.byteRanks[Int(piece[0])])
      return
    }
    let whole = vocabulary.rank(of: piece, length: length)
    if whole != Vocabulary.noRank {
      sink.append(whole)
      return
    }
    merge(piece, length: length, vocabulary: vocabulary, into: &sink)
  }

  /// Appends the tokens of a piece of at least two bytes that is not itself a token.
  @inline(__always)
  mutating func merge<Sink: TokenSink>(
    _ piece: UnsafePointer<UInt8>, length: Int, vocabulary: Vocabulary, into sink: inout Sink
  ) {
    if length > BytePairEncoder.longPieceThreshold {
      mergeByHeap(piece, length: length, vocabulary: vocabulary, into: &sink)
    } else {
      mergeByScan(piece, length: length, vocabulary: vocabulary, into: &sink)
    }
  }

  /// Pieces longer than this (bytes) use the heap merger; shorter ones the plain scan, which is
  /// faster while the pieces are a few parts. Measured with scripts/bench-tokenizer.sh's inputs
  /// (bench/results/2026-12-07-0110-tokenizer-heap-from-8-bytes.txt): at 8 rather than 256,
  /// CJK text (a sentence is one piece of some 70 bytes) was counted 45 % faster, Cyrillic and
  /// Arabic 10–15 %, emoji 20 %; English and code within 2 %, whitespace-heavy text 5 % slower.
  /// 4 and 12 were no better.
  static let longPieceThreshold = 8

  mutating func mergeByScan<Sink: TokenSink>(
    _ piece: UnsafePointer<UInt8>, length: Int, vocabulary: Vocabulary, into sink: inout Sink
  ) {
    reserve(length + 1)
    let starts = self.starts
    let ranks = self.ranks
    let tokens = self.tokens
    // parts[i] = (starts[i], ranks[i], tokens[i]); the last two are sentinels, as in tiktoken.
    var minRank = Vocabulary.noRank
    var minIndex = 0
    for index in 0..<(length - 1) {
      let rank = vocabulary.pairRank(piece + index)
      if rank < minRank {
        minRank = rank
        minIndex = index
      }
      starts[index] = index
      ranks[index] = rank
      tokens[index] = vocabulary.byteRanks[Int(piece[index])]
    }
    starts[length - 1] = length - 1
    ranks[length - 1] = Vocabulary.noRank
    tokens[length - 1] = vocabulary.byteRanks[Int(piece[length - 1])]
    starts[length] = length
    ranks[length] = Vocabulary.noRank
    tokens[length] = Vocabulary.noRank
    var partCount = length + 1

    let mergesByTokens = vocabulary.hasMergeTable
    // The rank of tokens `left` and `right` joined, the bytes of parts[first ..< end]: by the
    // tokens' pair when the vocabulary has the table (`Vocabulary.mergeRank`), else by the bytes.
    @inline(__always) func joined(_ left: UInt32, _ right: UInt32, _ first: Int, _ end: Int)
      -> UInt32
    {
      mergesByTokens
        ? vocabulary.mergeRank(left, right)
        : vocabulary.rank(of: piece + starts[first], length: starts[end] - starts[first])
    }

    while minRank != Vocabulary.noRank {
      let index = minIndex
      sink.merged(tokens[index], tokens[index + 1], into: minRank)
      // The pair's rank is the rank of its joined bytes: the token the merged part is.
      if index > 0 { ranks[index - 1] = joined(tokens[index - 1], minRank, index - 1, index + 2) }
      ranks[index] =
        index + 3 < partCount
        ? joined(minRank, tokens[index + 2], index, index + 3) : Vocabulary.noRank
      tokens[index] = minRank
      let moved = partCount - index - 2
      if !mergesByTokens { (starts + index + 1).update(from: starts + index + 2, count: moved) }
      (ranks + index + 1).update(from: ranks + index + 2, count: moved)
      (tokens + index + 1).update(from: tokens + index + 2, count: moved)
      partCount -= 1

      // A plain scan: comparing eight ranks at a time (SIMD8) was no faster on CJK pieces and
      // slower on the short pieces of Cyrillic and Arabic words (scripts/bench-tokenizer.sh).
      minRank = Vocabulary.noRank
      for candidate in 0..<(partCount - 1) where ranks[candidate] < minRank {
        minRank = ranks[candidate]
        minIndex = candidate
      }
    }
    for index in 0..<(partCount - 1) {
      sink.append(tokens[index])
    }
  }

  /// Byte-pair merging in O(n log n), with exactly tiktoken's merge order, for all but the
  /// shortest pieces (the scan's is quadratic: a megabyte without a space would take minutes).
  ///
  /// The candidate pairs sit in a min-heap keyed by (rank, start offset), so the lowest rank
  /// wins and ties go to the leftmost pair, as in tiktoken; entries made stale by a
  /// neighbouring merge are skipped. Parts are named by the offset they start at and linked
  /// to their neighbours, so a merge moves nothing; the buffers are the scan's, reused.
  mutating func mergeByHeap<Sink: TokenSink>(
    _ piece: UnsafePointer<UInt8>, length: Int, vocabulary: Vocabulary, into sink: inout Sink
  ) {
    reserve(length + 1)
    // next[i]: where the part after the part at i starts; ranks[i]: the rank of the part at i
    // joined with that one; tokens[i]: the token the part at i is.
    let next = starts
    let previous = self.previous
    let ranks = self.ranks
    let tokens = self.tokens
    let heap = self.heap
    var heapCount = 0
    for index in 0..<length {
      next[index] = index + 1
      previous[index] = index - 1
      tokens[index] = vocabulary.byteRanks[Int(piece[index])]
    }
    for index in 0..<(length - 1) {
      let rank = vocabulary.pairRank(piece + index)
      ranks[index] = rank
      if rank != Vocabulary.noRank {
        heap[heapCount] = UInt64(rank) << 32 | UInt64(index)
        heapCount += 1
      }
    }
    ranks[length - 1] = Vocabulary.noRank

    @inline(__always) func siftDown(_ from: Int) {
      var parent = from
      let item = heap[parent]
      while true {
        var child = 2 * parent + 1
        guard child < heapCount else { break }
        if child + 1 < heapCount && heap[child + 1] < heap[child] { child += 1 }
        guard heap[child] < item else { break }
        heap[parent] = heap[child]
        parent = child
      }
      heap[parent] = item
    }
    @inline(__always) func push(_ rank: UInt32, _ start: Int) {
      let item = UInt64(rank) << 32 | UInt64(start)
      var child = heapCount
      heapCount += 1
      while child > 0 {
        let parent = (child - 1) / 2
        guard item < heap[parent] else { break }
        heap[child] = heap[parent]
        child = parent
      }
      heap[child] = item
    }
    if heapCount > 1 {
      for parent in stride(from: heapCount / 2 - 1, through: 0, by: -1) { siftDown(parent) }
    }

    let mergesByTokens = vocabulary.hasMergeTable

    while heapCount > 0 {
      let entry = heap[0]
      heapCount -= 1
      if heapCount > 0 {
        heap[0] = heap[heapCount]
        siftDown(0)
      }
      let rank = UInt32(truncatingIfNeeded: entry >> 32)
      let start = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
      guard ranks[start] == rank else { continue }  // stale
      let removed = next[start]
      sink.merged(tokens[start], tokens[removed], into: rank)
      tokens[start] = rank
      let after = next[removed]
      next[start] = after
      if after < length { previous[after] = start }
      ranks[removed] = Vocabulary.noRank
      // The ranks of the merged part joined with its neighbours (see `mergeByScan`). Written out
      // rather than as a local function: the compiler kept that one out of line, a call per
      // look-up (CJK and Cyrillic 15–20 % slower; the scan measured no faster either way).
      if after < length {
        let rank =
          mergesByTokens
          ? vocabulary.mergeRank(tokens[start], tokens[after])
          : vocabulary.rank(of: piece + start, length: next[after] - start)
        ranks[start] = rank
        if rank != Vocabulary.noRank { push(rank, start) }
      } else {
        ranks[start] = Vocabulary.noRank
      }
      let before = previous[start]
      if before >= 0 {
        let rank =
          mergesByTokens
          ? vocabulary.mergeRank(tokens[before], tokens[start])
          : vocabulary.rank(of: piece + before, length: after - before)
        ranks[before] = rank
        if rank != Vocabulary.noRank { push(rank, before) }
      }
    }
    var start = 0
    while start < length {
      sink.append(tokens[start])
      start = next[start]
    }
  }
}
