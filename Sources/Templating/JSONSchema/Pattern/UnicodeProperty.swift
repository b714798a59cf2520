/// A Unicode property a `\p{…}` escape can name: a General_Category value (or group of them) or
/// one of the binary properties Swift's Unicode tables know.
///
/// Scripts (`\p{Script=Greek}`, `\p{scx=…}`) are not supported: the standard library has no
/// script table, and a pattern relying on one is refused rather than matched wrongly.
enum UnicodeProperty: Sendable {
  case categories([Unicode.GeneralCategory])
  case any
  case ascii
  case assigned
  case binary(BinaryProperty)

  /// The binary properties supported, by their ECMA-262 names.
  enum BinaryProperty: String, Sendable, CaseIterable {
    case alphabetic = "Alphabetic"
    case asciiHexDigit = "ASCII_Hex_Digit"
    case bidiControl = "Bidi_Control"
    case bidiMirrored = "Bidi_Mirrored"
    case caseIgnorable = "Case_Ignorable"
    case cased = "Cased"
    case dash = "Dash"
    case defaultIgnorable = "Default_Ignorable_Code_Point"
    case deprecated = "Deprecated"
    case diacritic = "Diacritic"
    case emoji = "Emoji"
    case emojiModifier = "Emoji_Modifier"
    case emojiModifierBase = "Emoji_Modifier_Base"
    case emojiPresentation = "Emoji_Presentation"
    case extender = "Extender"
    case graphemeBase = "Grapheme_Base"
    case graphemeExtend = "Grapheme_Extend"
    case hexDigit = "Hex_Digit"
    case idContinue = "ID_Continue"
    case idStart = "ID_Start"
    case ideographic = "Ideographic"
    case joinControl = "Join_Control"
    case lowercase = "Lowercase"
    case math = "Math"
    case noncharacter = "Noncharacter_Code_Point"
    case patternSyntax = "Pattern_Syntax"
    case patternWhiteSpace = "Pattern_White_Space"
    case quotationMark = "Quotation_Mark"
    case radical = "Radical"
    case sentenceTerminal = "Sentence_Terminal"
    case softDotted = "Soft_Dotted"
    case terminalPunctuation = "Terminal_Punctuation"
    case unifiedIdeograph = "Unified_Ideograph"
    case uppercase = "Uppercase"
    case variationSelector = "Variation_Selector"
    case whiteSpace = "White_Space"
    case xidContinue = "XID_Continue"
    case xidStart = "XID_Start"

    /// ECMA-262's short aliases.
    static let aliases: [String: BinaryProperty] = [
      "Alpha": .alphabetic, "AHex": .asciiHexDigit, "Bidi_C": .bidiControl,
      "Bidi_M": .bidiMirrored, "CI": .caseIgnorable, "DI": .defaultIgnorable, "Dep": .deprecated,
      "Dia": .diacritic, "EMod": .emojiModifier, "EBase": .emojiModifierBase,
      "EPres": .emojiPresentation, "Ext": .extender, "Gr_Base": .graphemeBase,
      "Gr_Ext": .graphemeExtend, "Hex": .hexDigit, "IDC": .idContinue, "IDS": .idStart,
      "Ideo": .ideographic, "Join_C": .joinControl, "Lower": .lowercase,
      "NChar": .noncharacter, "Pat_Syn": .patternSyntax, "Pat_WS": .patternWhiteSpace,
      "QMark": .quotationMark, "STerm": .sentenceTerminal, "SD": .softDotted,
      "Term": .terminalPunctuation, "UIdeo": .unifiedIdeograph, "Upper": .uppercase,
      "VS": .variationSelector, "space": .whiteSpace, "XIDC": .xidContinue, "XIDS": .xidStart,
    ]

    func contains(_ p: Unicode.Scalar.Properties) -> Bool {
      switch self {
      case .alphabetic: return p.isAlphabetic
      case .asciiHexDigit: return p.isASCIIHexDigit
      case .bidiControl: return p.isBidiControl
      case .bidiMirrored: return p.isBidiMirrored
      case .caseIgnorable: return p.isCaseIgnorable
      case .cased: return p.isCased
      case .dash: return p.isDash
      case .defaultIgnorable: return p.isDefaultIgnorableCodePoint
      case .deprecated: return p.isDeprecated
      case .diacritic: return p.isDiacritic
      case .emoji: return p.isEmoji
      case .emojiModifier: return p.isEmojiModifier
      case .emojiModifierBase: return p.isEmojiModifierBase
      case .emojiPresentation: return p.isEmojiPresentation
      case .extender: return p.isExtender
      case .graphemeBase: return p.isGraphemeBase
      case .graphemeExtend: return p.isGraphemeExtend
      case .hexDigit: return p.isHexDigit
      case .idContinue: return p.isIDContinue
      case .idStart: return p.isIDStart
      case .ideographic: return p.isIdeographic
      case .joinControl: return p.isJoinControl
      case .lowercase: return p.isLowercase
      case .math: return p.isMath
      case .noncharacter: return p.isNoncharacterCodePoint
      case .patternSyntax: return p.isPatternSyntax
      case .patternWhiteSpace: return p.isPatternWhitespace
      case .quotationMark: return p.isQuotationMark
      case .radical: return p.isRadical
      case .sentenceTerminal: return p.isSentenceTerminal
      case .softDotted: return p.isSoftDotted
      case .terminalPunctuation: return p.isTerminalPunctuation
      case .unifiedIdeograph: return p.isUnifiedIdeograph
      case .uppercase: return p.isUppercase
      case .variationSelector: return p.isVariationSelector
      case .whiteSpace: return p.isWhitespace
      case .xidContinue: return p.isXIDContinue
      case .xidStart: return p.isXIDStart
      }
    }
  }

