import Foundation
import Templating

/// `promptsmith render TEMPLATE --data DATA.json [--partials DIR]`: prints the rendering exactly
/// (no added newline); on error prints the diagnostic and exits 1.
enum RenderCommand: ToolCommand {
  static let spec = ToolArguments.Spec(options: ["data", "partials"])
  static let usage = """
    usage: promptsmith render TEMPLATE --data DATA.json [--partials DIR]
      Renders TEMPLATE (Handlebars, as handlebars.js 4.7.8 with noEscape) with DATA.json as the
      context and prints the result exactly. In DIR, each file NAME.hbs is the partial NAME.
    """

  static func run(_ arguments: ToolArguments, io: ToolIO) throws -> Int32 {
    guard arguments.positional.count == 1, let dataPath = arguments.options["data"] else {
      throw ToolFailure("one TEMPLATE and --data are required", status: 2, showUsage: true)
    }
    let templatePath = arguments.positional[0]
    let source = try ToolFiles.text(templatePath, io: io)
    let data: JSONValue
    do {
      data = try JSONValue(parsing: try io.readFile(dataPath))
    } catch let error as JSONParseError {
      throw ToolFailure("\(dataPath): \(error.description)")
    }
    let partials = try ToolFiles.partials(arguments.options["partials"])
    do {
      io.out(try Template.compile(source).render(data, partials: partials))
      return 0
    } catch {
      io.err("\(templatePath):\(error.description)\n")
      return 1
    }
  }
}

/// `promptsmith lint TEMPLATE [--schema S.json] [--partials DIR]`: one diagnostic a line as
/// `LINE:COL severity code message`; exit 1 if any is an error.
enum LintCommand: ToolCommand {
  static let spec = ToolArguments.Spec(options: ["schema", "partials"])
  static let usage = """
    usage: promptsmith lint TEMPLATE [--schema SCHEMA.json] [--partials DIR]
      Prints one diagnostic a line as `LINE:COL severity code message`; exits 1 on any error.
    """

  static func run(_ arguments: ToolArguments, io: ToolIO) throws -> Int32 {
    guard arguments.positional.count == 1 else {
      throw ToolFailure("one TEMPLATE is required", status: 2, showUsage: true)
    }
    let source = try ToolFiles.text(arguments.positional[0], io: io)
    var schema: JSONValue?
    if let schemaPath = arguments.options["schema"] {
      do {
        schema = try JSONValue(parsing: try io.readFile(schemaPath))
      } catch let error as JSONParseError {
        throw ToolFailure("\(schemaPath): \(error.description)")
      }
    }
    let partials = try ToolFiles.partials(arguments.options["partials"])
    let diagnostics = Linter.lint(source, schemaJSON: schema, partials: partials)
    for diagnostic in diagnostics {
      io.out(diagnostic.formatted + "\n")
    }
    return diagnostics.contains(where: \.isError) ? 1 : 0
  }
}

enum ToolFiles {
  static func text(_ path: String, io: ToolIO) throws -> String {
    guard let text = String(data: try io.readFile(path), encoding: .utf8) else {
      throw ToolFailure("\(path) is not UTF-8 text")
    }
    return text
  }

  static func partials(_ directory: String?) throws -> PartialDictionary {
    guard let directory else { return PartialDictionary([:]) }
    do {
      return try PartialDictionary.loading(directory: URL(fileURLWithPath: directory))
    } catch {
      throw ToolFailure("cannot read partials from \(directory)")
    }
  }
}
