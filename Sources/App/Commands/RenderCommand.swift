import Foundation
import Templating
import Tokenizer

/// `promptsmith render TEMPLATE --data DATA.json [--partials DIR]`: prints the rendering exactly
/// (no added newline); on error prints the diagnostic and exits 1, or 3 when the template ran
/// out of a render budget (`RENDER_MAX_*`, as the server).
enum RenderCommand: ToolCommand {
  static let summary = "Render a template with a JSON context, as the server does"
  static let spec = ToolArguments.Spec(options: ["data", "partials", "model"])
  static let usage = """
    usage: promptsmith render TEMPLATE --data DATA.json [--partials DIR] [--model MODEL]
      Renders TEMPLATE (Handlebars, as handlebars.js 4.7 with noEscape) with DATA.json as the
      context and prints the result exactly. In DIR, each file NAME.hbs is the partial NAME.
      {{truncateTokens value N}} counts in MODEL's encoding (default gpt-3.5-turbo, as the
      server). Exits 1 on an error, 3 when a render budget runs out (RENDER_MAX_*, as the
      server).
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
    let limits = ToolLimits.fromEnvironment()
    let model = arguments.options["model"] ?? GenerationRequest.defaultModel
    let encoding: Encoding
    do {
      encoding = try Encoding.forModel(model)
    } catch {
      throw ToolFailure("--model: \(error)", status: 2)
    }
    do {
      io.out(
        try Template.compile(source, limits: limits).render(
          data, partials: partials, limits: limits, tokens: EncodingTruncator(encoding: encoding)))
      return 0
    } catch {
      if error.kind == .limitExceeded, let limit = error.limit {
        io.err("\(templatePath):\(error.description)\nrender-limit-exceeded: \(limit.rawValue)\n")
        return ToolLimits.exitStatus
      }
      io.err("\(templatePath):\(error.description)\n")
      return 1
    }
  }
}

/// `promptsmith lint TEMPLATE [--schema S.json] [--partials DIR]`: one diagnostic a line as
/// `LINE:COL severity code message`; exit 1 if any is an error, 3 if a budget ran out.
enum LintCommand: ToolCommand {
  static let summary = "Lint a template, and its variables against a JSON Schema"
  static let spec = ToolArguments.Spec(options: ["schema", "partials"])
  static let usage = """
    usage: promptsmith lint TEMPLATE [--schema SCHEMA.json] [--partials DIR]
      Prints one diagnostic a line as `LINE:COL severity code message`; exits 1 on any error,
      3 when a lint budget runs out (RENDER_MAX_*, as the server).
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
    let diagnostics = Linter.lint(
      source, schemaJSON: schema, partials: partials, limits: ToolLimits.fromEnvironment())
    for diagnostic in diagnostics {
      io.out(diagnostic.formatted + "\n")
    }
    if diagnostics.contains(where: { $0.limit != nil }) { return ToolLimits.exitStatus }
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

/// The offline tools' budgets: the server's `RENDER_MAX_*` variables when set (a bad value is
/// ignored with the default kept: the tools have no configuration step to report it in).
enum ToolLimits {
  /// The exit status of a render or lint that ran out of a budget.
  static let exitStatus: Int32 = 3

  static func fromEnvironment() -> RenderLimits {
    var problems: [String] = []
    return RenderSettings.load(
      environment: ProcessInfo.processInfo.environment, problems: &problems)
  }
}
