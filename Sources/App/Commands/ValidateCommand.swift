import Foundation
import Templating

/// `promptsmith validate --schema SCHEMA.json DATA.json…`: exit 0 valid, 1 invalid, 2 when the
/// schema is unreadable, invalid or uses an unsupported keyword.
enum ValidateCommand: ToolCommand {
  static let summary = "Validate JSON documents against a JSON Schema"
  static let spec = ToolArguments.Spec(options: ["schema"], flags: ["apply-defaults"])
  static let usage = """
    usage: promptsmith validate --schema SCHEMA.json [--apply-defaults] DATA.json…
      Prints `valid` or one `/json/pointer: reason` line per violation for each document.
      --apply-defaults  fill in the schema's defaults first, as prompt generation does
    """

  static func run(_ arguments: ToolArguments, io: ToolIO) throws -> Int32 {
    guard let schema = arguments.options["schema"] else {
      throw ToolFailure("--schema is required", status: 2, showUsage: true)
    }
    let result = SchemaValidationCLI.run(
      schemaPath: schema, documentPaths: arguments.positional,
      applyingDefaults: arguments.flags.contains("apply-defaults"))
    if !result.output.isEmpty { io.out(result.output) }
    if !result.errorOutput.isEmpty { io.err(result.errorOutput) }
    return result.exitCode
  }
}
