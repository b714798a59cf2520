import Templating
import Testing

private func matches(_ pattern: String, _ text: String) throws -> Bool {
  try JSONSchema(["pattern": .string(pattern)]).isValid(.string(text))
}

private func refusal(_ pattern: String) -> String? {
  let error = #expect(throws: SchemaError.self) { try JSONSchema(["pattern": .string(pattern)]) }
  #expect(error?.pointer == "/pattern")
  return error?.message
}

@Suite("JSONSchema pattern (ECMA-262)")
struct SchemaPatternTests {
  @Test("search is unanchored unless the pattern anchors")
  func unanchored() throws {
    #expect(try matches("b", "abc"))
    #expect(try !matches("^b", "abc"))
    #expect(try matches("", "abc"))
    #expect(try matches("$", ""))
    #expect(try matches("c$", "abc"))
    #expect(try !matches("^$", "a"))
  }

  @Test("\\d and \\w are ASCII-only, as in ECMA-262")
  func asciiClasses() throws {
    #expect(try !matches("^\\d$", "\u{0663}"))  // ARABIC-INDIC DIGIT THREE
    #expect(try matches("^\\d$", "3"))
    #expect(try !matches("^\\w$", "é"))
    #expect(try matches("^\\W$", "é"))
    #expect(try matches("^[\\w-]+$", "a-b_c"))
    #expect(try matches("^[\\D]+$", "ab"))
    #expect(try !matches("^[\\D]+$", "a1"))
    #expect(try matches("^[^\\W\\d]+$", "a_b"))
    #expect(try !matches("^[^\\W\\d]+$", "a1"))
  }

  @Test("\\s is ECMA-262's whitespace and line terminators")
  func whitespace() throws {
    for space in [
      "\t", "\n", "\u{B}", "\u{C}", "\r", " ", "\u{A0}", "\u{1680}", "\u{2000}",
      "\u{200A}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}",
    ] {
      #expect(try matches("^\\s$", space), "\(space.unicodeScalars.first!.value)")
      #expect(try !matches("^\\S$", space))
    }
    #expect(try !matches("^\\s$", "\u{200B}"))  // ZERO WIDTH SPACE is not whitespace
    #expect(try !matches("^\\s$", "\u{85}"))  // NEL neither
  }

  @Test("$ matches only at the very end, . excludes line terminators only")
  func anchorsAndDot() throws {
    #expect(try !matches("^a$", "a\n"))
    #expect(try matches("^a.c$", "a\u{B}c"))
    #expect(try !matches("^a.c$", "a\nc"))
    #expect(try !matches("^a.c$", "a\rc"))
    #expect(try !matches("^a.c$", "a\u{2028}c"))
    #expect(try matches("^.$", "😀"))
    #expect(try !matches("^b", "a\nb"))  // no multiline flag
  }

  @Test("word boundaries use the ASCII \\w")
  func wordBoundaries() throws {
    #expect(try matches("\\bcat\\b", "a cat!"))
    #expect(try !matches("\\bcat\\b", "concat"))
    #expect(try matches("\\Bcat", "concat"))
    #expect(try matches("^\\b", "a"))
    #expect(try !matches("^\\b", " "))
    #expect(try !matches("é\\b", "é"))  // é is not a word character: no boundary after it…
    #expect(try !matches("\\bé", "é"))  // …nor before it
    #expect(try matches("a\\b$", "a"))
    #expect(try matches("\\B$", ""))
  }

  @Test("[ inside a class is literal; [^] is any character; [] matches nothing")
  func classes() throws {
    #expect(try matches("^[[]$", "["))
    #expect(try matches("^a[^]b$", "a\nb"))
    #expect(try !matches("a[]", "a"))
    #expect(try matches("^[a&&b]$", "&"))
    #expect(try matches("^[a-cx-z]+$", "abzyx"))
    #expect(try !matches("^[a-cx-z]+$", "abd"))
    #expect(try matches("^[^a-c]$", "d"))
    #expect(try !matches("^[^a-c]$", "b"))
    #expect(try matches("^[\\b]$", "\u{8}"))
    #expect(try matches("^[a\\-z]+$", "-az"))
    #expect(try !matches("^[a\\-z]+$", "b"))
    #expect(try matches("^[-a]+$", "-a"))
    #expect(try matches("^[\\w-.]+$", "a-.b"))  // `-` after a class escape is literal
    #expect(try matches("^[\\]]$", "]"))
    #expect(try matches("^[😀-😂]$", "😁"))
  }

