/// Byte-pair merging for long pieces in O(n log n), with exactly tiktoken's merge order.
///
/// tiktoken rescans all parts after every merge, which is quadratic: a megabyte without a
/// space or a letter/number boundary would take minutes. Here the candidate pairs sit in a
/// min-heap keyed by (rank, start offset), so the lowest rank wins and ties go to the
/// leftmost pair, as in tiktoken; entries made stale by a neighbouring merge are skipped.
enum LongPieceMerger {
  static func merge<Sink: TokenSink>(
    _ piece: UnsafePointer<UInt8>, length: Int, vocabulary: Vocabulary, into sink: inout Sink
  ) {
    // Parts are named by their start offset; `next` links them, `pairRanks[i]` is the rank
    // of part i joined with its successor.
    var next = [Int](0...length)
    next.removeFirst()
    var previous = [Int](-1..<length)
    var pairRanks = [UInt32](repeating: Vocabulary.noRank, count: length)
    var heap = MinHeap(capacity: length)
    for start in 0..<(length - 1) {
      let rank = vocabulary.pairRank(piece + start)
      pairRanks[start] = rank
      if rank != Vocabulary.noRank { heap.push(UInt64(rank) << 32 | UInt64(start)) }
    }

    func joinedRank(_ start: Int) -> UInt32 {
      let successor = next[start]
      guard successor < length else { return Vocabulary.noRank }
      return vocabulary.rank(of: piece + start, length: next[successor] - start)
    }

    while let entry = heap.pop() {
      let rank = UInt32(truncatingIfNeeded: entry >> 32)
      let start = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
      guard pairRanks[start] == rank else { continue }  // stale
      let removed = next[start]
      next[start] = next[removed]
      if next[removed] < length { previous[next[removed]] = start }
      pairRanks[removed] = Vocabulary.noRank
      pairRanks[start] = joinedRank(start)
      if pairRanks[start] != Vocabulary.noRank {
        heap.push(UInt64(pairRanks[start]) << 32 | UInt64(start))
      }
      let before = previous[start]
      if before >= 0 {
        pairRanks[before] = joinedRank(before)
        if pairRanks[before] != Vocabulary.noRank {
          heap.push(UInt64(pairRanks[before]) << 32 | UInt64(before))
        }
      }
    }
    var start = 0
    while start < length {
      sink.append(vocabulary.rank(of: piece + start, length: next[start] - start))
      start = next[start]
    }
  }
}

/// A binary min-heap of packed (rank, offset) keys.
struct MinHeap {
  private var items: [UInt64] = []

  init(capacity: Int) { items.reserveCapacity(capacity) }

  mutating func push(_ item: UInt64) {
    items.append(item)
    var child = items.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard items[child] < items[parent] else { break }
      items.swapAt(child, parent)
      child = parent
    }
  }

  mutating func pop() -> UInt64? {
    guard let last = items.popLast() else { return nil }
    guard !items.isEmpty else { return last }
    let top = items[0]
    items[0] = last
    var parent = 0
    while true {
      let left = 2 * parent + 1
      guard left < items.count else { break }
      var smallest = left
      if left + 1 < items.count && items[left + 1] < items[left] { smallest = left + 1 }
      guard items[smallest] < items[parent] else { break }
      items.swapAt(smallest, parent)
      parent = smallest
    }
    return top
  }
}
