import Testing

@testable import App

/// An issue's `labels_json` as the generation reads it.
@Suite struct GenerationLabelsTests {
  @Test func anArrayOfStringsGivesItsLabelsAndAnythingElseNone() {
    #expect(
      GenerationIssue.labels(#"["backend", "p1", "naïve ✓", "a\"b"]"#) == [
        "backend", "p1", "naïve ✓", "a\"b",
      ])
    #expect(GenerationIssue.labels("[]") == [])
    #expect(GenerationIssue.labels(#"["ok", 3]"#) == [])
    #expect(GenerationIssue.labels(#"{"a": "b"}"#) == [])
    #expect(GenerationIssue.labels("not json") == [])
    #expect(GenerationIssue.labels("") == [])
  }
}
