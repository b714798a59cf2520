import Foundation
import Testing

@testable import Trackers

/// Focused cases for every ADF node and mark of FACTS §2.1.
@Suite struct ADFConverterTests {
  private func md(_ json: String) throws -> String {
    try ADFConverter.markdown(
      fromJSON: Data((#"{"type":"doc","version":1,"content":["# + json + "]}").utf8))
  }

  private func text(_ value: String, _ marks: String = "") -> String {
    let markList = marks.isEmpty ? "" : #","marks":["# + marks + "]"
    return #"{"type":"text","text":"# + "\"\(value)\"" + markList + "}"
  }

  private func paragraph(_ inlines: String...) -> String {
    #"{"type":"paragraph","content":["# + inlines.joined(separator: ",") + "]}"
  }

  @Test func emptyAndNullDocuments() throws {
    #expect(ADFConverter.markdown(from: nil) == "")
    #expect(ADFConverter.markdown(from: .null) == "")
    #expect(try md("") == "")
    #expect(try md(#"{"type":"paragraph"}"#) == "")
  }

  @Test func plainStringFieldIsKept() {
    #expect(ADFConverter.markdown(from: .string(" one line ")) == "one line")
  }

  @Test func headingsAllLevels() throws {
    for level in 1...6 {
      let node = #"{"type":"heading","attrs":{"level":\#(level)},"content":[\#(text("Title"))]}"#
      #expect(try md(node) == String(repeating: "#", count: level) + " Title")
    }
  }

  @Test func marks() throws {
    #expect(try md(paragraph(text("b", #"{"type":"strong"}"#))) == "**b**")
    #expect(try md(paragraph(text("i", #"{"type":"em"}"#))) == "*i*")
    #expect(try md(paragraph(text("s", #"{"type":"strike"}"#))) == "~~s~~")
    #expect(try md(paragraph(text("x()", #"{"type":"code"}"#))) == "`x()`")
    #expect(try md(paragraph(text("u", #"{"type":"underline"}"#))) == "u")
    #expect(
      try md(paragraph(text("red", ##"{"type":"textColor","attrs":{"color":"#ff0000"}}"##)))
        == "red")
    #expect(
      try md(paragraph(text("2", #"{"type":"subsup","attrs":{"type":"sup"}}"#))) == "<sup>2</sup>")
    #expect(
      try md(paragraph(text("i", #"{"type":"subsup","attrs":{"type":"sub"}}"#))) == "<sub>i</sub>")
    #expect(
      try md(paragraph(text("both", #"{"type":"strong"},{"type":"em"}"#))) == "***both***")
    #expect(
      try md(paragraph(text("site", #"{"type":"link","attrs":{"href":"https://x.example/a b"}}"#)))
        == "[site](https://x.example/a%20b)")
    #expect(
      try md(
        paragraph(
          text("go", #"{"type":"link","attrs":{"href":"https://x.example"}},{"type":"strong"}"#)))
        == "[**go**](https://x.example)")
    #expect(try md(paragraph(text("x", #"{"type":"unknownMark"}"#))) == "x")
  }

  @Test func markWhitespaceMovesOutsideDelimiters() throws {
    let result = try md(paragraph(text("a"), text(" bold ", #"{"type":"strong"}"#), text("b")))
    #expect(result == "a **bold** b")
  }

  @Test func adjacentNodesWithSameMarkMerge() throws {
    let result = try md(
      paragraph(text("one", #"{"type":"strong"}"#), text("two", #"{"type":"strong"}"#)))
    #expect(result == "**onetwo**")
  }

  @Test func codeMarkWithBackticks() throws {
    #expect(try md(paragraph(text("a`b", #"{"type":"code"}"#))) == "``a`b``")
  }

  @Test func escapesMarkdownInText() throws {
    #expect(
      try md(paragraph(text("2 * 3 and *not bold* and a_b_c")))
        == #"2 * 3 and \*not bold\* and a_b_c"#)
    #expect(try md(paragraph(text("# not a heading"))) == ##"\# not a heading"##)
    #expect(try md(paragraph(text("1. not a list"))) == #"1\. not a list"#)
    #expect(try md(paragraph(text("use <div> here"))) == #"use \<div> here"#)
    #expect(try md(paragraph(text("[WIP] title"))) == "[WIP] title")
  }

  @Test func hardBreak() throws {
    #expect(try md(paragraph(text("a"), #"{"type":"hardBreak"}"#, text("b"))) == "a\\\nb")
  }

  @Test func nestedBulletAndOrderedListsWithStart() throws {
    let nested = #"""
      {"type":"orderedList","attrs":{"order":3},"content":[
        {"type":"listItem","content":[
          {"type":"paragraph","content":[{"type":"text","text":"three"}]},
          {"type":"bulletList","content":[
            {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"inner"}]},
              {"type":"bulletList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"deep"}]}]}]}]}]}]},
        {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"four"}]}]}]}
      """#
    #expect(try md(nested) == "3. three\n   - inner\n     - deep\n4. four")
  }

  @Test func listItemWithTwoParagraphsAndCode() throws {
    let node = #"""
      {"type":"bulletList","content":[{"type":"listItem","content":[
        {"type":"paragraph","content":[{"type":"text","text":"first"}]},
        {"type":"paragraph","content":[{"type":"text","text":"second"}]},
        {"type":"codeBlock","attrs":{"language":"sh"},"content":[{"type":"text","text":"ls"}]}]}]}
      """#
    #expect(try md(node) == "- first\n\n  second\n  ```sh\n  ls\n  ```")
  }

  @Test func codeBlockWithAndWithoutLanguage() throws {
    #expect(
      try md(
        #"{"type":"codeBlock","attrs":{"language":"swift"},"content":[{"type":"text","text":"let a = 1"}]}"#
      )
        == "```swift\nlet a = 1\n```")
    #expect(
      try md(#"{"type":"codeBlock","content":[{"type":"text","text":"x"}]}"#) == "```\nx\n```")
    #expect(
      try md(#"{"type":"codeBlock","content":[{"type":"text","text":"```inner```"}]}"#)
        == "````\n```inner```\n````")
  }

  @Test func blockquoteWithTwoParagraphs() throws {
    let node =
      #"{"type":"blockquote","content":[\#(paragraph(text("a"))),\#(paragraph(text("b")))]}"#
    #expect(try md(node) == "> a\n>\n> b")
  }

  @Test(arguments: [
    ("info", "Info"), ("note", "Note"), ("warning", "Warning"), ("success", "Success"),
    ("error", "Error"), ("tip", "Tip"),
  ])
  func panels(type: String, title: String) throws {
    let node =
      #"{"type":"panel","attrs":{"panelType":"\#(type)"},"content":[\#(paragraph(text("Careful")))]}"#
    #expect(try md(node) == "> **\(title)**\n>\n> Careful")
  }

  @Test func rule() throws {
    #expect(try md(#"{"type":"rule"}"#) == "---")
  }

  @Test func tableWithHeaderPipesColspanAndMultipleParagraphs() throws {
    let node = #"""
      {"type":"table","content":[
        {"type":"tableRow","content":[
          {"type":"tableHeader","content":[{"type":"paragraph","content":[{"type":"text","text":"A"}]}]},
          {"type":"tableHeader","content":[{"type":"paragraph","content":[{"type":"text","text":"B"}]}]},
          {"type":"tableHeader","content":[{"type":"paragraph","content":[{"type":"text","text":"C"}]}]}]},
        {"type":"tableRow","content":[
          {"type":"tableCell","attrs":{"colspan":2},"content":[{"type":"paragraph","content":[{"type":"text","text":"a|b"}]}]},
          {"type":"tableCell","content":[{"type":"paragraph","content":[{"type":"text","text":"x"}]},{"type":"paragraph","content":[{"type":"text","text":"y"}]}]}]}]}
      """#
    #expect(try md(node) == "| A | B | C |\n| --- | --- | --- |\n| a\\|b |  | x<br>y |")
  }

  @Test func inlineNodes() throws {
    #expect(
      try md(paragraph(#"{"type":"mention","attrs":{"id":"abc","text":"@Lena Fischer"}}"#))
        == "@Lena Fischer")
    #expect(try md(paragraph(#"{"type":"mention","attrs":{"id":"abc","text":"Lena"}}"#)) == "@Lena")
    #expect(
      try md(paragraph(#"{"type":"emoji","attrs":{"shortName":":smile:","text":"😄"}}"#)) == "😄")
    #expect(try md(paragraph(#"{"type":"emoji","attrs":{"shortName":":party:"}}"#)) == ":party:")
    #expect(
      try md(paragraph(#"{"type":"inlineCard","attrs":{"url":"https://a.example/x"}}"#))
        == "<https://a.example/x>")
    #expect(
      try md(
        paragraph(#"{"type":"inlineCard","attrs":{"data":{"url":"https://a.example","name":"A"}}}"#)
      )
        == "[A](https://a.example)")
    #expect(
      try md(paragraph(#"{"type":"date","attrs":{"timestamp":"1748822400000"}}"#)) == "2025-06-02")
    #expect(
      try md(paragraph(#"{"type":"status","attrs":{"text":"IN PROGRESS","color":"blue"}}"#))
        == "[IN PROGRESS]")
    #expect(
      try md(
        paragraph(#"{"type":"mediaInline","attrs":{"id":"1","type":"file","name":"spec.pdf"}}"#))
        == "[attachment: spec.pdf]")
  }

  @Test func mediaPlaceholders() throws {
    #expect(
      try md(
        #"{"type":"mediaSingle","content":[{"type":"media","attrs":{"id":"x","type":"file","collection":"","alt":"shot.png"}}]}"#
      )
        == "[image: shot.png]")
    #expect(
      try md(
        #"{"type":"mediaSingle","content":[{"type":"media","attrs":{"id":"x","type":"file","collection":""}}]}"#
      )
        == "[image]")
    #expect(
      try md(
        #"{"type":"mediaGroup","content":[{"type":"media","attrs":{"id":"1","type":"file","alt":"a.pdf"}},{"type":"media","attrs":{"id":"2","type":"file","alt":"b.zip"}}]}"#
      )
        == "[attachment: a.pdf] [attachment: b.zip]")
    #expect(
      try md(
        #"{"type":"mediaSingle","content":[{"type":"media","attrs":{"type":"external","url":"https://i.example/a.png","alt":"A"}}]}"#
      )
        == "![A](https://i.example/a.png)")
  }

  @Test func containerNodesKeepTheirText() throws {
    #expect(
      try md(
        #"{"type":"expand","attrs":{"title":"Details"},"content":[\#(paragraph(text("hidden")))]}"#)
        == "**Details**\n\nhidden")
    #expect(
      try md(
        #"{"type":"layoutSection","content":[{"type":"layoutColumn","content":[\#(paragraph(text("left")))]},{"type":"layoutColumn","content":[\#(paragraph(text("right")))]}]}"#
      )
        == "left\n\nright")
    #expect(
      try md(
        #"{"type":"taskList","content":[{"type":"taskItem","attrs":{"state":"DONE"},"content":[\#(text("done"))]},{"type":"taskItem","attrs":{"state":"TODO"},"content":[\#(text("open"))]}]}"#
      )
        == "- [x] done\n- [ ] open")
    #expect(
      try md(
        #"{"type":"decisionList","content":[{"type":"decisionItem","content":[\#(text("Ship it"))]}]}"#
      )
        == "- Ship it")
    #expect(
      try md(#"{"type":"blockCard","attrs":{"url":"https://a.example/doc"}}"#)
        == "<https://a.example/doc>")
    #expect(
      try md(
        #"{"type":"bodiedExtension","attrs":{"extensionKey":"x"},"content":[\#(paragraph(text("inside")))]}"#
      )
        == "inside")
  }

  @Test func unknownNodesKeepTheirText() throws {
    #expect(try md(#"{"type":"futureBlock","content":[\#(paragraph(text("kept")))]}"#) == "kept")
    #expect(
      try md(paragraph(#"{"type":"futureInline","attrs":{"text":"also kept"}}"#)) == "also kept")
    #expect(
      try md(paragraph(#"{"type":"futureInline","content":[\#(text("nested"))]}"#)) == "nested")
  }
}
