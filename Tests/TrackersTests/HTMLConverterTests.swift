import Testing

@testable import Trackers

/// Focused cases for HTML (Teamwork) and Markdown/plain text descriptions.
@Suite struct HTMLConverterTests {
  private func md(_ html: String) -> String { HTMLConverter.markdown(from: html) }

  @Test func paragraphsAndInlines() {
    #expect(
      md("<p>a <b>b</b> <i>c</i> <s>d</s> <code>e</code></p><p>f</p>")
        == "a **b** *c* ~~d~~ `e`\n\nf")
    #expect(md("<p>line<br>break</p>") == "line\\\nbreak")
    #expect(md("<div>  lots   of\n  space </div>") == "lots of space")
  }

  @Test func headingsListsAndNesting() {
    #expect(md("<h2>Title</h2>") == "## Title")
    #expect(md("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>") == "- a\n  - b\n- c")
    #expect(md("<ol start=\"4\"><li>four</li><li>five</li></ol>") == "4. four\n5. five")
    #expect(md("<ul><li>unclosed<li>second</ul>") == "- unclosed\n- second")
    #expect(
      md(
        "<ul><li><input type=\"checkbox\" checked> done</li><li><input type=\"checkbox\"> open</li></ul>"
      )
        == "- [x] done\n- [ ] open")
  }

  @Test func linksImagesAndEntities() {
    #expect(md("<a href=\"https://x.example\">X</a>") == "[X](https://x.example)")
    #expect(md("<a href=\"javascript:alert(1)\">bad</a>") == "bad")
    #expect(
      md("<img src=\"https://i.example/a.png\" alt=\"shot\">") == "![shot](https://i.example/a.png)"
    )
    #expect(md("<p>Tom &amp; Jerry &lt;3 &#8364; &#x41;</p>") == "Tom & Jerry <3 € A")
  }

  @Test func preBlockquoteTableRule() {
    #expect(
      md("<pre><code class=\"language-ts\">const a = 1;\nif (a &lt; 2) {}</code></pre>")
        == "```ts\nconst a = 1;\nif (a < 2) {}\n```")
    #expect(md("<blockquote><p>quoted</p></blockquote>") == "> quoted")
    #expect(
      md("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>")
        == "| A | B |\n| --- | --- |\n| 1 | 2 |")
    #expect(md("<p>a</p><hr><p>b</p>") == "a\n\n---\n\nb")
  }

  @Test func dropsScriptsStylesAndComments() {
    #expect(md("<p>ok</p><script>alert(1)</script><style>p{}</style><!-- hidden -->") == "ok")
  }

  @Test func teamworkContentTypes() {
    #expect(RichText.teamworkMarkdown("<p>x</p>", contentType: "HTML") == "x")
    #expect(RichText.teamworkMarkdown("<p>x</p>", contentType: nil) == "x")
    #expect(
      RichText.teamworkMarkdown("## Title\r\n- item  ", contentType: "TEXT") == "## Title\n- item\\"
    )
    #expect(RichText.teamworkMarkdown("plain 2 < 3", contentType: "TEXT") == "plain 2 < 3")
    #expect(RichText.teamworkMarkdown(nil, contentType: "TEXT") == "")
  }

  @Test func criteriaSectionFromDescription() {
    let description = Fixtures.json("teamwork/tasks-page-1.json")["tasks"]?.array?[1][
      "description"]?.string
    let criteria = CriteriaSection.extract(from: description ?? "")
    #expect(
      criteria
        == "- [ ] max **5 requests per hour** per e-mail address\n- [ ] max 20 requests per hour per IP\n- [ ] HTTP 429 with a `Retry-After` header when exceeded"
    )
    #expect(CriteriaSection.extract(from: "## Goal\ntext") == nil)
    #expect(
      CriteriaSection.extract(from: "### Acceptance Criteria:\nplain text\n## Next") == "plain text"
    )
  }
}
