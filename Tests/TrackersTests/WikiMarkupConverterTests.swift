import Testing

@testable import Trackers

/// Focused cases for Jira wiki markup (Data Center) → Markdown.
@Suite struct WikiMarkupConverterTests {
  private func md(_ wiki: String) -> String { WikiMarkupConverter.markdown(from: wiki) }

  @Test func emptyInput() {
    #expect(WikiMarkupConverter.markdown(from: nil) == "")
    #expect(md("") == "")
  }

  @Test func headings() {
    for level in 1...6 {
      #expect(md("h\(level). Title") == String(repeating: "#", count: level) + " Title")
    }
  }

  @Test func emphasis() {
    #expect(
      md("*bold* and _it_ and -gone- and +under+") == "**bold** and *it* and ~~gone~~ and under")
    #expect(md("x^2^ and H~2~O") == "x<sup>2</sup> and H<sub>2</sub>O")
    #expect(md("??cited??") == "*cited*")
    #expect(md("net-30 and e-mail and 5 * 3") == "net-30 and e-mail and 5 * 3")
    #expect(md("snake_case_name stays") == "snake_case_name stays")
  }

  @Test func monospaceKeepsContent() {
    #expect(md("run {{a*b*c}} now") == "run `a*b*c` now")
  }

  @Test func links() {
    #expect(md("[Docs|https://d.example/x]") == "[Docs](https://d.example/x)")
    #expect(md("[https://d.example]") == "<https://d.example>")
    #expect(md("ask [~jdoe] and [~accountid:5b10ac]") == "ask @jdoe and @5b10ac")
    #expect(md("see [^spec.pdf]") == "see [attachment: spec.pdf]")
    #expect(md("!screen.png|thumbnail!") == "[image: screen.png]")
    #expect(md("!https://i.example/a.png!") == "![](https://i.example/a.png)")
  }

  @Test func lists() {
    #expect(md("* a\n* b\n** b1\n*** b1x\n* c") == "- a\n- b\n  - b1\n    - b1x\n- c")
    #expect(md("# one\n# two\n#* sub\n# three") == "1. one\n2. two\n   - sub\n3. three")
    #expect(md("- dash item\n- another") == "- dash item\n- another")
  }

  @Test func codeAndNoformat() {
    #expect(md("{code:java}\nint a = 1;\n{code}") == "```java\nint a = 1;\n```")
    #expect(
      md("{code:title=A.kt|language=kotlin}\nval a = 1\n{code}") == "```kotlin\nval a = 1\n```")
    #expect(md("{code}\n*not bold*\n{code}") == "```\n*not bold*\n```")
    #expect(md("{noformat}\n  keep   spaces\n{noformat}") == "```\n  keep   spaces\n```")
  }

  @Test func quotesAndPanels() {
    #expect(md("{quote}\nline one\n\nline two\n{quote}") == "> line one\n>\n> line two")
    #expect(md("{quote}inline quote{quote}") == "> inline quote")
    #expect(md("bq. short quote") == "> short quote")
    #expect(md("{panel:title=Heads up}\nbody\n{panel}") == "> **Heads up**\n>\n> body")
    #expect(md("{warning}\ncareful\n{warning}") == "> **Warning**\n>\n> careful")
  }

  @Test func tables() {
    #expect(
      md("||A||B||\n|1|[x|https://x.example]|\n|2|{{a|b}}|")
        == "| A | B |\n| --- | --- |\n| 1 | [x](https://x.example) |\n| 2 | `a\\|b` |")
  }

  @Test func ruleLineBreaksAndColor() {
    #expect(md("a\n----\nb") == "a\n\n---\n\nb")
    #expect(md("one\\\\two") == "one\\\ntwo")
    #expect(md("{color:red}warn{color} text") == "warn text")
  }

  @Test func paragraphLinesAndEscapes() {
    #expect(
      md("first line\nsecond line\n\nnew paragraph") == "first line\nsecond line\n\nnew paragraph")
    #expect(md("\\*literal\\*") == "\\*literal\\*")
  }
}
