/// Parses a JSON Schema `pattern` (the ECMA-262 subset `SchemaPattern` documents) into a
/// `PatternNode` tree and the table of scalar sets it refers to.
///
/// Constructs that need backtracking (backreferences, lookaround) are refused here: patterns are
/// matched in linear time, and a pattern that cannot be is not silently matched otherwise.
struct PatternParser {
  /// Groups nest at most this deep: the parser and the compiler recurse once per level.
  static let maxGroupDepth = 100
  /// Counted repetitions are expanded into copies, so their bounds are capped.
  static let maxRepetition = 1_000

  private let source: String
  private let scalars: [UInt32]
  private var index = 0
  private var depth = 0
  private var sets: [ScalarSet] = []

  private init(_ source: String) {
    self.source = source
    self.scalars = source.unicodeScalars.map(\.value)
  }

  /// The tree of `source` and its scalar sets.
  static func parse(_ source: String) throws(SchemaError) -> (PatternNode, [ScalarSet]) {
    var parser = PatternParser(source)
    let node = try parser.disjunction()
    if parser.index < parser.scalars.count {
      throw parser.invalid("unmatched \")\"")
    }
    return (node, parser.sets)
  }

  // MARK: - Errors

  private func invalid(_ reason: String) -> SchemaError {
    SchemaError(pointer: "", message: "invalid regular expression \"\(source)\": \(reason)")
  }

  private static func unsupported(_ construct: String) -> SchemaError {
    SchemaError(
      pointer: "",
      message: "pattern uses \(construct), which Promptsmith does not support: patterns are "
        + "matched in linear time")
  }

  // MARK: - Reading

  private var peek: UInt32? { index < scalars.count ? scalars[index] : nil }

  private func peek(_ offset: Int) -> UInt32? {
    index + offset < scalars.count ? scalars[index + offset] : nil
  }

  private mutating func take(_ value: Character) -> Bool {
    guard let ascii = value.asciiValue, peek == UInt32(ascii) else { return false }
    index += 1
    return true
  }

  private static func ascii(_ character: Character) -> UInt32 {
    UInt32(character.asciiValue!)
  }

  private static func isDigit(_ value: UInt32?) -> Bool {
    guard let value else { return false }
    return value >= 0x30 && value <= 0x39
  }

  private static func hexValue(_ value: UInt32?) -> UInt32? {
    switch value {
    case let v? where v >= 0x30 && v <= 0x39: return v - 0x30
    case let v? where v >= 0x41 && v <= 0x46: return v - 0x41 + 10
    case let v? where v >= 0x61 && v <= 0x66: return v - 0x61 + 10
    default: return nil
    }
  }

  private static func isASCIIAlphanumeric(_ value: UInt32) -> Bool {
    (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A)
      || (value >= 0x61 && value <= 0x7A)
  }

  // MARK: - Structure

  /// `alternative ( | alternative )*`
  private mutating func disjunction() throws(SchemaError) -> PatternNode {
    var alternatives = [try alternative()]
    while take("|") { alternatives.append(try alternative()) }
    return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
  }

  /// `term*`, up to `|`, `)` or the end.
  private mutating func alternative() throws(SchemaError) -> PatternNode {
    var terms: [PatternNode] = []
    while let next = peek, next != Self.ascii("|"), next != Self.ascii(")") {
      terms.append(try term())
    }
    switch terms.count {
    case 0: return .empty
    case 1: return terms[0]
    default: return .concatenation(terms)
    }
  }