  @Test("escapes")
  func escapes() throws {
    #expect(try matches("^\\t\\n\\r\\v\\f\\0$", "\t\n\r\u{B}\u{C}\u{0}"))
    #expect(try matches("^\\x41\\u0042\\u{43}$", "ABC"))
    #expect(try matches("^\\u{1F600}$", "\u{1F600}"))
    #expect(try matches("^\\uD83D\\uDE00$", "\u{1F600}"))  // a surrogate pair is one scalar
    #expect(try matches("^\\u0041$", "A"))
    #expect(try matches("^\\cJ\\cj$", "\n\n"))
    #expect(try matches("^\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\\\/\\-$", ".*+?()[]{}|^$\\/-"))
    #expect(try !matches("^\\.$", "a"))
  }

  @Test("Unicode property escapes")
  func unicodeProperties() throws {
    #expect(try matches("^\\p{Letter}+$", "πé"))
    #expect(try !matches("^\\p{Letter}+$", "12"))
    #expect(try matches("^\\p{L}\\p{Lu}\\p{gc=Ll}\\p{General_Category=Nd}$", "xAb1"))
    #expect(try matches("^\\P{L}+$", "12 !"))
    #expect(try matches("^[\\p{Lu}\\d]+$", "AB12"))
    #expect(try !matches("^[^\\p{Lu}]$", "A"))
    #expect(try matches("^\\p{Emoji_Presentation}$", "😀"))
    #expect(try matches("^\\p{White_Space}\\p{Alpha}\\p{ASCII}\\p{Any}$", " éa😀"))
    #expect(try matches("^\\p{Sc}$", "€"))
  }

  @Test("groups, alternation and quantifiers")
  func structure() throws {
    #expect(try matches("^(cat|dog)s?$", "dogs"))
    #expect(try !matches("^(cat|dog)s?$", "cow"))
    #expect(try matches("^(?:ab)+$", "ababab"))
    #expect(try matches("^(?<word>[a-z]+)-\\d+$", "abc-12"))
    #expect(try matches("^a{2}b{1,}c{0,2}d{,}$", "aabbbcd{,}"))  // `{,}` is literal
    #expect(try !matches("^a{2}$", "aaa"))
    #expect(try matches("^a{2,3}$", "aaa"))
    #expect(try !matches("^a{2,3}$", "aaaa"))
    #expect(try matches("^a*?b+?c??$", "aaabbb"))
    #expect(try matches("^(a|)+$", "aaa"))
    #expect(try matches("^(|a)b$", "b"))
    #expect(try matches("^()*$", ""))
    #expect(try matches("^x{0}$", ""))
    #expect(try matches("^a{1000}$", String(repeating: "a", count: 1_000)))
    #expect(try !matches("^a{1000}$", String(repeating: "a", count: 999)))
    #expect(try matches("^{}$", "{}"))
    #expect(try matches("^a{1$", "a{1"))
    #expect(try matches("^]$", "]"))
    #expect(try matches("^\\u{10FFFF}$", "\u{10FFFF}"))
  }

  @Test(
    "catastrophic patterns finish on long adversarial inputs",
    arguments: [
      ("^(a+)+$", String(repeating: "a", count: 20_000) + "!", false),
      ("^(a+)+$", String(repeating: "a", count: 20_000), true),
      ("^(a|a)*$", String(repeating: "a", count: 20_000) + "!", false),
      ("^(a|aa)+$", String(repeating: "a", count: 20_000) + "!", false),
      ("^(a|aa)+$", String(repeating: "a", count: 20_000), true),
      ("(x+x+)+y", String(repeating: "x", count: 20_000), false),
      ("(x+x+)+y", String(repeating: "x", count: 20_000) + "y", true),
      ("^(\\w+\\s?)*$", String(repeating: "word ", count: 4_000) + "!", false),
      ("^(\\w+\\s?)*$", String(repeating: "word ", count: 4_000), true),
      (
        "(.*a){20}", String(repeating: "a", count: 19) + String(repeating: "b", count: 20_000),
        false
      ),
      ("(.*a){20}", String(repeating: "ba", count: 10_000), true),
      ("(a*)*b", String(repeating: "a", count: 20_000), false),
      ("^(([a-z])+.)+[A-Z]([a-z])+$", String(repeating: "a", count: 20_000) + "!", false),
      ("^(a?){1000}a{1000}$", String(repeating: "a", count: 1_000), true),
      ("\\b(\\w+)\\b\\s\\b\\w+\\b$", String(repeating: "ab ", count: 7_000) + "!", false),
    ])
  func catastrophic(_ pattern: String, _ input: String, _ expected: Bool) throws {
    #expect(try matches(pattern, input) == expected)
  }

