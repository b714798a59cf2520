/// A set of Unicode scalars for one position of a pattern: sorted, disjoint ranges plus Unicode
/// property tests, possibly negated as a whole (`[^…]`).
struct ScalarSet: Sendable {
  /// A `\p{…}` (or, `negated`, `\P{…}`) item.
  struct PropertyTest: Sendable {
    var property: UnicodeProperty
    var negated: Bool
  }

  /// Sorted, non-overlapping, non-adjacent.
  private(set) var ranges: [ClosedRange<UInt32>]
  private(set) var properties: [PropertyTest]
  private(set) var negated: Bool
  /// Membership of the 128 ASCII scalars, precomputed: almost every input is mostly ASCII.
  private var asciiLow: UInt64 = 0
  private var asciiHigh: UInt64 = 0

  static let lastScalar: UInt32 = 0x10_FFFF

  init(ranges: [ClosedRange<UInt32>], properties: [PropertyTest] = [], negated: Bool = false) {
    self.ranges = Self.normalized(ranges)
    self.properties = properties
    self.negated = negated
    for value in UInt32(0)..<128 where slowContains(value) {
      if value < 64 { asciiLow |= 1 << UInt64(value) } else { asciiHigh |= 1 << UInt64(value - 64) }
    }
  }

  /// Whether the scalar with this value is in the set.
  @inline(__always)
  func contains(_ value: UInt32) -> Bool {
    if value < 64 { return asciiLow & (1 << UInt64(value)) != 0 }
    if value < 128 { return asciiHigh & (1 << UInt64(value - 64)) != 0 }
    return slowContains(value)
  }

  private func slowContains(_ value: UInt32) -> Bool {
    var inside = Self.search(ranges, value)
    if !inside, !properties.isEmpty, let scalar = Unicode.Scalar(value) {
      inside = properties.contains { $0.property.contains(scalar) != $0.negated }
    }
    return inside != negated
  }

  private static func search(_ ranges: [ClosedRange<UInt32>], _ value: UInt32) -> Bool {
    var low = 0
    var high = ranges.count
    while low < high {
      let middle = (low + high) / 2
      if ranges[middle].upperBound < value {
        low = middle + 1
      } else if ranges[middle].lowerBound > value {
        high = middle
      } else {
        return true
      }
    }
    return false
  }

  /// Sorts and merges overlapping or adjacent ranges.
  static func normalized(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
    var merged: [ClosedRange<UInt32>] = []
    for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
      if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
        merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
      } else {
        merged.append(range)
      }
    }
    return merged
  }

  /// Every scalar value outside `ranges` (which must be normalized).
  static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
    var result: [ClosedRange<UInt32>] = []
    var next: UInt32 = 0
    for range in ranges {
      if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
      if range.upperBound >= lastScalar { return result }
      next = range.upperBound + 1
    }
    result.append(next...lastScalar)
    return result
  }

  // MARK: - ECMA-262 sets

  /// `\d`: ASCII digits only.
  static let digits: [ClosedRange<UInt32>] = [0x30...0x39]
  /// `\w`: ASCII letters, digits and `_` only.
  static let wordCharacters: [ClosedRange<UInt32>] = [
    0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A,
  ]
  /// `\s`: ECMA-262 WhiteSpace and LineTerminator.
  static let whitespace: [ClosedRange<UInt32>] = [
    0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029,
    0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
  ]
  /// What `.` does not match (no `s` flag): the line terminators.
  static let lineTerminators: [ClosedRange<UInt32>] = [0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029]

  /// Whether `value` is a word character for `\b` and `\B`.
  @inline(__always)
  static func isWordCharacter(_ value: UInt32) -> Bool {
    switch value {
    case 0x30...0x39, 0x41...0x5A, 0x5F, 0x61...0x7A: return true
    default: return false
    }
  }
}