  /// An assertion, or an atom with an optional quantifier.
  private mutating func term() throws(SchemaError) -> PatternNode {
    let start = index
    let value = scalars[index]
    index += 1
    var atom: PatternNode
    var quantifiable = true
    switch value {
    case Self.ascii("^"):
      atom = .assertion(.start)
      quantifiable = false
    case Self.ascii("$"):
      atom = .assertion(.end)
      quantifiable = false
    case Self.ascii("\\") where peek == Self.ascii("b"):
      index += 1
      atom = .assertion(.wordBoundary)
      quantifiable = false
    case Self.ascii("\\") where peek == Self.ascii("B"):
      index += 1
      atom = .assertion(.notWordBoundary)
      quantifiable = false
    case Self.ascii("\\"):
      atom = try atomEscape()
    case Self.ascii("("):
      atom = try group()
    case Self.ascii("["):
      atom = .set(try characterClass())
    case Self.ascii("."):
      atom = .set(addSet(ScalarSet(ranges: ScalarSet.lineTerminators, negated: true)))
    case Self.ascii("*"), Self.ascii("+"), Self.ascii("?"):
      throw invalid("nothing to repeat before \"\(Character(Unicode.Scalar(value)!))\"")
    case Self.ascii("{"):
      // A `{` that starts no quantifier is literal (Annex B); one that does has nothing to
      // repeat.
      index = start
      let isQuantifier: Bool
      do { isQuantifier = try braces() != nil } catch { isQuantifier = true }
      if isQuantifier { throw invalid("nothing to repeat before \"{\"") }
      index = start + 1
      atom = .scalar(value)
    default:
      atom = .scalar(value)  // `}` and `]` alone are literal too (Annex B)
    }
    guard let (min, max) = try quantifier() else { return atom }
    guard quantifiable else { throw invalid("nothing to repeat: an assertion cannot repeat") }
    return .repetition(atom, min: min, max: max)
  }

  /// `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe followed by `?` (lazy: the same for a
  /// yes/no match).
  private mutating func quantifier() throws(SchemaError) -> (Int, Int?)? {
    let bounds: (Int, Int?)
    if take("*") {
      bounds = (0, nil)
    } else if take("+") {
      bounds = (1, nil)
    } else if take("?") {
      bounds = (0, 1)
    } else if let counted = try braces() {
      bounds = counted
    } else {
      return nil
    }
    _ = take("?")
    return bounds
  }

  /// `{n}`, `{n,}` or `{n,m}` at the current position, consumed; nil (nothing consumed) when
  /// the text there is not one.
  private mutating func braces() throws(SchemaError) -> (Int, Int?)? {
    let start = index
    guard take("{"), let low = number() else {
      index = start
      return nil
    }
    var high: Int? = low
    if take(",") { high = number() }
    guard take("}") else {
      index = start
      return nil
    }
    let text = String(
      String.UnicodeScalarView(source.unicodeScalars.dropFirst(start).prefix(index - start)))
    if let high, high < low { throw invalid("numbers out of order in \(text)") }
    if max(low, high ?? 0) > Self.maxRepetition {
      throw SchemaError(
        pointer: "",
        message: "pattern uses a repetition count above \(Self.maxRepetition) (\(text)), which "
          + "Promptsmith does not support")
    }
    return (low, high)
  }

  /// Decimal digits, saturating far above `maxRepetition`; nil when there are none.
  private mutating func number() -> Int? {
    guard Self.isDigit(peek) else { return nil }
    var value = 0
    while let digit = peek, Self.isDigit(digit) {
      value = min(value * 10 + Int(digit - 0x30), 1_000_000_000)
      index += 1
    }
    return value
  }

  /// After `(`: a group, non-capturing or named; lookaround and modifiers are refused.
  private mutating func group() throws(SchemaError) -> PatternNode {
    if take("?") {
      if take(":") {
        // non-capturing
      } else if take("=") || take("!") {
        throw Self.unsupported("a lookahead")
      } else if peek == Self.ascii("<")
        && (peek(1) == Self.ascii("=") || peek(1) == Self.ascii("!"))
      {
        throw Self.unsupported("a lookbehind")
      } else if take("<") {
        try groupName()
      } else {
        throw invalid("unsupported group \"(?\"")
      }
    }
    depth += 1
    defer { depth -= 1 }
    if depth > Self.maxGroupDepth {
      throw SchemaError(
        pointer: "",
        message: "pattern nests groups more than \(Self.maxGroupDepth) deep, which Promptsmith "
          + "does not support")
    }
    let inner = try disjunction()
    guard take(")") else { throw invalid("missing \")\"") }
    return inner
  }

