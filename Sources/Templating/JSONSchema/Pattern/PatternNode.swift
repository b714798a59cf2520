/// The syntax tree of a `pattern` (the ECMA-262 subset that `SchemaPattern` documents).
///
/// Captures are not kept: a schema only asks whether the pattern matches.
indirect enum PatternNode: Sendable {
  /// Matches the empty string.
  case empty
  /// One Unicode scalar.
  case scalar(UInt32)
  /// One scalar of a set (`.`, `[…]`, `\d`…), an index into the parser's set table.
  case set(Int)
  /// `^`, `$`, `\b`, `\B`.
  case assertion(PatternAssertion)
  case concatenation([PatternNode])
  case alternation([PatternNode])
  /// `node{min,max}`; `max` nil for no upper bound. Laziness does not change whether a pattern
  /// matches, so it is not kept.
  case repetition(PatternNode, min: Int, max: Int?)
}

/// A zero-width test between two scalars.
enum PatternAssertion: Sendable, Hashable {
  /// `^` without the multiline flag: the start of the string only.
  case start
  /// `$` without the multiline flag: the very end of the string only.
  case end
  /// `\b`: a word character (ASCII `[A-Za-z0-9_]`) on one side only.
  case wordBoundary
  /// `\B`.
  case notWordBoundary
}
