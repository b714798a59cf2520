import Foundation

/// Compiles Handlebars templates (handlebars.js 4.7 semantics, rendered with `noEscape`).
public enum Template {
  /// Partials may nest this deep; one more level is an error.
  public static let maxPartialDepth = 10

  /// Parses and compiles a template.
  ///
  /// - Parameter limits: only `maxNesting` applies to compilation (the other budgets are for
  ///   rendering and linting).
  /// - Throws: `TemplateError` with the line, column and an excerpt of the offending line;
  ///   `.limitExceeded` (`.nesting`) when constructs nest deeper than `limits.maxNesting`.
  public static func compile(_ source: String, limits: RenderLimits = .default)
    throws(TemplateError) -> CompiledTemplate
  {
    let text = SourceText(source)
    do {
      let parsed = try Parser.parse(text, limits: limits)
      WhitespaceControl.apply(parsed.tree)
      return CompiledTemplate(
        source: text, program: Compiler.compile(parsed.tree), text: source,
        usesPartials: containsPartial(parsed.tree), nesting: parsed.nesting,
        nestingOffset: parsed.nestingOffset)
    } catch {
      throw error.located(in: text)
    }
  }

  /// Whether a `{{> name}}` appears anywhere, blocks and their `else` included.
  static func containsPartial(_ program: PProgram) -> Bool {
    program.body.contains { node in
      switch node {
      case .partial: return true
      case .block(let block):
        if case .partialBlock = block.kind { return true }
        return block.program.map(containsPartial) == true
          || block.inverse.map(containsPartial) == true
      case .content, .mustache, .comment: return false
      }
    }
  }

  /// Compiles and renders in one call.
  ///
  /// - Throws: `TemplateError`, as `compile` and `CompiledTemplate.render` do.
  public static func render(
    _ source: String, context: JSONValue, partials: some PartialResolver = NoPartials(),
    limits: RenderLimits = .default
  ) throws(TemplateError) -> String {
    try compile(source, limits: limits).render(context, partials: partials, limits: limits)
  }
}

/// A compiled template: immutable, safe to share between requests and to cache.
public struct CompiledTemplate: Sendable {
  let source: SourceText
  let program: Program
  /// The template's source text.
  public let text: String
  /// Whether rendering can look up a partial: when false, the caller need not load any (the
  /// server then skips reading the company's templates for a generation).
  public let usesPartials: Bool
  /// How deeply blocks, else-if chains and sub-expressions nest, and where that depth is first
  /// reached: rendering with a smaller `maxNesting` than the compilation had is refused there.
  let nesting: Int
  let nestingOffset: Int

  /// A stable 64-bit FNV-1a hash of the source, for cache keys.
  public var contentHash: UInt64 { Self.hash(text) }

  /// FNV-1a over the UTF-8 of `text`.
  public static func hash(_ text: String) -> UInt64 {
    var text = text
    return text.withUTF8 { bytes in
      var hash: UInt64 = 0xcbf2_9ce4_8422_2325
      for byte in bytes {
        hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
      }
      return hash
    }
  }

  /// Byte-for-byte equality of two sources (no Unicode normalisation).
  static func sameBytes(_ a: String, _ b: String) -> Bool {
    var a = a
    var b = b
    return a.withUTF8 { x in
      b.withUTF8 { y in
        x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
      }
    }
  }

  /// Renders the template with `context` as the root (`this`, `@root`).
  ///
  /// - Parameter limits: the budgets of this render, partials included.
  /// - Throws: `TemplateError` when a helper fails, a partial is missing or circular, partials
  ///   nest deeper than `Template.maxPartialDepth`, or a budget of `limits` runs out
  ///   (`.limitExceeded`, with `limit` saying which).
  public func render(
    _ context: JSONValue, partials: some PartialResolver = NoPartials(),
    limits: RenderLimits = .default, tokens: (any TokenTruncator)? = nil
  ) throws(TemplateError) -> String {
    if nesting > limits.maxNesting {
      throw TemplateError(limit: .nesting, limits: limits, offset: nestingOffset).located(
        in: source)
    }
    let root = Value(json: context, id: 0x5bd1_e995_0000_0006)
    let renderer = Renderer(
      context: root, partials: partials, limits: limits,
      unit: SourceUnit(source: source, partialName: nil, nesting: nesting), tokens: tokens)
    var out = ""
    out.reserveCapacity(max(0, min(text.utf8.count + 256, limits.maxOutputBytes)))
    do {
      try renderer.renderRoot(program, into: &out)
    } catch {
      throw error.located(in: source)
    }
    return out
  }
}