  /// The `name>` of `(?<name>…)`: the name is only checked, captures are not kept.
  private mutating func groupName() throws(SchemaError) {
    let start = index
    while let next = peek, next != Self.ascii(">") {
      guard
        next == Self.ascii("_") || next == Self.ascii("$") || next > 0x7F
          || Self.isASCIIAlphanumeric(next)
      else { throw invalid("invalid group name") }
      index += 1
    }
    guard index > start, take(">"), !Self.isDigit(scalars[start]) else {
      throw invalid("invalid group name")
    }
  }

  // MARK: - Escapes

  /// What an escape stands for.
  private enum Escape {
    case scalar(UInt32)
    case ranges([ClosedRange<UInt32>], negated: Bool)
    case property(ScalarSet.PropertyTest)
  }

  /// After `\` outside a class.
  private mutating func atomEscape() throws(SchemaError) -> PatternNode {
    switch try escape(inClass: false) {
    case .scalar(let value):
      return .scalar(value)
    case .ranges(let ranges, let negated):
      return .set(addSet(ScalarSet(ranges: ranges, negated: negated)))
    case .property(let test):
      return .set(addSet(ScalarSet(ranges: [], properties: [test])))
    }
  }

  /// After `\`, inside a class or not.
  private mutating func escape(inClass: Bool) throws(SchemaError) -> Escape {
    guard let value = peek else { throw invalid("\\ at end of pattern") }
    index += 1
    switch value {
    case Self.ascii("d"): return .ranges(ScalarSet.digits, negated: false)
    case Self.ascii("D"): return .ranges(ScalarSet.digits, negated: true)
    case Self.ascii("w"): return .ranges(ScalarSet.wordCharacters, negated: false)
    case Self.ascii("W"): return .ranges(ScalarSet.wordCharacters, negated: true)
    case Self.ascii("s"): return .ranges(ScalarSet.whitespace, negated: false)
    case Self.ascii("S"): return .ranges(ScalarSet.whitespace, negated: true)
    case Self.ascii("p"), Self.ascii("P"):
      return .property(try propertyEscape(negated: value == Self.ascii("P")))
    case Self.ascii("t"): return .scalar(0x09)
    case Self.ascii("n"): return .scalar(0x0A)
    case Self.ascii("v"): return .scalar(0x0B)
    case Self.ascii("f"): return .scalar(0x0C)
    case Self.ascii("r"): return .scalar(0x0D)
    case Self.ascii("b") where inClass: return .scalar(0x08)
    case Self.ascii("-") where inClass: return .scalar(0x2D)
    case Self.ascii("0"):
      if Self.isDigit(peek) { throw invalid("octal escapes are not supported") }
      return .scalar(0)
    case Self.ascii("1")...Self.ascii("9"):
      if inClass { throw invalid("octal escapes are not supported") }
      throw Self.unsupported("a backreference")
    case Self.ascii("k") where peek == Self.ascii("<") && !inClass:
      throw Self.unsupported("a backreference")
    case Self.ascii("c"):
      guard let letter = peek,
        (letter >= 0x41 && letter <= 0x5A) || (letter >= 0x61 && letter <= 0x7A)
      else { throw invalid("\\c must be followed by a letter") }
      index += 1
      return .scalar(letter % 32)
    case Self.ascii("x"):
      guard let high = Self.hexValue(peek), let low = Self.hexValue(peek(1)) else {
        throw invalid("\\x must be followed by two hexadecimal digits")
      }
      index += 2
      return .scalar(high * 16 + low)
    case Self.ascii("u"):
      return .scalar(try unicodeEscape())
    default:
      // Identity escapes: any punctuation or non-ASCII scalar stands for itself; a letter or
      // digit with no meaning above is an error (ICU gave some of them other meanings).
      if Self.isASCIIAlphanumeric(value) {
        throw invalid("unknown escape \\\(Character(Unicode.Scalar(value)!))")
      }
      return .scalar(value)
    }
  }

