import NIOCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A `multipart` body (RFC 2046 §5.1.1) parsed as it arrives, one chunk at a time. A part's
/// content is handed on as slices of the chunks, without a copy; only a delimiter cut by a
/// chunk's end and a part's header block are kept between chunks. The search for a delimiter
/// jumps from one CR to the next with `memchr`: MultipartKit's parser, which this replaces,
/// tested every byte and copied the content between two CRs into a buffer of its own, about 3 %
/// of the server's CPU under uploads (docs/performance.md, round 14).
struct MultipartStreamParser {
  enum Event {
    /// A header of the part that begins.
    case header(name: String, value: String)
    /// The next bytes of the current part's content; a part gets none, one or many.
    case content(ByteBuffer)
    /// The current part ended at a delimiter.
    case partEnd
  }

  /// Why the body is not a multipart body, said so that a client can fix it.
  struct SyntaxError: Error, Equatable {
    let reason: String
  }

  /// The most bytes of one part's header lines.
  static let maximumHeaderBytes = 8 * 1024

  /// CR LF "--" boundary: what ends a part's content.
  private let delimiter: [UInt8]
  private var state = State.preamble
  /// The first bytes of a possible delimiter at the end of the last chunk, or the header
  /// block so far after the CR LF that began it. The body's start counts as the end of a line:
  /// its first delimiter may come without the CR LF.
  private var carried: [UInt8] = [cr, lf]

  private enum State: Equatable {
    case preamble
    case afterDelimiter(AfterDelimiter)
    case headers
    case content
    case epilogue
  }

  /// What followed the boundary so far: "--" closes the body, CR LF (after optional
  /// whitespace) begins a part's headers.
  private enum AfterDelimiter: Equatable {
    case start, dash, padding, cr
  }

  private static let cr: UInt8 = 13
  private static let lf: UInt8 = 10
  private static let dash: UInt8 = 45

  /// A parser for the parts separated by `boundary` (from the `Content-Type`; at least one
  /// byte, no CR or LF).
  init(boundary: String) {
    precondition(!boundary.isEmpty && !boundary.utf8.contains(Self.cr))
    delimiter = [Self.cr, Self.lf, Self.dash, Self.dash] + Array(boundary.utf8)
  }

  /// Whether the closing delimiter has been read: anything after it is the epilogue.
  var isComplete: Bool { state == .epilogue }

  /// Parses the readable bytes of `chunk`, handing each event to `handle` in order.
  mutating func parse(_ chunk: ByteBuffer, _ handle: (Event) throws -> Void) throws {
    let count = chunk.readableBytes
    try chunk.withUnsafeReadableBytes { bytes in
      var offset = 0
      while offset < count {
        switch state {
        case .preamble, .content:
          offset = try scan(bytes, from: offset, of: chunk, handle)
        case .afterDelimiter(let seen):
          state = try Self.next(after: seen, byte: bytes[offset])
          if state == .headers { carried = [Self.cr, Self.lf] }
          offset += 1
        case .headers:
          offset = try readHeaders(bytes, from: offset, handle)
        case .epilogue:
          offset = count
        }
      }
    }
  }

  /// Looks for the delimiter from `offset`, handing on the content before it; returns the
  /// offset after the delimiter, or the chunk's end.
  private mutating func scan(
    _ bytes: UnsafeRawBufferPointer, from offset: Int, of chunk: ByteBuffer,
    _ handle: (Event) throws -> Void
  ) throws -> Int {
    let count = bytes.count
    let start = offset
    if !carried.isEmpty {
      // A delimiter begun at the last chunk's end: it goes on here or was content.
      let wanted = delimiter.count - carried.count
      let available = min(wanted, count - start)
      if delimiter[carried.count..<(carried.count + available)]
        .elementsEqual(bytes[start..<(start + available)])
      {
        if available == wanted {
          carried = []
          try delimiterFound(handle)
          return start + available
        }
        carried += bytes[start..<(start + available)]
        return count
      }
      // The delimiter has one CR, its first byte, so no other one starts inside `carried`.
      if state == .content { try handle(.content(ByteBuffer(bytes: carried))) }
      carried = []
    }
    var search = start
    while search < count {
      guard let found = memchr(bytes.baseAddress! + search, Int32(Self.cr), count - search) else {
        break
      }
      let index = UnsafeRawPointer(found) - bytes.baseAddress!
      let remaining = count - index
      if remaining >= delimiter.count {
        if memcmp(found, delimiter, delimiter.count) == 0 {
          try emit(chunk, start..<index, handle)
          try delimiterFound(handle)
          return index + delimiter.count
        }
      } else if delimiter[0..<remaining].elementsEqual(bytes[index..<count]) {
        try emit(chunk, start..<index, handle)
        carried = Array(bytes[index..<count])
        return count
      }
      search = index + 1
    }
    try emit(chunk, start..<count, handle)
    return count
  }

