import Foundation

/// A thread-safe cache of compiled templates keyed by their source text, bounded in size with
/// least-recently-used eviction.
///
/// Template versions never change, so an entry never goes stale: the bound only keeps memory in
/// check when many distinct bodies (overrides, old versions) pass through.
public final class TemplateCache: @unchecked Sendable {
  private struct Entry {
    let template: CompiledTemplate
    var lastUse: UInt64
  }

  /// A source compared byte for byte and hashed once with FNV-1a: `String`'s own hashing
  /// normalises Unicode first, which cost a layout render a third of its time (a partial is
  /// looked up at every inclusion).
  private struct Key: Hashable {
    let source: String
    let hash: UInt64

    init(_ source: String) {
      self.source = source
      hash = CompiledTemplate.hash(source)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    static func == (a: Key, b: Key) -> Bool {
      a.hash == b.hash && CompiledTemplate.sameBytes(a.source, b.source)
    }
  }

  private let lock = NSLock()
  private var entries: [Key: Entry] = [:]
  private var clock: UInt64 = 0
  private let capacity: Int

  /// - Parameter capacity: how many compiled templates to keep.
  public init(capacity: Int = 512) {
    self.capacity = max(1, capacity)
  }

  /// The compiled template for `source`, compiling it on a miss.
  ///
  /// - Parameter limits: compilation budgets (`maxNesting`); a cached template that nests
  ///   deeper than they allow is refused as compiling it would be.
  public func compiled(_ source: String, limits: RenderLimits = .default) throws(TemplateError)
    -> CompiledTemplate
  {
    let key = Key(source)
    lock.lock()
    clock += 1
    if let index = entries.index(forKey: key) {
      entries.values[index].lastUse = clock
      let hit = entries.values[index]
      lock.unlock()
      guard hit.template.nesting <= limits.maxNesting else {
        // Compiling again gives the located error.
        return try Template.compile(source, limits: limits)
      }
      return hit.template
    }
    lock.unlock()
    let compiled = try Template.compile(source, limits: limits)
    lock.lock()
    defer { lock.unlock() }
    clock += 1
    entries[key] = Entry(template: compiled, lastUse: clock)
    if entries.count > capacity,
      let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
    {
      entries[oldest] = nil
    }
    return compiled
  }

  /// Number of cached templates.
  public var count: Int {
    lock.lock()
    defer { lock.unlock() }
    return entries.count
  }

  /// Whether `source` is cached (without counting as a use).
  public func contains(_ source: String) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    return entries[Key(source)] != nil
  }
}
