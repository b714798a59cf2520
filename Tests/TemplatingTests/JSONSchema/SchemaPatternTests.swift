import Templating
import Testing

@Suite("JSONSchema pattern (ECMA-262)")
struct SchemaPatternTests {
  private func matches(_ pattern: String, _ text: String) throws -> Bool {
    try JSONSchema(["pattern": .string(pattern)]).isValid(.string(text))
  }

  @Test("search is unanchored unless the pattern anchors")
  func unanchored() throws {
    #expect(try matches("b", "abc"))
    #expect(try !matches("^b", "abc"))
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
  }

  @Test("$ matches only at the very end, . excludes line terminators only")
  func anchorsAndDot() throws {
    #expect(try !matches("^a$", "a\n"))
    #expect(try matches("^a.c$", "a\u{B}c"))
    #expect(try !matches("^a.c$", "a\nc"))
  }

  @Test("[ inside a class is literal; [^] is any character; [] matches nothing")
  func classes() throws {
    #expect(try matches("^[[]$", "["))
    #expect(try matches("^a[^]b$", "a\nb"))
    #expect(try !matches("a[]", "a"))
    #expect(try matches("^[a&&b]$", "&"))
  }

  @Test("Unicode property escapes and \\u{…}")
  func unicode() throws {
    #expect(try matches("^\\p{Letter}+$", "πé"))
    #expect(try !matches("^\\p{Letter}+$", "12"))
    #expect(try matches("^\\u{1F600}$", "\u{1F600}"))
    #expect(try matches("^\\u0041$", "A"))
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