  private func emit(
    _ chunk: ByteBuffer, _ range: Range<Int>, _ handle: (Event) throws -> Void
  ) throws {
    guard state == .content, !range.isEmpty,
      let slice = chunk.getSlice(at: chunk.readerIndex + range.lowerBound, length: range.count)
    else { return }
    try handle(.content(slice))
  }

  private mutating func delimiterFound(_ handle: (Event) throws -> Void) throws {
    if state == .content { try handle(.partEnd) }
    state = .afterDelimiter(.start)
  }

  private static func next(after seen: AfterDelimiter, byte: UInt8) throws -> State {
    switch (seen, byte) {
    case (.start, dash): return .afterDelimiter(.dash)
    case (.dash, dash): return .epilogue
    case (.start, 0x20), (.start, 0x09), (.padding, 0x20), (.padding, 0x09):
      return .afterDelimiter(.padding)
    case (.start, cr), (.padding, cr): return .afterDelimiter(.cr)
    case (.cr, lf): return .headers
    default:
      throw SyntaxError(reason: "a boundary must be followed by CRLF, or by -- at the end")
    }
  }

  /// Adds header bytes up to the empty line that ends them; returns the offset after it, or
  /// the chunk's end.
  private mutating func readHeaders(
    _ bytes: UnsafeRawBufferPointer, from offset: Int, _ handle: (Event) throws -> Void
  ) throws -> Int {
    var index = offset
    while index < bytes.count {
      carried.append(bytes[index])
      index += 1
      guard carried.count <= Self.maximumHeaderBytes + 4 else {
        throw SyntaxError(reason: "a part's headers are longer than 8 KiB")
      }
      let end = carried.count
      if end >= 4, carried[end - 1] == Self.lf, carried[end - 2] == Self.cr,
        carried[end - 3] == Self.lf, carried[end - 4] == Self.cr
      {
        let block = end > 4 ? carried[2..<(end - 4)] : []
        for line in Self.lines(of: block) {
          let (name, value) = try Self.header(line)
          try handle(.header(name: name, value: value))
        }
        carried = []
        state = .content
        return index
      }
    }
    return index
  }

  /// The header block's lines, split at CR LF.
  private static func lines(of block: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
    guard !block.isEmpty else { return [] }
    var lines: [ArraySlice<UInt8>] = []
    var start = block.startIndex
    var index = block.startIndex
    while index < block.endIndex {
      if block[index] == cr, index + 1 < block.endIndex, block[index + 1] == lf {
        lines.append(block[start..<index])
        index += 2
        start = index
      } else {
        index += 1
      }
    }
    lines.append(block[start..<block.endIndex])
    return lines
  }

  /// `Name: value` (RFC 5322 §2.2; a line folded onto the next is not accepted).
  private static func header(_ line: ArraySlice<UInt8>) throws -> (String, String) {
    guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
      line[..<colon].allSatisfy(isTokenByte)
    else {
      throw SyntaxError(reason: "a part's header line must be a name, a colon and a value")
    }
    let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
    let value = line[(colon + 1)...].drop(while: isBlank)
    let trimmed = value[..<(value.lastIndex { !isBlank($0) }.map { $0 + 1 } ?? value.startIndex)]
    guard !trimmed.contains(cr), !trimmed.contains(lf),
      let text = String(validating: trimmed, as: UTF8.self)
    else {
      throw SyntaxError(reason: "a part's header value must be UTF-8 on one line")
    }
    return (String(decoding: line[..<colon], as: UTF8.self), text)
  }

  /// A byte of an RFC 7230 token: visible ASCII except the separators.
  private static func isTokenByte(_ byte: UInt8) -> Bool {
    guard byte > 0x20, byte < 0x7F else { return false }
    return !"\"(),/:;<=>?@[\\]{}".utf8.contains(byte)
  }
}
