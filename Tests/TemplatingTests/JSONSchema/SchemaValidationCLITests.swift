import Foundation
import Templating
import Testing

@Suite("validate command")
struct SchemaValidationCLITests {
  /// Writes `files` into a fresh temporary folder and returns their paths by name.
  private func withFiles(_ files: [String: String], _ body: ([String: String]) throws -> Void)
    throws
  {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("validate-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var paths: [String: String] = [:]
    for (name, text) in files {
      let url = folder.appendingPathComponent(name)
      try Data(text.utf8).write(to: url)
      paths[name] = url.path
    }
    try body(paths)
  }

  private let schema = #"""
    {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
     "properties": {"name": {"type": "string"}, "n": {"type": "integer", "default": 1}},
     "required": ["name", "n"]}
    """#

  @Test("a valid document prints valid and exits 0")
  func valid() throws {
    try withFiles(["s.json": schema, "d.json": #"{"name": "x", "n": 2}"#]) { paths in
      let result = SchemaValidationCLI.run(
        schemaPath: paths["s.json"]!, documentPaths: [paths["d.json"]!])
      #expect(result.output == "valid\n")
      #expect(result.errorOutput == "")
      #expect(result.exitCode == 0)
    }
  }

  @Test("an invalid document prints one violation a line and exits 1")
  func invalid() throws {
    try withFiles(["s.json": schema, "d.json": #"{"name": 3}"#]) { paths in
      let result = SchemaValidationCLI.run(
        schemaPath: paths["s.json"]!, documentPaths: [paths["d.json"]!])
      #expect(
        result.output == "/: missing required property \"n\"\n/name: must be a string, got number\n"
      )
      #expect(result.exitCode == 1)
      let withDefaults = SchemaValidationCLI.run(
        schemaPath: paths["s.json"]!, documentPaths: [paths["d.json"]!], applyingDefaults: true)
      #expect(withDefaults.output == "/name: must be a string, got number\n")
    }
  }

  @Test("several documents: each line starts with the document's path")
  func several() throws {
    try withFiles(["s.json": schema, "a.json": #"{"name": "x", "n": 1}"#, "b.json": "[]"]) {
      paths in
      let a = paths["a.json"]!
      let b = paths["b.json"]!
      let result = SchemaValidationCLI.run(schemaPath: paths["s.json"]!, documentPaths: [a, b])
      #expect(result.output == "\(a): valid\n\(b): /: must be an object, got array\n")
      #expect(result.exitCode == 1)
    }
  }

  @Test("an unsupported or broken schema exits 2")
  func badSchema() throws {
    try withFiles([
      "unsupported.json": #"{"format": "email"}"#, "broken.json": "{", "d.json": "{}",
    ]) { paths in
      let unsupported = SchemaValidationCLI.run(
        schemaPath: paths["unsupported.json"]!, documentPaths: [paths["d.json"]!])
      #expect(unsupported.exitCode == 2)
      #expect(unsupported.output == "")
      #expect(
        unsupported.errorOutput
          == "\(paths["unsupported.json"]!): invalid schema: "
          + "unsupported keyword \"format\" at /format\n"
      )
      let broken = SchemaValidationCLI.run(
        schemaPath: paths["broken.json"]!, documentPaths: [paths["d.json"]!])
      #expect(broken.exitCode == 2)
      #expect(broken.errorOutput.contains("invalid JSON: line 1, column 2"))
      let missing = SchemaValidationCLI.run(schemaPath: "/nonexistent/s.json", documentPaths: [])
      #expect(missing.exitCode == 2)
    }
  }

  @Test("an unreadable or malformed document is reported on stderr and exits 1")
  func badDocument() throws {
    try withFiles(["s.json": schema, "d.json": "{\"name\": }"]) { paths in
      let result = SchemaValidationCLI.run(
        schemaPath: paths["s.json"]!, documentPaths: [paths["d.json"]!, "/nonexistent/d.json"])
      #expect(result.exitCode == 1)
      #expect(
        result.errorOutput
          == "\(paths["d.json"]!): invalid JSON: line 1, column 10: unexpected character '}': "
          + "expected a value\n/nonexistent/d.json: cannot read the file\n")
    }
  }
}
