import Foundation

/// The `promptsmith validate --schema SCHEMA.json DATA.json…` command, minus argument parsing.
///
/// Output contract: for each document, `valid` or one violation a line as
/// `/json/pointer: reason` (the whole document is `/`). With several documents each line starts
/// with the document's path and `: `, as `grep` does. Exit status: 0 when every document is
/// valid, 1 when any is invalid or unreadable, 2 when the schema is unreadable, invalid or uses an
/// unsupported keyword (then nothing is validated).
public enum SchemaValidationCLI {
  /// Runs the command; returns what to print on stdout and stderr, and the exit status.
  ///
  /// - Parameter applyingDefaults: validate each document with the schema's defaults filled in,
  ///   as prompt generation does (off by default: plain JSON Schema validation).
  public static func run(
    schemaPath: String, documentPaths: [String], applyingDefaults: Bool = false
  ) -> (output: String, errorOutput: String, exitCode: Int32) {
    let schema: JSONSchema
    switch loadJSON(schemaPath) {
    case .failure(let message):
      return ("", "\(schemaPath): \(message)\n", 2)
    case .success(let json):
      do {
        schema = try JSONSchema(json)
      } catch {
        return ("", "\(schemaPath): invalid schema: \(error.description)\n", 2)
      }
    }
    guard !documentPaths.isEmpty else {
      return (
        "", "validate: no document given (usage: validate --schema SCHEMA.json DATA.json…)\n", 2
      )
    }
    var output = ""
    var errorOutput = ""
    var exitCode: Int32 = 0
    let prefixed = documentPaths.count > 1
    for path in documentPaths {
      let prefix = prefixed ? "\(path): " : ""
      switch loadJSON(path) {
      case .failure(let message):
        errorOutput += "\(path): \(message)\n"
        exitCode = 1
      case .success(let document):
        let violations =
          applyingDefaults
          ? schema.applyingDefaultsAndValidating(document).violations
          : schema.validate(document)
        if violations.isEmpty {
          output += "\(prefix)valid\n"
        } else {
          exitCode = 1
          for violation in violations { output += "\(prefix)\(violation.description)\n" }
        }
      }
    }
    return (output, errorOutput, exitCode)
  }

  private enum Loaded {
    case success(JSONValue)
    case failure(String)
  }

  private static func loadJSON(_ path: String) -> Loaded {
    guard let data = FileManager.default.contents(atPath: path) else {
      return .failure("cannot read the file")
    }
    do {
      return .success(try JSONValue(parsing: data))
    } catch {
      return .failure("invalid JSON: \(error.description)")
    }
  }
}
