/// Reads classified Unicode scalars from valid UTF-8, by byte offset.
///
/// The pre-tokenisers work on byte offsets so that pieces go to the byte-pair encoder as
/// ranges of the original buffer, without copying. Swift strings are always valid UTF-8.
struct ScalarReader {
  let bytes: UnsafePointer<UInt8>
  let count: Int
  /// ``tabledClasses``, indexed by scalar value.
  let classes: UnsafePointer<ScalarClass>

  /// The class and the UTF-8 length of the scalar starting at byte `offset` (< `count`).
  @inline(__always)
  func read(_ offset: Int) -> (ScalarClass, Int) {
    let lead = UInt32(bytes[offset])
    if lead < 0x80 { return (classes[Int(lead)], 1) }
    if lead < 0xE0 {
      let value = (lead & 0x1F) << 6 | UInt32(bytes[offset + 1] & 0x3F)
      return (classes[Int(value)], 2)
    }
    if lead < 0xF0 {
      let value =
        (lead & 0x0F) << 12 | UInt32(bytes[offset + 1] & 0x3F) << 6
        | UInt32(bytes[offset + 2] & 0x3F)
      return (classes[Int(value)], 3)
    }
    let value =
      (lead & 0x07) << 18 | UInt32(bytes[offset + 1] & 0x3F) << 12
      | UInt32(bytes[offset + 2] & 0x3F) << 6 | UInt32(bytes[offset + 3] & 0x3F)
    if value < ScalarClass.tabledScalars { return (classes[Int(value)], 4) }
    return (Unicode.Scalar(value).map(ScalarClass.of) ?? [], 4)
  }

  /// The byte at `offset`, or 0 past the end (0 never starts a contraction or a rule).
  @inline(__always)
  func byte(_ offset: Int) -> UInt8 {
    offset < count ? bytes[offset] : 0
  }

  /// End of the run of scalars from `offset` whose class satisfies `test`.
  @inline(__always)
  func runEnd(from offset: Int, while test: (ScalarClass) -> Bool) -> Int {
    var position = offset
    while position < count {
      let (flags, length) = read(position)
      guard test(flags) else { break }
      position += length
    }
    return position
  }

  /// Summary of a whitespace run: where it ends, where its last scalar starts, and where the
  /// last `\r` or `\n` in it ends (nil if none).
  @inline(__always)
  func whitespaceRun(from offset: Int) -> (end: Int, lastStart: Int, newlineEnd: Int?) {
    var position = offset
    var lastStart = offset
    var newlineEnd: Int?
    while position < count {
      let (flags, length) = read(position)
      guard flags.isWhitespace else { break }
      lastStart = position
      position += length
      if flags.isNewline { newlineEnd = position }
    }
    return (position, lastStart, newlineEnd)
  }
}
