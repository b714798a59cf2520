/// The character classes used by the encodings' pre-tokenisation patterns, as bit flags.
///
/// One byte per scalar: `\p{L}`, `\p{N}`, `\s`, `[\r\n]`, and for o200k the two letter groups
/// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]` ("upper") and `[\p{Ll}\p{Lm}\p{Lo}\p{M}]` ("lower").
struct ScalarClass: OptionSet, Sendable {
  let rawValue: UInt8

  static let letter = ScalarClass(rawValue: 1)
  static let number = ScalarClass(rawValue: 2)
  static let whitespace = ScalarClass(rawValue: 4)
  static let newline = ScalarClass(rawValue: 8)
  static let upper = ScalarClass(rawValue: 16)
  static let lower = ScalarClass(rawValue: 32)

  /// `[^\r\n\p{L}\p{N}]`: the optional prefix before a word.
  @inline(__always) var isWordPrefix: Bool { rawValue & 0b1011 == 0 }
  /// `[^\s\p{L}\p{N}]`: punctuation, symbols, marks, controls.
  @inline(__always) var isPunctuation: Bool { rawValue & 0b0111 == 0 }
  @inline(__always) var isLetter: Bool { rawValue & 1 != 0 }
  @inline(__always) var isNumber: Bool { rawValue & 2 != 0 }
  @inline(__always) var isWhitespace: Bool { rawValue & 4 != 0 }
  @inline(__always) var isNewline: Bool { rawValue & 8 != 0 }
  @inline(__always) var isUpper: Bool { rawValue & 16 != 0 }
  @inline(__always) var isLower: Bool { rawValue & 32 != 0 }

  /// Scalars below this have their class in ``tabledClasses``.
  static let tabledScalars = 0x2_0000

  /// The Unicode version of tiktoken's tables (regex-syntax 0.8 in tiktoken 0.14).
  static let referenceUnicodeVersion = (major: 16, minor: 0)

  /// Classifies one scalar from its Unicode properties.
  ///
  /// Scalars assigned after ``referenceUnicodeVersion`` are unassigned for tiktoken, so they
  /// are classified as such (no class), whatever the newer tables of this Swift runtime say.
  static func of(_ scalar: Unicode.Scalar) -> ScalarClass {
    var flags: ScalarClass = []
    let properties = scalar.properties
    guard let age = properties.age,
      (age.major, age.minor) <= referenceUnicodeVersion
    else { return [] }
    if properties.isWhitespace { flags.insert(.whitespace) }
    if scalar == "\r" || scalar == "\n" { flags.insert(.newline) }
    switch properties.generalCategory {
    case .uppercaseLetter, .titlecaseLetter:
      flags.formUnion([.letter, .upper])
    case .lowercaseLetter:
      flags.formUnion([.letter, .lower])
    case .modifierLetter, .otherLetter:
      flags.formUnion([.letter, .upper, .lower])
    case .nonspacingMark, .spacingMark, .enclosingMark:
      flags.formUnion([.upper, .lower])
    case .decimalNumber, .letterNumber, .otherNumber:
      flags.insert(.number)
    default:
      break
    }
    return flags
  }
}

/// Classes of the Basic Multilingual Plane and of plane 1 (emoji, historic scripts), computed
/// once; the rarer planes above are classified on demand. Emoji on demand cost two fifths of
/// the time of emoji-heavy text (the runtime's property lookups).
let tabledClasses: [ScalarClass] = (0..<ScalarClass.tabledScalars).map { value in
  guard let scalar = Unicode.Scalar(UInt32(value)) else { return [] }
  return ScalarClass.of(scalar)
}
