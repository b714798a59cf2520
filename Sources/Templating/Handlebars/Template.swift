import Foundation

/// Compiles Handlebars templates (handlebars.js 4.7.8 semantics, rendered with `noEscape`).
public enum Template {
  /// Partials may nest this deep; one more level is an error.
  public static let maxPartialDepth = 10

  /// Parses and compiles a template.
  ///
  /// - Throws: `TemplateError` with the line, column and an excerpt of the offending line.
  public static func compile(_ source: String) throws(TemplateError) -> CompiledTemplate {
    let text = SourceText(source)
    do {
      let tree = try Parser.parse(text)
      WhitespaceControl.apply(tree)
      return CompiledTemplate(
        source: text, program: Compiler.compile(tree), text: source,
        usesPartials: containsPartial(tree))
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
        return block.program.map(containsPartial) == true
          || block.inverse.map(containsPartial) == true
      case .content, .mustache, .comment: return false
      }
    }
  }

  /// Compiles and renders in one call.
  public static func render(
    _ source: String, context: JSONValue, partials: some PartialResolver = NoPartials()
  ) throws(TemplateError) -> String {
    try compile(source).render(context, partials: partials)
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
  /// - Throws: `TemplateError` when a helper fails, a partial is missing or circular, or
  ///   partials nest deeper than `Template.maxPartialDepth`.
  public func render(_ context: JSONValue, partials: some PartialResolver = NoPartials())
    throws(TemplateError) -> String
  {
    let root = Value(json: context, id: 0x5bd1_e995_0000_0006)
    let renderer = Renderer(context: root, partials: partials)
    var out = ""
    out.reserveCapacity(text.utf8.count + 256)
    do {
      try renderer.renderRoot(program, into: &out)
    } catch {
      throw error.located(in: source)
    }
    return out
  }
}
