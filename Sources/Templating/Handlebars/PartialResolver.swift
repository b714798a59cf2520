import Foundation

/// Finds the template a partial name (`{{> name}}`) refers to.
///
/// The service resolves names to other templates of the same company; tests and the CLI use
/// `PartialDictionary`.
public protocol PartialResolver: Sendable {
  /// The compiled partial, or nil when no partial has this name.
  func partial(named name: String) throws(TemplateError) -> CompiledTemplate?

  /// The compiled partial, compiled within `limits` (a render's or lint's), or nil.
  ///
  /// The default implementation calls `partial(named:)`; the renderer checks the result's
  /// nesting against `limits` either way.
  func partial(named name: String, limits: RenderLimits) throws(TemplateError)
    -> CompiledTemplate?
}

extension PartialResolver {
  /// Ignores `limits` and calls `partial(named:)`.
  public func partial(named name: String, limits: RenderLimits) throws(TemplateError)
    -> CompiledTemplate?
  {
    try partial(named: name)
  }
}

/// No partials at all.
public struct NoPartials: PartialResolver {
  /// Creates the empty resolver.
  public init() {}

  /// Always nil.
  public func partial(named name: String) throws(TemplateError) -> CompiledTemplate? { nil }
}

/// Partials from a dictionary of sources, compiled on first use through a `TemplateCache`.
public struct PartialDictionary: PartialResolver {
  /// Sources by partial name.
  public let sources: [String: String]
  private let cache: TemplateCache
  private let byName = CompiledByName()

  /// What this dictionary has resolved: a layout included at every generation is found by its
  /// name, without hashing its source for the shared cache again.
  private final class CompiledByName: @unchecked Sendable {
    let lock = NSLock()
    var templates: [String: CompiledTemplate] = [:]
  }

  /// - Parameters:
  ///   - sources: partial sources by name.
  ///   - cache: where compiled partials are kept (a private one by default).
  public init(_ sources: [String: String], cache: TemplateCache = TemplateCache()) {
    self.sources = sources
    self.cache = cache
  }

  /// Compiles (or reuses) the partial named `name`.
  public func partial(named name: String) throws(TemplateError) -> CompiledTemplate? {
    try partial(named: name, limits: .default)
  }

  /// Compiles (or reuses) the partial named `name` within `limits`.
  public func partial(named name: String, limits: RenderLimits) throws(TemplateError)
    -> CompiledTemplate?
  {
    byName.lock.lock()
    let known = byName.templates[name]
    byName.lock.unlock()
    if let known, known.nesting <= limits.maxNesting { return known }
    guard let source = sources[name] else { return nil }
    let compiled = try cache.compiled(source, limits: limits)
    byName.lock.lock()
    byName.templates[name] = compiled
    byName.lock.unlock()
    return compiled
  }
}

/// Partials found by a closure, e.g. a lookup of the company's templates by name.
public struct PartialClosure: PartialResolver {
  private let resolve: @Sendable (String) -> String?
  private let cache: TemplateCache

  /// - Parameter resolve: returns the source of the partial with this name, or nil.
  public init(
    cache: TemplateCache = TemplateCache(), _ resolve: @escaping @Sendable (String) -> String?
  ) {
    self.resolve = resolve
    self.cache = cache
  }

  /// Compiles (or reuses) the source the closure returns.
  public func partial(named name: String) throws(TemplateError) -> CompiledTemplate? {
    try partial(named: name, limits: .default)
  }

  /// Compiles (or reuses) the source the closure returns, within `limits`.
  public func partial(named name: String, limits: RenderLimits) throws(TemplateError)
    -> CompiledTemplate?
  {
    guard let source = resolve(name) else { return nil }
    return try cache.compiled(source, limits: limits)
  }
}

extension PartialDictionary {
  /// The partials of a folder: each file `NAME.hbs` is the partial `NAME` (the CLI's
  /// `--partials DIR`).
  public static func loading(directory: URL, cache: TemplateCache = TemplateCache()) throws
    -> PartialDictionary
  {
    var sources: [String: String] = [:]
    let files = try FileManager.default.contentsOfDirectory(
      at: directory, includingPropertiesForKeys: nil)
    for file in files where file.pathExtension == "hbs" {
      sources[file.deletingPathExtension().lastPathComponent] = try String(
        contentsOf: file, encoding: .utf8)
    }
    return PartialDictionary(sources, cache: cache)
  }
}