  /// After `\u`: `HHHH` (a surrogate pair of two such escapes is one scalar) or `{H…}`.
  private mutating func unicodeEscape() throws(SchemaError) -> UInt32 {
    if take("{") {
      var value: UInt32 = 0
      var digits = 0
      while let digit = Self.hexValue(peek) {
        value = value * 16 + digit
        digits += 1
        index += 1
        if value > ScalarSet.lastScalar { throw invalid("\\u{…} above 10FFFF") }
      }
      guard digits > 0, take("}") else { throw invalid("malformed \\u{…} escape") }
      return value
    }
    guard let value = fourHexDigits(at: index) else {
      throw invalid("\\u must be followed by four hexadecimal digits or {…}")
    }
    index += 4
    if value >= 0xD800 && value <= 0xDBFF, peek == Self.ascii("\\"), peek(1) == Self.ascii("u"),
      let low = fourHexDigits(at: index + 2), low >= 0xDC00 && low <= 0xDFFF
    {
      index += 6
      return 0x10000 + (value - 0xD800) << 10 + (low - 0xDC00)
    }
    return value
  }

  private func fourHexDigits(at position: Int) -> UInt32? {
    var value: UInt32 = 0
    for offset in 0..<4 {
      guard position + offset < scalars.count, let digit = Self.hexValue(scalars[position + offset])
      else { return nil }
      value = value * 16 + digit
    }
    return value
  }

  /// After `\p` or `\P`: `{name}` or `{name=value}`.
  private mutating func propertyEscape(negated: Bool) throws(SchemaError) -> ScalarSet.PropertyTest
  {
    guard take("{") else { throw invalid("\\p must be followed by {…}") }
    let start = index
    while let next = peek, next != Self.ascii("}") { index += 1 }
    guard take("}") else { throw invalid("missing } after \\p{") }
    let body = String(
      String.UnicodeScalarView(
        scalars[start..<(index - 1)].compactMap { Unicode.Scalar($0) }))
    do {
      return ScalarSet.PropertyTest(property: try UnicodeProperty.named(body), negated: negated)
    } catch {
      switch error {
      case .unsupported(let name):
        throw SchemaError(
          pointer: "",
          message: "pattern uses the Unicode property \\p{\(name)}, which Promptsmith does not "
            + "support (general categories and binary properties only)")
      case .unknown(let name):
        throw invalid("unknown Unicode property \\p{\(name)}")
      }
    }
  }

  // MARK: - Classes

  private mutating func addSet(_ set: ScalarSet) -> Int {
    sets.append(set)
    return sets.count - 1
  }

  /// After `[`: up to the closing `]`. `[]` matches nothing and `[^]` any scalar; `[` and `&`
  /// inside are literal.
  private mutating func characterClass() throws(SchemaError) -> Int {
    let negated = take("^")
    var ranges: [ClosedRange<UInt32>] = []
    var properties: [ScalarSet.PropertyTest] = []
    func add(_ item: Escape) {
      switch item {
      case .scalar(let value): ranges.append(value...value)
      case .ranges(let items, let negated):
        ranges += negated ? ScalarSet.complement(ScalarSet.normalized(items)) : items
      case .property(let test): properties.append(test)
      }
    }
    while true {
      guard let next = peek else { throw invalid("missing \"]\"") }
      if next == Self.ascii("]") {
        index += 1
        break
      }
      let first = try classAtom()
      guard peek == Self.ascii("-"), let after = peek(1), after != Self.ascii("]") else {
        add(first)
        continue
      }
      index += 1
      let second = try classAtom()
      if case .scalar(let low) = first, case .scalar(let high) = second {
        guard low <= high else { throw invalid("range out of order in character class") }
        ranges.append(low...high)
      } else {
        // A class escape at either end makes the `-` literal (Annex B), as browsers do.
        add(first)
        ranges.append(0x2D...0x2D)
        add(second)
      }
    }
    return addSet(ScalarSet(ranges: ranges, properties: properties, negated: negated))
  }

  private mutating func classAtom() throws(SchemaError) -> Escape {
    let value = scalars[index]
    index += 1
    return value == Self.ascii("\\") ? try escape(inClass: true) : .scalar(value)
  }
}