  @Test(
    "constructs that need backtracking are refused",
    arguments: [
      ("(a)\\1", "a backreference"), ("(?<x>a)\\k<x>", "a backreference"),
      ("a(?=b)", "a lookahead"), ("a(?!b)", "a lookahead"), ("(?<=a)b", "a lookbehind"),
      ("(?<!a)b", "a lookbehind"),
    ])
  func backtrackingRefused(_ pattern: String, _ construct: String) {
    #expect(
      refusal(pattern)
        == "pattern uses \(construct), which Promptsmith does not support: patterns are matched "
        + "in linear time")
  }

  @Test(
    "invalid or unsupported patterns are refused with the reason",
    arguments: [
      ("a**", "invalid regular expression \"a**\": nothing to repeat before \"*\""),
      ("*a", "invalid regular expression \"*a\": nothing to repeat before \"*\""),
      ("{1}", "invalid regular expression \"{1}\": nothing to repeat before \"{\""),
      ("^*", "invalid regular expression \"^*\": nothing to repeat: an assertion cannot repeat"),
      ("a)", "invalid regular expression \"a)\": unmatched \")\""),
      ("[a", "invalid regular expression \"[a\": missing \"]\""),
      ("[z-a]", "invalid regular expression \"[z-a]\": range out of order in character class"),
      ("a{3,2}", "invalid regular expression \"a{3,2}\": numbers out of order in {3,2}"),
      ("\\a", "invalid regular expression \"\\a\": unknown escape \\a"),
      ("\\z", "invalid regular expression \"\\z\": unknown escape \\z"),
      ("a\\", "invalid regular expression \"a\\\": \\ at end of pattern"),
      ("\\01", "invalid regular expression \"\\01\": octal escapes are not supported"),
      (
        "\\x4",
        "invalid regular expression \"\\x4\": \\x must be followed by two hexadecimal digits"
      ),
      ("(?i:a)", "invalid regular expression \"(?i:a)\": unsupported group \"(?\""),
      ("\\p{Foo}", "invalid regular expression \"\\p{Foo}\": unknown Unicode property \\p{Foo}"),
      (
        "\\p{Script=Greek}",
        "pattern uses the Unicode property \\p{Script=Greek}, which Promptsmith does not support "
          + "(general categories and binary properties only)"
      ),
      (
        "a{1001}",
        "pattern uses a repetition count above 1000 ({1001}), which Promptsmith does not support"
      ),
      (
        "a{2,5000}",
        "pattern uses a repetition count above 1000 ({2,5000}), which Promptsmith does not support"
      ),
      (
        "(a{1000}){11}",
        "pattern is too large once its repetitions are expanded (more than 10000 instructions), "
          + "which Promptsmith does not support"
      ),
      (
        String(repeating: "(", count: 101) + String(repeating: ")", count: 101),
        "pattern nests groups more than 100 deep, which Promptsmith does not support"
      ),
    ])
  func refused(_ pattern: String, _ message: String) {
    #expect(refusal(pattern) == message)
  }

  @Test func deepButAllowedNesting() throws {
    let pattern = String(repeating: "(", count: 100) + "a" + String(repeating: ")", count: 100)
    #expect(try matches(pattern, "a"))
  }
}

@Suite("JSONSchema concurrency")
struct SchemaConcurrencyTests {
  @Test("one compiled schema validates from many tasks at once")
  func concurrentValidation() async throws {
    let schema = try JSONSchema([
      "items": ["type": "string", "pattern": "^[a-z]+-[0-9]+$"], "uniqueItems": true,
    ])
    let counts = await withTaskGroup(of: Int.self) { group in
      for task in 0..<8 {
        group.addTask {
          let instance = JSONValue.array((0..<200).map { .string("item-\($0 + task)") } + ["BAD"])
          return schema.validate(instance).count
        }
      }
      return await group.reduce(into: []) { $0.append($1) }
    }
    #expect(counts == Array(repeating: 1, count: 8))
  }
}
