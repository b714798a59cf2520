import Foundation

/// A compiled `pattern`: an ECMA-262 regular expression matched in linear time.
///
/// Patterns come from users, so they are not run by a backtracking engine (with ICU's
/// `NSRegularExpression`, `^(a+)+$` against `aaaa…!` took time exponential in the number of
/// `a`s): `PatternParser` reads the pattern, `PatternProgram` compiles it to a Thompson NFA and
/// `PatternMatcher` runs that as a lazily built DFA over Unicode scalars. Matching is an
/// unanchored search for a yes/no answer.
///
/// The syntax is ECMA-262's (JSON Schema's dialect) with these meanings:
/// - `\d`, `\w` and their negations are ASCII-only (`[0-9]`, `[A-Za-z0-9_]`); `\s` is ECMA-262's
///   WhiteSpace and LineTerminator set; `\b`/`\B` use the ASCII `\w`.
/// - `.` matches any scalar but `\n \r \u2028 \u2029`; `^` matches only at the start and `$`
///   only at the very end (no multiline flag: `$` does not match before a final newline).
/// - Classes: ranges, escapes, `[^…]`; `[` and `&` inside are literal; `[^]` is any scalar and
///   `[]` nothing; `\b` inside is backspace; a class escape at either end of a `-` makes the `-`
///   literal (`[\w-.]`), as browsers do.
/// - Escapes: `\t \n \r \v \f \0`, `\xHH`, `\uHHHH` (a surrogate pair of two is one scalar),
///   `\u{…}`, `\cX`, escaped punctuation; `\p{…}`/`\P{…}` with General_Category values
///   (`L`, `Letter`, `gc=Lu`…) and binary properties (`Alphabetic`, `White_Space`, `Emoji`…).
/// - Groups `(…)`, `(?:…)`, `(?<name>…)`; alternation; `* + ? {n} {n,} {n,m}` and their lazy
///   forms (the same for a yes/no match); a `{` that starts no quantifier, `}` and `]` alone
///   are literal (ECMA-262 Annex B).
///
/// Refused with a `SchemaError`: backreferences (`\1`, `\k<name>`), lookahead and lookbehind,
/// inline modifiers `(?i:…)`, script properties (`\p{Script=…}`), unknown escapes such as `\a`
/// or `\z` (ICU meanings that ECMA-262 does not have), repetition counts above 1,000, groups
/// nested over 100 deep, and programs over 10,000 instructions once repetitions are expanded.
struct SchemaPattern: Sendable {
  /// The pattern as written in the schema.
  let source: String
  private let program: PatternProgram

  /// Compiles `source`, reusing an earlier compilation of the same text.
  init(_ source: String) throws(SchemaError) {
    self.source = source
    if let cached = PatternCache.shared.program(for: source) {
      program = cached
      return
    }
    program = try PatternProgram(compiling: source)
    PatternCache.shared.store(program, for: source)
  }

  /// Whether the pattern matches somewhere in `string`.
  func matches(_ string: String) -> Bool {
    PatternMatcher.matches(program, string)
  }
}

/// Compiled patterns shared by all schemas: a schema is compiled again for every generation
/// request that validates variables, with the same few patterns.
private final class PatternCache: @unchecked Sendable {
  static let shared = PatternCache()

  private let lock = NSLock()
  private var entries: [String: PatternProgram] = [:]
  private let capacity = 512

  func program(for source: String) -> PatternProgram? {
    lock.withLock { entries[source] }
  }

  func store(_ program: PatternProgram, for source: String) {
    lock.withLock {
      if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
      entries[source] = program
    }
  }
}