  /// Whether `scalar` has the property.
  func contains(_ scalar: Unicode.Scalar) -> Bool {
    switch self {
    case .categories(let categories): return categories.contains(scalar.properties.generalCategory)
    case .any: return true
    case .ascii: return scalar.isASCII
    case .assigned: return scalar.properties.generalCategory != .unassigned
    case .binary(let property): return property.contains(scalar.properties)
    }
  }

  /// Why a `\p{…}` body cannot be used.
  enum Refusal: Error {
    /// Well-formed but not supported here (scripts).
    case unsupported(String)
    /// No such property or value.
    case unknown(String)
  }

  /// The property named by the inside of `\p{…}`: `L`, `Letter`, `gc=Lu`,
  /// `General_Category=Uppercase_Letter`, or a binary property such as `Alphabetic`.
  static func named(_ body: String) throws(Refusal) -> UnicodeProperty {
    if let equals = body.firstIndex(of: "=") {
      let name = String(body[..<equals])
      let value = String(body[body.index(after: equals)...])
      switch name {
      case "General_Category", "gc":
        guard let categories = generalCategories[value] else { throw .unknown(body) }
        return .categories(categories)
      case "Script", "sc", "Script_Extensions", "scx":
        throw .unsupported(body)
      default:
        throw .unknown(body)
      }
    }
    if let categories = generalCategories[body] { return .categories(categories) }
    switch body {
    case "Any": return .any
    case "ASCII": return .ascii
    case "Assigned": return .assigned
    default: break
    }
    if let binary = BinaryProperty(rawValue: body) ?? BinaryProperty.aliases[body] {
      return .binary(binary)
    }
    throw .unknown(body)
  }

  /// General_Category values and groups by their long and short names (UAX #44).
  static let generalCategories: [String: [Unicode.GeneralCategory]] = {
    let single: [(String, String, Unicode.GeneralCategory)] = [
      ("Lu", "Uppercase_Letter", .uppercaseLetter), ("Ll", "Lowercase_Letter", .lowercaseLetter),
      ("Lt", "Titlecase_Letter", .titlecaseLetter), ("Lm", "Modifier_Letter", .modifierLetter),
      ("Lo", "Other_Letter", .otherLetter), ("Mn", "Nonspacing_Mark", .nonspacingMark),
      ("Mc", "Spacing_Mark", .spacingMark), ("Me", "Enclosing_Mark", .enclosingMark),
      ("Nd", "Decimal_Number", .decimalNumber), ("Nl", "Letter_Number", .letterNumber),
      ("No", "Other_Number", .otherNumber), ("Pc", "Connector_Punctuation", .connectorPunctuation),
      ("Pd", "Dash_Punctuation", .dashPunctuation), ("Ps", "Open_Punctuation", .openPunctuation),
      ("Pe", "Close_Punctuation", .closePunctuation),
      ("Pi", "Initial_Punctuation", .initialPunctuation),
      ("Pf", "Final_Punctuation", .finalPunctuation),
      ("Po", "Other_Punctuation", .otherPunctuation),
      ("Sm", "Math_Symbol", .mathSymbol), ("Sc", "Currency_Symbol", .currencySymbol),
      ("Sk", "Modifier_Symbol", .modifierSymbol), ("So", "Other_Symbol", .otherSymbol),
      ("Zs", "Space_Separator", .spaceSeparator), ("Zl", "Line_Separator", .lineSeparator),
      ("Zp", "Paragraph_Separator", .paragraphSeparator), ("Cc", "Control", .control),
      ("Cf", "Format", .format), ("Cs", "Surrogate", .surrogate),
      ("Co", "Private_Use", .privateUse),
      ("Cn", "Unassigned", .unassigned),
    ]
    var table: [String: [Unicode.GeneralCategory]] = [:]
    for (short, long, category) in single {
      table[short] = [category]
      table[long] = [category]
    }
    let groups: [(String, String, [String])] = [
      ("L", "Letter", ["Lu", "Ll", "Lt", "Lm", "Lo"]), ("LC", "Cased_Letter", ["Lu", "Ll", "Lt"]),
      ("M", "Mark", ["Mn", "Mc", "Me"]), ("N", "Number", ["Nd", "Nl", "No"]),
      ("P", "Punctuation", ["Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"]),
      ("S", "Symbol", ["Sm", "Sc", "Sk", "So"]), ("Z", "Separator", ["Zs", "Zl", "Zp"]),
      ("C", "Other", ["Cc", "Cf", "Cs", "Co", "Cn"]),
    ]
    for (short, long, members) in groups {
      let categories = members.flatMap { table[$0] ?? [] }
      table[short] = categories
      table[long] = categories
    }
    // ECMA-262's other aliases.
    table["Combining_Mark"] = table["M"]
    table["digit"] = table["Nd"]
    table["punct"] = table["P"]
    table["cntrl"] = table["Cc"]
    return table
  }()
}
