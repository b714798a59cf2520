import Foundation

/// Parses tiktoken's `.tiktoken` files (`<base64 token> <rank>` per line) into a ``Vocabulary``.
///
/// The base64 and the decimal ranks are decoded by hand in one pass over the raw bytes:
/// Foundation's `Data(base64Encoded:)` and line splitting would take several times longer.
enum VocabularyLoader {
  /// Loads the named vocabulary from the package's resources.
  static func load(_ name: EncodingName) throws(TokenizerError) -> Vocabulary {
    guard let url = resourceURL(name) else {
      throw .vocabularyUnavailable("resource \(name.rawValue).tiktoken not found")
    }
    let data: Data
    do {
      data = try Data(contentsOf: url, options: .mappedIfSafe)
    } catch {
      throw .vocabularyUnavailable("cannot read \(url.path): \(error)")
    }
    return try parse(data)
  }

  /// Where the named vocabulary file is among the package's resources.
  static func resourceURL(_ name: EncodingName) -> URL? {
    Bundle.module.url(forResource: name.rawValue, withExtension: "tiktoken")
  }

  /// Parses the contents of a `.tiktoken` file.
  static func parse(_ data: Data, mergeTable: Bool = true) throws(TokenizerError) -> Vocabulary {
    let result: Result<Vocabulary, TokenizerError> = data.withUnsafeBytes { raw in
      Result { () throws(TokenizerError) in
        try parse(raw.bindMemory(to: UInt8.self), mergeTable: mergeTable)
      }
    }
    return try result.get()
  }

  private static func parse(_ input: UnsafeBufferPointer<UInt8>, mergeTable: Bool)
    throws(TokenizerError) -> Vocabulary
  {
    // Decoded tokens are shorter than their base64 text, so the file size bounds the buffer.
    let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(input.count, 1))
    var entries: [(rank: Int, start: Int, end: Int)] = []
    entries.reserveCapacity(input.count / 8)
    var written = 0
    var position = 0
    var lineNumber = 0
    let count = input.count
    while position < count {
      lineNumber += 1
      if input[position] == 0x0A {
        position += 1
        continue
      }
      let start = written
      var quad: UInt32 = 0
      var quadCount = 0
      while position < count, input[position] != 0x20 {
        let character = input[position]
        position += 1
        if character == 0x3D { continue }  // '=' padding
        let value = base64Values[Int(character)]
        guard value >= 0 else {
          bytes.deallocate()
          throw .vocabularyUnavailable("invalid base64 on line \(lineNumber)")
        }
        quad = quad << 6 | UInt32(value)
        quadCount += 1
        if quadCount == 4 {
          bytes[written] = UInt8(truncatingIfNeeded: quad >> 16)
          bytes[written + 1] = UInt8(truncatingIfNeeded: quad >> 8)
          bytes[written + 2] = UInt8(truncatingIfNeeded: quad)
          written += 3
          quad = 0
          quadCount = 0
        }
      }
      if quadCount == 2 {
        bytes[written] = UInt8(truncatingIfNeeded: quad >> 4)
        written += 1
      } else if quadCount == 3 {
        bytes[written] = UInt8(truncatingIfNeeded: quad >> 10)
        bytes[written + 1] = UInt8(truncatingIfNeeded: quad >> 2)
        written += 2
      }
      position += 1  // the space
      var rank = 0
      var digits = 0
      while position < count, input[position] >= 0x30, input[position] <= 0x39 {
        rank = rank * 10 + Int(input[position] - 0x30)
        digits += 1
        position += 1
      }
      if position < count, input[position] == 0x0D { position += 1 }
      guard digits > 0, written > start, position >= count || input[position] == 0x0A else {
        bytes.deallocate()
        throw .vocabularyUnavailable("malformed line \(lineNumber)")
      }
      position += 1
      entries.append((rank, start, written))
    }
    return try makeVocabulary(
      bytes: bytes, used: written, entries: entries, mergeTable: mergeTable)
  }

  /// Builds rank-ordered offsets; files are already in rank order, others are reordered.
  private static func makeVocabulary(
    bytes: UnsafeMutableBufferPointer<UInt8>, used: Int,
    entries: [(rank: Int, start: Int, end: Int)], mergeTable: Bool
  ) throws(TokenizerError) -> Vocabulary {
    let inOrder = entries.indices.allSatisfy { entries[$0].rank == $0 }
    if inOrder {
      let offsets = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: entries.count + 1)
      offsets[0] = 0
      for (index, entry) in entries.enumerated() { offsets[index + 1] = UInt32(entry.end) }
      // Give back the slack of the file-sized buffer.
      let exact = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(used, 1))
      _ = exact.initialize(from: bytes[0..<used])
      bytes.deallocate()
      return try Vocabulary(bytes: exact, offsets: offsets, mergeTable: mergeTable)
    }
    let maxRank = entries.map(\.rank).max() ?? -1
    var byRank = [Int](repeating: -1, count: maxRank + 1)
    for (index, entry) in entries.enumerated() {
      guard byRank[entry.rank] < 0 else {
        bytes.deallocate()
        throw .vocabularyUnavailable("duplicate rank \(entry.rank)")
      }
      byRank[entry.rank] = index
    }
    let sorted = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(used, 1))
    let offsets = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: maxRank + 2)
    var written = 0
    offsets[0] = 0
    for rank in 0...maxRank {
      if byRank[rank] >= 0 {
        let entry = entries[byRank[rank]]
        for offset in entry.start..<entry.end {
          sorted[written] = bytes[offset]
          written += 1
        }
      }
      offsets[rank + 1] = UInt32(written)
    }
    bytes.deallocate()
    return try Vocabulary(bytes: sorted, offsets: offsets, mergeTable: mergeTable)
  }

  /// Value of each base64 character, or -1.
  private static let base64Values: [Int8] = {
    var table = [Int8](repeating: -1, count: 256)
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    for (value, character) in alphabet.enumerated() { table[Int(character)] = Int8(value) }
    return table
  }()
}
