/// Checks a template against the built-in issue variables, a variable schema and the partials
/// it can include, without rendering it.
public enum Linter {
  /// Lints a template whose variable schema is already compiled (or absent).
  ///
  /// - Parameters:
  ///   - source: the template.
  ///   - schema: the `lintJson` schema of the template's variables, nil when it has none.
  ///   - partials: resolves `{{> name}}`.
  ///   - limits: budgets of the lint: nesting, partial inclusions, time and nodes walked; one
  ///     that runs out is reported as `render-limit-exceeded` (with `limit`) and ends the walk.
  /// - Returns: diagnostics sorted by position; any `.error` means the template is refused.
  public static func lint(
    _ source: String, schema: JSONSchema?, partials: some PartialResolver = NoPartials(),
    limits: RenderLimits = .default
  ) -> [Diagnostic] {
    var walker = LintWalker(schema: schema, partials: partials, limits: limits)
    walker.run(source)
    return walker.finish()
  }

  /// Lints a template with a schema given as JSON: an invalid or unsupported schema is reported
  /// as `invalid-schema`, and the template is then checked against the built-ins only.
  public static func lint(
    _ source: String, schemaJSON: JSONValue?, partials: some PartialResolver = NoPartials(),
    limits: RenderLimits = .default
  ) -> [Diagnostic] {
    guard let schemaJSON else {
      return lint(source, schema: nil, partials: partials, limits: limits)
    }
    do {
      let schema = try JSONSchema(schemaJSON)
      return lint(source, schema: schema, partials: partials, limits: limits)
    } catch {
      let at = error.pointer.isEmpty ? "" : " at \(error.pointer)"
      let invalid = Diagnostic(
        severity: .error, code: .invalidSchema, message: "invalid schema\(at): \(error.message)",
        line: 1, column: 1)
      var walker = LintWalker(schema: nil, partials: partials, limits: limits)
      walker.checkVariables = false
      walker.run(source)
      return [invalid] + walker.finish()
    }
  }
}
